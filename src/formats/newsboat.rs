//! newsboat's cache (`cache.db`) as a source: opened read-only through
//! SQLite, never written, safe while newsboat runs. Items become articles;
//! the feed's title is their source; tags come from newsboat's `urls` file
//! beside the cache.

use super::html::{self, Links, decode_line, split_lead};
use super::{ItemProblem, Parsed, dedup_tags, is_web_link};
use crate::article::{Article, ArticleId, DetailFields, Details, Enclosure, OtherReader};
use crate::sanitize::clean_line;
use crate::text::non_empty;
use chrono::{DateTime, FixedOffset};
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;
use std::path::Path;

/// Reads every item of the cache at `path`.
pub fn load(path: &Path, content: super::Content) -> Parsed {
    match read(path, content) {
        Ok(parsed) => parsed,
        Err(e) => Parsed {
            articles: vec![],
            problems: vec![ItemProblem::new(None, format!("not a newsboat cache this reader understands: {e}"))],
        },
    }
}

fn read(path: &Path, content: super::Content) -> rusqlite::Result<Parsed> {
    // Read-only, and without creating anything: a missing or foreign file
    // stays as it is. newsboat may be writing: wait a little for its lock.
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let db = Connection::open_with_flags(path, flags)?;
    db.busy_timeout(std::time::Duration::from_secs(2))?;
    let feeds = feed_titles(&db)?;
    let tags = path.parent().map(|dir| feed_tags(&dir.join("urls"))).unwrap_or_default();
    let with_text = content == super::Content::Full;
    let mut stmt = db.prepare(
        "SELECT guid, title, author, url, feedurl, pubDate, content, unread, enclosure_url, enclosure_type \
         FROM rss_item WHERE deleted = 0 ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut parsed = Parsed::default();
    while let Some(row) = rows.next()? {
        let item = Item {
            guid: row.get(0)?,
            title: row.get(1)?,
            author: row.get(2)?,
            url: row.get(3)?,
            feed: row.get::<_, Option<String>>(4)?.unwrap_or_default(),
            published: row.get(5)?,
            content: if with_text { row.get(6)? } else { None },
            unread: row.get::<_, Option<i64>>(7)?.unwrap_or(0) != 0,
            enclosure_url: row.get(8)?,
            enclosure_type: row.get(9)?,
        };
        let source = feeds.get(&item.feed).cloned();
        let feed_tags = tags.get(&item.feed).cloned().unwrap_or_default();
        match item.into_article(source, feed_tags) {
            Some(a) => parsed.articles.push(a),
            None => parsed.problems.push(ItemProblem::new(None, "an item without title or text: skipped")),
        }
    }
    Ok(parsed)
}

/// Each feed's title by its address.
fn feed_titles(db: &Connection) -> rusqlite::Result<HashMap<String, String>> {
    let mut stmt = db.prepare("SELECT rssurl, title FROM rss_feed")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (url, title) = row?;
        if let Some(t) = title.map(|t| decode_line(&t)).and_then(non_empty) {
            out.insert(url, t);
        }
    }
    Ok(out)
}

/// Tags per feed from newsboat's `urls` file: `URL tag "two words" "~Title"`.
/// Titles (`~`) and hidden markers (`!`) are not tags; a missing file is no tags.
pub fn feed_tags(urls: &Path) -> HashMap<String, Vec<String>> {
    let Ok(text) = std::fs::read_to_string(urls) else { return HashMap::new() };
    let mut out = HashMap::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let mut words = split_quoted(line).into_iter();
        let Some(url) = words.next() else { continue };
        let tags: Vec<String> =
            words.filter(|w| !w.starts_with('~') && !w.starts_with('!')).map(|w| clean_line(&w)).collect();
        out.insert(url, tags);
    }
    out
}

/// Words separated by white space, `"…"` holding one word with spaces.
fn split_quoted(line: &str) -> Vec<String> {
    let mut words = vec![];
    let mut word = String::new();
    let mut quoted = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => word.extend(chars.next()),
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

struct Item {
    guid: Option<String>,
    title: Option<String>,
    author: Option<String>,
    url: Option<String>,
    feed: String,
    published: Option<i64>,
    content: Option<String>,
    unread: bool,
    enclosure_url: Option<String>,
    enclosure_type: Option<String>,
}

impl Item {
    fn into_article(self, source: Option<String>, tags: Vec<String>) -> Option<Article> {
        let url = self.url.map(|u| clean_line(&u)).filter(|u| is_web_link(u));
        let base = url.as_deref().and_then(|u| url::Url::parse(u).ok());
        let mut links = Links::starting_with(url.as_deref());
        let text = self.content.unwrap_or_default();
        let paras = html::text_paras(&text, false, base.as_ref(), &mut links);
        let (lead, body) = split_lead(paras);
        let title = self.title.map(|t| decode_line(&t)).and_then(non_empty);
        let title = match title {
            Some(t) => super::text::cap_title(t),
            None => lead.as_deref()?.chars().take(80).collect(),
        };
        // newsboat keeps the time as seconds in UTC; the publisher's offset is lost.
        let time: Option<DateTime<FixedOffset>> =
            self.published.filter(|&s| s > 0).and_then(|s| DateTime::from_timestamp(s, 0)).map(|t| t.fixed_offset());
        let date = time.map(|t| t.date_naive());
        let mut tags = tags;
        dedup_tags(&mut tags);
        let enclosures = self
            .enclosure_url
            .map(|u| clean_line(&u))
            .filter(|u| is_web_link(u))
            .map(|u| Enclosure {
                url: u,
                mime: self.enclosure_type.and_then(|t| non_empty(clean_line(&t))),
                length: None,
            })
            .into_iter()
            .collect();
        let id = self.guid.map(|g| clean_line(&g)).and_then(non_empty).or(url.clone());
        let links = links.into_rest(url.as_deref());
        Some(Article {
            id: id.map(ArticleId::from).unwrap_or_else(|| ArticleId::from_content(&title, date)),
            title,
            date,
            time,
            tags: tags.into_iter().map(|t| crate::article::shared_tag(&t)).collect(),
            url,
            source: source.map(|s| crate::article::shared_source(&s)),
            unread_elsewhere: Some((OtherReader::Newsboat, self.unread)),
            details: Details::new(DetailFields {
                lead,
                body,
                links,
                enclosures,
                author: self.author.map(|a| decode_line(&a)).and_then(non_empty),
                ..DetailFields::default()
            }),
            ..Article::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_file_tags_skip_titles_and_hidden_markers() {
        let dir = tempfile::tempdir().unwrap();
        let urls = dir.path().join("urls");
        std::fs::write(
            &urls,
            "# Kommentar\nhttps://a.example/feed.xml Politik \"Kiel und Umland\" \"~Mein Name\" !\n\nhttps://b.example/rss\n",
        )
        .unwrap();
        let tags = feed_tags(&urls);
        assert_eq!(tags["https://a.example/feed.xml"], ["Politik", "Kiel und Umland"]);
        assert!(tags["https://b.example/rss"].is_empty());
        assert!(feed_tags(&dir.path().join("missing")).is_empty());
    }
}
