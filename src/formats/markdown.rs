//! Markdown clippings (`.md`, `.markdown`) as Obsidian Web Clipper, Jekyll
//! and Hugo write them: YAML front matter for the metadata, a CommonMark
//! body (pulldown-cmark) rendered into the same paragraphs as HTML.

use super::html::{self, Links, decode_line, repeats};
use super::{ItemProblem, Parsed, dates, dedup_tags, is_web_link};
use crate::article::{Article, ArticleId, DetailFields, Details, ParaKind};
use crate::sanitize::clean_line;
use crate::text::non_empty;
use serde_yaml_ng::Value;

/// Front matter larger than this is not metadata: it is reported and skipped.
const MAX_FRONT_MATTER: usize = 64 * 1024;

/// Parses a Markdown file's text.
pub fn parse(text: &str) -> Parsed {
    let mut problems = vec![];
    let (front, body) = split_front_matter(text);
    let meta = match front {
        Some(yaml) if yaml.len() > MAX_FRONT_MATTER => {
            problems.push(ItemProblem::new(None, "front matter over 64 KiB: ignored"));
            Value::Null
        }
        Some(yaml) => serde_yaml_ng::from_str::<Value>(yaml).unwrap_or_else(|e| {
            problems.push(ItemProblem::new(
                None,
                format!("front matter is not valid YAML: {}", clean_line(&e.to_string())),
            ));
            Value::Null
        }),
        None => Value::Null,
    };
    let field = |names: &[&str]| names.iter().find_map(|n| meta.get(*n)).and_then(one_line);
    let url = field(&["source", "url", "link", "canonical_url"]).filter(|u| is_web_link(u));
    let base = url.as_deref().and_then(|u| url::Url::parse(u).ok());
    let mut links = Links::starting_with(url.as_deref());
    let mut paras = html::to_paras(&to_html(body), base.as_ref(), &mut links);
    let mut title = field(&["title"]);
    if title.is_none() && paras.first().is_some_and(|p| p.kind == ParaKind::Heading) {
        // No front matter title: the first heading is the title.
        title = Some(paras.remove(0).text);
    }
    let Some(title) = title.map(super::text::cap_title) else {
        problems.push(ItemProblem::new(None, "no title: no `title` in the front matter and no heading"));
        return Parsed { articles: vec![], problems };
    };
    let before = links.len();
    let description = field(&["description", "summary", "excerpt"]);
    let lead = match description {
        Some(d) if !repeats(&[d.as_str().into()], &paras) => Some(d),
        _ => {
            links.truncate(before);
            None
        }
    };
    let stamp = field(&["published", "date", "created", "pubDate"])
        .and_then(|raw| dates::read(&raw).map_err(|why| problems.push(ItemProblem::new(None, why))).ok());
    let mut tags = list(meta.get("tags").or(meta.get("categories")).or(meta.get("keywords")));
    dedup_tags(&mut tags);
    let authors = list(meta.get("author").or(meta.get("authors")));
    let date = stamp.map(|s| s.date);
    let links = links.into_rest(url.as_deref());
    let article = Article {
        id: url.clone().map(ArticleId::from).unwrap_or_else(|| ArticleId::from_content(&title, date)),
        title,
        date,
        time: stamp.and_then(|s| s.time),
        tags: tags.into_iter().map(|t| crate::article::shared_tag(&t)).collect(),
        url,
        source: field(&["site", "site_name", "publisher"]).map(|s| crate::article::shared_source(&s)),
        details: Details::new(DetailFields {
            lead,
            body: paras,
            links,
            author: non_empty(authors.join(", ")),
            lang: field(&["lang", "language"]),
            ..DetailFields::default()
        }),
        ..Article::default()
    };
    Parsed { articles: vec![article], problems }
}

/// The YAML between a first line `---` and the next line `---` (or `...`),
/// and the rest.
fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return (None, text);
    };
    let mut at = 0;
    for line in rest.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            return (Some(&rest[..at]), &rest[at + line.len()..]);
        }
        at += line.len();
    }
    (None, text)
}

/// CommonMark (with tables and strikethrough) to HTML.
fn to_html(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser};
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut out, Parser::new_ext(markdown, options));
    out
}

/// A scalar front matter value as one clean line.
fn one_line(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Sequence(items) => return items.iter().find_map(one_line),
        _ => return None,
    };
    non_empty(unlink(&decode_line(&s)))
}

/// A list field: a YAML list, or one string of comma-separated names.
fn list(v: Option<&Value>) -> Vec<String> {
    let items: Vec<String> = match v {
        Some(Value::Sequence(items)) => items.iter().filter_map(one_line).collect(),
        Some(Value::String(s)) => s.split(',').map(|t| unlink(&decode_line(t))).collect(),
        _ => vec![],
    };
    items.into_iter().map(|t| t.trim_start_matches('#').to_string()).filter(|t| !t.is_empty()).collect()
}

/// Obsidian writes people as wiki links: `[[Anna Beispiel]]` is `Anna Beispiel`.
fn unlink(s: &str) -> String {
    let inner = s.trim().strip_prefix("[[").and_then(|r| r.strip_suffix("]]"));
    clean_line(inner.map(|i| i.split('|').next_back().unwrap_or(i)).unwrap_or(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obsidian_clipping_with_front_matter() {
        let md = "---\ntitle: \"Neue Fähre für Kiel\"\nsource: \"https://stadtbote.example/faehre\"\n\
                  author:\n  - \"[[Anna Beispiel]]\"\npublished: 2024-05-02T07:30:00+02:00\ncreated: 2024-05-03\n\
                  description: \"Eine Zusammenfassung, die im Text nicht steht.\"\ntags:\n  - \"clippings\"\n  - Verkehr\n---\n\
                  Die Stadt kauft eine [Fähre](/faehre/details).\n\n## Technik\n\n- elektrisch\n- 40 m\n\n```\ncode  bleibt\n```\n";
        let p = parse(md);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let a = &p.articles[0];
        assert_eq!(a.title, "Neue Fähre für Kiel");
        assert_eq!(a.url.as_deref(), Some("https://stadtbote.example/faehre"));
        assert_eq!(a.details.author.as_deref(), Some("Anna Beispiel"));
        assert_eq!(a.tag_names(), ["clippings", "Verkehr"]);
        assert_eq!(a.time.map(|t| t.to_rfc3339()).as_deref(), Some("2024-05-02T07:30:00+02:00"));
        assert_eq!(a.details.lead.as_deref(), Some("Eine Zusammenfassung, die im Text nicht steht."));
        assert_eq!(a.details.body[0], "Die Stadt kauft eine Fähre[2].");
        assert_eq!(a.details.links, ["https://stadtbote.example/faehre/details"]);
        let kinds: Vec<ParaKind> = a.details.body.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds[1..],
            [
                ParaKind::Heading,
                ParaKind::Item { depth: 0, number: None },
                ParaKind::Item { depth: 0, number: None },
                ParaKind::Pre
            ]
        );
        assert_eq!(a.details.body[4], "code  bleibt");
    }

    #[test]
    fn jekyll_string_tags_and_a_heading_title_without_front_matter() {
        let p = parse("---\ntitle: Hallo\ndate: 2023-01-05 10:00:00 +0100\ntags: kiel, verkehr\n---\nText.\n");
        assert_eq!(p.articles[0].tag_names(), ["kiel", "verkehr"]);
        assert_eq!(p.articles[0].time.map(|t| t.to_rfc3339()).as_deref(), Some("2023-01-05T10:00:00+01:00"));
        let q = parse("# Nur eine Überschrift\n\nUnd ein Absatz.\n");
        assert_eq!(q.articles[0].title, "Nur eine Überschrift");
        assert_eq!(q.articles[0].details.body, ["Und ein Absatz."]);
    }

    #[test]
    fn broken_front_matter_is_reported_and_the_body_kept() {
        let p = parse("---\ntitle: [unclosed\n---\n# Titel\n\nText.\n");
        assert!(p.problems[0].reason.contains("YAML"), "{:?}", p.problems);
        assert_eq!(p.articles[0].title, "Titel");
    }
}
