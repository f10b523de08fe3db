//! The `blatt` binary as scripts use it: output, JSON shapes, exit codes.
//! HOME and the XDG directories point into a temporary directory.

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Env {
    home: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env { home: tempfile::tempdir().unwrap() }
    }

    fn run(&self, args: &[&str]) -> Output {
        let h = self.home.path();
        Command::new(env!("CARGO_BIN_EXE_blatt"))
            .args(args)
            .current_dir(root())
            .env("HOME", h)
            .env("XDG_CONFIG_HOME", h.join("config"))
            .env("XDG_CACHE_HOME", h.join("cache"))
            .env_remove("BLATT_CACHE_DIR")
            .env("XDG_DATA_HOME", h.join("data"))
            .env_remove("BLATT_DATA_DIR")
            .output()
            .unwrap()
    }

    fn config_dir(&self) -> PathBuf {
        self.home.path().join("config/blatt")
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn titles(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap().to_string()).collect()
}

#[test]
fn list_json_has_every_field() {
    let env = Env::new();
    let o = env.run(&["list", "tests/fixtures/text/full.txt", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    let a = &v[0];
    for key in ["id", "title", "kicker", "date", "tags", "source", "author", "image_credit", "links", "url", "path"] {
        assert!(a.get(key).is_some(), "missing {key}: {a}");
    }
    assert_eq!(a["date"], "2023-10-01");
    assert_eq!(a["url"], Value::Null);
    assert_eq!(a["tags"], serde_json::json!(["Energie", "Halle", "Preise"]));
}

#[test]
fn queries_over_the_sample_data() {
    let env = Env::new();
    let count = |q: &str| -> usize {
        let o = env.run(&["list", "sample-data", "-q", q, "--count"]);
        assert!(o.status.success(), "{q}: {}", stderr(&o));
        stdout(&o).trim().parse().unwrap()
    };
    let all = count("");
    assert!(all >= 40, "{all}");
    let digital = count("+Digitalisierung");
    assert!(digital > 5 && digital < all);
    // Case-insensitive tags, negation and alternatives.
    assert_eq!(count("+digitalisierung"), digital);
    assert_eq!(count("+Digitalisierung +Politik") + count("+Digitalisierung -Politik"), digital);
    assert!(count("+Klima|Climate") > count("+Klima"));
    // Dates.
    assert_eq!(count("@2022") + count("@..2021") + count("@2023.."), count("@1900.."));
    assert_eq!(count("@1900..") + 1, all, "one sample article has no date");
    assert_eq!(count("-Politik"), all - count("+Politik"));
    assert!(count("@2021..2022-06") > 0);
    assert_eq!(count("@2022-03-21"), 1);
    // Keys, words, phrases, umlauts.
    assert!(count("source:stadtbote") > 10);
    assert!(count("kicker:köln") == 2);
    assert_eq!(count("\"Sensornetz frei\""), 1);
    assert_eq!(count("FÄHRTICKETS"), 1);
    // Words only in a body paragraph: `list` keeps the text when the query asks for words.
    assert_eq!(count("liegezeiten"), 1);
    assert_eq!(count("+Kiel Seniorenbeirat"), 1);
    assert_eq!(count("is:unread"), all);
    assert_eq!(count("is:bookmarked"), 0);
}

#[test]
fn bad_query_names_the_column_and_exits_2() {
    let env = Env::new();
    let o = env.run(&["list", "sample-data", "-q", "+Politik \"open"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("column 10"), "{}", stderr(&o));
    let o = env.run(&["tags", "sample-data", "-q", "@2022-13"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("column 2"), "{}", stderr(&o));
}

#[test]
fn tags_json_most_used_first_and_follows_the_query() {
    let env = Env::new();
    let v = json(&env.run(&["tags", "sample-data", "--json"]));
    let counts: Vec<u64> = v.as_array().unwrap().iter().map(|t| t["count"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(v[0]["tag"], "Digitalisierung");
    let v = json(&env.run(&["tags", "sample-data", "-q", "+Stuttgart", "--json"]));
    let stuttgart = v.as_array().unwrap().iter().find(|t| t["tag"] == "Stuttgart").unwrap();
    assert_eq!(stuttgart["count"], 2);
    assert!(v.as_array().unwrap().iter().all(|t| t["count"].as_u64().unwrap() <= 2));
}

#[test]
fn show_text_and_json_by_id_prefix() {
    let env = Env::new();
    let list = json(&env.run(&["list", "tests/fixtures/text/full.txt", "--json"]));
    let id = list[0]["id"].as_str().unwrap();
    let o = env.run(&["show", &id[..6], "tests/fixtures/text/full.txt", "--width", "30"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("Stadtwerke senken"), "{text}");
    let wide = stdout(&env.run(&["show", &id[..6], "tests/fixtures/text/full.txt"]));
    assert!(wide.contains("Halle · 2023-10-01 · tk · www.fixture.example"), "{wide}");
    assert!(wide.contains("[2] https://fixture.example/halle/preise"));
    assert!(text.lines().all(|l| unicode_width::UnicodeWidthStr::width(l) <= 30), "{text}");
    let v = json(&env.run(&["show", id, "tests/fixtures/text/full.txt", "--json"]));
    assert_eq!(v["body"].as_array().unwrap().len(), 2);
    assert!(v["lead"].as_str().unwrap().starts_with("Die Stadtwerke"));
    let o = env.run(&["show", "zzzz", "tests/fixtures/text/full.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no article with id zzzz"));
}

#[test]
fn check_exit_codes_and_problem_lines() {
    let env = Env::new();
    let o = env.run(&["check", "sample-data"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = env.run(&["check", "tests/fixtures/broken"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.lines().any(|l| l.starts_with("tests/fixtures/broken/bad.json") && l.contains(": not valid JSON")),
        "{err}"
    );
    assert!(stdout(&o).contains("1 article from 5 files; 4 problems in 4 files"), "{}", stdout(&o));
}

#[test]
fn missing_collection_explains_itself() {
    let env = Env::new();
    let o = env.run(&["list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no collection given"), "{}", stderr(&o));
    for command in ["list", "tags", "check"] {
        let o = env.run(&[command, "does/not/exist"]);
        assert!(stderr(&o).contains("does/not/exist: no such file or directory"), "{}", stderr(&o));
        assert_eq!(o.status.code(), Some(2), "{command}: a path that is not there is a usage error");
    }
}

#[test]
fn config_collection_is_used_without_paths() {
    let env = Env::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    let fixture = root().join("tests/fixtures/text");
    std::fs::write(env.config_dir().join("config.toml"), format!("collection = [{:?}]\n", fixture.to_string_lossy()))
        .unwrap();
    let o = env.run(&["list", "--count"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), count_files(&fixture).to_string());
    // --config wins over the default file.
    let other = env.home.path().join("other.toml");
    std::fs::write(&other, "collection = []\n").unwrap();
    let o = env.run(&["list", "--count", "--config", other.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

#[test]
fn list_text_lines_are_aligned() {
    let env = Env::new();
    let o = env.run(&["list", "sample-data", "-q", "+Köln"]);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    let col = |l: &str| l.find("  ").and_then(|i| l[i + 2..].find(|c: char| c != ' ').map(|j| i + 2 + j));
    assert_eq!(col(lines[0]), col(lines[1]));
    assert!(lines[0].contains("[Verkehr, Köln, Infrastruktur]"));
}

#[test]
fn titles_sorted_newest_first() {
    let env = Env::new();
    let v = json(&env.run(&["list", "sample-data", "-q", "+Stuttgart", "--json"]));
    assert_eq!(titles(&v), vec!["Neue Amtsleitung für Digitalisierung", "Gemeinderat gibt Mittel für Sensornetz frei"]);
}

#[test]
fn readme_documents_every_bindable_action() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for (name, _, _) in blatt::tui::action::NAMED {
        assert!(readme.contains(name), "README.md does not name the action {name}");
    }
    assert!(readme.contains("cargo run --release -- sample-data") && readme.contains("cargo test"));
}

#[test]
fn list_and_bookmarks_read_the_state_file() {
    let env = Env::new();
    let data = env.home.path().join("data/blatt");
    let collection = blatt::Collection::load(&[root().join("sample-data")], &blatt::LoadOptions::default());
    let kiel = collection.articles.iter().find(|a| a.title.starts_with("Fährtickets")).unwrap();
    let (mut file, state, _) = blatt::store::StoreFile::open(&data);
    let mut marks = blatt::store::Marks::new(state);
    marks.toggle_bookmark(kiel);
    marks.set_read(&kiel.id, true);
    let gone =
        blatt::Article { id: blatt::ArticleId("gone-1".into()), title: "Verschwunden".into(), ..Default::default() };
    marks.toggle_bookmark(&gone);
    file.save(marks.pending()).unwrap();

    let v = json(&env.run(&["list", "sample-data", "-q", "is:bookmarked", "--json"]));
    assert_eq!(titles(&v), vec![kiel.title.clone()], "the CLI does not list stand-ins, `bookmarks` does");
    assert_eq!(v[0]["bookmarked"], true);
    assert_eq!(v[0]["read"], true);
    let unread = stdout(&env.run(&["list", "sample-data", "-q", "is:unread", "--count"]));
    assert_eq!(unread.trim(), (collection.len() - 1).to_string(), "all but the one read");

    let b = json(&env.run(&["bookmarks", "sample-data", "--json"]));
    let by_title = |t: &str| b.as_array().unwrap().iter().find(|x| x["title"] == t).cloned().unwrap();
    assert_eq!(by_title("Verschwunden")["missing"], true);
    assert_eq!(by_title(&kiel.title)["missing"], false);
    assert_eq!(b[0]["title"], "Verschwunden", "newest first");
    let md = stdout(&env.run(&["bookmarks", "--markdown"]));
    assert!(md.contains(&format!("- [{}](https://www.stadtbote.example/kiel/faehre)", kiel.title)), "{md}");
}

#[test]
fn global_options_work_before_and_after_the_command() {
    let env = Env::new();
    let data = env.home.path().join("state");
    let data = data.to_str().unwrap();
    let before = env.run(&["--data-dir", data, "list", "--count", "sample-data"]);
    assert!(before.status.success(), "{}", stderr(&before));
    let after = env.run(&["list", "--count", "--data-dir", data, "sample-data"]);
    assert!(after.status.success(), "{}", stderr(&after));
    assert_eq!(stdout(&before), stdout(&after));
    assert!(stdout(&before).trim().parse::<usize>().unwrap() >= 40);
}

#[test]
fn list_json_gives_the_full_time_and_enclosures() {
    let env = Env::new();
    let v = json(&env.run(&["list", "tests/fixtures/feeds/dates.rss", "--json"]));
    let neujahr = v.as_array().unwrap().iter().find(|a| a["title"] == "Neujahr in Berlin").unwrap();
    assert_eq!(neujahr["date"], "2024-01-01");
    assert_eq!(neujahr["time"], "2024-01-01T00:30:00+01:00");
    let v = json(&env.run(&["list", "sample-data/feeds/hafenblatt.rss", "--json", "-q", "+Hafen"]));
    assert_eq!(v[0]["enclosures"][0]["url"], "https://hafenblatt.example/audio/kaikante.mp3");
    assert_eq!(v[0]["enclosures"][0]["type"], "audio/mpeg");
    assert_eq!(v[0]["enclosures"][0]["length"], 4_200_000);
}

#[test]
fn stored_bookmarks_are_cleaned_before_they_are_printed() {
    let env = Env::new();
    let data = env.home.path().join("data/blatt");
    let (mut file, state, _) = blatt::store::StoreFile::open(&data);
    let mut marks = blatt::store::Marks::new(state);
    // A state file is as untrusted as an article: this one was written by hand.
    let evil = blatt::Article {
        id: blatt::ArticleId("id\x1b[2J".into()),
        title: "x\x1b]0;PWNED\x07\x1b]52;c;cHduZWQ=\x07 Titel\u{202e}".into(),
        source: Some("Quelle\u{9b}31m".into()),
        path: "/tmp/x\x1b]0;PWNED\x07.txt".into(),
        ..Default::default()
    };
    marks.toggle_bookmark(&evil);
    file.save(marks.pending()).unwrap();
    for format in [&[][..], &["--markdown"][..], &["--json"][..]] {
        let mut args = vec!["bookmarks"];
        args.extend_from_slice(format);
        let out = stdout(&env.run(&args));
        assert!(out.contains("Titel"), "{out}");
        let stray = blatt::sanitize::stray_characters(&out);
        assert!(stray.is_empty() && !out.contains('\x1b') && !out.contains('\x07'), "{format:?}: {out:?}");
        assert!(!out.contains("]0;PWNED\x07") && !out.contains("52;c;"), "{format:?}: {out:?}");
    }
}

#[test]
fn a_mistake_in_the_config_is_reported_and_every_command_goes_on() {
    let env = Env::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(env.config_dir().join("config.toml"), "mouse = true\nmax_file_size = \"gross\"\n").unwrap();
    let o = env.run(&["list", "sample-data", "--count"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).trim().parse::<usize>().unwrap() > 40);
    assert!(stderr(&o).contains("config.toml:2:1: ") && stderr(&o).contains("max_file_size"), "{}", stderr(&o));
}

#[test]
fn an_empty_data_dir_variable_means_the_default() {
    let env = Env::new();
    let o = Command::new(env!("CARGO_BIN_EXE_blatt"))
        .args(["list", "sample-data", "--count", "-q", "is:unread"])
        .current_dir(root())
        .env("HOME", env.home.path())
        .env("XDG_CONFIG_HOME", env.home.path().join("config"))
        .env("XDG_CACHE_HOME", env.home.path().join("cache"))
        .env_remove("BLATT_CACHE_DIR")
        .env("XDG_DATA_HOME", env.home.path().join("data"))
        .env("BLATT_DATA_DIR", "")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn an_unknown_tag_gets_a_hint_on_stderr() {
    let env = Env::new();
    let o = env.run(&["list", "sample-data", "-q", "+Digitalisierun", "--count"]);
    assert_eq!(stdout(&o).trim(), "0");
    assert!(stderr(&o).contains("no tag \"Digitalisierun\" — did you mean Digitalisierung?"), "{}", stderr(&o));
}
