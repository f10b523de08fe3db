//! Bookmarks, read state and reading positions.
//!
//! Every value is a last-writer-wins register: the value and the time it was
//! set. Merging two stores keeps, field by field, the later write, so merge is
//! commutative and idempotent, and removals (a bookmark taken away, an article
//! marked unread) merge like any other write. Persistence is in `store/file.rs`.

use crate::article::Flags;
use crate::article::{Article, ArticleId, DetailFields, Details};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod file;
pub use file::{StoreError, StoreFile, default_dir, lock_file, write_atomically, write_atomically_with};

/// The state file's format version; a file with a higher one is left alone.
pub const VERSION: u32 = 1;

/// A value and when it was set (milliseconds since the Unix epoch).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamped<T> {
    pub value: T,
    pub at: u64,
}

/// What a bookmark remembers of its article, so that it can be shown even
/// when the article is gone from the collection. The state file is as
/// untrusted as any article: every field is cleaned as it is read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Snapshot {
    #[serde(deserialize_with = "clean_string")]
    pub title: String,
    #[serde(default, deserialize_with = "clean_option")]
    pub date: Option<String>,
    #[serde(default, deserialize_with = "clean_option")]
    pub source: Option<String>,
    #[serde(default, deserialize_with = "clean_option")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "clean_option")]
    pub path: Option<String>,
}

fn clean_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(crate::sanitize::clean_line(&String::deserialize(d)?))
}

fn clean_option<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(|s| crate::sanitize::clean_line(&s)))
}

impl Snapshot {
    pub fn of(article: &Article) -> Snapshot {
        Snapshot {
            title: article.title.clone(),
            date: article.date_text(),
            source: article.source.as_deref().map(String::from),
            url: article.primary_link().map(str::to_string),
            // Absolute, so that it means the same from wherever blatt is started next.
            path: Some(
                std::path::absolute(&article.path)
                    .unwrap_or_else(|_| article.path.clone())
                    .to_string_lossy()
                    .into_owned(),
            ),
        }
    }
}

/// Everything kept about one article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<Stamped<bool>>,
    /// `Some(snapshot)` while bookmarked; `None` after the bookmark was removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bookmark: Option<Stamped<Option<Snapshot>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Stamped<u32>>,
}

impl Entry {
    /// The latest stamp of any of its fields.
    fn latest(&self) -> u64 {
        let read = self.read.as_ref().map(|s| s.at);
        let bookmark = self.bookmark.as_ref().map(|s| s.at);
        let position = self.position.as_ref().map(|s| s.at);
        [read, bookmark, position].into_iter().flatten().max().unwrap_or(0)
    }
}

/// The whole state, as kept in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    #[serde(default)]
    pub articles: BTreeMap<ArticleId, Entry>,
}

/// Keeps the later of two writes; equal times fall back to comparing the
/// values, so that both orders of a merge agree.
fn later<T: Clone + Ord>(a: &Option<Stamped<T>>, b: &Option<Stamped<T>>) -> Option<Stamped<T>> {
    match (a, b) {
        (Some(x), Some(y)) => {
            let pick_y = (y.at, &y.value) > (x.at, &x.value);
            Some(if pick_y { y.clone() } else { x.clone() })
        }
        (Some(x), None) => Some(x.clone()),
        (None, y) => y.clone(),
    }
}

/// `now` when it is a later write than `was`.
fn newer<T: Clone>(now: &Option<Stamped<T>>, was: Option<&Stamped<T>>) -> Option<Stamped<T>> {
    now.as_ref().filter(|n| was.is_none_or(|w| n.at > w.at)).cloned()
}

impl State {
    pub fn new() -> State {
        State { version: VERSION, articles: BTreeMap::new() }
    }

    /// Merges `other` into a new state: field by field, the later write wins.
    pub fn merge(&self, other: &State) -> State {
        let mut out = State { version: VERSION, articles: self.articles.clone() };
        for (id, theirs) in &other.articles {
            let ours = out.articles.entry(id.clone()).or_default();
            *ours = Entry {
                read: later(&ours.read, &theirs.read),
                bookmark: later(&ours.bookmark, &theirs.bookmark),
                position: later(&ours.position, &theirs.position),
            };
        }
        out
    }

    pub fn is_read(&self, id: &ArticleId) -> bool {
        self.articles.get(id).and_then(|e| e.read.as_ref()).is_some_and(|r| r.value)
    }

    pub fn bookmark(&self, id: &ArticleId) -> Option<&Snapshot> {
        self.articles.get(id).and_then(|e| e.bookmark.as_ref()).and_then(|b| b.value.as_ref())
    }

    pub fn position(&self, id: &ArticleId) -> u32 {
        self.articles.get(id).and_then(|e| e.position.as_ref()).map(|p| p.value).unwrap_or(0)
    }

    /// Articles standing in for bookmarks whose article is not in `collection`
    /// (any more): shown only where bookmarks are asked for.
    pub fn stand_ins(&self, collection: &crate::Collection) -> Vec<Article> {
        let present: std::collections::HashSet<&ArticleId> = collection.articles.iter().map(|a| &a.id).collect();
        self.bookmarks()
            .into_iter()
            .filter(|(id, _, _)| !present.contains(id))
            .map(|(id, snap, _)| stand_in(id, snap))
            .collect()
    }

    /// The stand-in for article `id` when it is bookmarked (see
    /// [`State::stand_ins`]).
    pub fn stand_in(&self, id: &ArticleId) -> Option<Article> {
        self.bookmark(id).map(|snap| stand_in(id, snap))
    }

    /// Adds [`State::stand_ins`] to `collection`.
    pub fn add_stand_ins_to(&self, collection: &mut crate::Collection) {
        let ghosts = self.stand_ins(collection);
        collection.add_stand_ins(ghosts);
    }

    /// All bookmarks with the time they were made, newest first.
    pub fn bookmarks(&self) -> Vec<(&ArticleId, &Snapshot, u64)> {
        let mut out: Vec<_> = self
            .articles
            .iter()
            .filter_map(|(id, e)| e.bookmark.as_ref().and_then(|b| b.value.as_ref().map(|s| (id, s, b.at))))
            .collect();
        out.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(b.0)));
        out
    }
}

/// An article standing in for the bookmarked article `id`, from its snapshot.
fn stand_in(id: &ArticleId, snap: &Snapshot) -> Article {
    Article {
        id: id.clone(),
        title: crate::sanitize::clean_line(&snap.title),
        date: snap.date.as_deref().and_then(crate::formats::json::parse_date),
        source: snap.source.as_deref().map(|s| crate::article::shared_source(&crate::sanitize::clean_line(s))),
        url: snap.url.as_deref().map(crate::sanitize::clean_line),
        path: snap.path.as_deref().map(std::path::PathBuf::from).unwrap_or_default(),
        details: Details::new(DetailFields {
            lead: Some("This bookmarked article is no longer in the collection; its bookmark is kept.".into()),
            ..DetailFields::default()
        }),
        missing: true,
        ..Article::default()
    }
}

/// The state of one running blatt: what is known, and what this instance
/// changed since its last successful save.
#[derive(Debug, Default)]
pub struct Marks {
    state: State,
    /// This instance's own writes not yet saved, merged in at the next save.
    pending: State,
    last_stamp: u64,
}

impl Marks {
    pub fn new(state: State) -> Marks {
        Marks { state, pending: State::new(), last_stamp: 0 }
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// True when there are changes that were not saved yet.
    pub fn has_pending(&self) -> bool {
        !self.pending.articles.is_empty()
    }

    /// The writes waiting for a save.
    pub fn pending(&self) -> &State {
        &self.pending
    }

    /// After a save: the merged state is now known, nothing is pending.
    pub fn saved(&mut self, merged: State) {
        self.state = merged;
        self.pending = State::new();
    }

    /// After a save of `sent` (a copy of what was pending) that ran while
    /// this instance went on: what changed since the copy stays pending, and
    /// is laid over the merged state.
    pub fn saved_part(&mut self, sent: &State, merged: State) {
        let mut rest = State::new();
        for (id, now) in &self.pending.articles {
            let was = sent.articles.get(id);
            let entry = Entry {
                read: newer(&now.read, was.and_then(|w| w.read.as_ref())),
                bookmark: newer(&now.bookmark, was.and_then(|w| w.bookmark.as_ref())),
                position: newer(&now.position, was.and_then(|w| w.position.as_ref())),
            };
            if entry != Entry::default() {
                rest.articles.insert(id.clone(), entry);
            }
        }
        self.state = merged.merge(&rest);
        self.pending = rest;
    }

    /// A fresh timestamp, strictly later than the previous one of this instance.
    fn stamp(&mut self) -> u64 {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        self.last_stamp = now.max(self.last_stamp + 1);
        self.last_stamp
    }

    fn write(&mut self, id: &ArticleId, f: impl Fn(&mut Entry, u64)) {
        // Later than anything known of this article, so that a mark stamped
        // by a clock far ahead (another machine, a wrong clock) can still be
        // changed: it does not win forever.
        let known = self.state.articles.get(id).map(Entry::latest).unwrap_or(0);
        let at = self.stamp().max(known.saturating_add(1));
        f(self.state.articles.entry(id.clone()).or_default(), at);
        f(self.pending.articles.entry(id.clone()).or_default(), at);
    }

    pub fn set_read(&mut self, id: &ArticleId, read: bool) {
        if self.state.is_read(id) != read {
            self.write(id, |e, at| e.read = Some(Stamped { value: read, at }));
        }
    }

    /// Adds or removes a bookmark; returns true when the article is now bookmarked.
    pub fn toggle_bookmark(&mut self, article: &Article) -> bool {
        let now = self.state.bookmark(&article.id).is_none();
        let value = now.then(|| Snapshot::of(article));
        self.write(&article.id, |e, at| e.bookmark = Some(Stamped { value: value.clone(), at }));
        now
    }

    /// Removes a bookmark by id (for articles no longer in the collection).
    pub fn remove_bookmark(&mut self, id: &ArticleId) {
        if self.state.bookmark(id).is_some() {
            self.write(id, |e, at| e.bookmark = Some(Stamped { value: None, at }));
        }
    }

    pub fn set_position(&mut self, id: &ArticleId, line: u32) {
        if self.state.position(id) != line {
            self.write(id, |e, at| e.position = Some(Stamped { value: line, at }));
        }
    }
}

impl Flags for Marks {
    fn is_bookmarked(&self, id: &ArticleId) -> bool {
        Flags::is_bookmarked(&self.state, id)
    }
    fn is_read(&self, id: &ArticleId) -> bool {
        Flags::is_read(&self.state, id)
    }
}

impl Flags for State {
    fn is_bookmarked(&self, id: &ArticleId) -> bool {
        self.bookmark(id).is_some()
    }
    fn is_read(&self, id: &ArticleId) -> bool {
        State::is_read(self, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An article with just an id and a title, for the store's tests.
    pub(super) fn article(id: &str) -> Article {
        Article { id: ArticleId(id.into()), title: format!("Title {id}"), ..Article::default() }
    }

    #[test]
    fn toggles_and_flags() {
        let mut m = Marks::default();
        let a = article("a");
        assert!(m.toggle_bookmark(&a));
        assert!(m.is_bookmarked(&a.id));
        m.set_read(&a.id, true);
        assert!(Flags::is_read(&m, &a.id));
        assert!(!m.toggle_bookmark(&a));
        assert!(!m.is_bookmarked(&a.id));
        assert!(m.has_pending());
        assert_eq!(m.state().bookmarks().len(), 0);
    }

    #[test]
    fn bookmarks_keep_absolute_paths() {
        let a = Article { path: "news/a.txt".into(), ..article("a") };
        let path = Snapshot::of(&a).path.unwrap();
        assert!(std::path::Path::new(&path).is_absolute(), "{path}");
        assert!(path.ends_with("news/a.txt"), "{path}");
    }

    #[test]
    fn changes_made_while_a_save_runs_stay_pending() {
        let mut m = Marks::default();
        m.toggle_bookmark(&article("a"));
        m.set_read(&ArticleId("b".into()), true);
        let sent = m.pending().clone();
        // While the save runs: a new change to `a`, and one to `c`.
        m.set_read(&ArticleId("a".into()), true);
        m.toggle_bookmark(&article("c"));
        let on_disk = State::new().merge(&sent);
        m.saved_part(&sent, on_disk);
        let pending: Vec<&str> = m.pending().articles.keys().map(|k| k.0.as_str()).collect();
        assert_eq!(pending, ["a", "c"]);
        assert!(m.pending().articles[&ArticleId("a".into())].bookmark.is_none(), "the saved bookmark is done");
        assert!(m.is_bookmarked(&ArticleId("a".into())) && m.is_bookmarked(&ArticleId("c".into())));
        assert!(Flags::is_read(&m, &ArticleId("a".into())) && Flags::is_read(&m, &ArticleId("b".into())));
    }

    #[test]
    fn later_write_wins_including_removals() {
        let mut one = Marks::default();
        let a = article("a");
        one.toggle_bookmark(&a);
        let mut two = Marks::new(one.state().clone());
        std::thread::sleep(std::time::Duration::from_millis(2));
        two.toggle_bookmark(&a); // removed later elsewhere
        let merged = one.state().merge(two.state());
        assert!(merged.bookmark(&a.id).is_none());
        let merged = two.state().merge(one.state());
        assert!(merged.bookmark(&a.id).is_none());
    }
}
