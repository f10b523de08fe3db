//! Moving: focus, selection, scrolling, and the reading pane following the
//! selection.

use super::{App, Effect};
use crate::formats::Content;
use crate::text::fold;
use crate::tui::action::Action;
use crate::tui::layout::{Pane, inner};
use crate::tui::tag_pane::keep_visible;
use std::sync::Arc;

impl App {
    // ----- moving --------------------------------------------------------

    pub(super) fn set_focus(&mut self, pane: Pane) {
        self.focus = pane;
        if pane != Pane::Reader {
            self.zoom = false;
        }
        self.refresh_reader();
    }

    pub(super) fn step(&mut self, delta: isize) {
        match self.focus {
            Pane::List => {
                if self.matches.is_empty() {
                    return;
                }
                let last = self.matches.len() as isize - 1;
                let next = (self.selected as isize).saturating_add(delta).clamp(0, last) as usize;
                self.select(next);
            }
            Pane::Tags => {
                let h = self.pane_height(Pane::Tags);
                self.tags.step(delta, h);
            }
            Pane::Reader => {
                let h = self.pane_height(Pane::Reader);
                if delta >= isize::MAX / 4 {
                    self.reader.jump_bottom(h);
                } else {
                    self.reader.scroll_by(delta, h);
                }
                self.remember_position();
            }
        }
    }

    /// Selects list row `row`; the reading pane follows.
    pub(super) fn select(&mut self, row: usize) {
        self.remember_position();
        self.selected = row.min(self.matches.len().saturating_sub(1));
        self.list_offset = keep_visible(self.selected, self.list_offset, self.pane_height(Pane::List));
        self.refresh_reader();
    }

    /// The collection index of the selected article.
    pub fn selected_article(&self) -> Option<usize> {
        self.matches.get(self.selected).copied()
    }

    pub(super) fn remember_position(&mut self) {
        if let Some(id) = self.reader.id.clone() {
            self.marks.set_position(&id, self.reader.scroll as u32);
        }
    }

    /// Shows the selected article in the reading pane (if the pane is shown).
    pub(super) fn refresh_reader(&mut self) {
        let Some(index) = self.selected_article() else {
            self.reader.clear();
            return;
        };
        let width = self.reader_width();
        let terms: Vec<String> = self.query.text_terms().iter().map(|t| fold(t)).collect();
        let collection = Arc::clone(&self.collection);
        let full = self.full.clone();
        let article = match full.as_ref().filter(|(i, _)| *i == index) {
            _ if collection.content == Content::Full => &collection.articles[index],
            Some((_, a)) => a.as_ref(),
            None => {
                // Its headline now, its text when the runtime has read it.
                if self.reading != Some(index) {
                    self.reading = Some(index);
                    self.effects.push(Effect::ReadArticle(index));
                }
                &collection.articles[index]
            }
        };
        let scroll = if self.reader.article == Some(index) && self.reader.scroll > 0 {
            self.reader.scroll
        } else {
            self.marks.state().position(&article.id) as usize
        };
        let height = self.pane_height(Pane::Reader);
        self.reader.show(index, article, width, height, scroll, &terms);
    }

    /// Article `index` with its text, when the app has it: every article of
    /// a collection loaded with the text, else the one read for the reader.
    pub(super) fn article(&self, index: usize) -> Option<&crate::Article> {
        if self.collection.content == Content::Full {
            return self.collection.articles.get(index).map(|a| &**a);
        }
        self.full.as_ref().filter(|(i, _)| *i == index).map(|(_, a)| a.as_ref())
    }

    /// The runtime read an article with its text.
    pub(super) fn article_read(
        &mut self,
        index: usize,
        id: crate::ArticleId,
        article: Result<Arc<crate::Article>, String>,
    ) {
        if self.reading == Some(index) {
            self.reading = None;
        }
        // An answer about an article of an earlier collection, or about one
        // passed on the way to the selected one, is dropped.
        if self.selected_article() != Some(index) || self.collection.articles.get(index).is_none_or(|a| a.id != id) {
            return;
        }
        match article {
            Ok(article) => {
                self.full = Some((index, article));
                if self.selected_article() == Some(index) {
                    // The headline shown so far gives way to the whole article.
                    self.reader.clear();
                    self.refresh_reader();
                }
            }
            Err(why) => self.say(why, true),
        }
    }

    pub(super) fn open_selected(&mut self) {
        match self.focus {
            Pane::Tags => self.update(Action::IncludeTag),
            _ => {
                if self.selected_article().is_none() {
                    return;
                }
                self.set_focus(Pane::Reader);
                self.mark_read_current();
            }
        }
    }

    pub(super) fn mark_read_current(&mut self) {
        if let Some(i) = self.selected_article() {
            let id = self.collection.articles[i].id.clone();
            if !self.marks.state().is_read(&id) {
                self.marks.set_read(&id, true);
            }
        }
    }

    pub(super) fn read_neighbour(&mut self, delta: isize) {
        if self.matches.is_empty() {
            return;
        }
        let next = (self.selected as isize + delta).clamp(0, self.matches.len() as isize - 1) as usize;
        if next == self.selected {
            self.say(if delta > 0 { "last article" } else { "first article" }, false);
            return;
        }
        self.select(next);
        if self.focus == Pane::Reader {
            self.mark_read_current();
        }
    }

    pub(super) fn next_unread(&mut self) {
        let start = self.selected + 1;
        let found = (start..self.matches.len()).find(|&row| {
            let id = &self.collection.articles[self.matches[row]].id;
            !self.marks.state().is_read(id)
        });
        match found {
            Some(row) => self.select(row),
            None => self.say("no unread articles below", false),
        }
    }

    pub(super) fn click(&mut self, col: u16, row: u16) {
        let panes = self.panes();
        if panes.tabs.is_some_and(|t| t.y == row) {
            if let Some(pane) = crate::tui::layout::tab_at(col) {
                self.set_focus(pane);
            }
            return;
        }
        let Some(pane) = panes.hit(col, row) else { return };
        self.set_focus(pane);
        let Some(rect) = panes.get(pane).map(inner) else { return };
        if row < rect.y || row >= rect.y + rect.height {
            return;
        }
        let line = (row - rect.y) as usize;
        match pane {
            Pane::List => {
                let target = self.list_offset + line;
                if target < self.matches.len() {
                    self.select(target);
                }
            }
            Pane::Tags => {
                if let Some(&target) = self.tags.visible(self.pane_height(Pane::Tags)).get(line) {
                    self.tags.selected = target;
                }
            }
            Pane::Reader => {}
        }
    }
}
