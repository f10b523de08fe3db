//! The query language shared by the command line and the reader's prompt:
//! `+tag -tag +a|b @2021..2022-06 source:heise is:unread word "a phrase"`.
//!
//! Text is parsed into a [`Query`] (`parse.rs`), which prints back to the same
//! language (`print.rs`), is edited by the tag pane (`edit.rs`) and is
//! evaluated against articles (`eval.rs`, with the tag pane's counts in
//! `facets.rs`).

mod edit;
mod eval;
mod facets;
mod parse;
mod print;

pub use edit::TagState;
pub use eval::{Counts, Evaluation, Flags, NoFlags, Outcome, TextScope, filter};
pub use facets::ranked;
pub use parse::{QueryError, parse};

/// How well article `index` of `collection` answers `words` (a query's
/// [`Query::text_terms`], folded), for the reader's relevance order: each
/// word counts 4 in the title and 2 in the kicker or the tags; a word only
/// in the text counts nothing (every match has it somewhere). Ties keep the
/// collection's order (newest first).
fn relevance(collection: &crate::Collection, index: usize, words: &[String]) -> u32 {
    let a = &collection.articles[index];
    let (title, rest) = match collection.headlines.get(index) {
        Some(h) => {
            let (t, r) = h.split_once('\n').unwrap_or((h, ""));
            (std::borrow::Cow::Borrowed(t), std::borrow::Cow::Borrowed(r))
        }
        None => {
            let mut rest = a.kicker.as_deref().map(crate::text::fold).unwrap_or_default();
            for t in &a.tags {
                rest.push('\n');
                rest.push_str(&crate::text::fold(t));
            }
            (std::borrow::Cow::Owned(crate::text::fold(&a.title)), std::borrow::Cow::Owned(rest))
        }
    };
    words
        .iter()
        .map(|w| {
            if title.contains(w.as_str()) {
                4
            } else if rest.contains(w.as_str()) {
                2
            } else {
                0
            }
        })
        .sum()
}

/// Puts `matches` in order of relevance to the words of `query` (see
/// [`relevance`]), newest first among equals: each score once, on every
/// core. Without words, newest first.
pub fn rank(collection: &crate::Collection, matches: &mut [usize], query: &Query) {
    use rayon::prelude::*;
    let words: Vec<String> = query.text_terms().into_iter().map(crate::text::fold).collect();
    if words.is_empty() {
        return matches.sort_unstable();
    }
    let score = |i: usize| std::cmp::Reverse(relevance(collection, i, &words));
    let mut scored: Vec<_> = matches.par_iter().map(|&i| (score(i), i)).collect();
    scored.par_sort_unstable();
    matches.iter_mut().zip(scored).for_each(|(m, (_, i))| *m = i);
}

/// A whole query: every term must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<Term>,
}

/// One condition of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// `+a|b`: the article has at least one of these tags.
    HasTag(Vec<String>),
    /// `-a`: the article has none of these tags.
    LacksTag(Vec<String>),
    /// `@2022`, `@2021..2022-06`, `@..2020`, `@2023..`.
    Date(DateRange),
    /// `source:TEXT`: the source contains TEXT.
    Source(String),
    /// `kicker:TEXT`: the kicker contains TEXT.
    Kicker(String),
    /// `is:bookmarked`, `is:read`, `is:unread`.
    Is(Flag),
    /// A word or `"phrase"` found in title, kicker, lead, body or tags.
    Text(String),
}

/// What `is:` can ask about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Bookmarked,
    Read,
    Unread,
}

/// A date with year, and optionally month and day, as the user wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

/// A date range; `single` is `@2022` (from and to are the same partial date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
    pub single: bool,
}

impl PartialDate {
    /// The first day this partial date covers.
    pub fn first_day(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day this partial date covers.
    pub fn last_day(&self) -> Option<chrono::NaiveDate> {
        match (self.month, self.day) {
            (Some(m), Some(d)) => chrono::NaiveDate::from_ymd_opt(self.year, m, d),
            (Some(m), None) => {
                let (y, m) = if m == 12 { (self.year + 1, 1) } else { (self.year, m + 1) };
                chrono::NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
            }
            _ => chrono::NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
    }
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// True when the query asks for words in the text (a full-text search).
    pub fn has_text_terms(&self) -> bool {
        self.terms.iter().any(|t| matches!(t, Term::Text(_)))
    }

    /// The words and phrases of the query, for highlighting.
    pub fn text_terms(&self) -> Vec<&str> {
        self.terms
            .iter()
            .filter_map(|t| match t {
                Term::Text(s) => Some(s.as_str()),
                _ => None,
            })
            .collect()
    }
}
