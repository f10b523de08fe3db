//! The index on disk: results with and without it are the same, changes to
//! the files are picked up, and a damaged, foreign, older or unwritable
//! index never gives a wrong answer. The cache directory is a temporary one.

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use blatt::collection::{Changes, Source};
use blatt::formats::Content;
use blatt::{Collection, LoadOptions};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn options(cache: Option<&Path>) -> LoadOptions {
    LoadOptions { content: Content::Metadata, cache: cache.map(Path::to_path_buf), ..LoadOptions::default() }
}

/// Everything a load gives that a user can see, in one comparable value.
fn seen(c: &Collection) -> (Vec<std::sync::Arc<blatt::Article>>, Vec<String>, Vec<String>) {
    let tags = c.tags.ids().map(|id| c.tags.name(id).to_string()).collect();
    (c.articles.clone(), c.problems.iter().map(|p| p.to_string()).collect(), tags)
}

fn load(paths: &[PathBuf], cache: Option<&Path>) -> Collection {
    Collection::load(paths, &options(cache))
}

/// The collections the comparison runs on: the sample, every fixture
/// (hostile files included) and, where present, the shared examples.
fn collections() -> Vec<Vec<PathBuf>> {
    let mut all = vec![vec![root().join("sample-data")], vec![root().join("tests/fixtures")]];
    let shared = root().join("../shared/examples");
    if shared.is_dir() {
        all.push(vec![shared]);
    }
    all
}

#[test]
fn loads_with_and_without_the_index_are_identical() {
    for paths in collections() {
        let cache = tempfile::tempdir().unwrap();
        let plain = seen(&load(&paths, None));
        let cold = load(&paths, Some(cache.path()));
        assert_eq!(seen(&cold), plain, "building the index: {paths:?}");
        assert!(cold.notes.is_empty(), "{:?}", cold.notes);
        let warm = load(&paths, Some(cache.path()));
        assert_eq!(seen(&warm), plain, "from the index: {paths:?}");
        let changes = warm.changes.unwrap();
        assert!(!changes.any() && changes.unchanged > 0, "{changes:?}");
        let first_screen = Collection::load_from(&paths, &options(Some(cache.path())), Source::IndexOnly, &|_, _| {});
        assert_eq!(seen(&first_screen), plain, "from the index alone: {paths:?}");
    }
}

fn write(dir: &Path, name: &str, title: &str, tags: &str) {
    std::fs::write(dir.join(name), format!("{title}\n\n[3.4.2024] Ein Text über {title}.\n\nTags: {tags}\n")).unwrap();
}

#[test]
fn articles_share_the_strings_of_their_tags_and_sources() {
    let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for i in 0..200 {
        let text =
            format!("Meldung {i}\n\n[3.4.2024] Ein Text.\n\nTags: Kiel, Hafen\n\nQuelle: www.hafenblatt.example\n");
        std::fs::write(files.path().join(format!("a{i}.txt")), text).unwrap();
    }
    let paths = [files.path().to_path_buf()];
    for c in [load(&paths, Some(cache.path())), load(&paths, Some(cache.path()))] {
        // Read from the files, then from the index: a copy per loading thread at most.
        let copies = |string: &dyn Fn(&blatt::Article) -> *const u8| {
            let mut copies: Vec<*const u8> = c.articles.iter().map(|a| string(a)).collect();
            copies.sort();
            copies.dedup();
            copies.len()
        };
        assert!(c.articles.iter().all(|a| a.tag_names() == ["Kiel", "Hafen"]));
        assert!(c.articles.iter().all(|a| a.source.as_deref() == Some("www.hafenblatt.example")));
        let most = rayon::current_num_threads() + 1;
        assert!(copies(&|a| a.tags[0].as_ptr()) <= most, "{} copies of Kiel", copies(&|a| a.tags[0].as_ptr()));
        let source = |a: &blatt::Article| a.source.as_deref().map_or(std::ptr::null(), str::as_ptr);
        assert!(copies(&source) <= most, "{} copies of the source", copies(&source));
    }
}

#[test]
fn a_count_comes_from_the_front_page_only_while_the_files_are_unchanged() {
    use blatt::collection::front::Counted;
    use blatt::query::{NoFlags, filter, parse};
    let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write(files.path(), "a.txt", "Hafen", "Kiel, Sport");
    write(files.path(), "b.txt", "Brücke", "Kiel");
    write(files.path(), "c.txt", "Deich", "Husum");
    let paths = [files.path().to_path_buf()];
    let opts = options(Some(cache.path()));
    let count = |q: &str| match Collection::count_or_load(&paths, &opts, &parse(q).unwrap()) {
        Counted::Front(front, n) => {
            assert!(front.partial().is_some(), "only the front page was read");
            Some(n)
        }
        Counted::Whole(whole) => {
            assert!(whole.partial().is_none(), "the whole collection");
            assert_eq!(whole.len(), whole.total());
            None
        }
    };
    assert_eq!(count(""), None, "no index yet: loaded");
    assert_eq!(count(""), Some(3));
    assert_eq!(count("+kiel"), Some(2), "a tag by any spelling");
    assert_eq!(count("+Nirgends"), Some(0));
    assert_eq!(count("+Kiel +Sport"), None, "more than one tag: loaded");
    assert_eq!(count("hafen"), None, "words: loaded");
    // A new file: the check sees it, and the count is not the old one.
    write(files.path(), "d.txt", "Schleuse", "Kiel");
    let Counted::Whole(whole) = Collection::count_or_load(&paths, &opts, &parse("+Kiel").unwrap()) else {
        panic!("a new file: the whole collection is loaded")
    };
    assert_eq!(filter(&whole, &parse("+Kiel").unwrap(), &NoFlags).len(), 3);
    assert_eq!(count("+Kiel"), Some(3), "and the front page follows");
    std::fs::remove_file(files.path().join("a.txt")).unwrap();
    assert_eq!(count(""), None, "a file removed");
    assert_eq!(count(""), Some(3));
}

#[test]
fn new_changed_and_removed_files_are_picked_up() {
    let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let paths = [files.path().to_path_buf()];
    write(files.path(), "a.txt", "Hafen", "Kiel");
    write(files.path(), "b.txt", "Brücke", "Bonn");
    write(files.path(), "c.txt", "Fähre", "Kiel");
    let first = load(&paths, Some(cache.path()));
    assert_eq!(first.len(), 3);
    assert_eq!(first.changes, None, "there was no index to compare with");
    // Same size, other content: the modification time tells.
    write(files.path(), "a.txt", "Damen", "Kiel, Sport");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options().write(true).open(files.path().join("a.txt")).unwrap().set_modified(later).unwrap();
    std::fs::remove_file(files.path().join("b.txt")).unwrap();
    write(files.path(), "d.txt", "Schleuse", "Brunsbüttel");
    let second = load(&paths, Some(cache.path()));
    assert_eq!(second.changes, Some(Changes { new: 1, changed: 1, removed: 1, unchanged: 1 }));
    assert_eq!(seen(&second), seen(&load(&paths, None)));
    let mut titles: Vec<&str> = second.articles.iter().map(|a| a.title.as_str()).collect();
    titles.sort();
    assert_eq!(titles, ["Damen", "Fähre", "Schleuse"]);
    assert!(second.tags.find("Sport").is_some() && second.tags.find("Bonn").is_none());
    let third = load(&paths, Some(cache.path()));
    assert_eq!(third.changes, Some(Changes { unchanged: 3, ..Changes::default() }));
}

/// The one index file in `cache`.
fn index_file(cache: &Path) -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found.pop().unwrap()
}

/// A way to spoil an index file's bytes.
type Spoil = fn(&mut Vec<u8>);

#[test]
fn a_damaged_foreign_or_other_index_is_rebuilt_and_never_read_wrongly() {
    let paths = [root().join("sample-data")];
    let plain = seen(&load(&paths, None));
    let damage: [(&str, Spoil); 7] = [
        ("damaged (checksum mismatch)", |b| {
            let at = b.len() - 100;
            b[at] ^= 0x20;
        }),
        // In the middle: read as it goes, the index gives good-looking
        // entries up to there, and the checksum tells only at its end.
        ("damaged (checksum mismatch)", |b| {
            let at = b.len() / 2;
            b[at] ^= 0x20;
        }),
        ("truncated", |b| b.truncate(b.len() / 2)),
        ("truncated", |b| b.truncate(10)),
        ("not a blatt index", |b| *b = b"<html>not an index</html>".to_vec()),
        ("written in another layout (version 0)", |b| b[8..12].copy_from_slice(&0u32.to_le_bytes())),
        ("made by another blatt version or for other settings", |b| {
            let at = b.windows(6).position(|w| w == b"blatt ").unwrap() + 6;
            b[at] = b'9';
        }),
    ];
    for (why, spoil) in damage {
        let cache = tempfile::tempdir().unwrap();
        load(&paths, Some(cache.path()));
        let file = index_file(cache.path());
        let mut bytes = std::fs::read(&file).unwrap();
        spoil(&mut bytes);
        std::fs::write(&file, &bytes).unwrap();
        // From the index alone (the reader's start), as from a walk.
        let alone = Collection::load_from(&paths, &options(Some(cache.path())), Source::IndexOnly, &|_, _| {});
        assert_eq!(seen(&alone), plain, "{why}, from the index alone");
        assert!(alone.notes.len() == 1 && alone.notes[0].contains(why), "{:?}", alone.notes);
        std::fs::write(&file, &bytes).unwrap();
        let after = load(&paths, Some(cache.path()));
        assert_eq!(seen(&after), plain, "{why}");
        assert_eq!(after.notes.len(), 1, "{:?}", after.notes);
        assert!(after.notes[0].contains(why) && after.notes[0].ends_with("rebuilding it"), "{:?}", after.notes);
        // Rebuilt: the next load uses it without a word.
        let again = load(&paths, Some(cache.path()));
        assert!(again.notes.is_empty() && !again.changes.unwrap().any(), "{why}: {:?}", again.notes);
    }
}

#[test]
fn an_unwritable_cache_directory_means_no_index_and_a_message() {
    let paths = [root().join("sample-data")];
    let dir = tempfile::tempdir().unwrap();
    // A file where the directory should be: refused even to root.
    let cache = dir.path().join("cache");
    std::fs::write(&cache, "not a directory").unwrap();
    let c = load(&paths, Some(&cache));
    assert_eq!(seen(&c), seen(&load(&paths, None)));
    assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
    assert!(c.notes[0].starts_with("index not saved:"), "{:?}", c.notes);
    assert_eq!(c.index_file.as_ref().map(|(_, current)| *current), Some(false));
}

fn blatt(cache: &Path, home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_blatt"))
        .args(args)
        .current_dir(root())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("BLATT_CACHE_DIR", cache)
        .env_remove("BLATT_DATA_DIR")
        .output()
        .unwrap()
}

#[test]
fn the_cli_answers_the_same_with_and_without_the_index() {
    let (home, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for args in [
        vec!["list", "--json", "sample-data", "tests/fixtures"],
        vec!["tags", "--json", "-q", "-Verkehr", "sample-data", "tests/fixtures"],
        vec!["check", "sample-data", "tests/fixtures"],
        // Counts from the front page (problems and unknown tags told the same).
        vec!["list", "--count", "sample-data", "tests/fixtures"],
        vec!["tags", "sample-data", "tests/fixtures"],
        vec!["tags", "--json", "sample-data"],
        vec!["list", "--count", "-q", "+kiel", "sample-data", "tests/fixtures"],
        vec!["list", "--count", "-q", "+Nirgendwo", "sample-data", "tests/fixtures"],
        // Words: through the word index, which the first run builds.
        vec!["list", "--json", "-q", "stadt", "sample-data", "tests/fixtures"],
        vec!["list", "--json", "-q", "+Kiel \"der stadt\"", "sample-data", "tests/fixtures"],
        vec!["tags", "--json", "-q", "verkehrs", "sample-data", "tests/fixtures"],
    ] {
        let without: Vec<&str> = [&["--no-cache"][..], &args].concat();
        let plain = blatt(cache.path(), home.path(), &without);
        for round in ["cold", "warm"] {
            let indexed = blatt(cache.path(), home.path(), &args);
            assert_eq!(indexed.stdout, plain.stdout, "{round} {args:?}");
            assert_eq!(indexed.stderr, plain.stderr, "{round} {args:?}");
            assert_eq!(indexed.status.code(), plain.status.code(), "{round} {args:?}");
        }
    }
    // `show` finds the article through the index and reads its text from the file.
    let listed: serde_json::Value =
        serde_json::from_slice(&blatt(cache.path(), home.path(), &["list", "--json", "sample-data"]).stdout).unwrap();
    for article in listed.as_array().unwrap().iter().step_by(7) {
        let id = article["id"].as_str().unwrap();
        for form in [&["show", id, "sample-data"][..], &["show", "--json", id, "sample-data"]] {
            let without: Vec<&str> = [&["--no-cache"][..], form].concat();
            let (plain, indexed) = (blatt(cache.path(), home.path(), &without), blatt(cache.path(), home.path(), form));
            assert!(plain.status.success() && plain.stdout.len() > 200, "{form:?}");
            assert_eq!(indexed.stdout, plain.stdout, "{form:?}");
        }
    }
    assert!(!home.path().join("cache").exists(), "BLATT_CACHE_DIR is where the index goes");
}

#[test]
fn blatt_index_says_what_it_did_and_no_cache_makes_none() {
    let (home, cache, files) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let dir = files.path().to_str().unwrap();
    write(files.path(), "a.txt", "Hafen", "Kiel");
    let none = blatt(cache.path(), home.path(), &["--no-cache", "list", dir]);
    assert!(none.status.success());
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 0, "--no-cache writes no index");
    let first = blatt(cache.path(), home.path(), &["index", dir]);
    let said = String::from_utf8_lossy(&first.stdout).into_owned();
    assert!(first.status.success(), "{said}");
    assert!(said.contains(": 1 file (1 new, 0 changed, 0 removed, 0 unchanged), 1 article, 0 problems in "), "{said}");
    assert!(said.ends_with("\nword index: made anew from 1 file\n"), "{said}");
    write(files.path(), "b.txt", "Brücke", "Bonn");
    let second = String::from_utf8_lossy(&blatt(cache.path(), home.path(), &["index", dir]).stdout).into_owned();
    assert!(
        second.contains(": 2 files (1 new, 0 changed, 0 removed, 1 unchanged), 2 articles, 0 problems"),
        "{second}"
    );
    assert!(second.ends_with("\nword index: brought up to date, 1 file read again\n"), "{second}");
    let third = String::from_utf8_lossy(&blatt(cache.path(), home.path(), &["index", dir]).stdout).into_owned();
    assert!(third.ends_with("\nword index: up to date\n"), "{third}");
    let refused = blatt(cache.path(), home.path(), &["--no-cache", "index", dir]);
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn words_are_found_in_the_files_of_a_collection_loaded_without_text() {
    use blatt::query::{Evaluation, NoFlags, parse};
    for paths in collections() {
        let cache = tempfile::tempdir().unwrap();
        let full = Collection::load(&paths, &LoadOptions::default());
        let lean_options = LoadOptions { headlines: true, ..options(Some(cache.path())) };
        let lean = Collection::load(&paths, &lean_options);
        assert!(lean.articles.iter().all(|a| a.details.body.is_empty() && a.details.lead.is_none()), "no text kept");
        assert!(lean.words.is_none(), "no word index unless asked for");
        assert_eq!(full.articles.len(), lean.articles.len());
        // As the command line loads: no headlines, and the word index.
        let words =
            Collection::load(&paths, &LoadOptions { headlines: false, words: true, ..options(Some(cache.path())) });
        assert!(words.words.is_some(), "the word index was built: {:?}", words.notes);
        let again = Collection::load(&paths, &LoadOptions { headlines: false, ..options(Some(cache.path())) });
        assert!(again.words.is_some(), "and is used while up to date");
        // Words in titles, in bodies only, phrases, with tags, by stem,
        // with signs, and none.
        for q in [
            "kiel",
            "die",
            "radweg",
            "radwege",
            "häuser",
            "fahrräder",
            "stadt",
            "\"der stadt\"",
            // Tokens at a phrase's ends may be parts of words.
            "\"r stadt\"",
            "\"ie stadtb\"",
            "\"n der stadt\"",
            "+Kiel digital",
            "-Verkehr und",
            "zzzqqq",
            "ä",
            "2024",
            "e-mail",
            "--",
            "running",
        ] {
            let q = parse(q).unwrap();
            let want = Evaluation::new(&NoFlags).run(&full, &q).unwrap().matches;
            let got = Evaluation::new(&NoFlags).run(&lean, &q).unwrap().matches;
            assert_eq!(got, want, "{q} in {paths:?}");
            let by_index = Evaluation::new(&NoFlags).run(&words, &q).unwrap().matches;
            assert_eq!(by_index, want, "{q} through the word index, in {paths:?}");
        }
        for i in [0, lean.len() / 2, lean.len() - 1] {
            let read = lean.read_full(i).unwrap();
            assert_eq!(*read, *full.articles[i], "article {i} read again from {:?}", read.path);
        }
    }
}

#[test]
fn the_word_index_follows_new_changed_and_removed_files() {
    use blatt::query::{NoFlags, filter, parse};
    let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let paths = [files.path().to_path_buf()];
    let with_words = LoadOptions { words: true, ..options(Some(cache.path())) };
    let found = |c: &Collection, q: &str| -> Vec<String> {
        let mut titles: Vec<String> =
            filter(c, &parse(q).unwrap(), &NoFlags).into_iter().map(|i| c.articles[i].title.clone()).collect();
        titles.sort();
        titles
    };
    write(files.path(), "a.txt", "Hafen", "Kiel");
    write(files.path(), "b.txt", "Brücke", "Bonn");
    // A word longer than the index keeps: the article is read to know.
    let long = "Donaudampfschifffahrt".repeat(20);
    write(files.path(), "c.txt", &long, "Wien");
    write(files.path(), "g.txt", "Ebbe -- Flut", "Sylt");
    let first = Collection::load(&paths, &with_words);
    assert!(first.words.is_some());
    assert!(!first.has_headlines(), "the word index finds words in titles: no headlines kept beside it");
    let from_index = Collection::load_from(&paths, &with_words, Source::IndexOnly, &|_, _| {});
    assert!(from_index.words.is_some() && !from_index.has_headlines(), "nor built from the index alone");
    assert_eq!(found(&from_index, "brücke"), ["Brücke"]);
    assert_eq!(found(&first, "brücke"), ["Brücke"]);
    assert_eq!(found(&first, "\"--\""), ["Ebbe -- Flut"], "signs alone are looked for in the files");
    assert_eq!(found(&first, "\"ebbe --\""), ["Ebbe -- Flut"]);
    assert_eq!(found(&first, "hafens"), ["Hafen"], "by stem");
    assert_eq!(found(&first, "schifffahrtdonau"), std::slice::from_ref(&long), "inside a word too long for the index");
    assert_eq!(found(&first, "über"), ["Brücke".to_string(), long.clone(), "Ebbe -- Flut".into(), "Hafen".into()]);

    write(files.path(), "a.txt", "Damen", "Kiel, Sport");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options().write(true).open(files.path().join("a.txt")).unwrap().set_modified(later).unwrap();
    std::fs::remove_file(files.path().join("b.txt")).unwrap();
    write(files.path(), "d.txt", "Schleuse", "Brunsbüttel");
    let second = Collection::load(&paths, &with_words);
    assert_eq!(second.changes, Some(Changes { new: 1, changed: 1, removed: 1, unchanged: 2 }));
    assert!(second.words.is_some());
    assert_eq!(found(&second, "hafen"), Vec::<String>::new(), "the changed file's old words are gone");
    assert_eq!(found(&second, "damen"), ["Damen"]);
    assert_eq!(found(&second, "brücke"), Vec::<String>::new(), "the removed file's words are gone");
    let stemmers = blatt::words::Stemmers::default();
    let in_index = second.find_word(&blatt::words::Word::new("brücke", &stemmers), &stemmers).unwrap().unwrap();
    assert!(in_index.sure.is_empty(), "from the word index too: {in_index:?}");
    assert_eq!(in_index.maybe.len(), 1, "only the article with a word too long for it");
    assert_eq!(found(&second, "schleuse"), ["Schleuse"]);

    // A load that does not ask for words (the command line's) still keeps
    // an up-to-date word index so, for the files it read: the next reader
    // does not have to make it again.
    write(files.path(), "e.txt", "Deich", "Husum");
    let third = load(&paths, Some(cache.path()));
    assert_eq!(third.changes.map(|c| c.new), Some(1));
    assert!(third.words.is_some(), "kept up to date: {:?}", third.notes);
    let in_index = third.find_word(&blatt::words::Word::new("deich", &stemmers), &stemmers).unwrap().unwrap();
    assert_eq!(in_index.sure.len(), 1, "the new file's words are in it: {in_index:?}");
    let words_dir = blatt::words::folder_of(third.index_file.as_ref().map(|(p, _)| p.as_path()).unwrap());
    // But it makes none where there is none (or an out-of-date one):
    // words are then looked for in the files.
    std::fs::remove_dir_all(&words_dir).unwrap();
    write(files.path(), "h.txt", "Priel", "Husum");
    let without = load(&paths, Some(cache.path()));
    assert!(without.words.is_none() && !words_dir.exists(), "none made: {:?}", without.notes);
    assert_eq!(found(&without, "priel"), ["Priel"]);
    let fourth = Collection::load(&paths, &with_words);
    assert!(fourth.words.is_some(), "built again");
    assert_eq!(found(&fourth, "deich"), ["Deich"]);
    assert_eq!(found(&fourth, "priel"), ["Priel"]);

    // A damaged word index is built anew.
    for entry in std::fs::read_dir(&words_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::write(&path, "zerstört").unwrap();
        }
    }
    write(files.path(), "f.txt", "Watt", "Husum");
    let fifth = Collection::load(&paths, &with_words);
    assert!(fifth.words.is_some(), "{:?}", fifth.notes);
    assert_eq!(found(&fifth, "watt"), ["Watt"]);
    assert_eq!(found(&fifth, "deich"), ["Deich"]);
}

/// What a front page shows: its first articles, every tag with its count,
/// the number of articles and the problems.
type FrontSeen = (Vec<std::sync::Arc<blatt::Article>>, Vec<(String, usize)>, usize, Vec<String>);

/// The front page's share of a whole collection.
fn front_of(c: &Collection, n: usize) -> FrontSeen {
    let tags = c.tags.ids().map(|id| (c.tags.name(id).to_string(), c.articles_with(id).len())).collect();
    let problems = c.problems.iter().map(|p| p.to_string()).collect();
    (c.articles.iter().take(n).cloned().collect(), tags, c.len(), problems)
}

fn front_seen(front: &Collection) -> FrontSeen {
    let whole = front.partial().expect("a front page says it is one");
    let tags = front.tags.ids().map(|id| (front.tags.name(id).to_string(), whole.counts[id.0 as usize])).collect();
    let problems = front.problems.iter().map(|p| p.to_string()).collect();
    (front.articles.clone(), tags, front.total(), problems)
}

#[test]
fn the_front_page_is_the_first_screen_of_the_whole_collection() {
    use blatt::collection::front::FRONT_ARTICLES;
    // More articles than a front page holds, newest first in a mixed order,
    // with tags that only articles past the front page carry.
    let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let many = FRONT_ARTICLES + 200;
    let items: Vec<String> = (0..many)
        .map(|i| {
            let day = 1 + (i * 7919) % 28;
            let month = 1 + (i * 31) % 12;
            let tags = if i % 500 == 499 { format!("\"Selten{}\", \"Kiel\"", i / 500) } else { "\"Kiel\"".into() };
            format!(r#"{{"id": "n{i}", "title": "Meldung {i}", "date": "2020-{month:02}-{day:02}", "tags": [{tags}]}}"#)
        })
        .collect();
    std::fs::write(files.path().join("viele.json"), format!("{{\"articles\": [{}]}}", items.join(",\n"))).unwrap();
    std::fs::write(files.path().join("kaputt.json"), "{ nicht json").unwrap();
    let mut all = collections();
    all.push(vec![files.path().to_path_buf()]);
    for paths in all {
        let cache = tempfile::tempdir().unwrap();
        let reader = LoadOptions { headlines: true, ..options(Some(cache.path())) };
        assert!(Collection::front_page(&paths, &reader).is_none(), "no index yet: {paths:?}");
        let whole = Collection::load(&paths, &reader);
        let front = Collection::front_page(&paths, &reader).expect("written with the index");
        assert_eq!(front_seen(&front), front_of(&whole, FRONT_ARTICLES), "{paths:?}");
        assert!(whole.partial().is_none() && whole.total() == whole.len());
        assert_eq!(front.headlines.get(0), whole.headlines.get(0), "the first headline, for a search as you type");
        assert!(Collection::front_page(&paths, &options(None)).is_none(), "--no-cache: no front page");
    }
    let paths = [files.path().to_path_buf()];
    let reader = LoadOptions { headlines: true, ..options(Some(cache.path())) };
    let whole = Collection::load(&paths, &reader);
    let front = Collection::front_page(&paths, &reader).unwrap();
    assert_eq!((front.len(), front.total()), (FRONT_ARTICLES, many));
    let counts = &front.partial().unwrap().counts;
    let past = |t: &blatt::collection::TagId| front.articles_with(*t).is_empty() && counts[t.0 as usize] > 0;
    assert!(front.tags.ids().any(|t| past(&t)), "tags only past the front page are there, with their counts");
    // A change to the files: the next load writes a new index and front page.
    write(files.path(), "neu.txt", "Neueste Meldung", "Kiel");
    let newer = Collection::load(&paths, &reader);
    assert_eq!(newer.len(), whole.len() + 1);
    let front = Collection::front_page(&paths, &reader).unwrap();
    assert_eq!(front_seen(&front), front_of(&newer, FRONT_ARTICLES));
    assert_eq!(front.articles[0].title, "Neueste Meldung");
    // A front page made from another index, or damaged, is never used.
    let front_file = index_file(cache.path()).with_extension("front");
    let good = std::fs::read(&front_file).unwrap();
    let mut spoiled = good.clone();
    let last = spoiled.len() - 1;
    spoiled[last] ^= 0x20;
    std::fs::write(&front_file, &spoiled).unwrap();
    assert!(Collection::front_page(&paths, &reader).is_none(), "damaged");
    std::fs::write(&front_file, &good).unwrap();
    assert!(Collection::front_page(&paths, &reader).is_some());
    write(files.path(), "neu.txt", "Noch neuer", "Kiel");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options().write(true).open(files.path().join("neu.txt")).unwrap().set_modified(later).unwrap();
    // The next load writes a new index and front page; the old front page
    // put back, as if a crash came between the two writes, is not used…
    drop(Collection::load(&paths, &reader));
    std::fs::write(&front_file, &good).unwrap();
    assert!(Collection::front_page(&paths, &reader).is_none(), "made from an older index");
    // …and the next load, though nothing changed, writes it again.
    drop(Collection::load(&paths, &reader));
    assert!(Collection::front_page(&paths, &reader).is_some_and(|f| f.articles[0].title == "Noch neuer"));
    let other = LoadOptions { max_file_size: 1000, ..reader.clone() };
    assert!(Collection::front_page(&paths, &other).is_none(), "other settings");
}

#[test]
fn a_search_through_the_files_gives_the_top_of_its_list_early() {
    use blatt::query::{Evaluation, NoFlags, parse};
    let files = tempfile::tempdir().unwrap();
    for i in 0..400 {
        let (month, day) = (12 - (i / 28) % 12, 28 - i % 28);
        let body = if i % 3 == 0 { "Das Schleusentor klemmt." } else { "Nichts Neues am Kanal." };
        std::fs::write(
            files.path().join(format!("m{i:03}.txt")),
            format!("Meldung {i}\n\n[{day}.{month}.{}] {body}\n\nTags: Kanal\n", 2024 - i / 336),
        )
        .unwrap();
    }
    let c = Collection::load(&[files.path().to_path_buf()], &options(None));
    let query = parse("schleusentor").unwrap();
    let reports = std::sync::Mutex::new(Vec::<Vec<usize>>::new());
    let early = |first: &[usize]| reports.lock().unwrap().push(first.to_vec());
    let all = Evaluation::new(&NoFlags).early(&early).run(&c, &query).unwrap().matches;
    assert_eq!(all.len(), 134);
    let reports = reports.into_inner().unwrap();
    assert!(!reports.is_empty() && reports[0].len() < all.len() / 2, "early, before most files are read: {reports:?}");
    for first in &reports {
        assert_eq!(first[..], all[..first.len()], "only matches that stay at the top of the list");
    }
    assert!(reports.windows(2).all(|w| w[0].len() <= w[1].len()));
}

#[test]
fn a_check_that_finds_nothing_changed_builds_no_collection() {
    let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let paths = [files.path().to_path_buf()];
    write(files.path(), "a.txt", "Hafen", "Kiel");
    write(files.path(), "b.txt", "Brücke", "Bonn");
    let with_words = LoadOptions { words: true, headlines: true, ..options(Some(cache.path())) };
    let check = |o: &LoadOptions| Collection::load_from(&paths, o, Source::Check, &|_, _| {});
    // No index yet: a whole load, which makes it.
    assert_eq!(check(&with_words).len(), 2);
    let quiet = check(&with_words);
    assert!(quiet.is_empty(), "nothing changed: no articles");
    assert_eq!(quiet.changes, Some(Changes { unchanged: 2, ..Changes::default() }));
    // A change: a whole load that says what changed.
    write(files.path(), "c.txt", "Fähre", "Kiel");
    let changed = check(&with_words);
    assert_eq!((changed.len(), changed.changes.unwrap().new), (3, 1));
    assert!(check(&with_words).is_empty());
    std::fs::remove_file(files.path().join("c.txt")).unwrap();
    assert_eq!(check(&with_words).changes.unwrap().removed, 1);
    // A load that does not ask for words changes the index and keeps the
    // word index up to date with it.
    write(files.path(), "d.txt", "Deich", "Husum");
    let lean = load(&paths, Some(cache.path()));
    assert!(check(&with_words).is_empty(), "nothing changed, the word index included");
    // Without a word index, nothing changed for a check without words,
    // and a check that keeps it builds it again.
    std::fs::remove_dir_all(blatt::words::folder_of(&lean.index_file.unwrap().0)).unwrap();
    let without_words = LoadOptions { words: false, ..with_words.clone() };
    assert!(check(&without_words).is_empty(), "nothing changed for a check without words");
    let rebuilt = check(&with_words);
    assert_eq!(rebuilt.len(), 3, "the word index is out of date: a whole load");
    assert!(rebuilt.words.is_some());
    assert!(check(&with_words).is_empty());
}
