//! The reading pane's state: the article's lines, wrapped block by block as
//! they are needed (so a multi-megabyte article opens at once and is wrapped
//! further in small steps), the scroll position and the lines with search hits.

use crate::render::{self, Block, Line};
use crate::text::find_folded;
use crate::{Article, ArticleId};
use hyphenation::Language;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// How long one step of wrapping may take, so that a frame stays short.
pub const STEP: Duration = Duration::from_millis(15);

/// What the reading pane shows.
#[derive(Debug, Clone)]
pub struct ReaderView {
    /// Collection index of the article shown.
    pub article: Option<usize>,
    pub id: Option<ArticleId>,
    /// The lines wrapped so far.
    pub lines: Vec<Line>,
    /// The text width the lines are wrapped for.
    pub width: usize,
    pub scroll: usize,
    /// Line numbers that hold a search hit.
    pub hits: Vec<usize>,
    /// The byte ranges of the hits in each of those lines: found once
    /// here, only styled by the renderer.
    pub hit_ranges: std::collections::BTreeMap<usize, Vec<(usize, usize)>>,
    /// Blocks not wrapped yet.
    rest: VecDeque<Block>,
    lang: Language,
    terms: Vec<String>,
    /// Lines already searched for hits.
    searched: usize,
    /// `G` was pressed before the end was known: go there once it is.
    pub want_bottom: bool,
}

impl Default for ReaderView {
    fn default() -> Self {
        ReaderView {
            article: None,
            id: None,
            lines: vec![],
            width: 0,
            scroll: 0,
            hits: vec![],
            hit_ranges: Default::default(),
            rest: VecDeque::new(),
            lang: Language::EnglishUS,
            terms: vec![],
            searched: 0,
            want_bottom: false,
        }
    }
}

impl ReaderView {
    /// Shows `article` (index `index`) wrapped to `width` in a pane of
    /// `height` lines, scrolled to `scroll`.
    pub fn show(
        &mut self,
        index: usize,
        article: &Article,
        width: usize,
        height: usize,
        scroll: usize,
        terms: &[String],
    ) {
        let same = self.article == Some(index) && self.width == width;
        if !same {
            *self = ReaderView {
                article: Some(index),
                id: Some(article.id.clone()),
                width,
                rest: render::blocks(article).into(),
                lang: render::language(article),
                ..ReaderView::default()
            };
        }
        self.set_terms(terms);
        self.fill(scroll + height.max(100) * 2, STEP);
        self.scroll = scroll.min(self.max_scroll(height));
    }

    pub fn clear(&mut self) {
        *self = ReaderView::default();
    }

    /// True once every block is wrapped.
    pub fn complete(&self) -> bool {
        self.rest.is_empty()
    }

    /// Wraps blocks until there are `upto` lines or `budget` is spent.
    pub fn fill(&mut self, upto: usize, budget: Duration) {
        let start = Instant::now();
        while self.lines.len() < upto
            && let Some(block) = self.rest.pop_front()
        {
            let first = self.lines.is_empty();
            self.lines.extend(render::wrap_block(&block, self.width, self.lang, first));
            if start.elapsed() > budget {
                break;
            }
        }
        self.search_new_lines();
    }

    /// One step of background wrapping; jumps to the end once it is known.
    pub fn tick(&mut self, height: usize) {
        self.fill(usize::MAX, STEP);
        if self.want_bottom && self.complete() {
            self.want_bottom = false;
            self.scroll = self.max_scroll(height);
        }
    }

    /// New search words: the hits are searched again.
    pub fn set_terms(&mut self, terms: &[String]) {
        if self.terms != terms {
            self.terms = terms.to_vec();
            self.hits.clear();
            self.hit_ranges.clear();
            self.searched = 0;
        }
        self.search_new_lines();
    }

    fn search_new_lines(&mut self) {
        if !self.terms.is_empty() {
            for i in self.searched..self.lines.len() {
                let found = find_folded(&self.lines[i].text, &self.terms);
                self.add_hits(i, found);
                self.search_across_hyphen(i);
            }
        }
        self.searched = self.lines.len();
    }

    fn add_hits(&mut self, line: usize, found: Vec<(usize, usize)>) {
        if found.is_empty() {
            return;
        }
        let ranges = self.hit_ranges.entry(line).or_default();
        ranges.extend(found);
        ranges.sort_unstable();
        ranges.dedup();
        if let Err(at) = self.hits.binary_search(&line) {
            self.hits.insert(at, line);
        }
    }

    /// A word the wrapping hyphenated (`Bö-` / `nig`) is found across the
    /// two lines, and marked in both.
    fn search_across_hyphen(&mut self, i: usize) {
        let Some(before) = i.checked_sub(1).map(|p| &self.lines[p].text) else { return };
        let Some(head) = before.strip_suffix('-') else { return };
        let tail = &self.lines[i].text;
        let joined = format!("{head}{tail}");
        let (cut, head_len) = (head.len(), before.len());
        let across: Vec<(usize, usize)> =
            find_folded(&joined, &self.terms).into_iter().filter(|&(a, b)| a < cut && b > cut).collect();
        for (a, b) in across {
            self.add_hits(i - 1, vec![(a, head_len)]);
            self.add_hits(i, vec![(0, b - cut)]);
        }
    }

    /// `hit 3 of 12`: where the top line stands among the lines with hits.
    pub fn hit_position(&self) -> Option<(usize, usize)> {
        let at = self.hits.iter().position(|&h| h >= self.scroll)?;
        Some((at + 1, self.hits.len()))
    }

    pub fn max_scroll(&self, height: usize) -> usize {
        self.lines.len().saturating_sub(height.max(1))
    }

    pub fn scroll_by(&mut self, delta: isize, height: usize) {
        let wanted = (self.scroll as isize + delta).max(0) as usize;
        self.fill(wanted + height * 2, STEP);
        self.scroll = wanted.min(self.max_scroll(height));
    }

    /// `G`: the end, now if it is known, else as soon as it is.
    pub fn jump_bottom(&mut self, height: usize) {
        self.fill(usize::MAX, STEP);
        if self.complete() {
            self.scroll = self.max_scroll(height);
        } else {
            self.want_bottom = true;
        }
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
                self.fill(line + height, STEP);
                self.scroll = line.min(self.max_scroll(height));
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{DetailFields, Details};

    #[test]
    fn a_huge_article_opens_at_once_and_is_wrapped_in_steps() {
        let words = "Wort ".repeat(1_000_000);
        let a = Article::with_text("Riesig", Some(words.trim_end()), &[]);
        let mut view = ReaderView::default();
        view.show(0, &a, 80, 30, 0, &[]);
        assert!(!view.complete(), "only the start is wrapped");
        assert!(view.lines.len() >= 30);
        view.jump_bottom(30);
        assert!(view.want_bottom);
        let mut steps = 0;
        while !view.complete() {
            view.tick(30);
            steps += 1;
        }
        assert!(steps > 1, "the rest took several steps");
        assert!(!view.want_bottom);
        assert_eq!(view.scroll, view.lines.len() - 30, "at the end once it was known");
        let total: usize = view.lines.iter().map(|l| l.text.matches("Wort").count()).sum();
        assert_eq!(total, 1_000_000);
    }

    #[test]
    fn a_word_split_by_hyphenation_is_found_on_both_lines_and_near_misses_are_not() {
        let a = Article {
            title: "T".into(),
            details: Details::new(DetailFields {
                lang: Some("de".into()),
                body: vec!["Die Informationssicherheitsbeauftragten tagen im Fort.".into()],
                ..DetailFields::default()
            }),
            ..Article::default()
        };
        let mut view = ReaderView::default();
        view.show(0, &a, 20, 10, 0, &["informationssicherheit".to_string(), "form".to_string()]);
        let split = view.lines.iter().position(|l| l.text.ends_with('-')).expect("a hyphenated line");
        assert_eq!(view.hits, [split, split + 1], "{:?}", view.lines);
        let (a0, b0) = view.hit_ranges[&split][0];
        assert!(view.lines[split].text[a0..b0].starts_with("Informations"), "{:?}", &view.lines[split].text[a0..b0]);
        let (a1, b1) = view.hit_ranges[&(split + 1)][0];
        assert_eq!(a1, 0);
        assert!("informationssicherheit".ends_with(&view.lines[split + 1].text[a1..b1].to_lowercase()));
        // `Fort` is a near miss of `form`, not a hit.
        for (line, ranges) in &view.hit_ranges {
            for &(a, b) in ranges {
                assert!(!view.lines[*line].text[a..b].starts_with("Fort"), "{:?}", view.lines[*line]);
            }
        }
    }

    #[test]
    fn hits_are_found_in_lines_wrapped_later() {
        let mut body = vec!["Erster Absatz.".to_string(); 400];
        body.push("Hier steht die Förde.".into());
        let a = Article {
            title: "T".into(),
            details: Details::new(DetailFields {
                body: body.into_iter().map(crate::article::Para::from).collect(),
                ..DetailFields::default()
            }),
            ..Article::default()
        };
        let mut view = ReaderView::default();
        view.show(0, &a, 40, 10, 0, &["förde".to_string()]);
        while !view.complete() {
            view.tick(10);
        }
        assert_eq!(view.hits.len(), 1);
        let line = view.hits[0];
        let (a, b) = view.hit_ranges[&line][0];
        assert_eq!(&view.lines[line].text[a..b], "Förde");
        assert!(view.jump_hit(true, 10));
        let hit = view.hits[0];
        assert!(view.lines[hit].text.contains("Förde"));
        assert!(view.scroll <= hit && hit < view.scroll + 10, "the hit is in view");
    }
}
