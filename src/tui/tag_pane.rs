//! The tag pane's state: which tags are listed, in what order, and where the
//! cursor is. Counts come from the app's faceted evaluation.

use crate::collection::{Collection, TagId};
use crate::query::{Query, Term};
use crate::text::{contains_folded, fold, sort_key};

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
        let name_key = |id: &TagId| sort_key(collection.tags.name(*id));
        // Tags the filter names come first, so the active conditions are in view.
        let inactive = |id: &TagId| !named_tags.contains(id);
        if self.by_name {
            rows.sort_by_cached_key(|id| (inactive(id), name_key(id)));
        } else {
            let count = |id: &TagId| std::cmp::Reverse(counts.get(id.0 as usize).copied().unwrap_or(0));
            rows.sort_by_cached_key(|id| (inactive(id), count(id), name_key(id)));
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
        self.offset = keep_visible(self.selected, self.offset, height);
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
