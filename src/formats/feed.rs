//! RSS 0.9x/1.0/2.0, Atom and JSON Feed through feed-rs: items become
//! articles, categories tags, the feed's title their source.

use super::{ItemProblem, Parsed, dedup_tags, is_web_link};
use crate::article::{Article, ArticleId};
use crate::sanitize::clean_line;
use crate::text::non_empty;
use feed_rs::model::{Entry, Text};
use html2text::render::RichAnnotation;

/// Parses a feed document from its raw bytes (feed-rs honours the declared encoding).
pub fn parse(bytes: &[u8]) -> Parsed {
    if declares_entities(bytes) {
        return failed("refused: the XML declares entities in a DTD (possible entity bomb)");
    }
    let parser = feed_rs::parser::Builder::new()
        // Keep ids stable: an item without id or link gets one from its content later.
        .id_generator(|links, _title, _base| links.first().map(|l| l.href.clone()).unwrap_or_default())
        .build();
    let feed = match parser.parse(bytes) {
        Ok(f) => f,
        Err(e) => return failed(format!("not a feed this reader understands: {e}")),
    };
    let source = feed.title.as_ref().map(text_of).and_then(non_empty);
    let lang = feed.language.clone();
    let mut parsed = Parsed::default();
    for (n, entry) in feed.entries.into_iter().enumerate() {
        match entry_to_article(entry, source.clone(), lang.clone()) {
            Some(a) => parsed.articles.push(a),
            None => parsed.problems.push(ItemProblem::new(None, format!("item {}: no title", n + 1))),
        }
    }
    parsed
}

fn failed(reason: impl Into<String>) -> Parsed {
    Parsed { articles: vec![], problems: vec![ItemProblem::new(None, reason)] }
}

/// `<!ENTITY` anywhere means a DTD with entity declarations: refuse it whole.
fn declares_entities(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"<!ENTITY")
}

fn entry_to_article(entry: Entry, source: Option<String>, lang: Option<String>) -> Option<Article> {
    let title = entry.title.as_ref().map(text_of).unwrap_or_default();
    let summary = entry.summary.as_ref().map(html_or_text);
    let content = entry.content.as_ref().and_then(|c| c.body.as_deref()).map(html_to_paragraphs);
    let (mut paragraphs, mut links) = match (content, summary) {
        (Some((body, links)), Some((lead, _))) => {
            // Many feeds repeat the summary as the content's first paragraph.
            let first = lead.first().cloned();
            let mut all = lead;
            all.extend(body.into_iter().filter(|p| first.as_ref() != Some(p)));
            (all, links)
        }
        (Some(c), None) | (None, Some(c)) => c,
        (None, None) => (vec![], vec![]),
    };
    paragraphs.dedup();
    let url = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate") && is_web_link(&l.href))
        .map(|l| clean_line(&l.href));
    let title = match non_empty(title) {
        Some(t) => t,
        None => paragraphs.first().map(|p| p.chars().take(80).collect::<String>())?,
    };
    links.retain(|l| Some(l) != url.as_ref());
    let date = entry.published.or(entry.updated).map(|d| d.date_naive());
    let mut tags: Vec<String> = entry
        .categories
        .iter()
        .map(|c| clean_line(c.label.as_deref().unwrap_or(&c.term)))
        .filter(|t| !t.is_empty())
        .collect();
    dedup_tags(&mut tags);
    let mut paragraphs = paragraphs.into_iter();
    let id = non_empty(clean_line(&entry.id)).map(ArticleId).unwrap_or_else(|| ArticleId::from_content(&title, date));
    Some(Article {
        id,
        title,
        date,
        lead: paragraphs.next(),
        body: paragraphs.collect(),
        tags,
        links,
        url,
        source,
        author: entry.authors.first().and_then(|p| p.name.as_deref().and_then(|n| non_empty(clean_line(n)))),
        lang: entry.language.or(lang).and_then(|l| non_empty(clean_line(&l))),
        ..Article::default()
    })
}

/// A feed text field as one clean line (HTML titles lose their markup).
fn text_of(t: &Text) -> String {
    let (paras, _) = html_or_text(t);
    clean_line(&paras.join(" "))
}

fn html_or_text(t: &Text) -> (Vec<String>, Vec<String>) {
    if t.content_type.subty().as_str().contains("html") {
        html_to_paragraphs(&t.content)
    } else {
        let paras = t.content.split("\n\n").map(clean_line).filter(|p| !p.is_empty()).collect();
        (paras, vec![])
    }
}

/// HTML to plain paragraphs, keeping the targets of its links.
pub fn html_to_paragraphs(html: &str) -> (Vec<String>, Vec<String>) {
    let lines = match html2text::config::rich().lines_from_read(html.as_bytes(), 100_000) {
        Ok(l) => l,
        Err(_) => return (vec![clean_line(html)], vec![]),
    };
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    let mut links: Vec<String> = Vec::new();
    for line in lines {
        let mut text = String::new();
        for piece in line.tagged_strings() {
            text.push_str(&piece.s);
            for tag in &piece.tag {
                if let RichAnnotation::Link(target) = tag {
                    let target = clean_line(target);
                    if is_web_link(&target) && !links.contains(&target) {
                        links.push(target);
                    }
                }
            }
        }
        if text.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(clean_line(&std::mem::take(&mut current)));
            }
        } else {
            current.push(' ');
            current.push_str(&text);
        }
    }
    if !current.trim().is_empty() {
        paragraphs.push(clean_line(&current));
    }
    (paragraphs, links)
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
        assert_eq!(a.tags, vec!["Politik", "Bund"]);
        assert_eq!(a.date, chrono::NaiveDate::from_ymd_opt(2021, 3, 2));
        assert_eq!(a.url.as_deref(), Some("https://example.org/1"));
        assert_eq!(a.lead.as_deref(), Some("Ein Link hier."));
        assert_eq!(a.body, vec!["Zweiter."]);
        assert_eq!(a.links, vec!["https://example.org/x"]);
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
