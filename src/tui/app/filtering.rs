//! Filtering: applying queries (at once, or in the background for words in
//! bodies), sorting the list, and keeping the tag pane in step.

use super::{App, Effect, SortMode};
use crate::Article;
use crate::collection::Collection;
use crate::query::{Counts, Evaluation, Flag, Outcome, Query, Term};
use crate::tui::layout::Pane;
use crate::tui::tag_pane::keep_visible;
use std::sync::Arc;

impl App {
    // ----- filtering -----------------------------------------------------

    /// Makes `query` the filter. Queries with words run off the UI thread.
    pub(super) fn apply_query(&mut self, query: Query) {
        self.query = query;
        self.generation += 1;
        // Without bodies in memory, words are looked for in the files: never
        // on the UI thread.
        let in_files = self.collection.content == crate::formats::Content::Metadata;
        if self.query.has_text_terms() && (in_files || self.collection.len() > self.background_search_above) {
            // All of it off the UI thread (a keystroke never waits for a
            // search): the hits in titles, kickers and tags come first.
            self.searching = Some(self.generation);
            let (generation, query) = (self.generation, self.query.clone());
            self.effects.push(Effect::Search { generation, query, rank: self.sort == SortMode::Relevance });
        } else {
            let found = Evaluation::new(&self.marks).counts(Counts::Faceted).run(&self.collection, &self.query);
            let Outcome { matches, counts } = found.unwrap_or_default();
            self.searching = None;
            self.set_matches(matches, counts, false);
        }
        if let Some(hint) = self.collection.tags.unknown_in(&self.query).into_iter().next() {
            self.say(hint, false);
        }
    }

    /// A background search (or ranking) finished; stale answers are ignored.
    pub(super) fn search_done(
        &mut self,
        generation: u64,
        matches: Vec<usize>,
        counts: Vec<usize>,
        last: bool,
        ranked: bool,
    ) {
        if self.searching == Some(generation) {
            if last {
                self.searching = None;
            }
            // An early answer, or a ranking, has no counts: the tag pane
            // keeps its rows rather than sort and hide them by nothing.
            let counts = if counts.is_empty() { std::mem::take(&mut self.counts) } else { counts };
            self.set_matches(matches, counts, ranked);
        }
    }

    /// Shows `matches` (in order of relevance already when `ranked`).
    pub(super) fn set_matches(&mut self, mut matches: Vec<usize>, mut counts: Vec<usize>, ranked: bool) {
        if let Some(whole) = self.collection.partial()
            && self.query.is_empty()
        {
            // Only the front page is loaded: it knows the whole's counts.
            counts.clone_from(&whole.counts);
        }
        let keep = self.anchor.or_else(|| self.selected_article());
        if !(ranked && self.sort == SortMode::Relevance) {
            self.sort_matches(&mut matches);
        }
        self.matches = matches;
        self.counts = counts;
        let row = keep.and_then(|k| self.matches.iter().position(|&m| m == k)).unwrap_or(0);
        self.selected = row.min(self.matches.len().saturating_sub(1));
        self.list_offset =
            keep_visible(self.selected, self.list_offset.min(self.selected), self.pane_height(Pane::List));
        self.rebuild_tags();
        // The reader follows the selection and takes the new search words.
        self.refresh_reader();
    }

    pub(super) fn sort_matches(&self, matches: &mut [usize]) {
        let arts = &self.collection.articles;
        match self.sort {
            SortMode::Newest => matches.sort_unstable(),
            SortMode::Oldest => {
                // Undated articles stay at the end.
                matches.sort_unstable_by_key(|&i| (arts[i].date.is_none(), std::cmp::Reverse(i)));
            }
            SortMode::Title => matches.sort_unstable_by_key(|&i| self.collection.orders().title[i]),
            SortMode::Source => matches.sort_unstable_by_key(|&i| self.collection.orders().source[i]),
            SortMode::Relevance => crate::query::rank(&self.collection, matches, &self.query),
        }
    }

    pub(super) fn resort(&mut self) {
        let large = self.matches.len() > self.background_search_above;
        if self.sort == SortMode::Relevance && large && self.query.has_text_terms() {
            // Scoring many matches takes longer than a frame: off the UI
            // thread, by the searcher (a search under way starts again
            // to answer in that order).
            if self.searching.is_some() {
                return self.apply_query(self.query.clone());
            }
            self.generation += 1;
            self.searching = Some(self.generation);
            let (generation, query, matches) = (self.generation, self.query.clone(), self.matches.clone());
            return self.effects.push(Effect::Rank { generation, query, matches });
        }
        let keep = self.selected_article();
        let mut m = std::mem::take(&mut self.matches);
        self.sort_matches(&mut m);
        self.matches = m;
        let row = keep.and_then(|k| self.matches.iter().position(|&x| x == k)).unwrap_or(0);
        self.select(row);
    }

    pub(super) fn rebuild_tags(&mut self) {
        let collection = Arc::clone(&self.collection);
        self.tags.rebuild(&collection, &self.counts, &self.query);
        let h = self.pane_height(Pane::Tags);
        self.tags.keep_visible(h);
    }

    pub(super) fn edit_tag(&mut self, edit: impl Fn(&mut Query, &str, bool)) {
        let Some(tag) = self.tags.current() else { return };
        let name = self.collection.tags.name(tag).to_string();
        let mut q = self.query.clone();
        let any = q.tags_any_of() || self.tags.any_of;
        edit(&mut q, &name, any);
        self.apply_query(q);
    }

    /// Sets the saved views, counting their matches.
    pub fn set_views(&mut self, views: Vec<(String, Query)>) {
        self.views = views.into_iter().map(|(name, q)| (name, q, 0)).collect();
        self.count_views();
    }

    fn count_views(&mut self) {
        let collection = Arc::clone(&self.collection);
        for (_, q, count) in &mut self.views {
            *count = Evaluation::new(&self.marks).run(&collection, q).map_or(0, |o| o.matches.len());
        }
    }

    /// A number key: the saved view with that number.
    pub(super) fn apply_view(&mut self, n: usize) {
        let Some((name, q, count)) = self.views.get(n.wrapping_sub(1)).cloned() else {
            self.say(format!("no view {n}: name views in [views] in config.toml"), false);
            return;
        };
        self.tags.any_of = false;
        self.apply_query(q);
        if self.loading() {
            // Counted on the front page alone: no count yet.
            return self.say(format!("view {name}"), false);
        }
        self.say(format!("view {name}: {}", crate::text::count(count, "article", "articles")), false);
    }

    pub(super) fn toggle_flag_term(&mut self, flag: Flag) {
        let mut q = self.query.clone();
        let had = q.terms.contains(&Term::Is(flag));
        q.terms.retain(|t| !matches!(t, Term::Is(_)));
        if !had {
            q.terms.push(Term::Is(flag));
        }
        self.apply_query(q);
    }

    pub(super) fn replace_collection(&mut self, collection: Arc<Collection>) {
        // The selection stays on its article, at the same height in the
        // list, and the reading pane where it was.
        let keep = self.selected_article().map(|i| self.collection.articles[i].id.clone());
        let (height, scroll) = (self.selected.saturating_sub(self.list_offset), self.reader.scroll);
        let full = self.full.take().filter(|(i, _)| Some(*i) == self.selected_article()).map(|(_, a)| a);
        self.collection = collection;
        // Indices mean other articles now.
        (self.anchor, self.reading) = (None, None);
        self.count_views();
        self.reader.clear();
        self.selected = 0;
        let query = self.query.clone();
        self.apply_query(query);
        if let Some(id) = keep
            && let Some(row) = self.matches.iter().position(|&i| self.collection.articles[i].id == id)
        {
            let index = self.matches[row];
            // The text read before is still good if the article is unchanged.
            let unchanged = |a: &Arc<Article>| {
                let mut bare = (**a).clone();
                bare.drop_text();
                bare == *self.collection.articles[index]
            };
            self.full = full.filter(unchanged).map(|a| (index, a));
            self.selected = row;
            // At the same height, unless rows above would hide while the
            // pane has room for them below.
            let room = self.matches.len().saturating_sub(self.pane_height(Pane::List));
            self.list_offset = row.saturating_sub(height).min(room);
            self.refresh_reader();
            self.reader.scroll = scroll;
        }
    }
}
