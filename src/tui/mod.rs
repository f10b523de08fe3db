//! The reader: a terminal front end to the library. This module runs the
//! event loop; `app.rs` holds the state, `ui/` draws it.
//!
//! key → keymap → `Action` → `App::update` → `ui::render(&App, frame)`

pub mod action;
pub mod app;
mod fetcher;
pub mod keymap;
pub mod layout;
pub mod prompt;
pub mod reader_view;
mod runtime;
pub mod saver;
pub mod search;
pub mod tag_pane;
pub mod ui;
mod watcher;

use crate::collection::{Collection, Source};
use crate::config::Config;
use crate::store::{Marks, State, StoreFile};
use action::Action;
use app::App;
use keymap::Keymap;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers, MouseEventKind};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use runtime::Runtime;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};
use ui::theme::Theme;

/// What the reader needs to start.
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub config: Config,
    /// Where bookmarks and read state live; `None` keeps them in memory.
    pub data_dir: Option<PathBuf>,
    /// Where the index of the collection lives; `None`: no index.
    pub cache_dir: Option<PathBuf>,
    /// Mistakes found in the config, shown in the status line.
    pub warnings: Vec<String>,
}

/// Runs the reader until the user quits; returns the exit code.
pub fn run(options: Options) -> anyhow::Result<i32> {
    use signal_hook::consts::{SIGALRM, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGUSR1, SIGUSR2, SIGXFSZ};
    let signal = Arc::new(AtomicUsize::new(0));
    // Signals that would end blatt end it through the loop, which saves and
    // restores the terminal on the way out.
    for sig in [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM] {
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
    }
    // A file grown past `ulimit -f` fails its write (EFBIG, reported like a
    // full disk) instead of killing blatt.
    signal_hook::flag::register(SIGXFSZ, Arc::new(AtomicBool::new(false)))?;
    // A stop sent from outside (`kill -TSTP`) suspends as Ctrl-Z does, so
    // that `fg` brings the terminal back as the reader wants it.
    let stop = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(SIGTSTP, Arc::clone(&stop))?;
    let mouse = options.config.mouse.unwrap_or(true);
    install_mouse_panic_hook(mouse);
    let mut terminal = ratatui::try_init()?;
    if mouse {
        let _ = execute!(std::io::stdout(), event::EnableMouseCapture);
    }
    let events = spawn_event_reader();
    let result = run_in_terminal(&mut terminal, options, &Signals { end: &signal, stop: &stop }, &events);
    restore_terminal(mouse);
    let (code, warnings) = result?;
    for w in warnings {
        eprintln!("blatt: {w}");
    }
    Ok(code)
}

fn install_mouse_panic_hook(mouse: bool) {
    if !mouse {
        return;
    }
    // ratatui's own hook (installed by `try_init`, after this one) restores the
    // screen first and then calls this one, which turns mouse reporting off.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), event::DisableMouseCapture);
        previous(info);
    }));
}

fn restore_terminal(mouse: bool) {
    if mouse {
        let _ = execute!(std::io::stdout(), event::DisableMouseCapture);
    }
    ratatui::restore();
}

/// The signals the event loop watches for.
struct Signals<'a> {
    /// The number of a signal that ends blatt, or 0.
    end: &'a AtomicUsize,
    /// A stop sent from outside.
    stop: &'a AtomicBool,
}

/// The part of `run` that needs the terminal; returns the exit code and
/// warnings to print once the terminal is restored.
fn run_in_terminal(
    terminal: &mut DefaultTerminal,
    options: Options,
    signals: &Signals,
    events: &Events,
) -> anyhow::Result<(i32, Vec<String>)> {
    let signal = signals.end;
    // No bodies in memory: the reader reads each article's text when it
    // shows it, and looks for words in the files (`Collection::read_full`).
    let load_options = crate::LoadOptions {
        content: crate::formats::Content::Metadata,
        cache: options.cache_dir.clone(),
        headlines: true,
        ..options.config.load_options()
    };
    let mouse = options.config.mouse.unwrap_or(true);
    // With an index, the first screen comes from the front page saved with
    // it; the rest of the index is then loaded in the background, and the
    // files are checked after that. Without a front page, from the index
    // alone, then the check.
    let source = if load_options.cache.is_some() { Source::IndexOnly } else { Source::Walk };
    let front = Collection::front_page(&options.paths, &load_options);
    let from_front = front.is_some();
    let mut collection = match front {
        Some(front) => front,
        None => match load_showing_progress(terminal, &options.paths, &load_options, source, signal, events)? {
            Some(collection) => collection,
            None => return Ok((exit_code(signal), vec![])),
        },
    };
    let check = !from_front && needs_check(&collection, source);
    let load_options = crate::LoadOptions { words: true, ..load_options };
    let (store, state, mut warnings) = match &options.data_dir {
        Some(dir) => {
            let (file, state, w) = StoreFile::open(dir);
            (Some(file), state, w)
        }
        None => (None, State::new(), vec![]),
    };
    state.add_stand_ins_to(&mut collection);
    let (keymap, key_problems) = Keymap::with_overrides(&options.config.keys);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (theme, theme_problems) = Theme::from_config(&options.config.theme, no_color);
    let mut app = App::new(Arc::new(collection), Marks::new(state), keymap).with_theme(theme);
    let mut views = vec![];
    for (name, text) in &options.config.views {
        match crate::query::parse(text) {
            Ok(q) => views.push((crate::sanitize::clean_line(name), q)),
            Err(e) => warnings.push(format!("config [views] {}: {e}", crate::sanitize::clean_line(name))),
        }
    }
    app.set_views(views);
    let history_file = options.data_dir.as_ref().map(|d| d.join("history"));
    let mut app = app.with_history(history_file.as_deref().map(load_history).unwrap_or_default());
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    warnings.extend(options.warnings.iter().map(|w| format!("config: {w}")));
    warnings.extend(key_problems);
    warnings.extend(theme_problems);
    if !warnings.is_empty() {
        app.update(app::Msg::Failed(warnings.join(" · ")));
    }
    let keeps_state = store.is_some();
    // Behind a first screen from the front page, once the rest is loaded.
    let watch = if from_front {
        watcher::Starting::Later(options.paths.clone())
    } else {
        watcher::Starting::spawn(options.paths.clone())
    };
    let saver = saver::Saver::start(store);
    let mut runtime = Runtime {
        browser: options.config.browser.clone(),
        browser_terminal: options.config.terminal,
        mouse,
        ..Runtime::new(&app, watch, saver, options.paths.clone(), load_options)
    };
    if from_front {
        runtime.start_load(runtime::Loading::Rest);
    } else if check {
        runtime.check_when_watched(&mut app);
    }
    let mut code = 0;
    let mut tty_checked = Instant::now();
    loop {
        terminal.draw(|frame| ui::render(&app, frame))?;
        let wrapping = !app.reader().complete();
        let wait = if wrapping {
            Duration::from_millis(1)
        } else if runtime.busy(&app) {
            Duration::from_millis(30)
        } else {
            Duration::from_millis(250)
        };
        match events.recv_timeout(wait) {
            Ok(Ok(ev)) => {
                // Take whatever else arrived before drawing again; characters
                // typed into the prompt in one burst (a paste) are applied
                // once, not filtered again after every one of them.
                let mut typed = String::new();
                let burst =
                    std::iter::once(ev).chain(std::iter::from_fn(|| events.try_recv().ok().and_then(Result::ok)));
                for ev in burst {
                    if let Some(c) = prompt_char(&app, &ev) {
                        typed.push(c);
                        continue;
                    }
                    if !typed.is_empty() {
                        app.update(Action::InsertText(std::mem::take(&mut typed)));
                    }
                    handle_event(terminal, &mut app, ev, mouse)?;
                }
                if !typed.is_empty() {
                    app.update(Action::InsertText(typed));
                }
            }
            Ok(Err(_)) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break, // the terminal is gone
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        if tty_checked.elapsed() > Duration::from_secs(1) {
            tty_checked = Instant::now();
            if !terminal_alive() {
                break;
            }
        }
        if wrapping {
            app.update(Action::Tick);
        }
        runtime.pump(&mut app);
        for effect in app.take_effects() {
            runtime.run(effect, &mut app, terminal, events)?;
        }
        if signals.stop.swap(false, Ordering::Relaxed) {
            suspend(terminal, mouse)?;
        }
        if signal.load(Ordering::Relaxed) != 0 {
            code = exit_code(signal);
            break;
        }
        if app.should_quit() {
            break;
        }
    }
    let mut after: Vec<String> = vec![];
    if let Some(path) = &history_file
        && let Err(e) = save_history(path, app.history())
    {
        after.push(format!("{}: prompt history not saved: {e}", crate::sanitize::display_path(path)));
    }
    // The last save may wait for another process's lock, but not forever.
    let deadline = Instant::now() + Duration::from_secs(5);
    let update = runtime.update.take();
    let saved = runtime.saver.finish(&mut app, Duration::from_secs(5));
    runtime::finish_update(update, deadline);
    if !saved && keeps_state {
        after.push("some bookmark or read changes could not be saved".to_string());
    }
    Ok((code, after))
}

/// Terminal events, read on a thread of their own so that the event loop
/// can wait with a timeout, notice signals, and never hang on a dead
/// terminal. The thread can be paused while a program blatt starts (a text
/// browser, a pager) has the terminal, so that it does not take its keys.
pub struct Events {
    rx: Receiver<std::io::Result<Event>>,
    paused: Arc<AtomicBool>,
}

impl std::ops::Deref for Events {
    type Target = Receiver<std::io::Result<Event>>;
    fn deref(&self) -> &Self::Target {
        &self.rx
    }
}

fn spawn_event_reader() -> Events {
    let (tx, rx) = channel();
    let paused = Arc::new(AtomicBool::new(false));
    let pause = Arc::clone(&paused);
    std::thread::spawn(move || {
        loop {
            if pause.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
            match event::poll(Duration::from_millis(50)) {
                Ok(false) => continue,
                Ok(true) => {}
                Err(e) => {
                    let _ = tx.send(Err(e));
                    break;
                }
            }
            let ev = event::read();
            let failed = ev.is_err();
            if tx.send(ev).is_err() || failed {
                break;
            }
        }
    });
    Events { rx, paused }
}

/// Gives the terminal to `run` (a text browser, a pipe to a pager) and takes
/// it back afterwards, redrawn whole.
fn step_aside<T>(
    terminal: &mut DefaultTerminal,
    mouse: bool,
    events: &Events,
    run: impl FnOnce() -> T,
) -> anyhow::Result<T> {
    events.paused.store(true, Ordering::Relaxed);
    std::thread::sleep(Duration::from_millis(60)); // let a poll in progress end
    restore_terminal(mouse);
    let result = run();
    take_terminal_back(terminal, mouse)?;
    while events.try_recv().is_ok() {}
    events.paused.store(false, Ordering::Relaxed);
    Ok(result)
}

/// Queries kept between sessions, newest last.
const HISTORY_KEPT: usize = 200;

/// The prompt's history from an earlier session (one query a line).
fn load_history(path: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<String> = text.lines().map(crate::sanitize::clean_line).filter(|l| !l.is_empty()).collect();
    lines[lines.len().saturating_sub(HISTORY_KEPT)..].to_vec()
}

/// Writes the prompt's history, atomically, for the next session.
fn save_history(path: &std::path::Path, history: &[String]) -> std::io::Result<()> {
    if history.is_empty() && !path.exists() {
        return Ok(());
    }
    let keep = &history[history.len().saturating_sub(HISTORY_KEPT)..];
    let text: String = keep.iter().map(|line| format!("{line}\n")).collect();
    crate::store::write_atomically(path, text.as_bytes())
}

/// `|`: runs the command the user typed, through the shell as typed, with
/// the article on its standard input; then waits for Enter, so that what it
/// printed can be read before the reader returns.
fn run_pipe(command: &str, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut child = std::process::Command::new("sh")
        .args(["-c", command])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start sh: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(text.as_bytes()); // a command may stop reading early
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    print!("\r\n[{status}; Enter returns to blatt] ");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    if let Ok(tty) = std::fs::File::open("/dev/tty") {
        let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(tty), &mut line);
    }
    Ok(())
}

/// False once the controlling terminal has been hung up (its window closed).
fn terminal_alive() -> bool {
    std::fs::OpenOptions::new().read(true).open("/dev/tty").is_ok()
}

/// 128 + the signal that ended blatt, or 0.
fn exit_code(signal: &AtomicUsize) -> i32 {
    match signal.load(Ordering::Relaxed) {
        0 => 0,
        sig => 128 + sig as i32,
    }
}

/// The character a key event types into the open prompt, if it does.
fn prompt_char(app: &App, ev: &Event) -> Option<char> {
    let Event::Key(key) = ev else { return None };
    if key.kind == KeyEventKind::Release || app.prompt().is_none() {
        return None;
    }
    match app.action_for_key(key) {
        Some(Action::Insert(c)) => Some(c),
        _ => None,
    }
}

fn handle_event(terminal: &mut DefaultTerminal, app: &mut App, ev: Event, mouse: bool) -> anyhow::Result<()> {
    match ev {
        // Only in debug builds (which the tests run), never in a release.
        #[cfg(debug_assertions)]
        Event::Key(key) if key.code == KeyCode::F(12) && std::env::var_os("BLATT_TEST_PANIC").is_some() => {
            // For the tests of panic handling only: a panic at a known moment.
            panic!("forced by BLATT_TEST_PANIC");
        }
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            if key.code == KeyCode::Char('z') && key.modifiers.contains(KeyModifiers::CONTROL) {
                suspend(terminal, mouse)?;
                return Ok(());
            }
            if let Some(action) = app.action_for_key(&key) {
                app.update(action);
            }
        }
        Event::Mouse(m) if mouse => match m.kind {
            MouseEventKind::Down(_) => app.update(Action::Click(m.column, m.row)),
            MouseEventKind::ScrollUp => app.update(Action::Scroll(m.column, m.row, -1)),
            MouseEventKind::ScrollDown => app.update(Action::Scroll(m.column, m.row, 1)),
            _ => {}
        },
        Event::Resize(w, h) => app.update(Action::Resize(w, h)),
        _ => {}
    }
    Ok(())
}

/// Ctrl-Z: give the terminal back, stop, and take it again on `fg`.
fn suspend(terminal: &mut DefaultTerminal, mouse: bool) -> anyhow::Result<()> {
    restore_terminal(mouse);
    // Stop as the default action would (our own handler is in place).
    signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP)?;
    take_terminal_back(terminal, mouse)
}

/// Raw mode, the alternate screen and the mouse again, after another
/// program had the terminal; the next frame is drawn whole.
fn take_terminal_back(terminal: &mut DefaultTerminal, mouse: bool) -> anyhow::Result<()> {
    enable_raw_mode()?;
    execute!(std::io::stdout(), EnterAlternateScreen)?;
    if mouse {
        execute!(std::io::stdout(), event::EnableMouseCapture)?;
    }
    // The shell drew over the screen: blank it, and make ratatui believe it
    // is blank too, so the next frame is sent whole. (`Terminal::clear`
    // would ask the terminal for the cursor position, which needs an answer.)
    execute!(std::io::stdout(), ratatui::crossterm::terminal::Clear(ratatui::crossterm::terminal::ClearType::All))?;
    terminal.draw(|f| f.render_widget(ratatui::widgets::Clear, f.area()))?;
    Ok(())
}

/// Whether the files must be checked after a load from `source`: when it
/// came from the index alone, and when the index has no word index up to
/// date (the check builds it, in the same background load).
fn needs_check(collection: &Collection, source: Source) -> bool {
    collection.index_file.is_some()
        && ((source == Source::IndexOnly && collection.changes.is_some()) || collection.words.is_none())
}

/// Files done and files found so far, while loading.
type Progress = Arc<(AtomicUsize, AtomicUsize)>;

/// Loads the collection from `source` on a thread of its own, reporting
/// into `progress`.
fn spawn_load_from(
    paths: Vec<PathBuf>,
    options: crate::LoadOptions,
    source: Source,
    progress: Progress,
) -> Receiver<Collection> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let report = |done: usize, total: usize| {
            progress.0.store(done, Ordering::Relaxed);
            progress.1.store(total, Ordering::Relaxed);
        };
        let _ = tx.send(Collection::load_from(&paths, &options, source, &report));
    });
    rx
}

/// Loads the collection in the background while drawing its progress.
/// `None` when the user quit (or a signal came) before it finished.
fn load_showing_progress(
    terminal: &mut DefaultTerminal,
    paths: &[PathBuf],
    options: &crate::LoadOptions,
    source: Source,
    signal: &AtomicUsize,
    events: &Events,
) -> anyhow::Result<Option<Collection>> {
    let progress: Progress = Arc::default();
    let rx = spawn_load_from(paths.to_vec(), options.clone(), source, Arc::clone(&progress));
    let started = Instant::now();
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(c) => return Ok(Some(c)),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => anyhow::bail!("loading failed"),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        let (done, total) = (progress.0.load(Ordering::Relaxed), progress.1.load(Ordering::Relaxed));
        terminal.draw(|f| {
            let text = if total == 0 {
                format!("blatt · looking for articles… {:.1} s", started.elapsed().as_secs_f32())
            } else {
                format!("blatt · loading {done} / {total} files… (q quits)")
            };
            f.render_widget(ratatui::text::Line::raw(text), f.area());
        })?;
        if signal.load(Ordering::Relaxed) != 0 {
            return Ok(None);
        }
        while let Ok(ev) = events.try_recv() {
            match ev {
                Ok(Event::Key(k))
                    if k.code == KeyCode::Char('q')
                        || (k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL)) =>
                {
                    return Ok(None);
                }
                Err(_) => return Ok(None),
                _ => {}
            }
        }
        if !terminal_alive() {
            return Ok(None);
        }
    }
}

#[cfg(test)]
mod tests;
