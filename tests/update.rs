//! Updating a loaded collection with the files the watch saw change
//! (`Collection::updated`): it gives what a load of the files would give,
//! and saving it leaves the index on disk as a load would leave it. The
//! files and the cache are in temporary directories.

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use blatt::article::ArticleId;
use blatt::collection::{Changes, Source, WordsDone};
use blatt::formats::Content;
use blatt::{Article, Collection, LoadOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn options(cache: &Path) -> LoadOptions {
    LoadOptions { content: Content::Metadata, cache: Some(cache.to_path_buf()), words: true, ..LoadOptions::default() }
}

/// Everything of a collection a user can see, tag ids aside (an update
/// numbers new tags after the others).
type View = (Vec<Arc<Article>>, Vec<String>, Vec<Vec<String>>, Vec<(String, usize)>, usize, usize);

fn view(c: &Collection) -> View {
    let names = |i: usize| {
        let mut names: Vec<String> = c.tags_of(i).iter().map(|&t| c.tags.name(t).to_string()).collect();
        names.sort();
        names
    };
    let tags_of = (0..c.len()).map(names).collect();
    let mut counts: Vec<(String, usize)> =
        c.tags.ids().map(|t| (c.tags.name(t).to_string(), c.articles_with(t).len())).collect();
    counts.sort();
    let problems = c.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(c.dates, c.articles.iter().map(|a| a.date).collect::<Vec<_>>(), "dates follow the articles");
    (c.articles.clone(), problems, tags_of, counts, c.missing, c.files_read)
}

/// Each article's headline (what a search as you type looks at): its
/// folded title and kicker, and its folded tags in name order (an update
/// numbers new tags after the others).
fn headlines(c: &Collection) -> Vec<(String, String, Vec<String>)> {
    assert!(c.has_headlines() && c.headlines.len() == c.len());
    let split = |h: &str| {
        let mut lines = h.split('\n').map(str::to_string);
        let (title, kicker) = (lines.next().unwrap(), lines.next().unwrap());
        let mut tags: Vec<String> = lines.collect();
        tags.sort();
        (title, kicker, tags)
    };
    c.headlines.iter().map(split).collect()
}

/// One article a line, as JSON Lines.
fn put(path: &Path, items: &[(&str, &str, &str, &[&str])]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let lines: Vec<String> = items
        .iter()
        .map(|(id, title, date, tags)| {
            // The first tag as the source, where there is one: sources alike.
            let source = tags.first().map(|t| format!(r#""source":"{t}","#)).unwrap_or_default();
            let tags: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
            format!(
                r#"{{"id":"{id}","title":"{title}","date":"{date}",{source}"lead":"Über {title}.","tags":[{}]}}"#,
                tags.join(",")
            )
        })
        .collect();
    std::fs::write(path, lines.join("\n")).unwrap();
    // A rewrite within the file system's clock tick still looks changed.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3);
    std::fs::File::options().write(true).open(path).unwrap().set_modified(later).unwrap();
}

/// Checks that `made` answers each of `words` through its word index as
/// `loaded` does; gives how many are found in some article for sure.
fn same_answers(made: &Collection, loaded: &Collection, words: &[&str]) -> usize {
    use blatt::words::{Stemmers, Word};
    let stemmers = Stemmers::default();
    let mut found_some = 0;
    for text in words {
        let word = Word::new(text, &stemmers);
        let expected = loaded.find_word(&word, &stemmers).unwrap().unwrap();
        let got = made.find_word(&word, &stemmers).unwrap().unwrap();
        assert_eq!(got, expected, "{text}");
        found_some += usize::from(!got.sure.is_empty());
    }
    found_some
}

/// The collection the tests start from: two folders, tags in two
/// spellings, a file with a problem.
fn start(dir: &Path) {
    put(
        &dir.join("2023/a.jsonl"),
        &[("a1", "Hafen", "2023-05-01", &["Kiel", "Hafen"]), ("a2", "Deich", "2023-06-01", &["Husum"])],
    );
    put(&dir.join("2023/b.jsonl"), &[("b1", "Brücke", "2023-06-01", &["Bonn", "kiel"])]);
    put(
        &dir.join("2024/c.jsonl"),
        &[("c1", "Schleuse", "2024-01-02", &["Kiel"]), ("c2", "Watt", "2024-03-03", &["Sylt"])],
    );
    std::fs::write(dir.join("2024/leer.jsonl"), "  \n").unwrap();
}

/// Runs `change` on the files of a loaded collection, updates it with
/// `changed` (relative to the root), and checks it against a load of the
/// files; gives the updated collection. `stand_in` as for `updated`.
fn update_after(
    files: &Path,
    before: &Collection,
    changed: &[&str],
    opts: &LoadOptions,
    stand_in: &dyn Fn(&ArticleId) -> Option<Article>,
) -> Option<Collection> {
    let roots = [files.to_path_buf()];
    let changed: Vec<PathBuf> = changed.iter().map(|c| files.join(c)).collect();
    let (fresh, saving) = before.updated(&roots, &changed, opts, stand_in)?;
    let notes = saving.save(&fresh);
    assert!(notes.is_empty(), "{notes:?}");
    Some(fresh)
}

/// A load of the files as they are, without the index.
fn loaded(files: &Path) -> Collection {
    let opts = LoadOptions { content: Content::Metadata, ..LoadOptions::default() };
    Collection::load(&[files.to_path_buf()], &opts)
}

/// What is done to the files, the paths the watch would name, and the
/// changes the update should count.
type Step<'a> = (&'a str, Box<dyn Fn() + 'a>, Vec<&'a str>, Changes);

#[test]
fn an_update_gives_what_a_load_of_the_files_gives() {
    let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (dir, opts) = (files.path(), options(cache.path()));
    start(dir);
    let mut c = Collection::load(&[dir.to_path_buf()], &opts);
    assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
    // The same without a word index, with headlines (the reader's list
    // while its word index is made), beside an index of its own.
    let other_cache = tempfile::tempdir().unwrap();
    let lean_opts = LoadOptions { words: false, ..options(other_cache.path()) };
    let mut lean = Collection::load(&[dir.to_path_buf()], &lean_opts);
    let none = |_: &ArticleId| None;
    let steps: Vec<Step> = vec![
        (
            "a new file, newest, a tag spelt anew first",
            Box::new(|| put(&dir.join("2024/d.jsonl"), &[("d1", "Fähre", "2024-12-01", &["KIEL", "Förde"])])),
            vec!["2024/d.jsonl"],
            Changes { new: 1, changed: 0, removed: 0, unchanged: 4 },
        ),
        (
            "a new file between others, a title alike in date",
            Box::new(|| put(&dir.join("2023/a2.jsonl"), &[("e1", "Anleger", "2023-06-01", &["Husum"])])),
            vec!["2023/a2.jsonl"],
            Changes { new: 1, changed: 0, removed: 0, unchanged: 5 },
        ),
        (
            "a changed file: one article goes, one moves",
            Box::new(|| put(&dir.join("2023/a.jsonl"), &[("a1", "Hafen", "2022-01-01", &["Kiel", "Hafen"])])),
            vec!["2023/a.jsonl"],
            Changes { new: 0, changed: 1, removed: 0, unchanged: 5 },
        ),
        (
            "a removed file with the first spelling of a tag",
            Box::new(|| std::fs::remove_file(dir.join("2024/d.jsonl")).unwrap()),
            vec!["2024/d.jsonl"],
            Changes { new: 0, changed: 0, removed: 1, unchanged: 5 },
        ),
        (
            "the last article of a tag gone",
            Box::new(|| put(&dir.join("2024/c.jsonl"), &[("c1", "Schleuse", "2024-01-02", &["Kiel"])])),
            vec!["2024/c.jsonl"],
            Changes { new: 0, changed: 1, removed: 0, unchanged: 4 },
        ),
        (
            "a new folder, named as a folder",
            Box::new(|| {
                put(&dir.join("2025/x/f.jsonl"), &[("f1", "Sturm", "2025-02-02", &["Sylt"])]);
                put(&dir.join("2025/g.jsonl"), &[("g1", "Flut", "2025-02-03", &["Sylt", "Husum"])]);
                std::fs::write(dir.join("2025/kaputt.json"), "{ nicht json").unwrap();
            }),
            vec!["2025"],
            Changes { new: 3, changed: 0, removed: 0, unchanged: 5 },
        ),
        (
            "a problem fixed, a folder removed",
            Box::new(|| {
                put(&dir.join("2024/leer.jsonl"), &[("l1", "Leer nicht mehr", "2020-01-01", &[])]);
                std::fs::remove_dir_all(dir.join("2025/x")).unwrap();
            }),
            vec!["2024/leer.jsonl", "2025/x"],
            Changes { new: 0, changed: 1, removed: 1, unchanged: 6 },
        ),
        (
            "an id again, in a file later in walk order: shown once, from the first",
            Box::new(|| put(&dir.join("2025/h.jsonl"), &[("b1", "Brücke neu", "2025-03-03", &["Bonn"])])),
            vec!["2025/h.jsonl"],
            Changes { new: 1, changed: 0, removed: 0, unchanged: 7 },
        ),
        (
            "an id again, in a file earlier in walk order: it wins",
            Box::new(|| put(&dir.join("2022/i.jsonl"), &[("c1", "Schleuse früher", "2022-03-03", &["Kiel"])])),
            vec!["2022/i.jsonl"],
            Changes { new: 1, changed: 0, removed: 0, unchanged: 8 },
        ),
        (
            "the newest article goes last, its tags kept",
            Box::new(|| put(&dir.join("2025/g.jsonl"), &[("g1", "Flut", "2019-02-03", &["Sylt", "Husum"])])),
            vec!["2025/g.jsonl"],
            Changes { new: 0, changed: 1, removed: 0, unchanged: 8 },
        ),
        (
            "a new article with a kicker",
            Box::new(|| {
                let line =
                    r#"{"id":"k1","title":"Kutter","kicker":"Fischerei AKTUELL","date":"2024-02-02","tags":["Husum"]}"#;
                std::fs::write(dir.join("2024/k.jsonl"), line).unwrap();
            }),
            vec!["2024/k.jsonl"],
            Changes { new: 1, changed: 0, removed: 0, unchanged: 9 },
        ),
    ];
    for (what, change, changed, changes) in steps {
        change();
        // The orders made (as the reader makes them) are carried over.
        c.orders();
        let fresh = update_after(dir, &c, &changed, &opts, &none).unwrap_or_else(|| panic!("{what}: no update"));
        assert_eq!(view(&fresh), view(&loaded(dir)), "{what}");
        let orders = |c: &Collection| (c.orders().title.clone(), c.orders().source.clone());
        assert_eq!(orders(&fresh), orders(&loaded(dir)), "{what}: title and source orders");
        assert_eq!(fresh.changes, Some(changes), "{what}");
        // Saved as a load would save it: a check finds nothing changed.
        let check = Collection::load_from(&[dir.to_path_buf()], &opts, Source::Check, &|_, _| {});
        assert!(check.articles.is_empty() && check.changes.is_some_and(|c| !c.any()), "{what}: {:?}", check.changes);
        let front = Collection::load_from(&[dir.to_path_buf()], &opts, Source::IndexOnly, &|_, _| {});
        assert_eq!(view(&front), view(&fresh), "{what}: the index saved");
        c = fresh;
        lean = update_after(dir, &lean, &changed, &lean_opts, &none).unwrap();
        assert_eq!(headlines(&lean), headlines(&loaded(dir)), "{what}: headlines");
    }
}

#[test]
fn only_a_whole_load_can_tell_some_changes() {
    let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (dir, opts) = (files.path(), options(cache.path()));
    start(dir);
    put(&dir.join("2024/z.jsonl"), &[("a1", "Hafen doppelt", "2024-02-02", &["Kiel"])]);
    let c = Collection::load(&[dir.to_path_buf()], &opts);
    let none = |_: &ArticleId| None;
    let roots = [dir.to_path_buf()];
    let elsewhere = tempfile::tempdir().unwrap();
    assert!(c.updated(&roots, &[elsewhere.path().join("x.jsonl")], &opts, &none).is_none(), "outside the roots");
    // The article shown for a repeated id goes: the other comes back.
    std::fs::remove_file(dir.join("2023/a.jsonl")).unwrap();
    assert!(c.updated(&roots, &[dir.join("2023/a.jsonl")], &opts, &none).is_none());
    let whole = Collection::load(&roots, &opts);
    assert!(whole.articles.iter().any(|a| a.title == "Hafen doppelt"));
}

#[test]
fn bookmarked_articles_gone_are_stood_in_for_and_back_again() {
    let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (dir, opts) = (files.path(), options(cache.path()));
    start(dir);
    let c = Collection::load(&[dir.to_path_buf()], &opts);
    let stand_in = |id: &ArticleId| {
        (id.0 == "c2").then(|| Article {
            id: id.clone(),
            title: "Watt (gemerkt)".into(),
            missing: true,
            ..Article::default()
        })
    };
    put(&dir.join("2024/c.jsonl"), &[("c1", "Schleuse", "2024-01-02", &["Kiel"])]);
    let gone = update_after(dir, &c, &["2024/c.jsonl"], &opts, &stand_in).unwrap();
    let standing: Vec<&str> = gone.articles.iter().filter(|a| a.missing).map(|a| a.title.as_str()).collect();
    assert_eq!(standing, ["Watt (gemerkt)"]);
    assert_eq!(gone.missing, 1);
    let real: Vec<&Arc<Article>> = gone.articles.iter().filter(|a| !a.missing).collect();
    assert_eq!(real, loaded(dir).articles.iter().collect::<Vec<_>>());

    put(
        &dir.join("2024/c.jsonl"),
        &[("c1", "Schleuse", "2024-01-02", &["Kiel"]), ("c2", "Watt", "2024-03-03", &["Sylt"])],
    );
    let back = update_after(dir, &gone, &["2024/c.jsonl"], &opts, &stand_in).unwrap();
    assert_eq!(view(&back), view(&loaded(dir)), "the stand-in gives way to its article");
}

#[test]
fn words_of_files_read_by_an_update_are_found_before_and_after_saving() {
    use blatt::query::{NoFlags, filter, parse};
    let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (dir, opts) = (files.path(), options(cache.path()));
    start(dir);
    let c = Collection::load(&[dir.to_path_buf()], &opts);
    assert!(c.words.is_some());
    let found = |c: &Collection, q: &str| -> Vec<String> {
        let mut titles: Vec<String> =
            filter(c, &parse(q).unwrap(), &NoFlags).into_iter().map(|i| c.articles[i].title.clone()).collect();
        titles.sort();
        titles
    };
    assert_eq!(found(&c, "hafen"), ["Hafen"]);
    // The word index has the old words of a.jsonl until it is saved: the
    // update's articles are read to know.
    put(
        &dir.join("2023/a.jsonl"),
        &[("a1", "Mole", "2023-05-01", &["Kiel"]), ("a2", "Deich", "2023-06-01", &["Husum"])],
    );
    put(&dir.join("2024/d.jsonl"), &[("d1", "Fähre", "2024-12-01", &["Förde"])]);
    let roots = [dir.to_path_buf()];
    let changed = [dir.join("2023/a.jsonl"), dir.join("2024/d.jsonl")];
    let (fresh, saving) = c.updated(&roots, &changed, &opts, &|_| None).unwrap();
    assert_eq!(found(&fresh, "hafen"), Vec::<String>::new(), "old words of a file read again");
    assert_eq!(found(&fresh, "mole"), ["Mole"]);
    assert_eq!(found(&fresh, "fähre"), ["Fähre"]);
    assert_eq!(found(&fresh, "deich"), ["Deich"]);
    assert_eq!(found(&fresh, "watt"), ["Watt"]);
    assert!(saving.save(&fresh).is_empty());
    let again = Collection::load_from(&roots, &opts, Source::IndexOnly, &|_, _| {});
    assert!(again.words.is_some(), "the word index saved goes with the index saved");
    assert_eq!(found(&again, "fähre"), ["Fähre"]);
    assert_eq!(found(&again, "mole"), ["Mole"]);
    assert_eq!(found(&again, "hafen"), Vec::<String>::new());
}

#[test]
fn a_look_at_every_file_names_those_changed_since_the_index() {
    use blatt::collection::Checked;
    let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (dir, opts) = (files.path(), options(cache.path()));
    let roots = [dir.to_path_buf()];
    start(dir);
    assert_eq!(Collection::changed_files(&roots, &opts), Checked::Whole, "no index yet");
    let c = Collection::load(&roots, &opts);
    assert_eq!(Collection::changed_files(&roots, &opts), Checked::Unchanged);
    put(&dir.join("2024/d.jsonl"), &[("d1", "Fähre", "2024-12-01", &["Förde"])]);
    put(&dir.join("2023/b.jsonl"), &[("b1", "Brücke neu", "2023-06-01", &["Bonn"])]);
    std::fs::remove_file(dir.join("2024/c.jsonl")).unwrap();
    let Checked::Paths(mut changed) = Collection::changed_files(&roots, &opts) else { panic!("a few files changed") };
    changed.sort();
    let named: Vec<PathBuf> = ["2023/b.jsonl", "2024/c.jsonl", "2024/d.jsonl"].iter().map(|p| dir.join(p)).collect();
    assert_eq!(changed, named);
    // Read on their own, they give what a load gives.
    let (fresh, saving) = c.updated(&roots, &changed, &opts, &|_| None).unwrap();
    assert_eq!(view(&fresh), view(&loaded(dir)));
    assert_eq!(fresh.changes, Some(Changes { new: 1, changed: 1, removed: 1, unchanged: 2 }));
    assert!(saving.save(&fresh).is_empty());
    assert_eq!(Collection::changed_files(&roots, &opts), Checked::Unchanged, "saved");
    // A load without words keeps the word index up to date; one missing
    // is no change of the files (the reader makes it on its own, see
    // `Collection::build_words`).
    let without_words = LoadOptions { words: false, ..options(cache.path()) };
    put(&dir.join("2024/e.jsonl"), &[("e1", "Deich", "2024-12-02", &["Husum"])]);
    let lean = Collection::load(&roots, &without_words);
    assert_eq!(Collection::changed_files(&roots, &opts), Checked::Unchanged);
    std::fs::remove_dir_all(blatt::words::folder_of(&lean.index_file.unwrap().0)).unwrap();
    assert_eq!(Collection::changed_files(&roots, &without_words), Checked::Unchanged);
    assert_eq!(Collection::changed_files(&roots, &opts), Checked::Unchanged);
    let no_cache = LoadOptions { cache: None, ..options(cache.path()) };
    assert_eq!(Collection::changed_files(&roots, &no_cache), Checked::Whole);
}

#[test]
fn a_collection_reached_through_a_link_is_checked_by_the_walk_with_the_same_answers() {
    use blatt::collection::Checked;
    let (files, elsewhere, cache) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (dir, opts) = (files.path(), options(cache.path()));
    let roots = [dir.to_path_buf()];
    start(dir);
    // A folder kept elsewhere, linked into the collection: only the walk
    // follows it, so the quick look hands the check over to the walk.
    put(&elsewhere.path().join("e.jsonl"), &[("e1", "Priel", "2022-02-02", &["Sylt"])]);
    std::os::unix::fs::symlink(elsewhere.path(), dir.join("linked")).unwrap();
    let check = || Collection::load_from(&roots, &opts, Source::Check, &|_, _| {});
    let c = Collection::load(&roots, &opts);
    assert_eq!(c.len(), 6);
    assert_eq!(Collection::changed_files(&roots, &opts), Checked::Unchanged);
    assert_eq!(check().changes, Some(Changes { unchanged: 5, ..Changes::default() }), "nothing read");
    // A file changed behind the link is seen.
    put(&elsewhere.path().join("e.jsonl"), &[("e1", "Priel", "2022-02-02", &["Föhr"])]);
    let linked = dir.join("linked/e.jsonl");
    assert_eq!(Collection::changed_files(&roots, &opts), Checked::Paths(vec![linked]));
    let checked = check();
    assert_eq!(checked.changes, Some(Changes { changed: 1, unchanged: 4, ..Changes::default() }));
    assert_eq!(view(&checked), view(&loaded(dir)));
}

#[test]
fn a_save_leaves_a_word_index_of_another_index_as_it_is() {
    let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (dir, opts) = (files.path(), options(cache.path()));
    let roots = [dir.to_path_buf()];
    start(dir);
    let c = Collection::load(&roots, &opts);
    let words_dir = blatt::words::folder_of(&c.index_file.clone().unwrap().0);
    // Another blatt made the word index for an index of its own meanwhile.
    let (writer, current) = blatt::words::WordWriter::open(&words_dir, Some("another index")).unwrap();
    assert!(!current);
    writer.commit("another index").unwrap();
    put(&dir.join("2024/d.jsonl"), &[("d1", "Fähre", "2024-12-01", &["Förde"])]);
    let (fresh, saving) = c.updated(&roots, &[dir.join("2024/d.jsonl")], &opts, &|_| None).unwrap();
    assert!(saving.save(&fresh).is_empty());
    // Not this index's: not emptied nor built on; the next load builds it.
    assert!(blatt::words::is_current(&words_dir, "another index"), "left as it was");
    let again = Collection::load(&roots, &opts);
    assert!(again.words.is_some(), "{:?}", again.notes);
    assert!(!blatt::words::is_current(&words_dir, "another index"));
}

#[test]
fn a_word_index_another_blatt_is_writing_is_not_emptied() {
    let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (dir, opts) = (files.path(), options(cache.path()));
    start(dir);
    let c = Collection::load(&[dir.to_path_buf()], &opts);
    let words_dir = blatt::words::folder_of(&c.index_file.clone().unwrap().0);
    let (writer, _) = blatt::words::WordWriter::open(&words_dir, Some("mine")).unwrap();
    writer.commit("mine").unwrap();
    // Another blatt is building or updating it: its writer holds the lock.
    let (theirs, current) = blatt::words::WordWriter::open(&words_dir, Some("mine")).unwrap();
    assert!(current);
    // Not current for this one, which would build it anew: it waits, then gives up.
    let busy = blatt::words::WordWriter::open(&words_dir, Some("another index"));
    assert_eq!(busy.err().as_deref(), Some("another blatt is updating it"));
    assert!(blatt::words::WordWriter::open_current(&words_dir, "mine").is_err());
    assert!(blatt::words::is_current(&words_dir, "mine"), "emptied under the other writer");
    drop(theirs);
    assert!(blatt::words::WordWriter::open_current(&words_dir, "mine").unwrap().is_some());
}

/// The word index made for a collection loaded without one (what the reader
/// does behind its list) answers every word as one made by a load with
/// words, and is then current with the index on disk.
#[test]
fn a_word_index_made_for_a_loaded_collection_answers_as_a_load_with_words() {
    let (files, with, without) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let dir = files.path();
    let roots = [dir.to_path_buf()];
    start(dir);
    put(
        &dir.join("2024/e.jsonl"),
        &[("e1", "Deichbau", "2024-12-02", &["Husum"]), ("e2", "Brückenbau", "2024-12-03", &[])],
    );
    let loaded = Collection::load(&roots, &options(with.path()));
    assert!(loaded.words.is_some(), "a load with words has them");
    let lean_options = LoadOptions { words: false, ..options(without.path()) };
    let lean = Collection::load(&roots, &lean_options);
    assert!(lean.words.is_none());
    let words = Collection::build_words(&roots, &options(without.path()), &|_, _| {}).unwrap();
    let made = lean.with_words(words);
    assert_eq!(view(&made), view(&lean), "the same articles");
    let words = ["brücke", "deich", "bau", "husum", "über", "fähre", "förde", "nirgends", "\"über deich\""];
    let found_some = same_answers(&made, &loaded, &words);
    assert!(found_some >= 4, "words were found: {found_some}");
    // Current now: a load from the index alone opens it.
    let again = Collection::load_from(&roots, &options(without.path()), Source::IndexOnly, &|_, _| {});
    assert!(again.words.is_some());
}

/// The word index made again after the index of the files changed without
/// it (the reader updated its list meanwhile, or another blatt saw other
/// changes): only the files whose state differs are read, and it then
/// answers as a word index made from nothing for the files as they are.
#[test]
fn a_word_index_behind_the_index_reads_only_the_files_changed_since() {
    use blatt::words::{Stemmers, Word};
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    let (files, with, without) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let dir = files.path();
    let roots = [dir.to_path_buf()];
    start(dir);
    let lean_options = LoadOptions { words: false, ..options(without.path()) };
    let lean = Collection::load(&roots, &lean_options);
    // How many files each making of the word index reads.
    let build = || {
        let (total, calls) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let words = Collection::build_words(&roots, &options(without.path()), &|_, all| {
            total.store(all, Relaxed);
            calls.fetch_add(1, Relaxed);
        });
        (words.unwrap(), total.into_inner(), calls.into_inner())
    };
    let (_, total, _) = build();
    assert_eq!(total, 4, "made from nothing: every file, the one without articles too");

    // The list is updated, and the index of the files saved, without the word index.
    std::fs::remove_file(dir.join("2023/a.jsonl")).unwrap();
    put(&dir.join("2023/b.jsonl"), &[("b1", "Fährhaus", "2023-06-01", &["Bonn"])]);
    put(&dir.join("2024/d.jsonl"), &[("d1", "Fähre", "2024-12-01", &["Förde"])]);
    let changed = ["2023/a.jsonl", "2023/b.jsonl", "2024/d.jsonl"].map(|c| dir.join(c));
    let (fresh, saving) = lean.updated(&roots, &changed, &lean_options, &|_| None).unwrap();
    assert!(saving.save(&fresh).is_empty());

    let (words, total, _) = build();
    assert_eq!(total, 2, "the file changed and the new one; not the one without articles");
    let made = fresh.with_words(words);
    let loaded = Collection::load(&roots, &options(with.path()));
    assert!(loaded.words.is_some(), "{:?}", loaded.notes);
    assert_eq!(view(&made), view(&loaded), "the same articles");
    let words = ["hafen", "deich", "brücke", "fähre", "fährhaus", "förde", "schleuse", "über", "\"über fähre\""];
    let found_some = same_answers(&made, &loaded, &words);
    assert!(found_some >= 4, "words were found: {found_some}");
    let stemmers = Stemmers::default();
    for gone in ["hafen", "deich", "brücke"] {
        let found = made.find_word(&Word::new(gone, &stemmers), &stemmers).unwrap().unwrap();
        assert!(found.sure.is_empty() && found.maybe.is_empty(), "{gone}: {found:?}");
    }

    // Up to date now: nothing is read.
    let (_, _, calls) = build();
    assert_eq!(calls, 0);
}

/// A load with words (`blatt index`, `list -q`) brings a word index made
/// with an older index of the files up to date in place of making it anew:
/// what it held is kept, and it answers as one made from nothing.
#[test]
fn a_load_with_words_brings_a_word_index_behind_the_index_up_to_date() {
    let (files, with, without) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let dir = files.path();
    let roots = [dir.to_path_buf()];
    start(dir);
    let first = Collection::load(&roots, &options(without.path()));
    assert!(first.words.is_some(), "{:?}", first.notes);
    let words_dir = blatt::words::folder_of(&first.index_file.clone().unwrap().0);
    let segments = |dir: &Path| -> std::collections::BTreeSet<std::ffi::OsString> {
        let files = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path());
        files.filter(|p| p.extension().is_some_and(|e| e == "idx")).map(|p| p.file_name().unwrap().into()).collect()
    };
    let before = segments(&words_dir);
    assert!(!before.is_empty());

    // Updated by a blatt that leaves the word index alone.
    let lean_options = LoadOptions { words: false, ..options(without.path()) };
    put(&dir.join("2024/d.jsonl"), &[("d1", "Fähre", "2024-12-01", &["Förde"])]);
    let (fresh, saving) = first.updated(&roots, &[dir.join("2024/d.jsonl")], &lean_options, &|_| None).unwrap();
    assert!(saving.save(&fresh).is_empty());
    assert!(Collection::load_from(&roots, &options(without.path()), Source::IndexOnly, &|_, _| {}).words.is_none());

    let caught_up = Collection::load(&roots, &options(without.path()));
    assert!(caught_up.words.is_some(), "{:?}", caught_up.notes);
    assert_eq!(caught_up.words_done, WordsDone::Updated(1), "the one file changed read for it");
    assert!(segments(&words_dir).is_superset(&before), "kept, not made anew");
    let loaded = Collection::load(&roots, &options(with.path()));
    let words = ["fähre", "förde", "hafen", "brücke", "über"];
    assert_eq!(same_answers(&caught_up, &loaded, &words), words.len(), "each found");
    // And current for a load from the index alone.
    assert!(Collection::load_from(&roots, &options(without.path()), Source::IndexOnly, &|_, _| {}).words.is_some());
}
