//! The hostile corpus (`tests/support/hostile.rs`): every file loads or is
//! reported with a reason, nothing panics or hangs, and the good file beside
//! them loads.

#[path = "support/hostile.rs"]
mod hostile;

use blatt::{Collection, LoadOptions};
use std::path::Path;

const LIMIT: u64 = 8 * 1024 * 1024;

fn load(dir: &Path) -> Collection {
    Collection::load(&[dir.to_path_buf()], &LoadOptions { max_file_size: LIMIT, ..LoadOptions::default() })
}

fn reason<'a>(c: &'a Collection, file: &str) -> Vec<&'a str> {
    c.problems
        .iter()
        .filter(|p| p.path.file_name().is_some_and(|n| n.to_string_lossy().contains(file)))
        .map(|p| p.reason.as_str())
        .collect()
}

fn title_from(c: &Collection, file: &str) -> Vec<String> {
    c.articles.iter().filter(|a| a.path.to_string_lossy().ends_with(file)).map(|a| a.title.clone()).collect()
}

#[test]
fn the_committed_corpus_is_what_the_generator_writes() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    for (name, bytes) in hostile::static_files() {
        let on_disk = std::fs::read(committed.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(on_disk == bytes, "{name} differs: run cargo run --example make-hostile");
    }
}

#[test]
fn every_hostile_file_loads_or_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    hostile::write_static(dir.path()).unwrap();
    hostile::write_special(dir.path(), LIMIT).unwrap();
    let c = load(dir.path());

    // Loaded, decoded sensibly.
    assert_eq!(title_from(&c, "good.txt"), vec!["Eine gute Datei"]);
    assert_eq!(title_from(&c, "invalid-utf8.txt"), vec!["Titel kaputt"]);
    assert_eq!(title_from(&c, "cp1252-quotes.txt"), vec!["„Grüne Welle“ für Busse"]);
    assert_eq!(title_from(&c, "utf16-bom.txt"), vec!["Kulturticket kommt"]);
    assert_eq!(title_from(&c, "lone-cr.txt"), vec!["Lone CR Titel"]);
    assert_eq!(title_from(&c, "duplicate-keys.json").len(), 1);
    assert_eq!(title_from(&c, "one-bad-element.json"), vec!["Gut A", "Gut C"]);
    let evil = c.articles.iter().find(|a| a.title == "Klick mich").expect("the feed item loads");
    assert!(evil.all_links().iter().all(|l| l.starts_with("https://")), "{:?}", evil.all_links());
    let huge = c.articles.iter().find(|a| a.title == "Riesig").expect("5 MB article");
    assert!(huge.details.lead.as_ref().unwrap().len() > 4_000_000);
    let one_line = title_from(&c, "huge-one-line.txt");
    assert_eq!(one_line.len(), 1);
    assert!(one_line[0].chars().count() <= blatt::formats::text::MAX_TITLE_CHARS + 1);

    // Reported, with a reason.
    let has = |file: &str, what: &str| {
        let r = reason(&c, file);
        assert!(r.iter().any(|x| x.contains(what)), "{file}: {r:?}");
    };
    has("nul-bytes.txt", "binary");
    has("empty.txt", "empty");
    has("deep.json", "not valid JSON");
    has("duplicate-ids.jsonl", "duplicate");
    has("one-bad-element.json", "article 2");
    has("entity-bomb.xml", "entities");
    has("over-limit.txt", "size limit");
    has("fifo.txt", "not a regular file");
    has("loop", "loop");
    has("name", "not valid JSON");

    // The escape sequence in the file name never reaches a message.
    for p in &c.problems {
        let shown = p.to_string();
        assert!(blatt::sanitize::stray_characters(&shown).is_empty(), "{shown:?}");
    }
}

#[test]
fn the_cli_reports_each_problem_on_one_line_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    hostile::write_static(dir.path()).unwrap();
    hostile::write_special(dir.path(), 1024 * 1024).unwrap();
    let config = dir.path().join("limit.toml");
    std::fs::write(&config, "max_file_size = 1048576\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_blatt"))
        .arg("check")
        .arg(dir.path())
        .arg("--config")
        .arg(&config)
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .env_remove("BLATT_CACHE_DIR")
        .env("BLATT_DATA_DIR", dir.path().join("state"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\x1b'), "no escape sequence in messages");
    for line in err.lines() {
        assert!(line.starts_with(&dir.path().to_string_lossy().to_string()), "{line}");
    }
    assert!(err.contains("over-limit.txt: "), "{err}");
}
