//! The reader's runtime: the work done off the UI thread (searching,
//! reloading, saving) and the effects the app asks for (opening links,
//! copying, piping). `pump` hands answers to `App::update`; `run` carries
//! out one `Effect`.

use super::app::{self, App, Effect};
use super::watcher::Seen;
use super::{Events, run_pipe, saver, search, spawn_load_from, step_aside};
use crate::collection::{Checked, Collection, Source};
use ratatui::DefaultTerminal;
use ratatui::crossterm::execute;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

/// How long after the last change in the folders they are checked.
const SETTLE: Duration = Duration::from_millis(100);

/// The work the reader does off its UI thread, and the effects it carries
/// out: searching, reloading, saving, opening links, copying and piping.
pub(super) struct Runtime {
    pub(super) searcher: search::Searcher,
    pub(super) fetcher: super::fetcher::Fetcher,
    pub(super) reload: Option<Receiver<Collection>>,
    /// What the load running is for.
    pub(super) loading: Loading,
    /// The watch on the collection's folders: being set up (a recursive
    /// watch visits every folder), running, or not possible here.
    pub(super) watch: super::watcher::Starting,
    /// When the watch last said files changed, not yet checked.
    pub(super) changed_at: Option<Instant>,
    /// What the watch saw change since, not yet checked.
    pub(super) seen: Seen,
    /// The update running for files the watch saw change.
    pub(super) update: Option<Receiver<Updated>>,
    /// A check of every file, to start once the watch is set up.
    pub(super) check_pending: bool,
    /// The word index being made behind the list, for the collection held
    /// when it began (see [`Runtime::make_words`]).
    pub(super) words: Option<(Receiver<WordsMade>, std::sync::Weak<Collection>)>,
    /// The word index was asked for once this session.
    pub(super) words_asked: bool,
    pub(super) saver: saver::Saver,
    pub(super) paths: Vec<PathBuf>,
    pub(super) load_options: crate::LoadOptions,
    pub(super) browser: Option<String>,
    pub(super) browser_terminal: Option<bool>,
    pub(super) mouse: bool,
}

/// The word index made behind the list, or why not.
pub(super) type WordsMade = Result<crate::words::WordIndex, String>;

/// What a load in the background is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Loading {
    /// The user's `R`.
    Reload,
    /// The check of the files after a start from the index, or after the
    /// watch saw changes: only changes are worth a word.
    Check,
    /// The whole collection from the index, after a first screen from its
    /// front page; the files are checked next.
    Rest,
}

impl Loading {
    /// Where a load for this takes the collection from.
    fn source(self) -> Source {
        match self {
            Loading::Reload => Source::Walk,
            // When nothing changed, no second collection is built.
            Loading::Check => Source::Check,
            Loading::Rest => Source::IndexOnly,
        }
    }
}

impl Runtime {
    /// Checks the files (see [`Runtime::check_files`]) once the watch is
    /// set up: a file that changes after the check has looked at it is
    /// then seen by the watch.
    pub(super) fn check_when_watched(&mut self, app: &mut App) {
        self.watch.begin();
        self.check_pending = true;
        app.update(app::Msg::Checking(true));
    }

    /// Checks the files against the index the first screen came from:
    /// those that changed are read on their own when the whole collection
    /// came from the index, else everything is loaded again.
    pub(super) fn check_files(&mut self, app: &mut App) {
        let collection = app.collection();
        if collection.index_file.is_some() && collection.partial().is_none() {
            self.start_update(app, Look::Everything);
        } else {
            self.start_load(Loading::Check);
            app.update(app::Msg::Checking(true));
        }
    }

    /// Starts bringing the collection up to date with what changed.
    fn start_update(&mut self, app: &mut App, look: Look) {
        let state = app.marks().state().clone();
        let (roots, options) = (self.paths.clone(), self.load_options.clone());
        self.update = Some(spawn_update(Arc::clone(app.collection()), roots, look, options, state));
        app.update(app::Msg::Checking(true));
    }

    /// Starts loading the collection in the background, for `loading`.
    pub(super) fn start_load(&mut self, loading: Loading) {
        // What an update running would give is older than the load.
        self.update = None;
        self.loading = loading;
        let (paths, options) = (self.paths.clone(), self.load_options.clone());
        self.reload = Some(spawn_load_from(paths, options, loading.source(), Arc::default()));
    }

    /// True while an answer is awaited: the loop then wakes more often.
    pub(super) fn busy(&self, app: &App) -> bool {
        app.searching().is_some()
            || self.reload.is_some()
            || app.marks().has_pending()
            || self.saver.busy()
            || app.reading().is_some()
            || self.changed_at.is_some()
            || self.update.is_some()
            || self.check_pending
            || self.words.is_some()
    }

    /// Hands the answers of the background work to `App::update`, and
    /// starts a save when one is due.
    pub(super) fn pump(&mut self, app: &mut App) {
        while let Ok(search::Answer { generation, matches, counts, last, ranked }) = self.searcher.answers.try_recv() {
            app.update(app::Msg::SearchDone { generation, matches, counts, last, ranked });
        }
        while let Ok((index, id, article)) = self.fetcher.answers.try_recv() {
            app.update(app::Msg::ArticleRead { index, id, article });
        }
        if let Some(rx) = &self.reload {
            match rx.try_recv() {
                Ok(fresh)
                    if self.loading == Loading::Check
                        && !fresh.changes.is_some_and(|c| c.any())
                        && fresh.notes.is_empty() =>
                {
                    // Nothing changed since the index was written.
                    app.update(app::Msg::Checking(false));
                    self.reload = None;
                    drop(fresh);
                    self.make_words(app);
                }
                Ok(mut fresh) => {
                    app.marks().state().add_stand_ins_to(&mut fresh);
                    let fresh = Arc::new(fresh);
                    let old = Arc::clone(app.collection());
                    self.searcher.set_collection(Arc::clone(&fresh));
                    self.reload = None;
                    let check = self.loading == Loading::Rest && super::needs_check(&fresh, Source::IndexOnly);
                    app.update(match self.loading {
                        Loading::Check => app::Msg::Refreshed(fresh),
                        Loading::Reload => app::Msg::Reloaded(fresh),
                        Loading::Rest => app::Msg::Loaded(fresh),
                    });
                    retire(old);
                    if self.loading == Loading::Rest {
                        self.watch.begin();
                    }
                    if check {
                        self.check_when_watched(app);
                    } else if self.loading == Loading::Check {
                        self.make_words(app);
                    }
                }
                Err(TryRecvError::Disconnected) => self.reload = None,
                Err(TryRecvError::Empty) => {}
            }
        }
        self.pump_update(app);
        self.pump_words(app);
        let seen = self.watch.seen(app);
        if seen != Seen::Nothing {
            self.seen.add(seen);
            self.changed_at = Some(Instant::now());
        }
        if self.check_pending && self.watch.settled() && self.reload.is_none() && self.words.is_none() {
            self.check_pending = false;
            self.check_files(app);
        }
        // A file is often written in several steps: look once they settle.
        // Not while the word index is made: it is made for the index as
        // it is, and what changed meanwhile is read once it is done.
        if self.changed_at.is_some_and(|t| t.elapsed() >= SETTLE)
            && self.reload.is_none()
            && self.update.is_none()
            && self.words.is_none()
        {
            self.changed_at = None;
            match std::mem::take(&mut self.seen) {
                Seen::Paths(paths) => self.start_update(app, Look::Paths(paths.into_iter().collect())),
                _ => self.check_files(app),
            }
        }
        self.saver.tick(app);
    }

    /// Makes the word index behind the list, once, when the collection
    /// came from an index on disk that is up to date and has none: from the
    /// files the index lists, without loading the collection again.
    fn make_words(&mut self, app: &mut App) {
        let collection = app.collection();
        let indexed = matches!(collection.index_file, Some((_, true)));
        if self.words_asked || collection.words.is_some() || collection.partial().is_some() || !indexed {
            return;
        }
        self.words_asked = true;
        let (paths, options) = (self.paths.clone(), self.load_options.clone());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(Collection::build_words(&paths, &options, &|_, _| {}));
        });
        self.words = Some((rx, Arc::downgrade(collection)));
        app.update(app::Msg::MakingWords(true));
    }

    /// Gives the collection the word index once it is made, if the list is
    /// still the one it was made for (a reload meanwhile made its own).
    fn pump_words(&mut self, app: &mut App) {
        let Some((rx, made_for)) = &self.words else { return };
        let made = match rx.try_recv() {
            Err(TryRecvError::Empty) => return,
            Ok(made) => made,
            Err(TryRecvError::Disconnected) => Err("word index: not made".into()),
        };
        let same = std::ptr::eq(made_for.as_ptr(), Arc::as_ptr(app.collection()));
        self.words = None;
        match made {
            Ok(words) if same => {
                let fresh = Arc::new(app.collection().with_words(words));
                self.hand_over(app, fresh, app::Msg::WordsMade);
            }
            Ok(_) => app.update(app::Msg::MakingWords(false)),
            Err(why) => {
                app.update(app::Msg::MakingWords(false));
                app.update(app::Msg::Failed(crate::sanitize::clean_line(&why)));
            }
        }
    }

    /// Puts `fresh` in place of the collection held, for the searcher and
    /// (through `msg`) the app; the old one is freed on a thread.
    fn hand_over(&mut self, app: &mut App, fresh: Arc<Collection>, msg: fn(Arc<Collection>) -> app::Msg) {
        let old = Arc::clone(app.collection());
        self.searcher.set_collection(Arc::clone(&fresh));
        app.update(msg(fresh));
        retire(old);
    }

    /// Hands over what the update running gives.
    fn pump_update(&mut self, app: &mut App) {
        let Some(rx) = &self.update else { return };
        match rx.try_recv() {
            Ok(Updated::Ready(fresh)) => self.hand_over(app, fresh, app::Msg::Refreshed),
            // Only a whole load can tell.
            Ok(Updated::Whole) => {
                self.update = None;
                self.start_load(Loading::Check);
            }
            Ok(Updated::Unchanged) => {
                self.update = None;
                app.update(app::Msg::Checking(false));
                self.make_words(app);
            }
            Ok(Updated::Saved(notes)) => {
                self.update = None;
                // A word index is made only for an index on disk that
                // holds what the list holds.
                if notes.is_empty() {
                    self.make_words(app);
                } else {
                    app.update(app::Msg::Failed(crate::sanitize::clean_line(&notes.join(" · "))));
                }
            }
            Err(TryRecvError::Disconnected) => self.update = None,
            Err(TryRecvError::Empty) => {}
        }
    }

    /// Carries out one effect the app asked for.
    pub(super) fn run(
        &mut self,
        effect: Effect,
        app: &mut App,
        terminal: &mut DefaultTerminal,
        events: &Events,
    ) -> anyhow::Result<()> {
        let mouse = self.mouse;
        let failed = match effect {
            Effect::OpenUrl(url) => {
                let opener = crate::links::opener_from(self.browser.as_deref());
                let in_terminal = self.browser_terminal.unwrap_or_else(|| crate::links::is_text_browser(&opener));
                if in_terminal {
                    step_aside(terminal, mouse, events, || crate::links::open_in_terminal(&opener, &url))?.err()
                } else {
                    crate::links::open_with(&opener, &url).err()
                }
            }
            Effect::Copy(text) => {
                // Only on `y`, and only a checked link: the terminal puts it on the clipboard.
                let copy = ratatui::crossterm::clipboard::CopyToClipboard::to_clipboard_from(text);
                let _ = execute!(std::io::stdout(), copy);
                None
            }
            Effect::Pipe { command, text } => step_aside(terminal, mouse, events, || run_pipe(&command, &text))?.err(),
            Effect::Search { generation, query, rank } => {
                self.searcher.search(generation, query, app.marks().state().clone(), rank);
                None
            }
            Effect::Rank { generation, query, matches } => {
                self.searcher.rank(generation, query, matches);
                None
            }
            Effect::Reload => {
                self.start_load(Loading::Reload);
                None
            }
            Effect::ReadArticle(index) => {
                self.fetcher.fetch(index, Arc::clone(app.collection()));
                None
            }
        };
        if let Some(why) = failed {
            app.update(app::Msg::Failed(crate::sanitize::clean_line(&why)));
        }
        Ok(())
    }
}

/// What an update of the collection in the background sends: the updated
/// collection (then `Saved` once the index on disk is up to date, with what
/// went wrong), that nothing changed, or that only a whole load can tell.
pub(super) enum Updated {
    Ready(Arc<Collection>),
    Saved(Vec<String>),
    Unchanged,
    Whole,
}

/// What an update reads again.
pub(super) enum Look {
    /// These files or folders (the watch saw them change).
    Paths(Vec<PathBuf>),
    /// Those that changed since the index was written: every file is
    /// looked at against it.
    Everything,
}

/// Reads the files that changed again on a thread of its own and merges
/// them into `collection` (see [`Collection::updated`]), then saves.
fn spawn_update(
    collection: Arc<Collection>,
    roots: Vec<PathBuf>,
    look: Look,
    options: crate::LoadOptions,
    state: crate::store::State,
) -> Receiver<Updated> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let checked = match look {
            Look::Paths(paths) => Checked::Paths(paths),
            Look::Everything => Collection::changed_files(&roots, &options),
        };
        let changed = match checked {
            Checked::Paths(paths) => paths,
            Checked::Unchanged => {
                let _ = tx.send(Updated::Unchanged);
                return;
            }
            Checked::Whole => {
                let _ = tx.send(Updated::Whole);
                return;
            }
        };
        let stand_in = |id: &crate::article::ArticleId| state.stand_in(id);
        let Some((fresh, saving)) = collection.updated(&roots, &changed, &options, &stand_in) else {
            let _ = tx.send(Updated::Whole);
            return;
        };
        drop(collection);
        let fresh = Arc::new(fresh);
        if tx.send(Updated::Ready(Arc::clone(&fresh))).is_ok() {
            let notes = saving.save(&fresh);
            let _ = tx.send(Updated::Saved(notes));
        }
    });
    rx
}

/// Waits until `deadline` for an `update` running to finish saving the
/// index: cut off between the index and the word index, the next start
/// would build the word index again (minutes at a million articles).
pub(super) fn finish_update(update: Option<Receiver<Updated>>, deadline: Instant) {
    let Some(rx) = update else { return };
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(Updated::Ready(_)) => {}
            Ok(_) | Err(_) => return,
        }
    }
}

/// Frees `old`, a collection just replaced, on a thread of its own: at a
/// million articles that takes a frame or more.
fn retire(old: Arc<Collection>) {
    std::thread::spawn(move || {
        drop(old);
    });
}
