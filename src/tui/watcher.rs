//! Watching the collection's folders while the reader runs: the paths of
//! files added, changed or removed are kept, and the runtime then reads
//! those again (see [`crate::Collection::updated`]), or checks every file
//! when the events were too many or lost. The system's file events
//! (inotify) where it can; polling where it cannot.

use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often the folders are looked at when the system cannot report changes.
pub const POLL_EVERY: Duration = Duration::from_secs(30);

/// More changed paths than this between two looks: every file is checked.
const MANY_PATHS: usize = 4096;

/// What changed in the folders since the last look.
#[derive(Debug, Default, PartialEq, Eq)]
pub enum Seen {
    #[default]
    Nothing,
    /// Files or folders (as the paths the collection was loaded from name
    /// them) added, changed or removed.
    Paths(BTreeSet<PathBuf>),
    /// Too much, or events were lost: look at every file.
    Everything,
}

impl Seen {
    /// Adds what `more` saw.
    pub fn add(&mut self, more: Seen) {
        match (std::mem::take(self), more) {
            (Seen::Everything, _) | (_, Seen::Everything) => *self = Seen::Everything,
            (Seen::Nothing, other) | (other, Seen::Nothing) => *self = other,
            (Seen::Paths(mut mine), Seen::Paths(theirs)) => {
                mine.extend(theirs);
                *self = if mine.len() > MANY_PATHS { Seen::Everything } else { Seen::Paths(mine) };
            }
        }
    }

    fn add_path(&mut self, path: PathBuf) {
        self.add(Seen::Paths(BTreeSet::from([path])));
    }
}

/// A running watch; dropping it stops it.
pub struct Watch {
    _watcher: Box<dyn std::any::Any + Send>,
    seen: Arc<Mutex<Seen>>,
}

/// What the watch's handler makes of the events: the changed paths it
/// keeps, named as the roots are given.
#[derive(Clone)]
struct Keeper {
    seen: Arc<Mutex<Seen>>,
    roots: Roots,
    /// The folders of files given as roots.
    beside: Vec<PathBuf>,
}

impl Keeper {
    /// Keeps `p` as changed, if a change there can change the collection.
    fn keep(&self, p: PathBuf) {
        if !matters(&p, &self.roots) {
            return;
        }
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        match self.roots.as_given(&p) {
            Some(p) => seen.add_path(p),
            // Another file beside a file given as a root.
            None if p.parent().is_some_and(|f| self.beside.iter().any(|b| b == f)) => {}
            None => seen.add(Seen::Everything),
        }
    }

    fn lost(&self) {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).add(Seen::Everything);
    }

    /// Hands on what `event` changed: folders that appeared to `new_folders`
    /// (when the watch is one per folder), the rest kept.
    fn take(&self, event: notify::Result<notify::Event>, new_folders: Option<&std::sync::mpsc::Sender<PathBuf>>) {
        let e = match event {
            // Reads change nothing.
            Ok(e) if matches!(e.kind, EventKind::Access(_)) => return,
            Ok(e) => e,
            // Events were lost (a full queue): look at everything.
            Err(_) => return self.lost(),
        };
        // A new owner or mode of a cache's log changes nothing (SQLite run
        // as root gives the files it opens, even to read, the owner of the
        // database).
        let metadata = matches!(e.kind, EventKind::Modify(notify::event::ModifyKind::Metadata(_)));
        // A folder made or moved here is watched before it counts as
        // changed: a file written into it after that is seen, one before
        // is read with it.
        let arrived = matches!(e.kind, EventKind::Create(_) | EventKind::Modify(notify::event::ModifyKind::Name(_)));
        for p in e.paths {
            let cache = standing_for(&p);
            if metadata && cache != p {
                continue;
            }
            match new_folders {
                Some(to) if arrived && matters(&cache, &self.roots) && cache.is_dir() => {
                    if to.send(cache).is_err() {
                        self.lost();
                    }
                }
                _ => self.keep(cache),
            }
        }
    }
}

/// The folders to watch below `root`, itself first: hidden ones skipped
/// (the collection skips them), links followed (a loop once). Only folders
/// are looked at closely: a file costs its entry in the folder's listing,
/// not a stat (a watch of the whole tree at once stats every file: seconds
/// at a million).
fn folders_below(root: &Path) -> impl Iterator<Item = PathBuf> {
    walkdir::WalkDir::new(root)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().as_encoded_bytes().starts_with(b"."))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
}

/// Watches every folder below `root` (or `root` alone, when it is a file)
/// on its own.
fn watch_below(watcher: &mut notify::RecommendedWatcher, root: &Path) -> notify::Result<()> {
    if !root.is_dir() {
        return watcher.watch(root, RecursiveMode::NonRecursive);
    }
    folders_below(root).try_for_each(|folder| match watcher.watch(&folder, RecursiveMode::NonRecursive) {
        // Gone since it was listed: its removal is an event of its parent.
        Err(notify::Error { kind: notify::ErrorKind::PathNotFound, .. }) => Ok(()),
        other => other,
    })
}

impl Watch {
    /// Watches `paths` and every folder below them. `None` when neither
    /// way works.
    pub fn start(paths: &[PathBuf]) -> Option<Watch> {
        let seen = Arc::new(Mutex::new(Seen::Nothing));
        // A file given as a root is watched through its folder as well: a
        // newsboat cache changes through files beside it (see
        // `standing_for`), which a watch on the file alone does not see.
        let folders: Vec<PathBuf> = paths
            .iter()
            .filter(|p| p.is_file())
            .filter_map(|p| std::path::absolute(p).ok()?.parent().map(Path::to_path_buf))
            .collect();
        let keeper = Keeper { seen: Arc::clone(&seen), roots: Roots::of(paths), beside: folders.clone() };
        if let Some(watcher) = Self::by_folder(paths, &folders, keeper.clone()) {
            return Some(Watch { _watcher: Box::new(watcher), seen });
        }
        // Polling looks at the whole tree each time anyway.
        let config = notify::Config::default().with_poll_interval(POLL_EVERY);
        let mut w = notify::PollWatcher::new(move |e| keeper.take(e, None), config).ok()?;
        for p in paths {
            w.watch(p, RecursiveMode::Recursive).ok()?;
        }
        for f in &folders {
            w.watch(f, RecursiveMode::NonRecursive).ok()?;
        }
        Some(Watch { _watcher: Box::new(w), seen })
    }

    /// The system's events (inotify), one watch per folder, set up by a
    /// walk that looks at folders only. A folder that appears later is
    /// watched by a thread of its own, which the handler hands it to.
    fn by_folder(
        paths: &[PathBuf],
        folders: &[PathBuf],
        keeper: Keeper,
    ) -> Option<Arc<Mutex<notify::RecommendedWatcher>>> {
        let (to_add, new_folders) = std::sync::mpsc::channel::<PathBuf>();
        let handler = {
            let keeper = keeper.clone();
            move |e| keeper.take(e, Some(&to_add))
        };
        let mut w = notify::recommended_watcher(handler).ok()?;
        let roots = paths.iter().try_for_each(|p| watch_below(&mut w, p));
        let beside = folders.iter().try_for_each(|f| w.watch(f, RecursiveMode::NonRecursive));
        if roots.is_err() || beside.is_err() {
            return None;
        }
        let watcher = Arc::new(Mutex::new(w));
        // The thread holds the watcher weakly: it ends with the watch,
        // whose handler (and with it the sender) goes with the watcher.
        let weak = Arc::downgrade(&watcher);
        std::thread::spawn(move || {
            for folder in new_folders {
                let Some(watcher) = weak.upgrade() else { return };
                let watched = watch_below(&mut watcher.lock().unwrap_or_else(|e| e.into_inner()), &folder);
                match watched {
                    Ok(()) => keeper.keep(folder),
                    // Not watched (too many watches): every file is looked at.
                    Err(_) => keeper.lost(),
                }
            }
        });
        Some(watcher)
    }

    /// What changed since the last call.
    pub fn take_seen(&self) -> Seen {
        std::mem::take(&mut *self.seen.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// The paths the collection was loaded from, each with the forms the
/// system's events may give it in.
#[derive(Clone)]
struct Roots(Vec<(PathBuf, Vec<PathBuf>)>);

impl Roots {
    fn of(paths: &[PathBuf]) -> Roots {
        let forms = |given: &PathBuf| {
            let mut forms = vec![given.clone()];
            forms.extend(std::path::absolute(given).ok());
            forms.extend(std::fs::canonicalize(given).ok());
            forms.dedup();
            forms
        };
        Roots(paths.iter().map(|given| (given.clone(), forms(given))).collect())
    }

    /// `path` below a root, as the root is given; `None` when it is below none.
    fn as_given(&self, path: &Path) -> Option<PathBuf> {
        self.0.iter().find_map(|(given, forms)| {
            let rest = forms.iter().find_map(|f| path.strip_prefix(f).ok())?;
            Some(if rest.as_os_str().is_empty() { given.clone() } else { given.join(rest) })
        })
    }

    /// The part of `path` below a root.
    fn below<'a>(&self, path: &'a Path) -> Option<&'a Path> {
        self.0.iter().flat_map(|(_, forms)| forms).find_map(|f| path.strip_prefix(f).ok())
    }
}

/// The file a change at `p` is a change of: a newsboat cache's
/// write-ahead log (`cache.db-wal`) and the `urls` file beside it (its
/// tags) stand for the cache, whose stamp takes them in.
fn standing_for(p: &Path) -> PathBuf {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if let Some(cache) = name.strip_suffix("-wal").map(|n| p.with_file_name(n))
        && crate::formats::format_for_path(&cache) == Some(crate::formats::Format::Newsboat)
    {
        return cache;
    }
    if name == "urls" && p.with_file_name("cache.db").is_file() {
        return p.with_file_name("cache.db");
    }
    p.to_path_buf()
}

/// Can a change at `p` change what the collection holds? Not for files
/// blatt never loads, nor hidden ones.
fn matters(p: &Path, roots: &Roots) -> bool {
    // Hidden below the root (a root may itself lie in a hidden folder).
    let below = roots.below(p);
    let hidden = below.unwrap_or(p).components().any(|c| c.as_os_str().as_encoded_bytes().starts_with(b"."));
    !hidden && (crate::formats::format_for_path(p).is_some() || p.extension().is_none())
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

    /// Whether the watch is set up, or cannot be.
    pub fn settled(&self) -> bool {
        matches!(self, Starting::Running(_) | Starting::Failed)
    }

    /// What changed since the last call. Says so (through `app`) when no
    /// watch could be set up.
    pub fn seen(&mut self, app: &mut crate::tui::app::App) -> Seen {
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
        match self {
            Starting::Running(w) => w.take_seen(),
            _ => Seen::Nothing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_seen_add_up_until_they_are_too_many() {
        let mut seen = Seen::Nothing;
        seen.add(Seen::Nothing);
        assert_eq!(seen, Seen::Nothing);
        seen.add_path("a/x.txt".into());
        seen.add_path("a/y.txt".into());
        seen.add_path("a/x.txt".into());
        assert_eq!(seen, Seen::Paths(BTreeSet::from(["a/x.txt".into(), "a/y.txt".into()])));
        for n in 0..MANY_PATHS {
            seen.add_path(format!("a/{n}.txt").into());
        }
        assert_eq!(seen, Seen::Everything, "too many to read one by one");
        seen.add_path("a/z.txt".into());
        assert_eq!(seen, Seen::Everything);
        let mut seen = Seen::Paths(BTreeSet::from(["a".into()]));
        seen.add(Seen::Everything);
        assert_eq!(seen, Seen::Everything, "lost events");
    }

    #[test]
    fn event_paths_are_named_as_the_roots_are_given() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("echt");
        std::fs::create_dir_all(real.join("2024")).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let roots = Roots::of(std::slice::from_ref(&link));
        let canonical = std::fs::canonicalize(&real).unwrap();
        assert_eq!(roots.as_given(&canonical.join("2024/a.txt")), Some(link.join("2024/a.txt")));
        assert_eq!(roots.as_given(&link.join("b.txt")), Some(link.join("b.txt")));
        assert_eq!(roots.as_given(&canonical), Some(link.clone()), "the root itself");
        assert_eq!(roots.as_given(&dir.path().join("elsewhere.txt")), None);
        assert!(matters(&canonical.join("2024/a.txt"), &roots));
        assert!(matters(&canonical.join("2025"), &roots), "a folder");
        assert!(!matters(&canonical.join("2024/.a.txt.tmp"), &roots), "hidden");
        assert!(!matters(&canonical.join("2024/a.txt~"), &roots), "not a file blatt reads");
    }

    /// What `watch` sees until `enough` holds: the system reports an event
    /// soon; polling (where it cannot) takes longer.
    fn seen_until(watch: &Watch, enough: impl Fn(&Seen) -> bool) -> Seen {
        let deadline = std::time::Instant::now() + POLL_EVERY * 2;
        let mut seen = Seen::Nothing;
        while std::time::Instant::now() < deadline && !enough(&seen) {
            seen.add(watch.take_seen());
            std::thread::sleep(Duration::from_millis(20));
        }
        seen
    }

    /// newsboat writes to its cache's write-ahead log, and its tags to
    /// `urls`: both are changes of the cache, given as a file or found in
    /// a folder; other files beside a cache given as a file are not.
    #[test]
    fn a_newsboat_cache_is_seen_to_change_through_its_log_and_its_urls() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache.db");
        std::fs::write(&cache, "").unwrap();
        let only = |p: &Path| Seen::Paths(BTreeSet::from([p.to_path_buf()]));
        let watch = Watch::start(std::slice::from_ref(&cache)).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "Titel\n\nText\n").unwrap();
        std::fs::write(dir.path().join("cache.db-wal"), "log").unwrap();
        assert_eq!(seen_until(&watch, |s| *s != Seen::Nothing), only(&cache), "the log, not the text beside");
        std::fs::write(dir.path().join("urls"), "https://example.org/feed tag").unwrap();
        assert_eq!(seen_until(&watch, |s| *s != Seen::Nothing), only(&cache), "the urls file");
        drop(watch);
        let watch = Watch::start(&[dir.path().to_path_buf()]).unwrap();
        std::fs::write(dir.path().join("cache.db-wal"), "more log").unwrap();
        assert_eq!(seen_until(&watch, |s| *s != Seen::Nothing), only(&cache), "found in a folder");
        // A new mode of the log (as SQLite run as root gives it an owner)
        // is not a change; the file written after it shows it was looked at.
        // (The write's last events are let through first.)
        std::thread::sleep(Duration::from_millis(300));
        watch.take_seen();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path().join("cache.db-wal"), std::fs::Permissions::from_mode(0o600)).unwrap();
        let after = dir.path().join("danach.txt");
        std::fs::write(&after, "Titel\n\nText\n").unwrap();
        assert_eq!(seen_until(&watch, |s| matches!(s, Seen::Paths(p) if p.contains(&after))), only(&after));
    }

    /// Each folder has a watch of its own: those there at the start, those
    /// made or moved in later (seen once watched, so that what is written
    /// into them next is seen too), and those renamed, by their new name.
    #[test]
    fn folders_made_or_renamed_later_are_watched_as_well() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("archiv");
        std::fs::create_dir_all(root.join("2024/03")).unwrap();
        let watch = Watch::start(std::slice::from_ref(&root)).unwrap();
        let holds = |p: PathBuf| move |s: &Seen| matches!(s, Seen::Paths(all) if all.contains(&p));
        let only = |p: &Path| Seen::Paths(BTreeSet::from([p.to_path_buf()]));
        // A file written at `path` is seen, and nothing else.
        let written_is_seen = |path: PathBuf, why: &str| {
            std::fs::write(&path, "Titel\n\nText\n").unwrap();
            assert_eq!(seen_until(&watch, holds(path.clone())), only(&path), "{why}");
        };
        written_is_seen(root.join("2024/03/alt.txt"), "a folder below the root");

        let new = root.join("2025");
        std::fs::create_dir(&new).unwrap();
        assert_eq!(seen_until(&watch, holds(new.clone())), only(&new), "a new folder");
        written_is_seen(new.join("neu.txt"), "a file in the new folder");

        let moved = dir.path().join("draussen");
        std::fs::create_dir_all(moved.join("tief")).unwrap();
        let moved_in = root.join("hereingeholt");
        std::fs::rename(&moved, &moved_in).unwrap();
        seen_until(&watch, holds(moved_in.clone()));
        written_is_seen(moved_in.join("tief/drin.txt"), "below a folder moved in");

        let renamed = root.join("2026");
        std::fs::rename(&new, &renamed).unwrap();
        seen_until(&watch, holds(renamed.clone()));
        written_is_seen(renamed.join("umbenannt.txt"), "by the folder's new name");
    }

    #[test]
    fn a_file_written_under_a_watched_folder_is_seen_by_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("archiv");
        std::fs::create_dir_all(&root).unwrap();
        let watch = Watch::start(std::slice::from_ref(&root)).unwrap();
        std::fs::write(root.join("neu.txt"), "Titel\n\nText\n").unwrap();
        let seen = seen_until(&watch, |s| matches!(s, Seen::Paths(p) if p.contains(&root.join("neu.txt"))));
        assert_eq!(seen, Seen::Paths(BTreeSet::from([root.join("neu.txt")])));
    }
}
