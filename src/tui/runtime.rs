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
    /// The list was updated while the word index was made: the word index
    /// is brought up to date with the index of the files once more before
    /// the list is given it.
    pub(super) words_behind: bool,
    /// A whole load the check asked for while the word index was made:
    /// started once it is done (the load would make a word index of its
    /// own).
    pub(super) whole_pending: bool,
    /// An update's save went wrong while the word index was made: it is
    /// not given to the list, and made again after the next save that
    /// goes through.
    pub(super) words_refused: bool,
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
    /// The runtime of a reader showing `app`'s list of the collection at
    /// `paths`, loaded with `load_options`, before anything runs.
    pub(super) fn new(
        app: &App,
        watch: super::watcher::Starting,
        saver: saver::Saver,
        paths: Vec<PathBuf>,
        load_options: crate::LoadOptions,
    ) -> Runtime {
        Runtime {
            searcher: search::Searcher::start(Arc::clone(app.collection())),
            fetcher: super::fetcher::Fetcher::start(),
            reload: None,
            loading: Loading::Check,
            watch,
            changed_at: None,
            seen: Seen::Nothing,
            update: None,
            check_pending: false,
            words: None,
            words_asked: false,
            words_behind: false,
            whole_pending: false,
            words_refused: false,
            saver,
            paths,
            load_options,
            browser: None,
            browser_terminal: None,
            mouse: false,
        }
    }

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
            || self.words_behind
            || self.whole_pending
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
        let idle = self.reload.is_none() && self.update.is_none();
        if self.whole_pending && idle && self.words.is_none() {
            self.whole_pending = false;
            self.start_load(Loading::Check);
        } else if self.words_behind && idle && self.words.is_none() {
            self.start_words(app);
        }
        // Asked again: the whole load above may have just started.
        let idle = self.reload.is_none() && self.update.is_none();
        // Not while an update runs: its answer would be dropped unread.
        if self.check_pending && self.watch.settled() && idle {
            self.check_pending = false;
            self.check_files(app);
        }
        // A file is often written in several steps: look once they settle.
        // Also while the word index is made: the list and the index of the
        // files are updated, and the word index catches up when done.
        if self.changed_at.is_some_and(|t| t.elapsed() >= SETTLE)
            && self.reload.is_none()
            && self.update.is_none()
            && !self.whole_pending
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
        self.start_words(app);
        app.update(app::Msg::MakingWords(true));
    }

    /// Starts making the word index (or bringing it up to date with the
    /// index of the files) for the list held.
    fn start_words(&mut self, app: &mut App) {
        self.words_behind = false;
        let collection = app.collection();
        if collection.words.is_some() || collection.partial().is_some() {
            // A load meanwhile made the list anew, with its own.
            app.update(app::Msg::MakingWords(false));
            return;
        }
        let (paths, options) = (self.paths.clone(), self.load_options.clone());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            in_the_background();
            let _ = tx.send(Collection::build_words(&paths, &options, &|_, _| {}));
        });
        self.words = Some((rx, Arc::downgrade(collection)));
    }

    /// Gives the collection the word index once it is made, if the list is
    /// still the one it was made for (a reload meanwhile made its own). If
    /// an update changed the list meanwhile, or is running, the word index
    /// is first brought up to date with the index of the files again (it
    /// reads only the files that changed), once no update runs.
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
            Ok(_) if self.words_refused => {
                (self.words_refused, self.words_behind, self.words_asked) = (false, false, false);
                app.update(app::Msg::MakingWords(false));
            }
            Ok(_) if self.words_behind || (same && self.update.is_some()) => self.words_behind = true,
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
            Ok(Updated::Ready(fresh)) => {
                self.words_behind |= self.words.is_some();
                self.hand_over(app, fresh, app::Msg::Refreshed);
            }
            // Only a whole load can tell.
            Ok(Updated::Whole) => {
                self.update = None;
                if self.words.is_some() || self.words_behind {
                    self.whole_pending = true;
                } else {
                    self.start_load(Loading::Check);
                }
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
                    self.words_refused |= self.words.is_some() || self.words_behind;
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

/// Lowers the calling thread's priority, and so that of the threads it
/// starts (which inherit it): the word index, minutes of work on every
/// core at a million files, then leaves the CPU to the list's updates and
/// searches (a file dropped in showed in 2.7–3.2 s at 1M while it was made
/// at the same priority).
fn in_the_background() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain integers in and out. On Linux, PRIO_PROCESS with 0
    // names the calling thread alone, not the whole process.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// Frees `old`, a collection just replaced, on a thread of its own: at a
/// million articles that takes a frame or more.
fn retire(old: Arc<Collection>) {
    std::thread::spawn(move || {
        drop(old);
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly
    use super::super::watcher::Starting;
    use super::*;
    use crate::collection::LoadOptions;
    use crate::formats::Content;
    use crate::words::{Stemmers, Word};

    /// Pumps until `done` says so, or fails after a while.
    fn pump_until(runtime: &mut Runtime, app: &mut App, what: &str, done: impl Fn(&Runtime, &App) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !done(runtime, app) {
            assert!(Instant::now() < deadline, "never: {what}");
            runtime.pump(app);
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn write(path: &std::path::Path, id: &str, title: &str) {
        let line = format!(r#"{{"id":"{id}","title":"{title}","date":"2024-05-01","lead":"Vom {title}."}}"#);
        std::fs::write(path, line).unwrap();
    }

    /// A collection of two files with an index and no word index, and the
    /// reader's app and runtime for it.
    fn collection_without_words(dir: &std::path::Path, cache: &std::path::Path) -> (App, Runtime) {
        write(&dir.join("a.jsonl"), "a1", "Hafenfest");
        write(&dir.join("b.jsonl"), "b1", "Deichlauf");
        let paths = vec![dir.to_path_buf()];
        let options = LoadOptions {
            content: Content::Metadata,
            cache: Some(cache.to_path_buf()),
            words: true,
            ..LoadOptions::default()
        };
        let lean = Collection::load(&paths, &LoadOptions { words: false, ..options.clone() });
        assert!(lean.words.is_none() && matches!(lean.index_file, Some((_, true))));
        let app = App::new(Arc::new(lean), Default::default(), Default::default());
        let runtime = Runtime::new(&app, Starting::Failed, saver::Saver::start(None), paths, options);
        (app, runtime)
    }

    /// What the tests below start from: the reader of a collection
    /// without a word index, one being made (made here and now, handed
    /// over through the sender when the test says), and then a file `c1`
    /// written (its path).
    struct WhileMaking {
        app: App,
        runtime: Runtime,
        tx: std::sync::mpsc::Sender<WordsMade>,
        made: WordsMade,
        new: PathBuf,
    }

    fn set_up(dir: &std::path::Path, cache: &std::path::Path) -> WhileMaking {
        let (mut app, mut runtime) = collection_without_words(dir, cache);
        let made = Collection::build_words(&runtime.paths, &runtime.load_options, &|_, _| {});
        let (tx, rx) = std::sync::mpsc::channel();
        runtime.words = Some((rx, Arc::downgrade(app.collection())));
        runtime.words_asked = true;
        app.update(app::Msg::MakingWords(true));
        let new = dir.join("c.jsonl");
        write(&new, "c1", "Krabbenkutter");
        WhileMaking { app, runtime, tx, made, new }
    }

    /// The list has the word index, which finds the article `id` by the
    /// word `word` without reading, and goes with the index on disk.
    fn found_through_the_word_index(app: &App, word: &str, id: &str, cache: &std::path::Path, runtime: &Runtime) {
        let collection = app.collection();
        let stemmers = Stemmers::default();
        let found = collection.find_word(&Word::new(word, &stemmers), &stemmers).unwrap().unwrap();
        let at = (0..collection.len()).find(|&i| collection.articles[i].id.0 == id).unwrap() as u32;
        assert_eq!((found.sure, found.maybe), (vec![at], vec![]), "through the word index, not by reading");
        let place = crate::cache::Place::new(cache, &runtime.paths, runtime.load_options.max_file_size);
        let crate::cache::Opened::Good(heads) = place.open_heads() else { panic!("no index") };
        assert!(crate::words::is_current(&crate::words::folder_of(place.path()), heads.stamp()));
    }

    /// A file written while the word index is made shows in the list at
    /// once; the word index made meanwhile (without it) is not given to the
    /// list, but brought up to date first, and then finds the new file's
    /// words.
    #[test]
    fn files_changed_while_the_word_index_is_made_are_listed_at_once_and_found_by_it_after() {
        let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let dir = files.path();
        let WhileMaking { mut app, mut runtime, tx, made, new } = set_up(dir, cache.path());
        runtime.seen = Seen::Paths([new.clone()].into());
        runtime.changed_at = Some(Instant::now() - SETTLE);
        pump_until(&mut runtime, &mut app, "listed", |_, app| app.collection().len() == 3);
        pump_until(&mut runtime, &mut app, "saved", |r, _| r.update.is_none());
        assert!(app.making_words() && runtime.words_behind);

        tx.send(made).unwrap();
        pump_until(&mut runtime, &mut app, "given the word index", |_, app| app.collection().words.is_some());
        assert!(!app.making_words());
        found_through_the_word_index(&app, "krabben", "c1", cache.path(), &runtime);
    }

    /// A word index made while an update of the list it was made for runs
    /// is not given to that list (the update's list, without it, would
    /// replace it), but to the update's, brought up to date.
    #[test]
    fn a_word_index_made_while_an_update_runs_goes_to_the_updated_list() {
        let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let dir = files.path();
        let WhileMaking { mut app, mut runtime, tx, made, new } = set_up(dir, cache.path());
        runtime.start_update(&mut app, Look::Paths(vec![new]));
        tx.send(made).unwrap();
        pump_until(&mut runtime, &mut app, "given the word index", |_, app| app.collection().words.is_some());
        pump_until(&mut runtime, &mut app, "settled", |r, _| r.update.is_none() && r.words.is_none());
        assert_eq!(app.collection().len(), 3);
        assert!(app.collection().words.is_some(), "kept after the update");
        found_through_the_word_index(&app, "krabben", "c1", cache.path(), &runtime);
    }

    /// A check of every file due once the watch is set up waits for an
    /// update already running: starting it would drop that update's answer
    /// (the list would miss what it read until the next change).
    #[test]
    fn a_check_waits_for_the_update_running() {
        let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (mut app, mut runtime) = collection_without_words(files.path(), cache.path());
        let (tx, rx) = std::sync::mpsc::channel();
        runtime.update = Some(rx);
        runtime.check_pending = true;
        runtime.pump(&mut app);
        assert!(runtime.check_pending, "the check waits");
        let new = files.path().join("c.jsonl");
        write(&new, "c1", "Krabbenkutter");
        let fresh = app.collection().updated(&runtime.paths, &[new], &runtime.load_options, &|_| None).unwrap().0;
        tx.send(Updated::Ready(Arc::new(fresh))).unwrap();
        tx.send(Updated::Saved(Vec::new())).unwrap();
        pump_until(&mut runtime, &mut app, "the update's list", |_, app| app.collection().len() == 3);
        pump_until(&mut runtime, &mut app, "the check once the update is done", |r, _| !r.check_pending);
    }
}
