//! newsboat's cache as a source: a cache made here with newsboat's table
//! layout, read through the collection as a user would point blatt at it.

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use blatt::{Collection, LoadOptions, render};
use rusqlite::Connection;
use std::path::Path;

/// The tables newsboat creates (its cache.cpp), with a few items.
fn make_cache(dir: &Path) {
    let db = Connection::open(dir.join("cache.db")).unwrap();
    db.execute_batch(
        r#"CREATE TABLE rss_feed (rssurl VARCHAR(1024) PRIMARY KEY NOT NULL, url VARCHAR(1024) NOT NULL,
             title VARCHAR(1024) NOT NULL, lastmodified INTEGER(11) NOT NULL DEFAULT 0,
             is_rtl INTEGER(1) NOT NULL DEFAULT 0, etag VARCHAR(128) NOT NULL DEFAULT "");
           CREATE TABLE rss_item (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, guid VARCHAR(64) NOT NULL,
             title VARCHAR(1024) NOT NULL, author VARCHAR(1024) NOT NULL, url VARCHAR(1024) NOT NULL,
             feedurl VARCHAR(1024) NOT NULL, pubDate INTEGER NOT NULL, content VARCHAR(65535) NOT NULL,
             unread INTEGER(1) NOT NULL, enclosure_url VARCHAR(1024), enclosure_type VARCHAR(1024),
             enqueued INTEGER(1) NOT NULL DEFAULT 0, flags VARCHAR(52), deleted INTEGER(1) NOT NULL DEFAULT 0,
             base VARCHAR(128) NOT NULL DEFAULT "", content_mime_type VARCHAR(255) NOT NULL DEFAULT "");
           INSERT INTO rss_feed (rssurl, url, title) VALUES
             ('https://kiel.example/feed.xml', 'https://kiel.example/', 'Kieler Blatt &amp; Co'),
             ('https://podcast.example/rss', 'https://podcast.example/', 'Rathausfunk');
           INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread, enclosure_url, enclosure_type, deleted) VALUES
             ('k-1', 'Neue Fähre', 'Anna Beispiel', 'https://kiel.example/faehre', 'https://kiel.example/feed.xml',
              1714627800, '<p>Die Stadt kauft eine <a href="/faehre/kosten">Fähre</a>.</p><ul><li>elektrisch</li></ul>', 1, NULL, NULL, 0),
             ('k-2', 'Alter Hafen', '', 'https://kiel.example/hafen', 'https://kiel.example/feed.xml',
              1714541400, 'Ein Absatz.' || char(10) || char(10) || 'Noch einer.', 0, NULL, NULL, 0),
             ('k-3', 'Gelöscht', '', 'https://kiel.example/weg', 'https://kiel.example/feed.xml', 1714541400, 'x', 0, NULL, NULL, 1),
             ('p-1', 'Folge 12', '', 'https://podcast.example/12', 'https://podcast.example/rss',
              1714455000, 'Shownotes', 1, 'https://podcast.example/12.mp3', 'audio/mpeg', 0);"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("urls"),
        "https://kiel.example/feed.xml Kiel \"Lokales aus Kiel\" \"~Mein Kiel\"\nhttps://podcast.example/rss Podcast !\n",
    )
    .unwrap();
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn newsboat_items_become_articles_with_feed_tags_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    make_cache(dir.path());
    let before = snapshot(dir.path());
    for path in [dir.path().to_path_buf(), dir.path().join("cache.db")] {
        let c = Collection::load(&[path], &LoadOptions::default());
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        let titles: Vec<&str> = c.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["Neue Fähre", "Alter Hafen", "Folge 12"], "newest first, deleted items left out");
        let faehre = &c.articles[0];
        assert_eq!(faehre.source.as_deref(), Some("Kieler Blatt & Co"));
        assert_eq!(faehre.tag_names(), ["Kiel", "Lokales aus Kiel"], "the ~title is not a tag");
        assert_eq!(faehre.details.author.as_deref(), Some("Anna Beispiel"));
        assert_eq!(faehre.details.lead.as_deref(), Some("Die Stadt kauft eine Fähre[2]."));
        assert_eq!(faehre.details.links, ["https://kiel.example/faehre/kosten"]);
        assert_eq!(faehre.time.map(|t| t.to_rfc3339()).as_deref(), Some("2024-05-02T05:30:00+00:00"));
        let shown: Vec<String> = render::render(faehre, 80).into_iter().map(|l| l.text).collect();
        assert!(shown[1].ends_with("unread in newsboat"), "{shown:?}");
        assert!(shown.contains(&"• elektrisch".to_string()), "{shown:?}");
        assert_eq!(c.articles[1].details.body, ["Noch einer."]);
        let podcast = &c.articles[2];
        assert_eq!(podcast.tag_names(), ["Podcast"]);
        assert_eq!(podcast.details.enclosures[0].url, "https://podcast.example/12.mp3");
        assert_eq!(podcast.details.enclosures[0].mime.as_deref(), Some("audio/mpeg"));
    }
    assert_eq!(snapshot(dir.path()), before, "the cache and its folder are left as they were");
}

#[test]
fn a_file_that_is_no_newsboat_cache_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cache.db"), b"not a database at all, just text").unwrap();
    let c = Collection::load(&[dir.path().to_path_buf()], &LoadOptions::default());
    assert!(c.articles.is_empty());
    let msg = c.problems[0].to_string();
    assert!(msg.contains("cache.db") && msg.contains("newsboat"), "{msg}");
}
