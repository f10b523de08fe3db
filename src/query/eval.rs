//! Evaluating a [`Query`] against the articles of a [`Collection`].

use super::{Flag, Query, Term};
use crate::article::Article;
use crate::collection::{Collection, TagId};
use crate::text::Needle;
use chrono::NaiveDate;
use rayon::prelude::*;

pub use crate::article::{Flags, NoFlags};

/// A term made ready for fast matching: tags resolved to ids, text folded.
enum Compiled {
    AnyTag(Vec<TagId>),
    NoTag(Vec<TagId>),
    Date(NaiveDate, NaiveDate),
    Source(Needle),
    Kicker(Needle),
    Is(Flag),
    Text(Needle),
}

/// Where words are looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextScope {
    /// Title, kicker and tags only: fast enough for every keystroke.
    Headlines,
    /// Also the lead and the body.
    Everything,
}

/// A query compiled against one collection's tag index.
pub struct Matcher {
    terms: Vec<Compiled>,
    /// Stand-ins for missing bookmarked articles match only `is:bookmarked` queries.
    wants_bookmarks: bool,
}

impl Matcher {
    pub fn new(query: &Query, collection: &Collection) -> Matcher {
        let ids = |tags: &[String]| tags.iter().filter_map(|t| collection.tags.find(t)).collect();
        let terms = query
            .terms
            .iter()
            .map(|t| match t {
                Term::HasTag(tags) => Compiled::AnyTag(ids(tags)),
                Term::LacksTag(tags) => Compiled::NoTag(ids(tags)),
                Term::Date(r) => Compiled::Date(
                    r.from.and_then(|d| d.first_day()).unwrap_or(NaiveDate::MIN),
                    r.to.and_then(|d| d.last_day()).unwrap_or(NaiveDate::MAX),
                ),
                Term::Source(s) => Compiled::Source(Needle::new(s)),
                Term::Kicker(s) => Compiled::Kicker(Needle::new(s)),
                Term::Is(f) => Compiled::Is(*f),
                Term::Text(s) => Compiled::Text(Needle::new(s)),
            })
            .collect();
        // Cheap terms first, so full-text terms run on fewer articles.
        let mut terms: Vec<Compiled> = terms;
        terms.sort_by_key(|t| matches!(t, Compiled::Text(_)));
        let wants_bookmarks = terms.iter().any(|t| matches!(t, Compiled::Is(Flag::Bookmarked)));
        Matcher { terms, wants_bookmarks }
    }

    /// Does article `index` of `collection` match?
    pub fn matches(&self, collection: &Collection, index: usize, flags: &dyn Flags) -> bool {
        self.matches_in(collection, index, flags, TextScope::Everything)
    }

    /// Like [`Matcher::matches`], looking for words only within `scope`.
    pub fn matches_in(&self, collection: &Collection, index: usize, flags: &dyn Flags, scope: TextScope) -> bool {
        let article = &collection.articles[index];
        if collection.missing > 0 && article.missing && !self.wants_bookmarks {
            return false;
        }
        let tags = collection.tags_of(index);
        self.terms.iter().all(|term| match term {
            Compiled::AnyTag(want) => want.iter().any(|t| tags.binary_search(t).is_ok()),
            Compiled::NoTag(unwanted) => !unwanted.iter().any(|t| tags.binary_search(t).is_ok()),
            Compiled::Date(from, to) => collection.dates[index].is_some_and(|d| *from <= d && d <= *to),
            Compiled::Source(s) => article.source.as_deref().is_some_and(|x| s.found_in(x)),
            Compiled::Kicker(s) => article.kicker.as_deref().is_some_and(|x| s.found_in(x)),
            Compiled::Is(Flag::Bookmarked) => flags.is_bookmarked(&article.id),
            Compiled::Is(Flag::Read) => flags.is_read(&article.id),
            Compiled::Is(Flag::Unread) => !flags.is_read(&article.id),
            Compiled::Text(word) => {
                let headline = collection.headlines.get(index).is_some_and(|h| h.contains(word.folded()));
                headline || (scope == TextScope::Everything && text_matches(article, word))
            }
        })
    }
}

/// A word in the lead or the body.
fn text_matches(a: &Article, word: &Needle) -> bool {
    a.lead.as_deref().is_some_and(|l| word.found_in(l)) || a.body.iter().any(|p| word.found_in(&p.text))
}

/// The indices of all matching articles, in collection order, in parallel.
pub fn filter(collection: &Collection, query: &Query, flags: &dyn Flags) -> Vec<usize> {
    filter_until(collection, query, flags, &|| false).unwrap_or_default()
}

/// Like [`filter`], giving up (`None`) as soon as `stop` says so: a search
/// that the user has already typed past is not finished.
pub fn filter_until(
    collection: &Collection,
    query: &Query,
    flags: &dyn Flags,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<usize>> {
    filter_scoped(collection, query, flags, TextScope::Everything, stop)
}

/// [`filter_until`] with words looked for only within `scope`.
pub fn filter_scoped(
    collection: &Collection,
    query: &Query,
    flags: &dyn Flags,
    scope: TextScope,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<usize>> {
    if query.is_empty() && collection.missing == 0 {
        return Some((0..collection.len()).collect());
    }
    let matcher = Matcher::new(query, collection);
    let keep = |&i: &usize| !stop() && matcher.matches_in(collection, i, flags, scope);
    // Tags, dates, keys and flags take a few nanoseconds an article: one
    // thread is faster than waking the pool. Words in bodies need the cores.
    let found: Vec<usize> = if scope == TextScope::Everything && query.has_text_terms() {
        (0..collection.len()).into_par_iter().filter(keep).collect()
    } else {
        (0..collection.len()).filter(keep).collect()
    };
    if stop() { None } else { Some(found) }
}
