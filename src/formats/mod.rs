//! One module per input format. Each turns a file's bytes into articles plus
//! the problems it met, and never fails the whole load for one bad item.

pub mod dates;
pub mod decode;
pub mod feed;
pub mod html;
pub mod json;
pub mod markdown;
pub mod newsboat;
pub mod page;
pub mod text;

use crate::article::Article;

/// A problem inside one file, optionally at a line (or item number).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ItemProblem {
    pub line: Option<usize>,
    pub reason: String,
}

impl ItemProblem {
    pub fn new(line: Option<usize>, reason: impl Into<String>) -> Self {
        ItemProblem { line, reason: reason.into() }
    }
}

/// What a loader made of one file.
#[derive(Debug, Default)]
pub struct Parsed {
    pub articles: Vec<Article>,
    pub problems: Vec<ItemProblem>,
}

/// More tags than this on one article are dropped (with the rest of the
/// article kept): no reader narrows by the 2,001st tag of one article.
pub const MAX_TAGS: usize = 2_000;

/// Drops tags that repeat an earlier tag up to case, keeping the first
/// [`MAX_TAGS`]. Tags arrive cleaned, hence in NFC, so comparing lowercase
/// letters one by one is comparing their folded forms. Few tags are
/// compared pairwise without copies; many go through a set (linear).
pub fn dedup_tags<T: AsRef<str>>(tags: &mut Vec<T>) {
    if tags.len() > 16 {
        let mut seen = std::collections::HashSet::with_capacity(tags.len());
        tags.retain(|t| seen.len() < MAX_TAGS && seen.insert(crate::text::fold(t.as_ref())));
        return;
    }
    let same = |a: &str, b: &str| a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase));
    let mut kept = 0;
    for i in 0..tags.len() {
        if !tags[..kept].iter().any(|k| same(k.as_ref(), tags[i].as_ref())) {
            tags.swap(kept, i);
            kept += 1;
        }
    }
    tags.truncate(kept);
}

/// Only http(s) links are kept: `javascript:`, `file:` and the like are
/// dropped when loading, and could not be opened anyway.
pub fn is_web_link(href: &str) -> bool {
    let lower = href.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// How much of each article a load keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Content {
    /// Every field: what the reader, `show` and searches for words need.
    #[default]
    Full,
    /// Every field but the lead and the body, which are most of an
    /// article's bytes: enough to list, count, filter by tags, dates and
    /// sources, and check. The other fields are exactly those of a full load.
    Metadata,
}

/// The formats blatt reads, chosen by content where the extension is ambiguous.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    JsonLines,
    Feed,
    /// A saved web page.
    Page,
    /// A Markdown clipping.
    Markdown,
    /// newsboat's SQLite cache, read from its path (see [`newsboat::load`]).
    Newsboat,
}

/// The format a file name suggests; `None` for files blatt ignores.
pub fn format_for_path(path: &std::path::Path) -> Option<Format> {
    if path.file_name().is_some_and(|n| n.as_encoded_bytes().eq_ignore_ascii_case(b"cache.db")) {
        return Some(Format::Newsboat);
    }
    let ext = path.extension()?.as_encoded_bytes();
    let is = |name: &str| ext.eq_ignore_ascii_case(name.as_bytes());
    if is("txt") {
        Some(Format::Text)
    } else if is("json") {
        Some(Format::Json)
    } else if is("jsonl") || is("ndjson") {
        Some(Format::JsonLines)
    } else if ["xml", "rss", "atom", "rdf"].into_iter().any(is) {
        Some(Format::Feed)
    } else if is("html") || is("htm") {
        Some(Format::Page)
    } else if is("md") || is("markdown") {
        Some(Format::Markdown)
    } else {
        None
    }
}

/// Parses a file's bytes in the given format, keeping `content`.
pub fn parse_bytes(format: Format, bytes: &[u8], content: Content) -> Parsed {
    if format == Format::Text
        && let Some(text) = decode::utf8_without_bom(bytes)
        && let Some(parsed) = text::parse_if_clean(text, content)
    {
        // Most text articles: valid UTF-8 with nothing to clean, parsed without more checks.
        return text_article(parsed);
    }
    let mut parsed = if format == Format::Feed {
        feed::parse(bytes)
    } else if format == Format::Page {
        page::parse(bytes)
    } else {
        let text = match decode::decode(bytes) {
            Ok(t) => t,
            Err(e) => return Parsed { articles: vec![], problems: vec![ItemProblem::new(None, e.to_string())] },
        };
        match format {
            Format::Json if json::is_json_feed(&text) => feed::parse(text.as_bytes()),
            Format::Json => json::parse_document(&text),
            Format::JsonLines => json::parse_lines(&text),
            Format::Markdown => markdown::parse(&text),
            Format::Newsboat => return failed("a newsboat cache is read from its path, not its bytes"),
            _ => return text_article(text::parse_as(&text, content)),
        }
    };
    if content == Content::Metadata {
        // Feeds and JSON files are few: their text is dropped after parsing.
        parsed.articles.iter_mut().for_each(Article::drop_text);
    }
    parsed
}

fn failed(reason: &str) -> Parsed {
    Parsed { articles: vec![], problems: vec![ItemProblem::new(None, reason)] }
}

fn text_article(parsed: Result<Article, text::TextError>) -> Parsed {
    match parsed {
        Ok(a) => Parsed { articles: vec![a], problems: vec![] },
        Err(e) => Parsed { articles: vec![], problems: vec![ItemProblem::new(None, e.to_string())] },
    }
}

#[cfg(test)]
mod tests {
    use super::{Content, Format, MAX_TAGS, dedup_tags, format_for_path, parse_bytes};

    #[test]
    fn a_text_file_told_binary_by_its_start_is_refused_with_or_without_its_text() {
        // A short header and lead, then control characters in the first
        // 512 bytes, which tell a binary file: the lines the fields come
        // from are clean, but the file is refused all the same.
        let mut bytes = b"Titel\n\n[1.2.2020] Kurz.\n\nZweiter.\n\n".to_vec();
        bytes.extend(std::iter::repeat_n(7u8, 100));
        bytes.extend(b"\n\nMitte.\n\nEnde.\n\nStichw\xc3\xb6rter: a\n".iter().copied().cycle().take(2000));
        for content in [Content::Full, Content::Metadata] {
            let parsed = parse_bytes(Format::Text, &bytes, content);
            assert!(parsed.articles.is_empty(), "{content:?}");
            assert!(parsed.problems[0].reason.contains("binary"), "{content:?}: {:?}", parsed.problems);
        }
    }

    #[test]
    fn formats_by_extension_in_any_case() {
        let format = |name: &str| format_for_path(std::path::Path::new(name));
        assert_eq!(format("news/a.txt"), Some(Format::Text));
        assert_eq!(format("A.TXT"), Some(Format::Text));
        assert_eq!(format("b.Json"), Some(Format::Json));
        assert_eq!(format("c.NDJSON"), Some(Format::JsonLines));
        assert_eq!(format("c.jsonl"), Some(Format::JsonLines));
        for feed in ["d.xml", "d.Atom", "d.RSS", "d.rdf"] {
            assert_eq!(format(feed), Some(Format::Feed), "{feed}");
        }
        assert_eq!(format("saved/Seite.HTM"), Some(Format::Page));
        assert_eq!(format("saved/seite.html"), Some(Format::Page));
        assert_eq!(format("clips/a.md"), Some(Format::Markdown));
        assert_eq!(format(".newsboat/cache.db"), Some(Format::Newsboat));
        assert_eq!(format("clips/a.Markdown"), Some(Format::Markdown));
        for other in ["e", ".txt", "e.txt.bak", "e.", "dir.txt/e", "e.db"] {
            assert_eq!(format(other), None, "{other}");
        }
    }

    #[test]
    fn tags_repeated_in_another_case_are_dropped_keeping_order() {
        let mut tags: Vec<String> = ["Köln", "Bonn", "KÖLN", "köln", "BONN", "Straße", "STRASSE", "Ähre"]
            .iter()
            .map(|t| t.to_string())
            .collect();
        dedup_tags(&mut tags);
        // "STRASSE" is not "Straße" in lower case: both stay, as with folding.
        assert_eq!(tags, ["Köln", "Bonn", "Straße", "STRASSE", "Ähre"]);
        // Many tags take the set; the result is the same kind.
        let mut many: Vec<String> = (0..5_000).map(|i| format!("Tag{}", i % 300)).collect();
        many.extend(["TAG7".to_string(), "Neu".into(), "NEU".into()]);
        dedup_tags(&mut many);
        assert_eq!(many.len(), 301);
        assert_eq!(many[7], "Tag7");
        assert_eq!(many[300], "Neu");
        let mut too_many: Vec<String> = (0..100_000).map(|i| format!("t{i}")).collect();
        dedup_tags(&mut too_many);
        assert_eq!(too_many.len(), MAX_TAGS);
    }
}
