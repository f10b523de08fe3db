//! The reading pane's state: the rendered lines of the article shown, the
//! scroll position and the lines holding search hits.

use crate::render::{self, Line};
use crate::text::fold;
use crate::{Article, ArticleId};

/// What the reading pane shows.
#[derive(Debug, Clone, Default)]
pub struct ReaderView {
    /// Collection index of the article shown.
    pub article: Option<usize>,
    pub id: Option<ArticleId>,
    pub lines: Vec<Line>,
    /// The text width the lines were wrapped for.
    pub width: usize,
    pub scroll: usize,
    /// Line numbers that hold a search hit.
    pub hits: Vec<usize>,
}

impl ReaderView {
    /// Shows `article` (index `index`) wrapped to `width`, scrolled to `scroll`.
    pub fn show(&mut self, index: usize, article: &Article, width: usize, scroll: usize, terms: &[String]) {
        let same = self.article == Some(index) && self.width == width;
        if !same {
            self.lines = render::render(article, width);
            self.article = Some(index);
            self.id = Some(article.id.clone());
            self.width = width;
        }
        self.scroll = scroll.min(self.max_scroll(1));
        self.find_hits(terms);
    }

    pub fn clear(&mut self) {
        *self = ReaderView::default();
    }

    /// The lines containing any of `terms` (already case-folded).
    pub fn find_hits(&mut self, terms: &[String]) {
        self.hits = if terms.is_empty() {
            vec![]
        } else {
            self.lines
                .iter()
                .enumerate()
                .filter(|(_, l)| {
                    let text = fold(&l.text);
                    terms.iter().any(|t| text.contains(t.as_str()))
                })
                .map(|(i, _)| i)
                .collect()
        };
    }

    pub fn max_scroll(&self, height: usize) -> usize {
        self.lines.len().saturating_sub(height.max(1))
    }

    pub fn scroll_by(&mut self, delta: isize, height: usize) {
        self.scroll = (self.scroll as isize + delta).clamp(0, self.max_scroll(height) as isize) as usize;
    }

    /// The first hit below (or above) the top line; returns false if none.
    pub fn jump_hit(&mut self, forward: bool, height: usize) -> bool {
        let target = if forward {
            self.hits.iter().find(|&&h| h > self.scroll).copied()
        } else {
            self.hits.iter().rev().find(|&&h| h < self.scroll).copied()
        };
        match target {
            Some(line) => {
                self.scroll = line.min(self.max_scroll(height));
                true
            }
            None => false,
        }
    }
}
