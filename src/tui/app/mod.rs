//! The reader's state and the one function that changes it, [`App::update`].
//! Nothing here draws or does I/O: work for the outside world (opening a
//! link, a background search, a reload, a save) is queued as an [`Effect`].
//!
//! `update` dispatches; the work is in `moving.rs` (selection, focus,
//! scrolling), `filtering.rs` (queries, sorting, the tag pane), `prompts.rs`
//! (the text prompt) and `marks.rs` (bookmarks, read marks, links).

mod filtering;
mod marks;
mod moving;
mod prompts;

use super::action::Action;
use super::keymap::{Context, Key, Keymap};
use super::layout::{Pane, Panes, inner};
use super::prompt::LineEditor;
use super::reader_view::ReaderView;
use super::tag_pane::{TagPane, keep_visible};
use super::ui::theme::Theme;
use crate::collection::Collection;
use crate::query::{Flag, Query};
use crate::render::MAX_MEASURE;
use crate::store::Marks;
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
    /// Words in the title first, then in the kicker or tags (see
    /// [`crate::query::relevance`]); newest first among equals.
    Relevance,
}

impl SortMode {
    fn next(self) -> SortMode {
        match self {
            SortMode::Newest => SortMode::Oldest,
            SortMode::Oldest => SortMode::Title,
            SortMode::Title => SortMode::Source,
            SortMode::Source => SortMode::Relevance,
            SortMode::Relevance => SortMode::Newest,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortMode::Newest => "newest first",
            SortMode::Oldest => "oldest first",
            SortMode::Title => "by title",
            SortMode::Source => "by source",
            SortMode::Relevance => "by relevance",
        }
    }
}

/// Work the runtime does for the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Open this (already checked) URL in the browser.
    OpenUrl(String),
    /// Evaluate this query off the UI thread, the matches ranked by
    /// relevance when `rank`; answered with `Msg::SearchDone`.
    Search { generation: u64, query: Query, rank: bool },
    /// Put these matches of `query` in order of relevance off the UI
    /// thread; answered with `Msg::SearchDone`.
    Rank { generation: u64, query: Query, matches: Vec<usize> },
    /// Load the collection again.
    Reload,
    /// Read article `index` with its text from its file (the collection
    /// keeps no bodies); answered with `Msg::ArticleRead`.
    ReadArticle(usize),
    /// Put this text on the clipboard (the terminal's, through OSC 52).
    Copy(String),
    /// Run this command (in the terminal, through the shell: the user typed
    /// it) with `text` on its standard input.
    Pipe { command: String, text: String },
}

/// What the text prompt at the bottom is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// The filter in the query language.
    Filter { before: Query },
    /// Narrowing the tag pane.
    FindTag { before: String },
    /// A command to pipe the article to.
    Pipe,
}

/// An open prompt.
#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub editor: LineEditor,
    pub error: Option<String>,
    history_pos: Option<usize>,
}

/// Everything that changes the reader's state, in one type for [`App::update`].
#[derive(Debug)]
pub enum Msg {
    /// A key's (or the mouse's, or the window's) action.
    Action(Action),
    /// A background search answered (stale generations are ignored); a
    /// search for words answers first with the hits in headlines, and
    /// `last` with the rest. No `counts`: the tag pane keeps its own.
    /// `ranked`: the matches are in order of relevance.
    SearchDone { generation: u64, matches: Vec<usize>, counts: Vec<usize>, last: bool, ranked: bool },
    /// A reload (`R`) finished: the new collection, stand-ins included.
    Reloaded(Arc<Collection>),
    /// The check of the files after a start from the index found changes
    /// (or files that changed while the reader ran): the new collection.
    Refreshed(Arc<Collection>),
    /// The whole collection, loaded behind a first screen that came from
    /// its front page.
    Loaded(Arc<Collection>),
    /// The files are being checked against the index (true), or were and
    /// nothing changed (false).
    Checking(bool),
    /// The word index is being made behind the list (true), or could not be.
    MakingWords(bool),
    /// The collection with the word index just made: the same articles.
    WordsMade(Arc<Collection>),
    /// An article read with its text, or why it could not be.
    ArticleRead { index: usize, id: crate::ArticleId, article: Result<Arc<crate::Article>, String> },
    /// A save finished: what was sent, and the merged state or why not.
    Saved { sent: crate::store::State, result: Result<crate::store::State, String> },
    /// Something done outside failed (or set-up found mistakes): say why.
    Failed(String),
}

impl From<Action> for Msg {
    fn from(action: Action) -> Msg {
        Msg::Action(action)
    }
}

/// What the keys act on: the panes, a prompt, an overlay, or the choice of a link.
#[derive(Debug, Clone, Default)]
pub enum Mode {
    /// The panes.
    #[default]
    Browse,
    /// The text prompt at the bottom.
    Prompt(Prompt),
    /// An overlay over the panes, scrolled this far.
    Overlay { kind: Overlay, scroll: usize },
    /// After `o` with several links: waiting for the link's number (the
    /// digits are in the keymap, `Context::ChooseLink`).
    ChooseLink,
}

/// An overlay over the panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Problems,
}

/// The whole state of the reader. Fields are private to `app/`: the rest of
/// the reader reads them through the accessors below and changes them only
/// through [`App::update`].
pub struct App {
    collection: Arc<Collection>,
    marks: Marks,
    keymap: Keymap,
    theme: Theme,
    query: Query,
    /// Collection indices of the matching articles, in list order.
    matches: Vec<usize>,
    /// Faceted tag counts, by tag id.
    counts: Vec<usize>,
    sort: SortMode,
    selected: usize,
    list_offset: usize,
    focus: Pane,
    zoom: bool,
    size: (u16, u16),
    reader: ReaderView,
    tags: TagPane,
    mode: Mode,
    history: Vec<String>,
    /// A message for the status line until the next key.
    message: Option<(String, bool)>,
    /// A background search is running for this generation.
    searching: Option<u64>,
    generation: u64,
    /// Word searches over more articles than this look at the bodies off
    /// the UI thread (titles, kickers and tags are searched at once).
    background_search_above: usize,
    effects: Vec<Effect>,
    quit: bool,
    /// Saved views from the config: name, query, and how many articles match.
    views: Vec<(String, Query, usize)>,
    /// Read flags before the last "mark everything shown as read", for its undo.
    undo_mark_all: Option<Vec<(crate::ArticleId, bool)>>,
    /// The article selected when the filter prompt opened: while the query
    /// is typed (`+V` matches nothing on the way to `+Verkehr`) and until the
    /// next key in the panes, it stays selected whenever it matches.
    anchor: Option<usize>,
    /// The article shown, read with its text (collections without bodies).
    full: Option<(usize, Arc<crate::Article>)>,
    /// The article asked for with `Effect::ReadArticle`, not yet answered.
    reading: Option<usize>,
    /// The files are being checked against the index.
    checking: bool,
    /// The word index is being made behind the list.
    making_words: bool,
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
            mode: Mode::Browse,
            history: vec![],
            undo_mark_all: None,
            anchor: None,
            full: None,
            reading: None,
            checking: false,
            making_words: false,
            views: vec![],
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
        if !app.collection.notes.is_empty() {
            let notes: Vec<String> = app.collection.notes.iter().map(|n| crate::sanitize::clean_line(n)).collect();
            app.say(notes.join(" · "), true);
        }
        app
    }

    // ----- set-up, before the first frame ---------------------------------

    /// The colours to draw with.
    pub fn with_theme(mut self, theme: Theme) -> App {
        self.theme = theme;
        self
    }

    /// The prompt's history from an earlier session.
    pub fn with_history(mut self, history: Vec<String>) -> App {
        self.history = history;
        self
    }

    /// Word searches over more articles than `n` look at the bodies off the UI thread.
    pub fn with_background_search_above(mut self, n: usize) -> App {
        self.background_search_above = n;
        self
    }

    // ----- reading the state ------------------------------------------------

    pub fn collection(&self) -> &Arc<Collection> {
        &self.collection
    }
    pub fn marks(&self) -> &Marks {
        &self.marks
    }
    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }
    pub fn theme(&self) -> &Theme {
        &self.theme
    }
    pub fn query(&self) -> &Query {
        &self.query
    }
    /// Collection indices of the matching articles, in list order.
    pub fn matches(&self) -> &[usize] {
        &self.matches
    }
    /// Faceted tag counts, by tag id.
    pub fn counts(&self) -> &[usize] {
        &self.counts
    }
    pub fn sort(&self) -> SortMode {
        self.sort
    }
    /// The selected row of the list.
    pub fn selected(&self) -> usize {
        self.selected
    }
    pub fn list_offset(&self) -> usize {
        self.list_offset
    }
    pub fn focus(&self) -> Pane {
        self.focus
    }
    pub fn zoom(&self) -> bool {
        self.zoom
    }
    pub fn reader(&self) -> &ReaderView {
        &self.reader
    }
    pub fn tags(&self) -> &TagPane {
        &self.tags
    }
    /// The prompt's history, oldest first.
    pub fn history(&self) -> &[String] {
        &self.history
    }
    /// The status line's message and whether it warns.
    pub fn message(&self) -> Option<&(String, bool)> {
        self.message.as_ref()
    }
    /// The generation of the background search running, if one is.
    pub fn searching(&self) -> Option<u64> {
        self.searching
    }
    /// Saved views: name, query, number of matches.
    pub fn views(&self) -> &[(String, Query, usize)] {
        &self.views
    }
    /// Work queued for the runtime.
    pub fn effects(&self) -> &[Effect] {
        &self.effects
    }
    /// Hands the queued work to the runtime.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }
    pub fn should_quit(&self) -> bool {
        self.quit
    }
    /// The article being read with its text, if one is.
    pub fn reading(&self) -> Option<usize> {
        self.reading
    }
    /// True while the files are checked against the index.
    pub fn checking(&self) -> bool {
        self.checking
    }
    /// True while the word index is made behind the list.
    pub fn making_words(&self) -> bool {
        self.making_words
    }
    /// True while only the front page of the collection is loaded: the list
    /// shows the first of the matches, and counts under a filter are not
    /// known yet.
    pub fn loading(&self) -> bool {
        self.collection.partial().is_some()
    }
    /// Whether the matches and the tag pane's counts are final: not while a
    /// search runs (its first answers hold the first matches), nor under a
    /// filter while only the front page is loaded.
    pub fn settled(&self) -> bool {
        self.searching.is_none() && (!self.loading() || self.query.is_empty())
    }

    // ----- layout helpers -------------------------------------------------

    pub fn panes(&self) -> Panes {
        Panes::compute_with_views(Rect::new(0, 0, self.size.0, self.size.1), self.focus, self.zoom, self.views.len())
    }

    fn pane_height(&self, pane: Pane) -> usize {
        self.panes().get(pane).map(|r| inner(r).height as usize).unwrap_or(1).max(1)
    }

    /// The text width of the reading pane.
    pub fn reader_width(&self) -> usize {
        let cols = self.panes().reader.map(|r| inner(r).width as usize).unwrap_or(self.size.0 as usize);
        cols.saturating_sub(2).clamp(10, MAX_MEASURE)
    }

    /// The open prompt, if any.
    pub fn prompt(&self) -> Option<&Prompt> {
        match &self.mode {
            Mode::Prompt(p) => Some(p),
            _ => None,
        }
    }

    /// The open overlay and its scroll position, if any.
    pub fn overlay(&self) -> Option<(Overlay, usize)> {
        match self.mode {
            Mode::Overlay { kind, scroll } => Some((kind, scroll)),
            _ => None,
        }
    }

    /// True while waiting for the number of a link to open.
    pub fn choosing_link(&self) -> bool {
        matches!(self.mode, Mode::ChooseLink)
    }

    /// The key contexts to try, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        match self.mode {
            Mode::Prompt(_) => vec![Context::Prompt],
            Mode::Overlay { .. } => vec![Context::Overlay],
            Mode::ChooseLink => vec![Context::ChooseLink],
            Mode::Browse => {
                let pane = match self.focus {
                    Pane::Tags => Context::Tags,
                    Pane::List => Context::List,
                    Pane::Reader => Context::Reader,
                };
                vec![pane, Context::Global]
            }
        }
    }

    /// Turns a key press into an action, in the current mode.
    pub fn action_for_key(&self, ev: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(ev)?;
        let found = self.keymap.lookup(&self.contexts(), key);
        if found.is_none() && self.choosing_link() {
            return Some(Action::Cancel); // any other key: no link after all
        }
        if found.is_none()
            && self.prompt().is_some()
            && let ratatui::crossterm::event::KeyCode::Char(c) = ev.code
            && !ev.modifiers.contains(ratatui::crossterm::event::KeyModifiers::CONTROL)
        {
            return Some(Action::Insert(c));
        }
        found
    }

    fn say(&mut self, text: impl Into<String>, warn: bool) {
        self.message = Some((text.into(), warn));
    }

    // ----- the one update function ---------------------------------------

    /// The one way the reader's state changes: a key's action, or the
    /// answer of work done off the UI thread.
    pub fn update(&mut self, msg: impl Into<Msg>) {
        match msg.into() {
            Msg::Action(action) => self.act(action),
            Msg::SearchDone { generation, matches, counts, last, ranked } => {
                self.search_done(generation, matches, counts, last, ranked)
            }
            Msg::Reloaded(collection) => {
                self.replace_collection(collection);
                let problems = self.collection.problems.len();
                // Stand-ins for bookmarks whose article is gone are not articles read.
                let articles =
                    crate::text::count(self.collection.len() - self.collection.missing, "article", "articles");
                let noted = crate::text::count(problems, "problem", "problems");
                let notes = load_notes(&self.collection).map(|n| format!(" · {n}")).unwrap_or_default();
                self.say(format!("reloaded: {articles}, {noted}{notes}"), problems > 0 || !notes.is_empty());
            }
            Msg::Refreshed(collection) => {
                self.checking = false;
                let said = refreshed_note(&collection);
                self.replace_collection(collection);
                self.say(said, false);
            }
            Msg::Loaded(collection) => {
                self.replace_collection(collection);
                // An index found damaged behind a good front page, and
                // rebuilt: the user is told.
                if let Some(notes) = load_notes(&self.collection) {
                    self.say(notes, true);
                }
            }
            Msg::Checking(on) => self.checking = on,
            Msg::MakingWords(on) => self.making_words = on,
            Msg::WordsMade(collection) => {
                self.making_words = false;
                self.replace_collection(collection);
            }
            Msg::ArticleRead { index, id, article } => self.article_read(index, id, article),
            Msg::Saved { sent, result: Ok(merged) } => self.marks.saved_part(&sent, merged),
            Msg::Saved { result: Err(why), .. } => self.say(why, true),
            Msg::Failed(why) => self.say(why, true),
        }
    }

    /// Applies one action.
    fn act(&mut self, action: Action) {
        // The window and the clock concern every mode alike: handled once, first.
        match action {
            Action::Resize(w, h) => return self.resize(w, h),
            Action::Tick => {
                let h = self.pane_height(Pane::Reader);
                return self.reader.tick(h);
            }
            _ => {}
        }
        if !matches!(action, Action::Scroll(..)) {
            self.message = None;
        }
        match self.mode {
            Mode::ChooseLink => {
                self.mode = Mode::Browse;
                if let Action::OpenLinkNumber(n) = action {
                    self.open_link(n);
                }
                return;
            }
            Mode::Prompt(_) => return self.update_prompt(action),
            Mode::Overlay { .. } => return self.update_overlay(action),
            Mode::Browse => self.anchor = None,
        }
        if self.loading() && matches!(action, Action::CycleSort | Action::Bottom | Action::MarkAllRead | Action::Reload)
        {
            // They need every article: the oldest, the last, all shown.
            return self.say("the list is still loading: try again in a moment", false);
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.mode = Mode::Overlay { kind: Overlay::Help, scroll: 0 },
            Action::Problems => self.mode = Mode::Overlay { kind: Overlay::Problems, scroll: 0 },
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
            Action::Back | Action::Cancel if self.focus == Pane::Tags && !self.tags.find.is_empty() => {
                self.tags.find.clear();
                self.rebuild_tags();
            }
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
                self.tags.find.clear();
                self.tags.any_of = false;
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
                self.tags.find.clear();
                self.tags.any_of = false;
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
                let before = std::mem::take(&mut self.tags.find);
                self.rebuild_tags();
                // A new search each time: `f` does not append to the last one.
                self.mode = Mode::Prompt(Prompt {
                    kind: PromptKind::FindTag { before },
                    editor: LineEditor::new(""),
                    error: None,
                    history_pos: None,
                });
            }
            Action::AnyOf => {
                let mut q = self.query.clone();
                let any = !(q.tags_any_of() || self.tags.any_of);
                self.tags.any_of = any;
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
                } else if let Some((k, n)) = self.reader.hit_position() {
                    self.say(format!("hit {k} of {n}"), false);
                }
            }
            Action::View(n) => self.apply_view(n),
            Action::CopyLink => self.copy_link(),
            Action::PipeArticle => self.start_pipe(),
            Action::MarkAllRead => self.mark_all_read(),
            Action::UndoMarkAll => self.undo_mark_all(),
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
            _ => {}
        }
    }

    /// Lines a page (or half page) key moves in the overlay: its height, less its frame.
    fn overlay_page(&self, action: Action) -> usize {
        let page = usize::from(self.size.1).saturating_sub(4).max(1);
        if matches!(action, Action::HalfPageDown | Action::HalfPageUp) { (page / 2).max(1) } else { page }
    }

    fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        self.refresh_reader();
        self.list_offset = keep_visible(self.selected, self.list_offset, self.pane_height(Pane::List));
    }

    fn update_overlay(&mut self, action: Action) {
        let Some((kind, scroll)) = self.overlay() else { return };
        let scroll = match action {
            Action::Cancel | Action::Quit | Action::Help | Action::Back => {
                self.mode = Mode::Browse;
                return;
            }
            Action::Down => scroll + 1,
            Action::Up => scroll.saturating_sub(1),
            Action::PageDown | Action::HalfPageDown => scroll + self.overlay_page(action),
            Action::PageUp | Action::HalfPageUp => scroll.saturating_sub(self.overlay_page(action)),
            Action::Top => 0,
            Action::Bottom => usize::MAX / 2,
            _ => scroll,
        };
        self.mode = Mode::Overlay { kind, scroll };
    }
}

/// What a load had to say of the index (rebuilt, not saved), for the
/// status line; `None` when nothing.
fn load_notes(collection: &Collection) -> Option<String> {
    let notes: Vec<String> = collection.notes.iter().map(|n| crate::sanitize::clean_line(n)).collect();
    (!notes.is_empty()).then(|| notes.join(" · "))
}

/// What a check of the files found, for the status line: `3 new · 1 changed · 2 removed`.
fn refreshed_note(collection: &Collection) -> String {
    let Some(c) = collection.changes else {
        return "files checked".into();
    };
    let parts: Vec<String> = [(c.new, "new"), (c.changed, "changed"), (c.removed, "removed")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .chain(collection.notes.iter().map(|n| crate::sanitize::clean_line(n)))
        .collect();
    if parts.is_empty() { "files checked: nothing changed".into() } else { parts.join(" · ") }
}
