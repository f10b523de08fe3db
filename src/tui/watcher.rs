//! Watching the collection's folders while the reader runs: a file added,
//! changed or removed sets a flag, and the runtime then checks the files
//! (against the index, so only what changed is read). The system's file
//! events (inotify) where it can; polling where it cannot.

use notify::{EventKind, RecursiveMode, Watcher};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How often the folders are looked at when the system cannot report changes.
pub const POLL_EVERY: Duration = Duration::from_secs(30);

/// A running watch; dropping it stops it.
pub struct Watch {
    _watcher: Box<dyn Watcher + Send>,
    changed: Arc<AtomicBool>,
}

impl Watch {
    /// Watches `paths` (recursively). `None` when neither way works.
    pub fn start(paths: &[PathBuf]) -> Option<Watch> {
        let changed = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&changed);
        // Events name paths as the system sees them.
        let roots: Vec<PathBuf> = paths.iter().map(|r| std::fs::canonicalize(r).unwrap_or(r.clone())).collect();
        let handler = move |event: notify::Result<notify::Event>| match event {
            Ok(e) if matters(&e, &roots) => flag.store(true, Ordering::Relaxed),
            Ok(_) => {}
            // Events were lost (a full queue): look at everything.
            Err(_) => flag.store(true, Ordering::Relaxed),
        };
        if let Ok(mut w) = notify::recommended_watcher(handler.clone())
            && paths.iter().all(|p| w.watch(p, RecursiveMode::Recursive).is_ok())
        {
            return Some(Watch { _watcher: Box::new(w), changed });
        }
        let config = notify::Config::default().with_poll_interval(POLL_EVERY);
        let mut w = notify::PollWatcher::new(handler, config).ok()?;
        for p in paths {
            w.watch(p, RecursiveMode::Recursive).ok()?;
        }
        Some(Watch { _watcher: Box::new(w), changed })
    }

    /// True once after the files changed.
    pub fn take_changed(&self) -> bool {
        self.changed.swap(false, Ordering::Relaxed)
    }
}

/// Does this event change what the collection holds? Reads do not, nor do
/// files blatt never loads, nor hidden ones.
fn matters(event: &notify::Event, roots: &[PathBuf]) -> bool {
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    event.paths.iter().any(|p| {
        // Hidden below the root (a root may itself lie in a hidden folder).
        let below = roots.iter().find_map(|r| p.strip_prefix(r).ok());
        let hidden = below.unwrap_or(p).components().any(|c| c.as_os_str().as_encoded_bytes().starts_with(b"."));
        !hidden && (crate::formats::format_for_path(p).is_some() || p.extension().is_none())
    })
}

/// A watch set up on its own thread, so that the first screen does not wait
/// for it.
pub enum Starting {
    /// Not yet: the collection is still loading from its index, and the
    /// watch's visit of every folder would slow it down.
    Later(Vec<PathBuf>),
    Waiting(std::sync::mpsc::Receiver<Option<Watch>>),
    Running(Watch),
    Failed,
}

impl Starting {
    pub fn spawn(paths: Vec<PathBuf>) -> Starting {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(Watch::start(&paths));
        });
        Starting::Waiting(rx)
    }

    /// Sets the watch up now, if it was put off.
    pub fn begin(&mut self) {
        if let Starting::Later(paths) = self {
            *self = Starting::spawn(std::mem::take(paths));
        }
    }

    /// True once after the files changed. Says so (through `app`) when no
    /// watch could be set up.
    pub fn changed(&mut self, app: &mut crate::tui::app::App) -> bool {
        if let Starting::Waiting(rx) = self {
            match rx.try_recv() {
                Ok(Some(w)) => *self = Starting::Running(w),
                Ok(None) | Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    *self = Starting::Failed;
                    let why = "the folders cannot be watched: press R to see changes";
                    app.update(crate::tui::app::Msg::Failed(why.into()));
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
            }
        }
        matches!(self, Starting::Running(w) if w.take_changed())
    }
}
