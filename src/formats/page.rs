//! Saved web pages (`.html`, `.htm`): the article found by a reader view
//! (dom_smoothie, a port of Mozilla's Readability), with the page's title,
//! byline, date, site name, language, canonical address and tags, and the
//! main text with its structure (see [`super::html`]).

use super::html::{self, Links, decode_line};
use super::{ItemProblem, Parsed, dates, dedup_tags, is_web_link};
use crate::article::{Article, ArticleId, DetailFields, Details};
use crate::sanitize::clean_line;
use crate::text::non_empty;
use dom_query::Document;
use std::borrow::Cow;

/// Pages nested deeper than this are not given to the reader view, whose
/// document tree costs time quadratic in depth; their text is shown whole.
const MAX_DEPTH: usize = 1_000;

/// Parses a saved page from its bytes.
pub fn parse(bytes: &[u8]) -> Parsed {
    let text = match decode_page(bytes) {
        Ok(t) => t,
        Err(e) => return failed(e),
    };
    let depth = html::max_depth(&text);
    if depth > MAX_DEPTH {
        let mut parsed = whole_text(&text);
        let note = format!("elements nested {depth} deep: shown as plain text, without the reader view");
        parsed.problems.push(ItemProblem::new(None, note));
        return parsed;
    }
    let doc = Document::from(text.as_ref());
    let found = Found::in_page(&doc);
    let cfg = dom_smoothie::Config { max_elements_to_parse: 0, ..Default::default() };
    let url = found.url.as_deref().filter(|u| url::Url::parse(u).is_ok());
    let readable = dom_smoothie::Readability::with_document(doc, url, Some(cfg)).and_then(|mut r| r.parse());
    let page = match readable {
        Ok(page) => page,
        Err(e) => {
            let mut parsed = whole_text(&text);
            parsed.problems.push(ItemProblem::new(None, format!("no article found by the reader view ({e})")));
            return parsed;
        }
    };
    let base = found.url.as_deref().and_then(|u| url::Url::parse(u).ok());
    let mut links = Links::starting_with(found.url.as_deref());
    let content = html::to_paras(&page.content, base.as_ref(), &mut links);
    let before = links.len();
    let excerpt = page.excerpt.as_deref().map(|e| html::to_paras(e, base.as_ref(), &mut links)).unwrap_or_default();
    let (lead, body) = if excerpt.is_empty() || html::repeats(&excerpt, &content) {
        links.truncate(before);
        (None, content)
    } else {
        (non_empty(html::join(&excerpt)), content)
    };
    let title = non_empty(decode_line(&page.title)).or(found.title);
    let Some(title) = title.map(super::text::cap_title) else {
        return failed("no title and no article text found");
    };
    let mut problems = vec![];
    let stamp = page
        .published_time
        .as_deref()
        .and_then(|raw| dates::read(raw).map_err(|why| problems.push(ItemProblem::new(None, why))).ok());
    let mut tags = found.tags;
    dedup_tags(&mut tags);
    let date = stamp.map(|s| s.date);
    let links = links.into_rest(found.url.as_deref());
    let article = Article {
        id: found.url.clone().map(ArticleId::from).unwrap_or_else(|| ArticleId::from_content(&title, date)),
        title,
        date,
        time: stamp.and_then(|s| s.time),
        tags: tags.into_iter().map(|t| crate::article::shared_tag(&t)).collect(),
        url: found.url,
        source: page
            .site_name
            .as_deref()
            .map(decode_line)
            .and_then(non_empty)
            .map(|s| crate::article::shared_source(&s)),
        details: Details::new(DetailFields {
            lead,
            body,
            links,
            author: page.byline.as_deref().map(decode_line).and_then(non_empty),
            lang: page.lang.as_deref().map(clean_line).and_then(non_empty),
            ..DetailFields::default()
        }),
        ..Article::default()
    };
    Parsed { articles: vec![article], problems }
}

fn failed(reason: impl Into<String>) -> Parsed {
    Parsed { articles: vec![], problems: vec![ItemProblem::new(None, reason)] }
}

/// The page's text as a whole, for pages the reader view cannot take.
fn whole_text(text: &str) -> Parsed {
    let mut links = Links::default();
    let mut body = html::to_paras(text, None, &mut links);
    let title = match head_title(text) {
        Some(t) => t,
        None if !body.is_empty() => body.remove(0).text,
        None => return failed("no text in the page"),
    };
    let title = super::text::cap_title(title);
    let article = Article {
        id: ArticleId::from_content(&title, None),
        title,
        details: Details::new(DetailFields { body, links: links.into_rest(None), ..DetailFields::default() }),
        ..Article::default()
    };
    Parsed { articles: vec![article], problems: vec![] }
}

/// The text of the page's `<title>`, looked for near its start.
fn head_title(text: &str) -> Option<String> {
    let head = &text.as_bytes()[..text.len().min(64 * 1024)];
    let open = memchr::memmem::find_iter(head, b"<")
        .find(|&i| head[i..].get(..6).is_some_and(|t| t.eq_ignore_ascii_case(b"<title")))?;
    let start = open + memchr::memchr(b'>', &head[open..])? + 1;
    let end = start + memchr::memmem::find(&head[start..], b"</")?;
    non_empty(html::to_line(text.get(start..end)?))
}

/// What the page's head says that the reader view does not return.
struct Found {
    url: Option<String>,
    title: Option<String>,
    tags: Vec<String>,
}

impl Found {
    fn in_page(doc: &Document) -> Found {
        let attr = |selector: &str, name: &str| doc.select(selector).attr(name).map(|v| v.to_string());
        let url = attr("link[rel=canonical]", "href")
            .or_else(|| attr("meta[property='og:url']", "content"))
            .map(|u| clean_line(&u))
            .filter(|u| is_web_link(u));
        let title = attr("meta[property='og:title']", "content").map(|t| decode_line(&t)).and_then(non_empty);
        let mut tags: Vec<String> = Vec::new();
        for node in doc.select("meta[property='article:tag']").iter() {
            tags.extend(node.attr("content").map(|t| decode_line(&t)));
        }
        if let Some(keywords) =
            attr("meta[name=keywords]", "content").or_else(|| attr("meta[name=news_keywords]", "content"))
        {
            tags.extend(keywords.split(',').map(decode_line));
        }
        for script in doc.select("script[type='application/ld+json']").iter() {
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&script.text()) {
                json_ld_keywords(&value, &mut tags, 0);
            }
        }
        tags.retain(|t| !t.is_empty() && t.chars().count() <= 80);
        Found { url, title, tags }
    }
}

/// `keywords` anywhere in a JSON-LD document (a string of comma-separated
/// words or an array), a few levels deep (`@graph`).
fn json_ld_keywords(value: &serde_json::Value, tags: &mut Vec<String>, depth: usize) {
    use serde_json::Value;
    if depth > 4 {
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|v| json_ld_keywords(v, tags, depth + 1)),
        Value::Object(map) => {
            match map.get("keywords") {
                Some(Value::String(s)) => tags.extend(s.split(',').map(decode_line)),
                Some(Value::Array(words)) => tags.extend(words.iter().filter_map(|w| w.as_str()).map(decode_line)),
                _ => {}
            }
            if let Some(graph) = map.get("@graph") {
                json_ld_keywords(graph, tags, depth + 1);
            }
        }
        _ => {}
    }
}

/// A page's text: a BOM, then valid UTF-8, then the charset its head
/// declares, then Windows-1252.
fn decode_page(bytes: &[u8]) -> Result<Cow<'_, str>, String> {
    if encoding_rs::Encoding::for_bom(bytes).is_none() && simdutf8::basic::from_utf8(bytes).is_err() {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
        if let Some(at) = head.find("charset=") {
            let label: String = head[at + 8..]
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if let Some(encoding) = encoding_rs::Encoding::for_label(label.as_bytes()) {
                return Ok(Cow::Owned(encoding.decode_without_bom_handling(bytes).0.into_owned()));
            }
        }
    }
    super::decode::decode(bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_page_gives_its_article() {
        let page = r#"<!doctype html><html lang="de"><head><title>Neue Fähre | Stadtbote</title>
            <link rel="canonical" href="https://stadtbote.example/kiel/faehre">
            <meta property="og:site_name" content="Stadtbote">
            <meta property="article:tag" content="Verkehr"><meta property="article:tag" content="Kiel">
            <meta name="keywords" content="Fähre, verkehr">
            <meta property="article:published_time" content="2024-05-02T07:30:00+02:00">
            </head><body><nav><a href="/">Start</a> <a href="/kiel">Kiel</a></nav>
            <article><h1>Neue Fähre für die Förde</h1><p class="byline">Von Anna Beispiel</p>
            <p>Die Stadt hat eine neue Fähre gekauft. Sie soll im Sommer den Betrieb aufnehmen und fährt mit Strom, heißt es aus dem Rathaus, und sie bietet Platz für dreihundert Fahrgäste und vierzig Fahrräder.</p>
            <p>Die alte Fähre geht an einen Verein, der sie als Museumsschiff erhalten will. Die <a href="/kiel/faehre/kosten">Kosten</a> trägt zu einem großen Teil das Land, der Rest kommt aus dem städtischen Haushalt.</p>
            <ul><li>Länge: 40 Meter</li><li>Antrieb: elektrisch</li></ul>
            </article><footer>Impressum</footer></body></html>"#;
        let p = parse(page.as_bytes());
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let a = &p.articles[0];
        assert_eq!(a.url.as_deref(), Some("https://stadtbote.example/kiel/faehre"));
        assert_eq!(a.details.lang.as_deref(), Some("de"));
        assert_eq!(a.tag_names(), ["Verkehr", "Kiel", "Fähre"]);
        assert_eq!(a.time.map(|t| t.to_rfc3339()).as_deref(), Some("2024-05-02T07:30:00+02:00"));
        let text: Vec<&str> = a.details.body.iter().map(|p| p.text.as_str()).collect();
        assert!(text.iter().any(|t| t.starts_with("Die Stadt hat eine neue Fähre gekauft.")), "{text:?}");
        assert!(text.iter().any(|t| t.contains("Kosten[2]")), "{text:?}");
        assert!(text.contains(&"Länge: 40 Meter"), "{text:?}");
        assert!(!text.iter().any(|t| t.contains("Impressum")), "{text:?}");
        assert_eq!(a.details.links, ["https://stadtbote.example/kiel/faehre/kosten"]);
    }

    #[test]
    fn pages_nested_too_deep_are_shown_whole() {
        let page = format!(
            "<html><head><title>Tief &amp; unten</title></head><body>{}Text{}</body></html>",
            "<div>".repeat(5_000),
            "</div>".repeat(5_000)
        );
        let p = parse(page.as_bytes());
        assert_eq!(p.articles[0].title, "Tief & unten");
        assert_eq!(p.articles[0].details.body, ["Text"]);
        assert!(p.problems[0].reason.contains("nested"), "{:?}", p.problems);
    }
}
