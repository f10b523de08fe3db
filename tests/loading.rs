//! Every parsing rule of the text layout, JSON and feeds, on fixtures in
//! `tests/fixtures/`.

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use blatt::formats::Content;
use blatt::{Article, Collection, LoadOptions};
use chrono::NaiveDate;
use std::path::PathBuf;

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

fn load(rel: &str) -> Collection {
    Collection::load(&[fixture(rel)], &LoadOptions::default())
}

fn one(rel: &str) -> Article {
    let c = load(rel);
    assert!(c.problems.is_empty(), "{rel}: {:?}", c.problems);
    assert_eq!(c.len(), 1, "{rel}");
    Article::clone(&c.articles[0])
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn full_layout_fills_every_field() {
    let a = one("text/full.txt");
    assert_eq!(a.kicker.as_deref(), Some("Halle"));
    assert_eq!(a.title, "Stadtwerke senken Fernwärmepreis");
    assert_eq!(a.date, date(2023, 10, 1));
    assert!(a.details.lead.as_deref().unwrap().starts_with("Die Stadtwerke Halle"));
    assert_eq!(
        a.details.body,
        vec!["Grund seien gesunkene Einkaufspreise für Gas.", "Der Aufsichtsrat stimmte einstimmig zu."]
    );
    assert_eq!(a.details.author.as_deref(), Some("tk"));
    assert_eq!(a.details.links, vec!["https://fixture.example/halle", "https://fixture.example/halle/preise"]);
    assert_eq!(a.tag_names(), vec!["Energie", "Halle", "Preise"]);
    assert_eq!(a.details.image_credit.as_deref(), Some("Stadtwerke Halle"));
    assert_eq!(a.source.as_deref(), Some("www.fixture.example"));
}

#[test]
fn page_break_joins_paragraph_and_hyphenated_word() {
    let a = one("text/page-break.txt");
    assert_eq!(
        a.details.body,
        vec![
            "Die Stadt hatte von 2019 bis 2021 keinen genehmigten Haushalt. Eine Sanierung war vorgesehen, ist aber nun vom Tisch."
        ]
    );
}

#[test]
fn hard_wrapped_lines_are_unwrapped() {
    let a = one("text/hard-wrapped.txt");
    assert_eq!(a.details.lead.as_deref(), Some("Eine neue Buslinie verbindet ab Montag den Campus mit dem Bahnhof."));
    assert_eq!(a.details.body, vec!["Die Verkehrsbetriebe rechnen mit vielen Fahrgästen."]);
}

#[test]
fn author_initials_become_author_other_parentheses_stay() {
    let a = one("text/author.txt");
    assert_eq!(a.details.author.as_deref(), Some("gh"));
    assert_eq!(a.details.body, vec!["Die Arbeiten dauerten länger als geplant (wir berichteten)."]);
    let b = one("text/parentheses-stay.txt");
    assert_eq!(b.details.author, None);
    assert_eq!(b.details.body, vec!["Der Eintritt bleibt frei (wie versprochen)"]);
}

#[test]
fn bom_and_crlf() {
    let a = one("text/bom-crlf.txt");
    assert_eq!(a.kicker.as_deref(), Some("Weimar"));
    assert_eq!(a.title, "Kulturticket kommt");
    assert_eq!(a.tag_names(), vec!["Kultur", "Weimar"]);
}

#[test]
fn windows_1252_decodes_without_replacement_characters() {
    let a = one("text/cp1252.txt");
    assert_eq!(a.title, "„Grüne Welle“ für Busse");
    assert_eq!(a.details.lead.as_deref(), Some("Busse bekommen Vorrang an Ampeln – sagt die Stadt."));
    assert!(!format!("{a:?}").contains('\u{fffd}'));
}

#[test]
fn decomposed_text_and_tags_become_nfc() {
    let a = one("text/decomposed-tag.txt");
    assert_eq!(a.kicker.as_deref(), Some("Köln"));
    assert_eq!(&*a.tags[0], "Köln");
    assert_eq!(a.tags[0].chars().count(), 4);
}

#[test]
fn tag_list_trimmed_and_whole() {
    let a = one("text/tag-list.txt");
    assert_eq!(a.tag_names(), vec!["Onlinezugangsgesetz (OZG)", "Verwaltung", "berlin"]);
}

#[test]
fn missing_parts_load_with_empty_fields() {
    let a = one("text/missing-parts.txt");
    assert_eq!(a.title, "Nur ein Titel ohne Dachzeile");
    assert_eq!((a.kicker, a.date, a.tags.len(), a.details.links.len()), (None, None, 0, 0));
    assert_eq!(a.details.lead.as_deref(), Some("Ein Absatz ohne Datum, ohne Stichwörter."));
}

#[test]
fn escape_sequences_and_bidi_are_removed_whole() {
    let a = one("text/escapes.txt");
    assert_eq!(a.kicker.as_deref(), Some("Erfurt"));
    assert_eq!(a.title, "Titel mit Steuerzeichen");
    assert_eq!(a.details.lead.as_deref(), Some("Text rot und fett."));
    assert_eq!(a.tag_names(), vec!["Sicherheit"]);
}

#[test]
fn json_array_loses_only_bad_elements() {
    let c = load("json/array.json");
    let titles: Vec<&str> = c.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, vec!["Erster", "Dritter"]);
    assert_eq!(c.problems.len(), 2, "{:?}", c.problems);
    let shown: Vec<String> = c.problems.iter().map(|p| p.to_string()).collect();
    assert!(shown.iter().all(|s| s.contains("array.json: article ")), "{shown:?}");
    let first = c.articles.iter().find(|a| a.id.0 == "fx-1").unwrap();
    assert_eq!(first.details.body, vec!["Eins.", "Zwei."]);
    assert_eq!(first.tag_names(), vec!["A", "b"]);
}

#[test]
fn json_lines_report_the_line() {
    let c = load("json/lines.jsonl");
    assert_eq!(c.len(), 2);
    assert_eq!(c.problems.len(), 1);
    assert!(c.problems[0].to_string().contains("lines.jsonl:3: "), "{}", c.problems[0]);
    let third = c.articles.iter().find(|a| a.id.0 == "fx-12").unwrap();
    assert_eq!(third.date, date(2020, 5, 5), "the date as written, not shifted to UTC");
}

#[test]
fn latin1_rss_1_0_feed() {
    let a = one("feeds/latin1.rss");
    assert_eq!(a.title, "Grüße aus München");
    assert_eq!(a.source.as_deref(), Some("Südnachrichten"));
    assert_eq!(a.details.lead.as_deref(), Some("Schöne & gute Nachricht"));
    assert_eq!(a.id.0, "https://fixture.example/1");
}

#[test]
fn atom_feed_detected_by_content_with_html_title() {
    let a = one("feeds/feed.xml");
    assert_eq!(a.title, "Bold news");
    assert_eq!(a.tag_names(), vec!["Tech"]);
    assert_eq!(a.details.lead.as_deref(), Some("Para one[1]."), "the link numbered in the text");
    assert_eq!(a.details.links, vec!["https://fixture.example/x"]);
}

#[test]
fn bad_files_are_reported_and_the_rest_loads() {
    let c = load("broken");
    assert_eq!(c.articles.iter().map(|a| a.title.as_str()).collect::<Vec<_>>(), vec!["Gut"]);
    let msgs: Vec<String> = c.problems.iter().map(|p| p.to_string()).collect();
    let has = |file: &str, what: &str| msgs.iter().any(|m| m.contains(file) && m.contains(what));
    assert!(has("bad.json", "not valid JSON"), "{msgs:?}");
    assert!(has("binary.txt", "binary"), "{msgs:?}");
    assert!(has("bomb.xml", "entities"), "{msgs:?}");
    assert!(has("empty.txt", "empty"), "{msgs:?}");
    assert_eq!(msgs.len(), 4, "hidden and unknown files are not read: {msgs:?}");
}

#[test]
fn size_limit_keeps_big_files_out() {
    let c =
        Collection::load(&[fixture("text/full.txt")], &LoadOptions { max_file_size: 100, ..LoadOptions::default() });
    assert!(c.is_empty());
    assert!(c.problems[0].reason.contains("size limit"), "{}", c.problems[0]);
}

#[test]
fn duplicates_are_shown_once_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("text/full.txt"), dir.path().join("a.txt")).unwrap();
    std::fs::copy(fixture("text/full.txt"), dir.path().join("b.txt")).unwrap();
    let c = Collection::load(&[dir.path().to_path_buf()], &LoadOptions::default());
    assert_eq!(c.len(), 1);
    assert_eq!(c.problems.len(), 1);
    assert!(c.problems[0].reason.contains("duplicate"));
}

#[test]
fn ids_survive_renames_and_moves() {
    let dir = tempfile::tempdir().unwrap();
    let before = one("text/full.txt").id;
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::copy(fixture("text/full.txt"), dir.path().join("sub/renamed.txt")).unwrap();
    let c = Collection::load(&[dir.path().to_path_buf()], &LoadOptions::default());
    assert_eq!(c.articles[0].id, before);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_fifos_do_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("text/full.txt"), dir.path().join("a.txt")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let fifo = dir.path().join("pipe.txt");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let c = Collection::load(&[dir.path().to_path_buf()], &LoadOptions::default());
    assert_eq!(c.len(), 1);
    let c = Collection::load(&[fifo], &LoadOptions::default());
    assert!(c.problems[0].reason.contains("not a regular file"));
}

#[test]
fn sorted_newest_first_undated_last() {
    let c = load("text");
    let dates: Vec<_> = c.articles.iter().map(|a| a.date).collect();
    let dated: Vec<_> = dates.iter().flatten().collect();
    assert!(dated.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert_eq!(dates.last(), Some(&None));
}

/// `list`, `tags` and `check` load without leads and bodies; every other
/// field, the problems and the order must be what a full load gives.
#[test]
fn loading_without_text_changes_nothing_else() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let paths = [root.join("sample-data"), root.join("tests/fixtures")];
    let full = Collection::load(&paths, &LoadOptions::default());
    let lean_options = LoadOptions { content: Content::Metadata, headlines: false, ..LoadOptions::default() };
    let lean = Collection::load(&paths, &lean_options);
    assert!(full.len() > 60, "{}", full.len());
    assert!(full.articles.iter().any(|a| !a.details.body.is_empty()));
    let without_text = |a: &std::sync::Arc<Article>| {
        let mut bare = Article::clone(a);
        bare.drop_text();
        std::sync::Arc::new(bare)
    };
    let expected: Vec<_> = full.articles.iter().map(without_text).collect();
    assert_eq!(lean.articles, expected);
    assert_eq!(lean.problems, full.problems);
    assert_eq!(lean.dates, full.dates);
    let names = |c: &Collection| c.tags.ids().map(|t| c.tags.name(t).to_string()).collect::<Vec<_>>();
    assert_eq!(names(&lean), names(&full));
    assert!((0..full.len()).all(|i| lean.tags_of(i) == full.tags_of(i)));
    // Headlines only where asked for (the reader asks, the command line does not).
    assert_eq!((lean.content, full.content), (Content::Metadata, Content::Full));
    assert_eq!((lean.headlines.len(), full.headlines.len()), (0, full.len()));
    let searchable = Collection::load(&paths, &LoadOptions { headlines: true, ..lean_options });
    assert_eq!(searchable.headlines, full.headlines);
}

#[test]
fn feed_dates_keep_time_and_offset_and_unreadable_ones_are_reported() {
    let c = load("feeds/dates.rss");
    let titles: Vec<&str> = c.articles.iter().map(|a| a.title.as_str()).collect();
    // Newest day first, within a day by time; the undated item last.
    assert_eq!(
        titles,
        ["Sommerzeit ohne Sekunden", "Morgens", "Auf Deutsch", "Neujahr in Berlin", "Silvester in London", "Unlesbar"]
    );
    let by = |t: &str| c.articles.iter().find(|a| a.title == t).unwrap();
    // 00:30 +01:00 on 1 January is the publisher's 1 January, not the UTC 31 December.
    assert_eq!(by("Neujahr in Berlin").date, date(2024, 1, 1));
    assert_eq!(by("Neujahr in Berlin").time_text().as_deref(), Some("2024-01-01 00:30 +01:00"));
    assert_eq!(by("Sommerzeit ohne Sekunden").time_text().as_deref(), Some("2024-07-02 14:05 +02:00"));
    assert_eq!(by("Auf Deutsch").time_text().as_deref(), Some("2024-03-06 09:00 +01:00"));
    assert_eq!(by("Unlesbar").date, None);
    let problems: Vec<String> = c.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("dates.rss") && problems[0].contains("item 4: date \"gestern Abend\""),
        "{problems:?}"
    );
    // A day in a query is the publisher's day.
    let q = blatt::query::parse("@2024-01-01").unwrap();
    let hits = blatt::query::filter(&c, &q, &blatt::query::NoFlags);
    assert_eq!(hits.iter().map(|&i| c.articles[i].title.as_str()).collect::<Vec<_>>(), ["Neujahr in Berlin"]);
}

/// The articles of each tag (what queries naming a tag look at) are the
/// articles whose tags include it; and queries on tags give what a look at
/// every article's tags gives.
#[test]
fn the_articles_of_each_tag_answer_tag_queries() {
    use blatt::query::{Counts, Evaluation, NoFlags, parse};
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let c = Collection::load(&[root.join("sample-data"), root.join("tests/fixtures")], &LoadOptions::default());
    for t in c.tags.ids() {
        let naive: Vec<u32> = (0..c.len()).filter(|&i| c.has_tag(i, t)).map(|i| i as u32).collect();
        assert_eq!(c.articles_with(t), naive.as_slice(), "{}", c.tags.name(t));
    }
    let has = |i: usize, name: &str| c.tags.find(name).is_some_and(|t| c.has_tag(i, t));
    let cases: [(&str, &dyn Fn(usize) -> bool); 8] = [
        ("+Verkehr", &|i| has(i, "Verkehr")),
        ("-Verkehr", &|i| !has(i, "Verkehr")),
        ("-Kiel|Bonn -Politik", &|i| !has(i, "Kiel") && !has(i, "Bonn") && !has(i, "Politik")),
        ("+Verkehr @2024", &|i| has(i, "Verkehr") && c.dates[i].is_some_and(|d| d.format("%Y").to_string() == "2024")),
        ("+Kiel|Bonn", &|i| has(i, "Kiel") || has(i, "Bonn")),
        ("+Digitalisierung -Verwaltung", &|i| has(i, "Digitalisierung") && !has(i, "Verwaltung")),
        ("+Politik +Verkehr|Klima", &|i| has(i, "Politik") && (has(i, "Verkehr") || has(i, "Klima"))),
        ("+Nirgendwo", &|_| false),
    ];
    for (q, holds) in cases {
        let found = Evaluation::new(&NoFlags).counts(Counts::Faceted).run(&c, &parse(q).unwrap()).unwrap();
        let naive: Vec<usize> = (0..c.len()).filter(|&i| holds(i)).collect();
        assert_eq!(found.matches, naive, "{q}");
        // A named tag is counted with its own condition lifted.
        if let Some(kiel) = c.tags.find("Verkehr").filter(|_| q == "+Verkehr") {
            assert_eq!(found.counts[kiel.0 as usize], c.articles_with(kiel).len());
        }
    }
    let found =
        Evaluation::new(&NoFlags).counts(Counts::Faceted).run(&c, &parse("+Politik -Verkehr").unwrap()).unwrap();
    let verkehr = c.tags.find("Verkehr").unwrap();
    let politik_and_verkehr = (0..c.len()).filter(|&i| has(i, "Politik") && has(i, "Verkehr")).count();
    assert_eq!(found.counts[verkehr.0 as usize], politik_and_verkehr, "-Verkehr shows what it hides");
    assert!(politik_and_verkehr > 0);
}
