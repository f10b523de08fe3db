//! Where each pane goes for a terminal size. Used by `App::update` (to know
//! page sizes and what a click hits) and by rendering, so both agree.

use ratatui::layout::{Constraint, Layout, Rect};

/// The three panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Tags,
    List,
    Reader,
}

impl Pane {
    pub fn next(self) -> Pane {
        match self {
            Pane::Tags => Pane::List,
            Pane::List => Pane::Reader,
            Pane::Reader => Pane::Tags,
        }
    }

    pub fn prev(self) -> Pane {
        self.next().next()
    }
}

/// The tab bar of the narrow layout: each pane's label, in order. Each tab
/// is drawn as ` label ` followed by one space.
pub const TABS: [(Pane, &str); 3] = [(Pane::Tags, "Tags"), (Pane::List, "Articles"), (Pane::Reader, "Reader")];

/// The tab under column `col` of the tab bar.
pub fn tab_at(col: u16) -> Option<Pane> {
    let mut start = 0u16;
    for (pane, label) in TABS {
        let end = start + label.len() as u16 + 2;
        if col < end {
            return (col >= start).then_some(pane);
        }
        start = end + 1;
    }
    None
}

/// The rectangles of one frame. A pane that is not shown is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    pub tabs: Option<Rect>,
    /// The saved views, above the tags (wide layout only).
    pub views: Option<Rect>,
    pub tags: Option<Rect>,
    pub list: Option<Rect>,
    pub reader: Option<Rect>,
    pub status: Rect,
}

/// Below this many columns (or rows) one pane is shown at a time.
pub const WIDE_MIN_COLS: u16 = 100;
pub const WIDE_MIN_ROWS: u16 = 16;

impl Panes {
    /// Lays out `area` for the focused pane and the zoom state.
    pub fn compute(area: Rect, focus: Pane, zoom: bool) -> Panes {
        Panes::compute_with_views(area, focus, zoom, 0)
    }

    /// Like [`Panes::compute`], with room for `views` saved views above the
    /// tags (at most a third of the height).
    pub fn compute_with_views(area: Rect, focus: Pane, zoom: bool, views: usize) -> Panes {
        let [main, status] = area.layout(&Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]));
        let mut panes = Panes { status, ..Panes::default() };
        if zoom {
            panes.reader = Some(main);
        } else if area.width >= WIDE_MIN_COLS && area.height >= WIDE_MIN_ROWS {
            let tag_cols = (area.width / 5).clamp(24, 36);
            let [left, right] = main.layout(&Layout::horizontal([Constraint::Length(tag_cols), Constraint::Fill(1)]));
            let [list, reader] = right.layout(&Layout::vertical([Constraint::Percentage(40), Constraint::Fill(1)]));
            let view_rows = if views == 0 { 0 } else { (views as u16 + 2).min(left.height / 3) };
            let [views_area, tags] =
                left.layout(&Layout::vertical([Constraint::Length(view_rows), Constraint::Fill(1)]));
            panes.views = (view_rows > 2).then_some(views_area);
            panes.tags = Some(tags);
            panes.list = Some(list);
            panes.reader = Some(reader);
        } else {
            let [tabs, body] = main.layout(&Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]));
            panes.tabs = Some(tabs);
            match focus {
                Pane::Tags => panes.tags = Some(body),
                Pane::List => panes.list = Some(body),
                Pane::Reader => panes.reader = Some(body),
            }
        }
        panes
    }

    pub fn get(&self, pane: Pane) -> Option<Rect> {
        match pane {
            Pane::Tags => self.tags,
            Pane::List => self.list,
            Pane::Reader => self.reader,
        }
    }

    /// The pane under a screen position.
    pub fn hit(&self, col: u16, row: u16) -> Option<Pane> {
        let pos = ratatui::layout::Position { x: col, y: row };
        [Pane::Tags, Pane::List, Pane::Reader].into_iter().find(|p| self.get(*p).is_some_and(|r| r.contains(pos)))
    }
}

/// The inside of a bordered pane.
pub fn inner(rect: Rect) -> Rect {
    rect.inner(ratatui::layout::Margin { horizontal: 1, vertical: 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_shows_three_panes_narrow_one() {
        let wide = Panes::compute(Rect::new(0, 0, 120, 35), Pane::List, false);
        assert!(wide.tags.is_some() && wide.list.is_some() && wide.reader.is_some());
        assert_eq!(wide.status.y, 34);
        let narrow = Panes::compute(Rect::new(0, 0, 60, 15), Pane::Reader, false);
        assert!(narrow.reader.is_some() && narrow.list.is_none() && narrow.tags.is_none());
        let zoom = Panes::compute(Rect::new(0, 0, 120, 35), Pane::List, true);
        assert_eq!(zoom.reader, Some(Rect::new(0, 0, 120, 34)));
    }

    #[test]
    fn tab_clicks_hit_the_labels_as_drawn() {
        // " Tags " " Articles " " Reader ", one space between.
        assert_eq!(tab_at(0), Some(Pane::Tags));
        assert_eq!(tab_at(5), Some(Pane::Tags));
        assert_eq!(tab_at(6), None);
        assert_eq!(tab_at(7), Some(Pane::List));
        assert_eq!(tab_at(16), Some(Pane::List));
        assert_eq!(tab_at(18), Some(Pane::Reader));
        assert_eq!(tab_at(40), None);
    }

    #[test]
    fn tiny_and_huge_areas_do_not_panic() {
        for (w, h) in [(1, 1), (0, 0), (2, 1), (500, 200), (60, 15)] {
            for focus in [Pane::Tags, Pane::List, Pane::Reader] {
                let p = Panes::compute(Rect::new(0, 0, w, h), focus, false);
                let _ = p.hit(0, 0);
            }
        }
    }
}
