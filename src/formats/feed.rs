//! RSS 0.9x/1.0/2.0, Atom and JSON Feed through feed-rs: items become
//! articles, categories tags, the feed's title their source.

use super::html::{self, Links, decode_line, join, looks_like_html, repeats, resolve, split_lead};
use super::{ItemProblem, Parsed, dates, dedup_tags, is_web_link};
use crate::article::{Article, ArticleId, DetailFields, Details, Enclosure};
use crate::sanitize::clean_line;
use crate::text::non_empty;
use chrono::DateTime;
use feed_rs::model::{Entry, Text};
use std::sync::{Arc, Mutex};
use url::Url;

/// Parses a feed document from its raw bytes (feed-rs honours the declared encoding).
pub fn parse(bytes: &[u8]) -> Parsed {
    if declares_entities(bytes) {
        return failed("refused: the XML declares entities in a DTD (possible entity bomb)");
    }
    // feed-rs hands dates over in UTC and drops what it cannot read: every
    // date string is kept here instead, and the parsed "time" it gets back
    // is the string's number in this list.
    let raw_dates: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = Arc::clone(&raw_dates);
    let parser = feed_rs::parser::Builder::new()
        // Keep ids stable: an item without id or link gets one from its content later.
        .id_generator(|links, _title, _base| links.first().map(|l| l.href.clone()).unwrap_or_default())
        .sanitize_content(false)
        .timestamp_parser(move |text| {
            let mut dates = seen.lock().ok()?;
            dates.push(text.to_string());
            DateTime::from_timestamp(dates.len() as i64 - 1, 0)
        })
        .build();
    let feed = match parser.parse(bytes) {
        Ok(f) => f,
        Err(e) => return failed(format!("not a feed this reader understands: {e}")),
    };
    let raw_dates = raw_dates.lock().map(|d| d.clone()).unwrap_or_default();
    let mut rss_enclosures = rss_enclosures(bytes);
    if rss_enclosures.len() != feed.entries.len() {
        rss_enclosures.clear(); // the scan and feed-rs disagree on the items: trust feed-rs alone
    }
    let json_authors = json_feed_authors(bytes);
    let feed_info = FeedInfo {
        source: feed.title.as_ref().map(text_of).and_then(non_empty),
        lang: feed.language.clone(),
        base: feed
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .and_then(|l| Url::parse(&l.href).ok()),
        raw_dates,
    };
    let mut parsed = Parsed::default();
    for (n, entry) in feed.entries.into_iter().enumerate() {
        let scanned = rss_enclosures.get_mut(n).map(std::mem::take).unwrap_or_default();
        match entry_to_article(entry, &feed_info) {
            Ok((mut a, warning)) => {
                if !scanned.is_empty() {
                    a.details.enclosures = scanned;
                }
                if let Some(Some(authors)) = json_authors.get(n) {
                    a.details.author = Some(authors.clone());
                }
                if let Some(w) = warning {
                    parsed.problems.push(ItemProblem::new(None, format!("item {}: {w}", n + 1)));
                }
                parsed.articles.push(a);
            }
            Err(reason) => parsed.problems.push(ItemProblem::new(None, format!("item {}: {reason}", n + 1))),
        }
    }
    parsed
}

/// What every item of a feed shares.
struct FeedInfo {
    source: Option<String>,
    lang: Option<String>,
    base: Option<Url>,
    raw_dates: Vec<String>,
}

impl FeedInfo {
    /// The date string behind a timestamp feed-rs returned, read by our rules.
    fn date(&self, stamp: Option<DateTime<chrono::Utc>>) -> Result<Option<dates::Stamp>, String> {
        let Some(raw) = stamp.and_then(|s| self.raw_dates.get(usize::try_from(s.timestamp()).ok()?)) else {
            return Ok(None);
        };
        if raw.trim().is_empty() {
            return Ok(None);
        }
        dates::read(raw).map(Some)
    }
}

fn failed(reason: impl Into<String>) -> Parsed {
    Parsed { articles: vec![], problems: vec![ItemProblem::new(None, reason)] }
}

/// `<!ENTITY` anywhere means a DTD with entity declarations: refuse it whole.
fn declares_entities(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"<!ENTITY").is_some()
}

/// One item as an article, with a warning about its date if it had one we
/// could not read; an error when it has no title and no text to make one.
fn entry_to_article(entry: Entry, feed: &FeedInfo) -> Result<(Article, Option<String>), String> {
    let xml_base = entry.base.as_deref().and_then(|b| Url::parse(b).ok());
    let base = xml_base.clone().or_else(|| feed.base.clone());
    let url = entry
        .links
        .iter()
        .filter(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .find_map(|l| resolve(&l.href, base.as_ref()));
    // Relative links in the text are read against xml:base, the item's address, the feed's.
    let item_url = url.as_deref().and_then(|u| Url::parse(u).ok());
    let text_base = xml_base.or_else(|| item_url.clone()).or(base);
    let mut links = Links::starting_with(url.as_deref());
    let content = entry.content.as_ref().and_then(|c| {
        let body = c.body.as_deref()?;
        Some(html::text_paras(body, is_html_subtype(c.content_type.subty().as_str()), text_base.as_ref(), &mut links))
    });
    let before_summary = links.len();
    let summary =
        entry.summary.as_ref().map(|t| html::text_paras(&t.content, is_html(t), text_base.as_ref(), &mut links));
    let (lead, mut body) = match (summary, content) {
        (Some(summary), Some(content)) if repeats(&summary, &content) => {
            links.truncate(before_summary);
            split_lead(content)
        }
        (Some(summary), Some(content)) => (non_empty(join(&summary)), content),
        (Some(only), None) | (None, Some(only)) => split_lead(only),
        (None, None) => (None, vec![]),
    };
    body.dedup();
    let title = entry.title.as_ref().map(text_of).and_then(non_empty);
    let title = match title {
        Some(t) => super::text::cap_title(t),
        None => {
            let first = lead.as_deref().or(body.first().map(|p| p.text.as_str())).ok_or("no title")?;
            first.chars().take(80).collect()
        }
    };
    let (stamp, warning) = match feed.date(entry.published.or(entry.updated)) {
        Ok(s) => (s, None),
        Err(w) => (None, Some(w)),
    };
    let mut tags: Vec<String> = entry
        .categories
        .iter()
        .map(|c| decode_line(c.label.as_deref().unwrap_or(&c.term)))
        .filter(|t| !t.is_empty())
        .collect();
    dedup_tags(&mut tags);
    let date = stamp.map(|s| s.date);
    let id =
        non_empty(clean_line(&entry.id)).map(ArticleId::from).unwrap_or_else(|| ArticleId::from_content(&title, date));
    let authors: Vec<String> = entry
        .authors
        .iter()
        .filter_map(|p| non_empty(decode_line(p.name.as_deref()?)))
        .filter(|n| n != "unknown")
        .collect();
    let links = links.into_rest(url.as_deref());
    let article = Article {
        id,
        title,
        date,
        time: stamp.and_then(|s| s.time),
        tags: tags.into_iter().map(|t| crate::article::shared_tag(&t)).collect(),
        url,
        source: feed.source.as_deref().map(crate::article::shared_source),
        details: Details::new(DetailFields {
            lead,
            body,
            links,
            enclosures: enclosures(&entry, item_url),
            author: non_empty(authors.join(", ")),
            lang: entry.language.clone().or(feed.lang.clone()).and_then(|l| non_empty(clean_line(&l))),
            ..DetailFields::default()
        }),
        ..Article::default()
    };
    Ok((article, warning))
}

/// The item's enclosures and media files, each address once.
fn enclosures(entry: &Entry, base: Option<Url>) -> Vec<Enclosure> {
    let mut out: Vec<Enclosure> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut add = |href: &str, mime: Option<String>, length: Option<u64>| {
        if let Some(url) = resolve(href, base.as_ref())
            && seen.insert(url.clone())
        {
            out.push(Enclosure { url, mime: mime.map(|m| clean_line(&m)), length: length.filter(|&n| n > 0) });
        }
    };
    for link in entry.links.iter().filter(|l| l.rel.as_deref() == Some("enclosure")) {
        add(&link.href, link.media_type.clone(), link.length);
    }
    for content in entry.media.iter().flat_map(|m| &m.content) {
        if let Some(u) = &content.url {
            add(u.as_str(), content.content_type.as_ref().map(|t| t.to_string()), content.size);
        }
    }
    out
}

/// JSON Feed 1.1 `authors` of each item, where it has them: feed-rs adds
/// them to the 1.0 `author`, which 1.1 replaces.
fn json_feed_authors(bytes: &[u8]) -> Vec<Option<String>> {
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return vec![];
    }
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(bytes) else { return vec![] };
    let Some(items) = doc.get("items").and_then(|i| i.as_array()) else { return vec![] };
    items
        .iter()
        .map(|item| {
            let names: Vec<String> = item
                .get("authors")?
                .as_array()?
                .iter()
                .filter_map(|a| non_empty(decode_line(a.get("name")?.as_str()?)))
                .collect();
            non_empty(names.join(", "))
        })
        .collect()
}

/// The `<enclosure>` elements of each RSS item, in item order. feed-rs
/// merges them into Media RSS objects, where a `media:player` page can take
/// the place of the file itself; this keeps the files as the feed names them.
fn rss_enclosures(bytes: &[u8]) -> Vec<Vec<Enclosure>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = false;
    let mut items: Vec<Vec<Enclosure>> = Vec::new();
    // The addresses of the current item's enclosures, to keep each once.
    let mut seen = std::collections::HashSet::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if matches!(e.local_name().as_ref(), "item" | "entry") => {
                items.push(vec![]);
                seen.clear();
            }
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "enclosure" => {
                let mut enclosure = Enclosure::default();
                for a in e.attributes().flatten() {
                    let value = decode_line(&a.value);
                    match a.key.local_name().as_ref() {
                        "url" => enclosure.url = value,
                        "type" => enclosure.mime = non_empty(value),
                        "length" => enclosure.length = value.parse().ok().filter(|&n| n > 0),
                        _ => {}
                    }
                }
                if let Some(item) = items.last_mut()
                    && is_web_link(&enclosure.url)
                    && seen.insert(enclosure.url.clone())
                {
                    item.push(enclosure);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    items
}

fn is_html(t: &Text) -> bool {
    is_html_subtype(t.content_type.subty().as_str())
}

/// The subtype of `text/html`, `application/xhtml+xml` and the like.
fn is_html_subtype(subtype: &str) -> bool {
    subtype.contains("html")
}

/// A feed text field as one clean line (HTML titles lose their markup,
/// character references are decoded either way).
fn text_of(t: &Text) -> String {
    if is_html(t) || looks_like_html(&t.content) { html::to_line(&t.content) } else { decode_line(&t.content) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Testblatt</title>
<item><title>Erste &amp; beste</title><link>https://example.org/1</link>
<guid>g-1</guid><pubDate>Tue, 02 Mar 2021 10:00:00 GMT</pubDate>
<category>Politik</category><category>Bund</category>
<description>&lt;p&gt;Ein &lt;a href="https://example.org/x"&gt;Link&lt;/a&gt; hier.&lt;/p&gt;&lt;p&gt;Zweiter.&lt;/p&gt;</description>
</item></channel></rss>"#;

    #[test]
    fn rss_item_becomes_article() {
        let p = parse(RSS.as_bytes());
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let a = &p.articles[0];
        assert_eq!(a.title, "Erste & beste");
        assert_eq!(a.id.0, "g-1");
        assert_eq!(a.source.as_deref(), Some("Testblatt"));
        assert_eq!(a.tag_names(), vec!["Politik", "Bund"]);
        assert_eq!(a.date, chrono::NaiveDate::from_ymd_opt(2021, 3, 2));
        assert_eq!(a.url.as_deref(), Some("https://example.org/1"));
        assert_eq!(a.details.lead.as_deref(), Some("Ein Link[2] hier."), "numbered after the item's own address");
        assert_eq!(a.details.body, vec!["Zweiter."]);
        assert_eq!(a.details.links, vec!["https://example.org/x"]);
    }

    #[test]
    fn latin1_declared_encoding_is_honoured() {
        let mut doc = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>S\xfcd</title><item><title>Gr\xfc\xdfe</title></item></channel></rss>".to_vec();
        doc.shrink_to_fit();
        let p = parse(&doc);
        assert_eq!(p.articles[0].title, "Grüße");
        assert_eq!(p.articles[0].source.as_deref(), Some("Süd"));
    }

    #[test]
    fn entity_declarations_are_refused() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><rss version="2.0"><channel><title>&b;</title></channel></rss>"#;
        let p = parse(bomb.as_bytes());
        assert!(p.articles.is_empty());
        assert!(p.problems[0].reason.contains("entities"));
    }
}
