//! The reader's state and the one function that changes it, [`App::update`].
//! Nothing here draws or does I/O: work for the outside world (opening a
//! link, a background search, a reload, a save) is queued as an [`Effect`].

use super::action::Action;
use super::keymap::{Context, Key, Keymap};
use super::layout::{Pane, Panes, inner};
use super::prompt::LineEditor;
use super::reader_view::ReaderView;
use super::tag_pane::{TagPane, keep_visible};
use super::ui::theme::Theme;
use crate::collection::Collection;
use crate::facets;
use crate::query::{self, Flag, Query, Term};
use crate::render::MAX_MEASURE;
use crate::store::Marks;
use crate::text::fold;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use std::sync::Arc;

/// The list's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortMode {
    Newest,
    Oldest,
    Title,
    Source,
}

impl SortMode {
    fn next(self) -> SortMode {
        match self {
            SortMode::Newest => SortMode::Oldest,
            SortMode::Oldest => SortMode::Title,
            SortMode::Title => SortMode::Source,
            SortMode::Source => SortMode::Newest,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortMode::Newest => "newest first",
            SortMode::Oldest => "oldest first",
            SortMode::Title => "by title",
            SortMode::Source => "by source",
        }
    }
}

/// Work the runtime does for the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Open this (already checked) URL in the browser.
    OpenUrl(String),
    /// Evaluate this query off the UI thread; answer with `App::search_done`.
    Search { generation: u64, query: Query },
    /// Load the collection again.
    Reload,
    /// Marks changed: save soon.
    Save,
}

/// What the text prompt at the bottom is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// The filter in the query language.
    Filter { before: Query },
    /// Narrowing the tag pane.
    FindTag { before: String },
}

/// An open prompt.
#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub editor: LineEditor,
    pub error: Option<String>,
    history_pos: Option<usize>,
}

/// An overlay over the panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Problems,
}

/// The whole state of the reader.
pub struct App {
    pub collection: Arc<Collection>,
    pub marks: Marks,
    pub keymap: Keymap,
    pub theme: Theme,
    pub query: Query,
    /// Collection indices of the matching articles, in list order.
    pub matches: Vec<usize>,
    /// Faceted tag counts, by tag id.
    pub counts: Vec<usize>,
    pub sort: SortMode,
    pub selected: usize,
    pub list_offset: usize,
    pub focus: Pane,
    pub zoom: bool,
    pub size: (u16, u16),
    pub reader: ReaderView,
    pub tags: TagPane,
    pub prompt: Option<Prompt>,
    pub history: Vec<String>,
    pub overlay: Option<(Overlay, usize)>,
    /// After `o` with several links: waiting for the link's number.
    pub choosing_link: bool,
    /// A message for the status line until the next key.
    pub message: Option<(String, bool)>,
    /// A background search is running for this generation.
    pub searching: Option<u64>,
    generation: u64,
    /// Word searches over more articles than this look at the bodies off
    /// the UI thread (titles, kickers and tags are searched at once).
    pub background_search_above: usize,
    pub effects: Vec<Effect>,
    pub quit: bool,
}

impl App {
    pub fn new(collection: Arc<Collection>, marks: Marks, keymap: Keymap) -> App {
        let mut app = App {
            collection,
            marks,
            keymap,
            theme: Theme::colored(),
            query: Query::default(),
            matches: vec![],
            counts: vec![],
            sort: SortMode::Newest,
            selected: 0,
            list_offset: 0,
            focus: Pane::List,
            zoom: false,
            size: (120, 35),
            reader: ReaderView::default(),
            tags: TagPane { hide_empty: false, ..TagPane::default() },
            prompt: None,
            history: vec![],
            overlay: None,
            choosing_link: false,
            message: None,
            searching: None,
            generation: 0,
            background_search_above: 2_000,
            effects: vec![],
            quit: false,
        };
        app.apply_query(Query::default());
        if !app.collection.problems.is_empty() {
            let n = app.collection.problems.len();
            app.say(format!("{n} loading problem{} — press ! to see", if n == 1 { "" } else { "s" }), true);
        }
        app
    }

    // ----- layout helpers -------------------------------------------------

    pub fn panes(&self) -> Panes {
        Panes::compute(Rect::new(0, 0, self.size.0, self.size.1), self.focus, self.zoom)
    }

    fn pane_height(&self, pane: Pane) -> usize {
        self.panes().get(pane).map(|r| inner(r).height as usize).unwrap_or(1).max(1)
    }

    /// The text width of the reading pane.
    pub fn reader_width(&self) -> usize {
        let cols = self.panes().reader.map(|r| inner(r).width as usize).unwrap_or(self.size.0 as usize);
        cols.saturating_sub(2).clamp(10, MAX_MEASURE)
    }

    /// The key contexts to try, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        if self.prompt.is_some() {
            vec![Context::Prompt]
        } else if self.overlay.is_some() {
            vec![Context::Overlay]
        } else {
            let pane = match self.focus {
                Pane::Tags => Context::Tags,
                Pane::List => Context::List,
                Pane::Reader => Context::Reader,
            };
            vec![pane, Context::Global]
        }
    }

    /// Turns a key press into an action, in the current mode.
    pub fn action_for_key(&self, ev: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(ev)?;
        if self.choosing_link {
            return Some(match ev.code {
                ratatui::crossterm::event::KeyCode::Char(c @ '1'..='9') => {
                    Action::OpenLinkNumber(c as usize - '0' as usize)
                }
                ratatui::crossterm::event::KeyCode::Char('o') | ratatui::crossterm::event::KeyCode::Enter => {
                    Action::OpenLinkNumber(1)
                }
                _ => Action::Cancel,
            });
        }
        let found = self.keymap.lookup(&self.contexts(), key);
        if found.is_none()
            && self.prompt.is_some()
            && let ratatui::crossterm::event::KeyCode::Char(c) = ev.code
            && !ev.modifiers.contains(ratatui::crossterm::event::KeyModifiers::CONTROL)
        {
            return Some(Action::Insert(c));
        }
        found
    }

    pub fn say(&mut self, text: impl Into<String>, warn: bool) {
        self.message = Some((text.into(), warn));
    }

    // ----- the one update function ---------------------------------------

    /// Applies one action.
    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Resize(..) | Action::Scroll(..)) {
            self.message = None;
        }
        if self.choosing_link {
            self.choosing_link = false;
            if let Action::OpenLinkNumber(n) = action {
                self.open_link(n);
            }
            return;
        }
        if self.prompt.is_some() {
            self.update_prompt(action);
            return;
        }
        if self.overlay.is_some() {
            self.update_overlay(action);
            return;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.overlay = Some((Overlay::Help, 0)),
            Action::Problems => self.overlay = Some((Overlay::Problems, 0)),
            Action::Up => self.step(-1),
            Action::Down => self.step(1),
            Action::HalfPageUp => self.step(-(self.pane_height(self.focus) as isize / 2).max(1)),
            Action::HalfPageDown => self.step((self.pane_height(self.focus) as isize / 2).max(1)),
            Action::PageUp => self.step(-(self.pane_height(self.focus) as isize - 1).max(1)),
            Action::PageDown => self.step((self.pane_height(self.focus) as isize - 1).max(1)),
            Action::Top => self.step(isize::MIN / 2),
            Action::Bottom => self.step(isize::MAX / 2),
            Action::FocusNext => self.set_focus(self.focus.next()),
            Action::FocusPrev => self.set_focus(self.focus.prev()),
            Action::FocusTags => self.set_focus(Pane::Tags),
            Action::Back | Action::Cancel => {
                self.zoom = false;
                self.set_focus(Pane::List);
            }
            Action::Open => self.open_selected(),
            Action::NextArticle => self.read_neighbour(1),
            Action::PrevArticle => self.read_neighbour(-1),
            Action::Zoom => {
                self.zoom = !self.zoom;
                if self.zoom {
                    self.set_focus(Pane::Reader);
                }
                self.refresh_reader();
            }
            Action::Prompt => self.open_filter_prompt(),
            Action::ClearFilter => {
                self.apply_query(Query::default());
                self.say("filter cleared", false);
            }
            Action::CycleSort => {
                self.sort = self.sort.next();
                self.resort();
                self.say(format!("sorted {}", self.sort.label()), false);
            }
            Action::Reload => {
                self.effects.push(Effect::Reload);
                self.say("reloading…", false);
            }
            Action::OpenLink => self.start_open_link(),
            Action::OpenLinkNumber(n) => self.open_link(n),
            Action::IncludeTag => self.edit_tag(|q, t, any| q.toggle_include(t, any)),
            Action::ExcludeTag => self.edit_tag(|q, t, _| q.toggle_exclude(t)),
            Action::ClearTags => {
                let mut q = self.query.clone();
                q.clear_tags();
                self.apply_query(q);
            }
            Action::TagSort => {
                self.tags.by_name = !self.tags.by_name;
                self.rebuild_tags();
            }
            Action::HideEmptyTags => {
                self.tags.hide_empty = !self.tags.hide_empty;
                self.rebuild_tags();
                self.say(if self.tags.hide_empty { "tags with no matches hidden" } else { "all tags shown" }, false);
            }
            Action::FindTag => {
                self.set_focus(Pane::Tags);
                let before = self.tags.find.clone();
                self.prompt = Some(Prompt {
                    kind: PromptKind::FindTag { before: before.clone() },
                    editor: LineEditor::new(&before),
                    error: None,
                    history_pos: None,
                });
            }
            Action::AnyOf => {
                let mut q = self.query.clone();
                let any = !q.tags_any_of();
                q.set_tags_any_of(any);
                self.apply_query(q);
                self.say(if any { "must-have tags: any of (OR)" } else { "must-have tags: all of (AND)" }, false);
            }
            Action::NextHit | Action::PrevHit => {
                let forward = action == Action::NextHit;
                let h = self.pane_height(Pane::Reader);
                if self.reader.hits.is_empty() {
                    self.say("no search words in this article (search with /)", false);
                } else if !self.reader.jump_hit(forward, h) {
                    self.say(if forward { "no more hits below" } else { "no more hits above" }, false);
                }
            }
            Action::Bookmark => self.toggle_bookmark(),
            Action::BookmarksOnly => self.toggle_flag_term(Flag::Bookmarked),
            Action::UnreadOnly => self.toggle_flag_term(Flag::Unread),
            Action::ToggleRead => self.toggle_read(),
            Action::NextUnread => self.next_unread(),
            Action::Click(col, row) => self.click(col, row),
            Action::Scroll(col, row, delta) => {
                if let Some(pane) = self.panes().hit(col, row) {
                    let old = self.focus;
                    self.focus = pane;
                    self.step(isize::from(delta) * 3);
                    self.focus = old;
                }
            }
            Action::Resize(w, h) => {
                self.size = (w, h);
                self.refresh_reader();
                self.list_offset = keep_visible(self.selected, self.list_offset, self.pane_height(Pane::List));
            }
            Action::Tick => {
                let h = self.pane_height(Pane::Reader);
                self.reader.tick(h);
            }
            _ => {}
        }
    }

    fn update_overlay(&mut self, action: Action) {
        let Some((kind, scroll)) = self.overlay else { return };
        let scroll = match action {
            Action::Cancel | Action::Quit | Action::Help | Action::Back => {
                self.overlay = None;
                return;
            }
            Action::Down => scroll + 1,
            Action::Up => scroll.saturating_sub(1),
            Action::PageDown => scroll + 10,
            Action::PageUp => scroll.saturating_sub(10),
            Action::Top => 0,
            Action::Bottom => usize::MAX / 2,
            Action::Resize(w, h) => {
                self.size = (w, h);
                scroll
            }
            _ => scroll,
        };
        self.overlay = Some((kind, scroll));
    }

    // ----- moving --------------------------------------------------------

    fn set_focus(&mut self, pane: Pane) {
        self.focus = pane;
        if pane != Pane::Reader {
            self.zoom = false;
        }
        self.refresh_reader();
    }

    fn step(&mut self, delta: isize) {
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
    fn select(&mut self, row: usize) {
        self.remember_position();
        self.selected = row.min(self.matches.len().saturating_sub(1));
        self.list_offset = keep_visible(self.selected, self.list_offset, self.pane_height(Pane::List));
        self.refresh_reader();
    }

    /// The collection index of the selected article.
    pub fn selected_article(&self) -> Option<usize> {
        self.matches.get(self.selected).copied()
    }

    fn remember_position(&mut self) {
        if let Some(id) = self.reader.id.clone() {
            self.marks.set_position(&id, self.reader.scroll as u32);
            if self.marks.has_pending() {
                self.effects.push(Effect::Save);
            }
        }
    }

    /// Shows the selected article in the reading pane (if the pane is shown).
    fn refresh_reader(&mut self) {
        let Some(index) = self.selected_article() else {
            self.reader.clear();
            return;
        };
        let width = self.reader_width();
        let terms: Vec<String> = self.query.text_terms().iter().map(|t| fold(t)).collect();
        let collection = Arc::clone(&self.collection);
        let article = &collection.articles[index];
        let scroll = if self.reader.article == Some(index) {
            self.reader.scroll
        } else {
            self.marks.state().position(&article.id) as usize
        };
        self.reader.show(index, article, width, scroll, &terms);
        let h = self.pane_height(Pane::Reader);
        self.reader.fill(scroll + h, crate::tui::reader_view::STEP);
        self.reader.scroll = scroll.min(self.reader.max_scroll(h));
    }

    fn open_selected(&mut self) {
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

    fn mark_read_current(&mut self) {
        if let Some(i) = self.selected_article() {
            let id = self.collection.articles[i].id.clone();
            if !self.marks.state().is_read(&id) {
                self.marks.set_read(&id, true);
                self.effects.push(Effect::Save);
            }
        }
    }

    fn read_neighbour(&mut self, delta: isize) {
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

    fn next_unread(&mut self) {
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

    fn click(&mut self, col: u16, row: u16) {
        let panes = self.panes();
        if panes.tabs.is_some_and(|t| t.y == row) {
            let third = (self.size.0 / 3).max(1);
            self.set_focus(match col / third {
                0 => Pane::Tags,
                1 => Pane::List,
                _ => Pane::Reader,
            });
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
                let target = self.tags.offset + line;
                if target < self.tags.rows.len() {
                    self.tags.selected = target;
                }
            }
            Pane::Reader => {}
        }
    }

    // ----- filtering -----------------------------------------------------

    /// Makes `query` the filter. Queries with words run off the UI thread.
    pub fn apply_query(&mut self, query: Query) {
        self.query = query;
        self.generation += 1;
        if self.query.has_text_terms() && self.collection.len() > self.background_search_above {
            // Titles, kickers and tags now; the bodies off the UI thread.
            let quick = facets::evaluate_scoped(
                &self.collection,
                &self.query,
                &self.marks,
                query::TextScope::Headlines,
                &|| false,
            );
            if let Some((matches, counts)) = quick {
                self.set_matches(matches, counts);
            }
            self.searching = Some(self.generation);
            self.effects.push(Effect::Search { generation: self.generation, query: self.query.clone() });
        } else {
            let (matches, counts) = facets::evaluate(&self.collection, &self.query, &self.marks, &|| false)
                .unwrap_or_else(|| (vec![], vec![]));
            self.searching = None;
            self.set_matches(matches, counts);
        }
    }

    /// A background search finished; stale answers are ignored.
    pub fn search_done(&mut self, generation: u64, matches: Vec<usize>, counts: Vec<usize>) {
        if self.searching == Some(generation) {
            self.searching = None;
            self.set_matches(matches, counts);
        }
    }

    fn set_matches(&mut self, mut matches: Vec<usize>, counts: Vec<usize>) {
        let keep = self.selected_article();
        self.sort_matches(&mut matches);
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

    fn sort_matches(&self, matches: &mut [usize]) {
        let arts = &self.collection.articles;
        match self.sort {
            SortMode::Newest => matches.sort_unstable(),
            SortMode::Oldest => {
                // Undated articles stay at the end.
                matches.sort_unstable_by_key(|&i| (arts[i].date.is_none(), std::cmp::Reverse(i)));
            }
            SortMode::Title => matches.sort_by_cached_key(|&i| (fold(&arts[i].title), i)),
            SortMode::Source => matches.sort_by_cached_key(|&i| {
                (arts[i].source.as_deref().map(fold).unwrap_or_else(|| "\u{10ffff}".into()), i)
            }),
        }
    }

    fn resort(&mut self) {
        let keep = self.selected_article();
        let mut m = std::mem::take(&mut self.matches);
        self.sort_matches(&mut m);
        self.matches = m;
        let row = keep.and_then(|k| self.matches.iter().position(|&x| x == k)).unwrap_or(0);
        self.select(row);
    }

    fn rebuild_tags(&mut self) {
        let collection = Arc::clone(&self.collection);
        self.tags.rebuild(&collection, &self.counts, &self.query);
        let h = self.pane_height(Pane::Tags);
        self.tags.offset = keep_visible(self.tags.selected, self.tags.offset.min(self.tags.selected), h);
    }

    fn edit_tag(&mut self, edit: impl Fn(&mut Query, &str, bool)) {
        let Some(tag) = self.tags.current() else { return };
        let name = self.collection.tags.name(tag).to_string();
        let mut q = self.query.clone();
        let any = q.tags_any_of();
        edit(&mut q, &name, any);
        self.apply_query(q);
    }

    fn toggle_flag_term(&mut self, flag: Flag) {
        let mut q = self.query.clone();
        let had = q.terms.contains(&Term::Is(flag));
        q.terms.retain(|t| !matches!(t, Term::Is(_)));
        if !had {
            q.terms.push(Term::Is(flag));
        }
        self.apply_query(q);
    }

    // ----- marks ---------------------------------------------------------

    fn toggle_bookmark(&mut self) {
        let Some(i) = self.selected_article() else { return };
        let collection = Arc::clone(&self.collection);
        let on = self.marks.toggle_bookmark(&collection.articles[i]);
        self.effects.push(Effect::Save);
        self.say(if on { "bookmark added" } else { "bookmark removed" }, false);
    }

    fn toggle_read(&mut self) {
        let Some(i) = self.selected_article() else { return };
        let id = self.collection.articles[i].id.clone();
        let read = !self.marks.state().is_read(&id);
        self.marks.set_read(&id, read);
        self.effects.push(Effect::Save);
        self.say(if read { "marked read" } else { "marked unread" }, false);
    }

    // ----- links ---------------------------------------------------------

    fn links(&self) -> Vec<String> {
        self.selected_article()
            .map(|i| self.collection.articles[i].all_links().into_iter().map(str::to_string).collect())
            .unwrap_or_default()
    }

    fn start_open_link(&mut self) {
        let links = self.links();
        match links.len() {
            0 => self.say("this article has no link", true),
            1 => self.open_link(1),
            n => {
                self.choosing_link = true;
                let list: Vec<String> =
                    links.iter().take(9).enumerate().map(|(i, l)| format!("[{}] {}", i + 1, l)).collect();
                self.say(format!("open which link (1-{})? {}", n.min(9), list.join("  ")), false);
            }
        }
    }

    fn open_link(&mut self, n: usize) {
        let links = self.links();
        let Some(url) = n.checked_sub(1).and_then(|i| links.get(i)) else {
            self.say(format!("no link [{n}]"), true);
            return;
        };
        match crate::links::check(url) {
            Ok(url) => {
                self.say(format!("opening {url}"), false);
                self.effects.push(Effect::OpenUrl(url));
            }
            Err(why) => self.say(why, true),
        }
    }

    // ----- prompts -------------------------------------------------------

    fn open_filter_prompt(&mut self) {
        let text = self.query.to_string();
        let text = if text.is_empty() { text } else { format!("{text} ") };
        self.prompt = Some(Prompt {
            kind: PromptKind::Filter { before: self.query.clone() },
            editor: LineEditor::new(&text),
            error: None,
            history_pos: None,
        });
    }

    fn update_prompt(&mut self, action: Action) {
        let Some(mut prompt) = self.prompt.take() else { return };
        let mut changed = true;
        match action {
            Action::Insert(c) => prompt.editor.insert(c),
            Action::Backspace => prompt.editor.backspace(),
            Action::Delete => prompt.editor.delete(),
            Action::DeleteWord => prompt.editor.delete_word(),
            Action::DeleteToStart => prompt.editor.delete_to_start(),
            Action::Left => prompt.editor.left(),
            Action::Right => prompt.editor.right(),
            Action::Home => prompt.editor.home(),
            Action::End => prompt.editor.end(),
            Action::HistoryPrev | Action::HistoryNext => {
                changed = self.history_step(&mut prompt, action == Action::HistoryPrev);
            }
            Action::Complete => {
                let collection = Arc::clone(&self.collection);
                let names = collection.tags.ids().map(|id| collection.tags.name(id));
                let candidates = prompt.editor.complete_tag(names);
                if candidates.len() > 1 {
                    let shown: Vec<&str> = candidates.iter().take(8).map(String::as_str).collect();
                    let more = if candidates.len() > 8 { " …" } else { "" };
                    self.say(format!("{}{more}", shown.join("  ")), false);
                }
            }
            Action::Accept => {
                self.accept_prompt(prompt);
                return;
            }
            Action::Cancel => {
                match prompt.kind {
                    PromptKind::Filter { before } => self.apply_query(before),
                    PromptKind::FindTag { before } => {
                        self.tags.find = before;
                        self.rebuild_tags();
                    }
                }
                return;
            }
            Action::Resize(w, h) => {
                self.size = (w, h);
                changed = false;
            }
            _ => changed = false,
        }
        if changed {
            self.live_update(&mut prompt);
        }
        self.prompt = Some(prompt);
    }

    /// Applies the prompt's text as it is typed.
    fn live_update(&mut self, prompt: &mut Prompt) {
        match &prompt.kind {
            PromptKind::Filter { .. } => match query::parse(prompt.editor.text()) {
                Ok(q) => {
                    prompt.error = None;
                    if q != self.query {
                        self.apply_query(q);
                    }
                }
                Err(e) => prompt.error = Some(e.to_string()),
            },
            PromptKind::FindTag { .. } => {
                self.tags.find = prompt.editor.text().to_string();
                self.tags.selected = 0;
                self.tags.offset = 0;
                self.rebuild_tags();
            }
        }
    }

    fn accept_prompt(&mut self, prompt: Prompt) {
        if let PromptKind::Filter { .. } = prompt.kind {
            if let Some(e) = &prompt.error {
                self.say(format!("query not applied: {e}"), true);
                self.prompt = Some(prompt);
                return;
            }
            let text = self.query.to_string();
            if !text.is_empty() && self.history.last() != Some(&text) {
                self.history.push(text);
            }
            if self.query.has_text_terms() {
                self.say("n / N jump between hits in the reader", false);
            }
        }
    }

    fn history_step(&mut self, prompt: &mut Prompt, back: bool) -> bool {
        if !matches!(prompt.kind, PromptKind::Filter { .. }) || self.history.is_empty() {
            return false;
        }
        let len = self.history.len();
        let pos = match (prompt.history_pos, back) {
            (None, true) => Some(len - 1),
            (None, false) => return false,
            (Some(p), true) => Some(p.saturating_sub(1)),
            (Some(p), false) if p + 1 < len => Some(p + 1),
            (Some(_), false) => None,
        };
        prompt.history_pos = pos;
        let text = pos.map(|p| self.history[p].clone()).unwrap_or_default();
        prompt.editor.set(&text);
        true
    }

    /// Puts a freshly loaded collection in place, keeping filter and selection.
    pub fn replace_collection(&mut self, collection: Arc<Collection>) {
        let keep = self.selected_article().map(|i| self.collection.articles[i].id.clone());
        self.collection = collection;
        self.reader.clear();
        self.selected = 0;
        let query = self.query.clone();
        self.apply_query(query);
        if let Some(id) = keep
            && let Some(row) = self.matches.iter().position(|&i| self.collection.articles[i].id == id)
        {
            self.select(row);
        }
        let problems = self.collection.problems.len();
        self.say(format!("reloaded: {} articles, {problems} problems", self.collection.len()), problems > 0);
    }
}
