//! The tag pane's state: which tags are listed, in what order, and where the
//! cursor is. Counts come from the app's faceted evaluation.

use crate::collection::{Collection, TagId};
use crate::query::{Query, Term};
use crate::text::{contains_folded, fold};

/// The tag pane.
#[derive(Debug, Clone, Default)]
pub struct TagPane {
    /// The tags listed, in display order.
    pub rows: Vec<TagId>,
    pub selected: usize,
    pub offset: usize,
    pub by_name: bool,
    pub hide_empty: bool,
    /// Only tags containing this text are listed (`f`).
    pub find: String,
    /// The must-have tags combine as any-of (`a`), even before two are chosen.
    pub any_of: bool,
    /// How many rows at the top are tags the filter names: they stay in
    /// view (up to half the pane) while the rest scrolls below them.
    pub pinned: usize,
}

impl TagPane {
    /// Rebuilds the rows after counts, sort or find text changed, keeping the
    /// cursor on the same tag where it is still listed.
    pub fn rebuild(&mut self, collection: &Collection, counts: &[usize], query: &Query) {
        let current = self.rows.get(self.selected).copied();
        let needle = fold(&self.find);
        // The tags the filter names, looked up once rather than per tag.
        let named_tags: std::collections::HashSet<TagId> = query
            .terms
            .iter()
            .filter_map(|t| match t {
                Term::HasTag(names) | Term::LacksTag(names) => Some(names),
                _ => None,
            })
            .flatten()
            .filter_map(|name| collection.tags.find(name))
            .collect();
        let mut rows: Vec<TagId> = collection
            .tags
            .ids()
            .filter(|id| {
                let name = collection.tags.name(*id);
                let count = counts.get(id.0 as usize).copied().unwrap_or(0);
                let named = named_tags.contains(id);
                // Tags the filter names stay listed, whatever is typed or hidden.
                named || ((needle.is_empty() || contains_folded(name, &needle)) && (!self.hide_empty || count > 0))
            })
            .collect();
        let name_key = |id: &TagId| collection.tags.name_place(*id);
        // Tags the filter names come first, so the active conditions are in view.
        let inactive = |id: &TagId| !named_tags.contains(id);
        self.pinned = rows.iter().filter(|id| !inactive(id)).count();
        if self.by_name {
            rows.sort_by_key(|id| (inactive(id), name_key(id)));
        } else {
            let count = |id: &TagId| std::cmp::Reverse(counts.get(id.0 as usize).copied().unwrap_or(0));
            rows.sort_by_key(|id| (inactive(id), count(id), name_key(id)));
        }
        self.rows = rows;
        self.selected = current.and_then(|t| self.rows.iter().position(|r| *r == t)).unwrap_or(0);
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    pub fn current(&self) -> Option<TagId> {
        self.rows.get(self.selected).copied()
    }

    /// Moves the cursor by `delta` rows and keeps it visible in `height` rows.
    pub fn step(&mut self, delta: isize, height: usize) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = (self.selected as isize + delta).clamp(0, last as isize) as usize;
        self.keep_visible(height);
    }

    /// Pinned rows shown in a pane of `height` rows.
    fn pinned_shown(&self, height: usize) -> usize {
        self.pinned.min(height / 2)
    }

    /// Scrolls the rows below the pinned ones so that the cursor is in view.
    pub fn keep_visible(&mut self, height: usize) {
        let pinned = self.pinned_shown(height);
        let offset = self.offset.max(pinned);
        self.offset = if self.selected < pinned {
            offset
        } else {
            keep_visible(self.selected, offset, height - pinned).max(pinned)
        };
    }

    /// The rows shown, top to bottom, in a pane of `height` rows: the
    /// pinned ones, then the scrolled rest.
    pub fn visible(&self, height: usize) -> Vec<usize> {
        let pinned = self.pinned_shown(height);
        let start = self.offset.max(pinned);
        let rest = (start..self.rows.len()).take(height - pinned);
        (0..pinned).chain(rest).collect()
    }

    /// Rows hidden above and below the scrolled part.
    pub fn hidden(&self, height: usize) -> (usize, usize) {
        let pinned = self.pinned_shown(height);
        let start = self.offset.max(pinned);
        let above = start - pinned;
        let below = self.rows.len().saturating_sub(start + (height - pinned));
        (above, below)
    }
}

/// The scroll offset that keeps `selected` inside a window of `height` rows.
pub fn keep_visible(selected: usize, offset: usize, height: usize) -> usize {
    let height = height.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}
