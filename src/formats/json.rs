//! blatt's own JSON: one article object, an array of them, `{"articles": [...]}`,
//! or JSON Lines with one object a line. See `docs/formats.md`.

use super::{ItemProblem, Parsed, dedup_tags, is_web_link};
use crate::article::{Article, ArticleId, DetailFields, Details, Para};
use crate::sanitize::{clean_line, clean_text};
use crate::text::non_empty;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;

/// A string or a list of strings (`body`, `tags`, `links` accept both).
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct RawArticle {
    id: Option<Value>,
    title: String,
    kicker: Option<String>,
    date: Option<String>,
    lead: Option<String>,
    #[serde(default)]
    body: OneOrMany,
    #[serde(default)]
    tags: OneOrMany,
    #[serde(default)]
    links: OneOrMany,
    url: Option<String>,
    source: Option<String>,
    author: Option<String>,
    image_credit: Option<String>,
    lang: Option<String>,
}

/// True for a JSON Feed document (handed to the feed loader instead).
pub fn is_json_feed(text: &str) -> bool {
    let head: String = text.chars().take(2048).collect();
    head.trim_start().starts_with('{') && head.contains("jsonfeed.org/version/")
}

/// More articles than this in one file are not loaded, and said so: a file
/// of 32 MiB could otherwise hold millions of minimal articles.
pub const MAX_ARTICLES_PER_FILE: usize = 250_000;

/// Parses a `.json` file. The array is read element by element, so that
/// memory follows the articles kept, not a tree of the whole document.
pub fn parse_document(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let result = serde::de::DeserializeSeed::deserialize(Document(&mut parsed), &mut de).and_then(|()| de.end());
    if let Err(e) = result {
        parsed.problems.push(ItemProblem::new(Some(e.line()), format!("not valid JSON: {e}")));
    }
    parsed
}

/// The top of a `.json` document: an array, `{"articles": [...]}`, or one article.
struct Document<'p>(&'p mut Parsed);

impl<'de> serde::de::DeserializeSeed<'de> for Document<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Document<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an article object, an array, or {\"articles\": [...]}")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        collect(seq, self.0)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut fields = serde_json::Map::new();
        let mut listed = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "articles" {
                let mut items = Parsed::default();
                map.next_value_seed(Items(&mut items))?;
                listed = Some(items);
            } else {
                fields.insert(key, map.next_value()?);
            }
        }
        match listed {
            Some(items) if !fields.contains_key("title") => {
                self.0.articles.extend(items.articles);
                self.0.problems.extend(items.problems);
            }
            _ => add(self.0, 1, Value::Object(fields)),
        }
        Ok(())
    }
}

/// The value of `"articles"`: an array of articles.
struct Items<'p>(&'p mut Parsed);

impl<'de> serde::de::DeserializeSeed<'de> for Items<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Items<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("\"articles\" as an array")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        collect(seq, self.0)
    }
}

/// Every element of an array, converted as it is read.
fn collect<'de, A: serde::de::SeqAccess<'de>>(mut seq: A, parsed: &mut Parsed) -> Result<(), A::Error> {
    let mut n = 0;
    let mut beyond = 0usize;
    while parsed.articles.len() < MAX_ARTICLES_PER_FILE {
        let Some(item) = seq.next_element::<Value>()? else { return Ok(()) };
        n += 1;
        add(parsed, n, item);
    }
    while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
        beyond += 1;
    }
    if beyond > 0 {
        let note =
            format!("{beyond} more articles after the first {MAX_ARTICLES_PER_FILE} not loaded (split the file)");
        parsed.problems.push(ItemProblem::new(None, note));
    }
    Ok(())
}

/// Converts element `n` (from 1) and keeps it, or the reason it failed.
fn add(parsed: &mut Parsed, n: usize, item: Value) {
    match article_from_value(item) {
        Ok((a, warning)) => {
            parsed.articles.push(a);
            if let Some(w) = warning {
                parsed.problems.push(ItemProblem::new(None, format!("article {n}: {w}")));
            }
        }
        Err(e) => parsed.problems.push(ItemProblem::new(None, format!("article {n}: {e}"))),
    }
}

/// Parses a `.jsonl` / `.ndjson` file: one object a line, blank lines skipped.
pub fn parse_lines(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if parsed.articles.len() >= MAX_ARTICLES_PER_FILE {
            let note = format!("articles from line {} on not loaded: over {MAX_ARTICLES_PER_FILE} in one file", i + 1);
            parsed.problems.push(ItemProblem::new(None, note));
            break;
        }
        let result = serde_json::from_str::<Value>(line)
            .map_err(|e| format!("not valid JSON: {e}"))
            .and_then(article_from_value);
        match result {
            Ok((a, warning)) => {
                parsed.articles.push(a);
                if let Some(w) = warning {
                    parsed.problems.push(ItemProblem::new(Some(i + 1), w));
                }
            }
            Err(e) => parsed.problems.push(ItemProblem::new(Some(i + 1), e)),
        }
    }
    parsed
}

/// Converts one JSON object; returns the article and a warning (a bad date).
fn article_from_value(value: Value) -> Result<(Article, Option<String>), String> {
    if !value.is_object() {
        return Err("not an object".into());
    }
    let raw: RawArticle = serde_json::from_value(value).map_err(|e| e.to_string())?;
    let title = super::text::cap_title(clean_line(&raw.title));
    if title.is_empty() {
        return Err("empty title".into());
    }
    let (date, warning) = match raw.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => (None, None),
        Some(d) => match parse_date(d) {
            Some(date) => (Some(date), None),
            None => (None, Some(format!("bad date {:?} (want YYYY-MM-DD or RFC 3339)", clean_line(d)))),
        },
    };
    let line = |s: Option<String>| s.and_then(|s| non_empty(clean_line(&s)));
    let mut article = Article {
        title,
        date,
        kicker: line(raw.kicker),
        tags: list(raw.tags, super::text::split_tags).into_iter().map(|t| crate::article::shared_tag(&t)).collect(),
        url: line(raw.url).filter(|u| is_web_link(u)),
        source: line(raw.source).map(|s| crate::article::shared_source(&s)),
        details: Details::new(DetailFields {
            lead: raw.lead.and_then(|l| non_empty(clean_line(&l))),
            body: paragraphs(raw.body).into_iter().map(Para::from).collect(),
            links: list(raw.links, |s| vec![clean_line(s)]).into_iter().filter(|l| is_web_link(l)).collect(),
            author: line(raw.author),
            image_credit: line(raw.image_credit),
            lang: line(raw.lang),
            ..DetailFields::default()
        }),
        ..Article::default()
    };
    dedup_tags(&mut article.tags);
    article.id = match raw.id {
        Some(Value::String(s)) if !clean_line(&s).is_empty() => ArticleId::from(clean_line(&s)),
        Some(Value::Number(n)) => ArticleId::from(n.to_string()),
        _ => ArticleId::from_content(&article.title, article.date),
    };
    Ok((article, warning))
}

/// `YYYY-MM-DD` or an RFC 3339 timestamp (its date as written).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| chrono::DateTime::parse_from_rfc3339(s).ok().map(|d| d.date_naive()))
}

fn paragraphs(body: OneOrMany) -> Vec<String> {
    let pieces = match body {
        OneOrMany::None => vec![],
        OneOrMany::One(s) => clean_text(&s.replace("\r\n", "\n")).split("\n\n").map(str::to_string).collect(),
        OneOrMany::Many(v) => v.iter().map(|p| clean_text(p)).collect(),
    };
    pieces.iter().map(|p| clean_line(p)).filter(|p| !p.is_empty()).collect()
}

fn list(value: OneOrMany, split: impl Fn(&str) -> Vec<String>) -> Vec<String> {
    match value {
        OneOrMany::None => vec![],
        OneOrMany::One(s) => split(&s),
        OneOrMany::Many(v) => v.iter().flat_map(|s| split(s)).filter(|s| !s.is_empty()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_ids_beyond_64_bits_stay_distinct() {
        let p = parse_document(
            r#"[{"id": 18446744073709551616, "title": "A"}, {"id": 18446744073709551617, "title": "B"}, {"id": 7, "title": "C"}]"#,
        );
        let ids: Vec<&str> = p.articles.iter().map(|a| a.id.0.as_str()).collect();
        assert_eq!(ids, ["18446744073709551616", "18446744073709551617", "7"]);
    }

    #[test]
    fn single_object_array_and_wrapper() {
        assert_eq!(parse_document(r#"{"title":"A"}"#).articles.len(), 1);
        assert_eq!(parse_document(r#"[{"title":"A"},{"title":"B"}]"#).articles.len(), 2);
        assert_eq!(parse_document(r#"{"articles":[{"title":"A"}]}"#).articles.len(), 1);
    }

    #[test]
    fn bad_element_loses_only_itself() {
        let p = parse_document(r#"[{"title":"A"},{"kicker":"no title"},{"title":"C"}]"#);
        assert_eq!(p.articles.len(), 2);
        assert_eq!(p.problems.len(), 1);
        assert!(p.problems[0].reason.starts_with("article 2:"), "{:?}", p.problems);
    }

    #[test]
    fn fields_body_forms_and_dates() {
        let p = parse_document(
            r#"{"id":"x1","title":"T","date":"2021-03-04T23:30:00+01:00","body":"Eins\nzwei.\n\nDrei.",
               "tags":["Bund","bund","Land"],"lang":"de","extra":1}"#,
        );
        let a = &p.articles[0];
        assert_eq!(a.id.0, "x1");
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2021, 3, 4));
        assert_eq!(a.details.body, vec!["Eins zwei.", "Drei."]);
        assert_eq!(a.tag_names(), vec!["Bund", "Land"]);
        let q = parse_document(r#"{"title":"T","body":["A","B"],"date":"2021-13-01"}"#);
        assert_eq!(q.articles[0].details.body, vec!["A", "B"]);
        assert_eq!(q.articles[0].date, None);
        assert_eq!(q.problems.len(), 1);
    }

    #[test]
    fn json_lines_report_line_numbers() {
        let p = parse_lines("{\"title\":\"A\"}\n\nnot json\n{\"title\":\"B\"}\n");
        assert_eq!(p.articles.len(), 2);
        assert_eq!(p.problems[0].line, Some(3));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let p = parse_document(&deep);
        assert!(p.articles.is_empty());
        assert_eq!(p.problems.len(), 1);
    }
}
