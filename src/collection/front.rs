//! The front page: the first screen of a collection, saved beside the index
//! on disk each time the index is written, so that the reader shows its
//! first screen at once, whatever the collection's size, and loads the rest
//! of the index behind it.
//!
//! It holds the first articles in the list's first order (newest first),
//! every tag with the number of its articles, the number of articles and the
//! problems: what the first screen shows without a filter. It carries the
//! stamp of the index it was made with and is used only with that index
//! (see [`crate::cache::Place::read_front`]).

use super::{Collection, LoadOptions, Problem, Source};
use crate::article::Article;
use crate::cache::Place;
use crate::formats::Content;
use std::path::PathBuf;
use std::sync::Arc;

fn path_from(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(crate::cache::path_from_bytes(bytes))
}

/// How many articles a front page holds: more rows than a screen has, so
/// that moving down does not reach its end before the rest is loaded.
pub const FRONT_ARTICLES: usize = 1000;

/// What a collection loaded from its front page does not have itself: it
/// holds only the first articles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Partial {
    /// The articles of the whole collection.
    pub total: usize,
    /// The articles of each tag in the whole collection, by tag id.
    pub counts: Vec<usize>,
    /// Every tag, in the whole collection's order (its ids).
    names: Vec<String>,
}

impl Partial {
    pub(super) fn names(&self) -> &[String] {
        &self.names
    }
}

/// The front page as stored (postcard).
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    total: u64,
    /// Every tag as the collection spells it, in the order of its ids, and
    /// how many articles carry it.
    tags: Vec<(String, u64)>,
    /// The first articles with their paths (an article's own path is not
    /// serialised).
    articles: Vec<(Vec<u8>, Article)>,
    problems: Vec<(Vec<u8>, Option<usize>, String)>,
}

/// What [`Collection::count_or_load`] gives.
pub enum Counted {
    /// The count, told by the front page (for its problems and tags).
    Front(Collection, usize),
    /// The whole collection, loaded: count its matches.
    Whole(Collection),
}

impl Collection {
    /// The number of articles matching `query` (nothing, or one tag), from
    /// the front page when every file is as the index has it: each file
    /// is looked at, none is read and the index is not loaded. Otherwise
    /// (something changed, there is no front page, the query asks more)
    /// the whole collection, loaded.
    pub fn count_or_load(paths: &[PathBuf], options: &LoadOptions, query: &crate::query::Query) -> Counted {
        use crate::query::Term;
        let tag = match query.terms.as_slice() {
            [] => None,
            [Term::HasTag(names)] if names.len() == 1 => Some(names[0].as_str()),
            _ => return Counted::Whole(Collection::load(paths, options)),
        };
        let checked = Collection::load_from(paths, options, Source::Check, &|_, _| {});
        let unchanged = checked.articles.is_empty() && checked.changes.is_some_and(|c| !c.any());
        if !unchanged {
            return Counted::Whole(checked);
        }
        let Some(front) = Collection::front_page(paths, options) else {
            return Counted::Whole(Collection::load(paths, options));
        };
        let whole = front.partial();
        let count = match tag {
            None => whole.map_or(0, |w| w.total),
            Some(name) => front.tags.find(name).and_then(|id| whole?.counts.get(id.0 as usize)).copied().unwrap_or(0),
        };
        Counted::Front(front, count)
    }

    /// The collection's first screen from the front page beside its index,
    /// without reading the index or any file: `None` when there is no front
    /// page made from the index now on disk (or no index, or `options` are
    /// not those of a load through it). The collection holds only the
    /// first articles; [`Collection::partial`] says what the whole has.
    pub fn front_page(paths: &[PathBuf], options: &LoadOptions) -> Option<Collection> {
        let dir = options.cache.as_ref().filter(|_| options.content == Content::Metadata)?;
        let place = Place::new(dir, paths, options.max_file_size);
        let body = place.read_front(&place.stamp_on_disk()?)?;
        let stored: Stored = postcard::from_bytes(&body).ok()?;
        let (names, counts): (Vec<String>, Vec<usize>) =
            stored.tags.into_iter().map(|(name, n)| (name, n as usize)).unzip();
        let articles = stored
            .articles
            .into_iter()
            .map(|(path, article)| Arc::new(Article { path: path_from(path), ..article }))
            .collect();
        let mut collection = Collection {
            articles,
            content: Content::Metadata,
            with_headlines: options.headlines,
            max_file_size: options.max_file_size,
            partial: Some(Partial { total: stored.total as usize, counts, names }),
            problems: stored
                .problems
                .into_iter()
                .map(|(path, line, reason)| Problem { path: path_from(path), line, reason })
                .collect(),
            ..Collection::default()
        };
        let folded_titles = collection.folded_titles();
        collection.index_tags(folded_titles);
        Some(collection)
    }

    /// What the whole collection has, when this is only its front page.
    pub fn partial(&self) -> Option<&Partial> {
        self.partial.as_ref()
    }

    /// The number of articles in the whole collection (when this is its
    /// front page, more than it holds).
    pub fn total(&self) -> usize {
        self.partial.as_ref().map_or(self.articles.len(), |p| p.total)
    }

    /// Saves this collection's front page beside the index `place`, whose
    /// stamp is `stamp`.
    pub(super) fn write_front_page(&self, place: &Place, stamp: &str) -> Result<(), String> {
        let bytes = |p: &std::path::Path| p.as_os_str().as_encoded_bytes().to_vec();
        let mut counts = vec![0u64; self.tags.len()];
        for tag in self.tags.ids() {
            counts[tag.0 as usize] = self.articles_with(tag).len() as u64;
        }
        // Stand-ins for bookmarks are the reader's, not the collection's.
        let articles = self.articles.iter().filter(|a| !a.missing);
        let stored = Stored {
            total: (self.articles.len() - self.missing) as u64,
            tags: self.tags.names.iter().cloned().zip(counts).collect(),
            articles: articles.take(FRONT_ARTICLES).map(|a| (bytes(&a.path), Article::clone(a))).collect(),
            problems: self.problems.iter().map(|p| (bytes(&p.path), p.line, p.reason.clone())).collect(),
        };
        let body = postcard::to_allocvec(&stored).map_err(|e| format!("front page not saved: {e}"))?;
        place.write_front(stamp, &body)
    }
}
