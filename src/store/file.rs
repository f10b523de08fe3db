//! The state file: `state.json` in the data directory, written atomically
//! (temp file, fsync, rename, fsync of the directory) under an exclusive lock
//! on `state.lock`, after re-reading and merging what other instances wrote.

use super::{State, VERSION};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Why the state could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{0}: written by a newer blatt; bookmarks and read marks are not saved in this session")]
    ReadOnly(String),
    #[error("{0}: state locked by another process, retrying")]
    Locked(String),
}

/// How long a save waits for another process's lock before it gives up
/// for now (the change stays pending and is tried again).
pub const LOCK_WAIT: Duration = Duration::from_secs(2);

/// How long opening waits for the lock before reading without it.
const OPEN_LOCK_WAIT: Duration = Duration::from_millis(300);

/// Where the state lives, and whether this instance may write it.
#[derive(Debug, Clone)]
pub struct StoreFile {
    dir: PathBuf,
    read_only: bool,
}

fn io(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io { path: crate::sanitize::display_path(path), source }
}

/// Takes an exclusive lock on the file at `path` (created if need be),
/// waiting at most `wait` for another process to let go: `None` if it
/// does not.
pub fn lock_file(path: &Path, wait: Duration) -> std::io::Result<Option<File>> {
    let f = OpenOptions::new().create(true).truncate(false).write(true).open(path)?;
    let deadline = Instant::now() + wait;
    loop {
        match f.try_lock() {
            Ok(()) => return Ok(Some(f)),
            Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

/// Replaces the file at `path` with `bytes` all at once: a temp file beside
/// it, synced, renamed over it, the folder synced. A path that is a symbolic
/// link is followed (the file it points to is replaced, the link stays); a
/// new file is the user's alone (0600), an existing one keeps its mode.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_with(path, &mut |w| w.write_all(bytes))
}

/// [`write_atomically`] with the content written by `write` (in parts, so
/// that a large file need not be put together in memory first).
pub fn write_atomically_with(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::Write;
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let mut options = atomic_write_file::AtomicWriteFile::options();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(&target)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    write(&mut out)?;
    out.flush()?;
    out.into_inner().map_err(|e| e.into_error())?.commit()
}

/// The directory blatt keeps its state in unless told otherwise.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "blatt").map(|d| d.data_dir().to_path_buf())
}

/// Whether this process holds the lock while reading.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Held {
    Yes,
    No,
}

/// What reading the file found.
enum Read {
    Missing,
    Good(State),
    Newer(u32),
    Bad(String),
}

impl StoreFile {
    pub fn path(&self) -> PathBuf {
        self.dir.join("state.json")
    }

    fn lock_path(&self) -> PathBuf {
        self.dir.join("state.lock")
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Opens the state in `dir` (created if needed). Returns the state and
    /// warnings for the user: a damaged file is moved aside, never
    /// overwritten; a file from a newer blatt makes this instance read-only.
    pub fn open(dir: &Path) -> (StoreFile, State, Vec<String>) {
        let mut file = StoreFile { dir: dir.to_path_buf(), read_only: false };
        let mut warnings = Vec::new();
        if let Err(e) = std::fs::create_dir_all(dir) {
            warnings.push(format!("{}: cannot create: {e}; changes are kept in memory only", file.shown()));
        }
        let state = match file.lock(OPEN_LOCK_WAIT).map(|_lock| file.read_or_set_aside(&mut warnings)) {
            Ok(s) => s,
            Err(e) => file.read_unlocked(e, &mut warnings),
        };
        (file, state, warnings)
    }

    /// Reads the state without the lock (another process holds it, or it
    /// cannot be taken here): the bookmarks are shown all the same. A
    /// damaged file is not moved aside without the lock; a lock that cannot
    /// be taken at all (a read-only directory) means no saving.
    fn read_unlocked(&mut self, why: StoreError, warnings: &mut Vec<String>) -> State {
        let shown = crate::sanitize::display_path(&self.path());
        if let StoreError::Locked(_) = why {
            warnings.push(format!("{shown}: state locked by another process; read without the lock"));
        } else {
            self.read_only = true;
            warnings.push(format!("{why}; bookmarks are shown, saving is off"));
        }
        self.take_in(Held::No, warnings)
    }

    fn shown(&self) -> String {
        crate::sanitize::display_path(&self.dir)
    }

    /// Takes the lock, waiting at most `wait` for another process to let go.
    fn lock(&self, wait: Duration) -> Result<File, StoreError> {
        let path = self.lock_path();
        // An flock dies with its process, so a lock left by a killed blatt never blocks.
        match lock_file(&path, wait) {
            Ok(Some(f)) => Ok(f),
            Ok(None) => Err(StoreError::Locked(self.shown())),
            Err(e) => Err(io(&path, e)),
        }
    }

    fn read(&self) -> Read {
        let path = self.path();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Read::Missing,
            Err(e) => return Read::Bad(format!("cannot read: {e}")),
        };
        let value: serde_json::Value = match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => return Read::Bad(format!("not valid JSON ({e})")),
        };
        match value.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v > u64::from(VERSION) => return Read::Newer(v as u32),
            Some(_) => {}
            None => return Read::Bad("no version field".into()),
        }
        match serde_json::from_value::<State>(value) {
            Ok(s) => Read::Good(s),
            Err(e) => Read::Bad(format!("unexpected content ({e})")),
        }
    }

    /// Reads the file; a damaged one is renamed to `state.json.corrupt-<time>`.
    fn read_or_set_aside(&mut self, warnings: &mut Vec<String>) -> State {
        self.take_in(Held::Yes, warnings)
    }

    /// Reads the file and says what is wrong with it. A file from a newer
    /// blatt turns saving off; a damaged one is moved aside when the lock
    /// is `held` (without it, another process may be writing it now).
    fn take_in(&mut self, held: Held, warnings: &mut Vec<String>) -> State {
        let shown = crate::sanitize::display_path(&self.path());
        match self.read() {
            Read::Missing => {}
            Read::Good(s) => return s,
            Read::Newer(v) => {
                self.read_only = true;
                warnings.push(format!(
                    "{shown}: written by a newer blatt (version {v}); it is left alone and nothing is saved this session"
                ));
            }
            Read::Bad(reason) if held == Held::No => warnings.push(format!("{shown}: {reason}")),
            Read::Bad(reason) => {
                let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
                let aside = self.dir.join(format!("state.json.corrupt-{stamp}"));
                match std::fs::rename(self.path(), &aside) {
                    Ok(()) => warnings.push(format!(
                        "{shown}: {reason}; moved aside to {} and started afresh",
                        crate::sanitize::display_path(&aside)
                    )),
                    Err(e) => {
                        self.read_only = true;
                        warnings.push(format!("{shown}: {reason}; could not move it aside ({e}), so nothing is saved"));
                    }
                }
            }
        }
        State::new()
    }

    /// Merges `pending` into what is on disk now and writes the result.
    /// Returns the merged state. On failure the old file is untouched.
    pub fn save(&mut self, pending: &State) -> Result<State, StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly(crate::sanitize::display_path(&self.path())));
        }
        let _lock = self.lock(LOCK_WAIT)?;
        let mut warnings = Vec::new();
        let on_disk = self.read_or_set_aside(&mut warnings);
        if self.read_only {
            return Err(StoreError::ReadOnly(crate::sanitize::display_path(&self.path())));
        }
        let merged = on_disk.merge(pending);
        self.write(&merged)?;
        Ok(merged)
    }

    fn write(&self, state: &State) -> Result<(), StoreError> {
        let path = self.path();
        let bytes = serde_json::to_vec_pretty(state).map_err(|e| io(&path, std::io::Error::other(e)))?;
        write_atomically(&path, &bytes).map_err(|e| io(&path, e))
    }

    /// Reads the current state without writing anything (for `blatt bookmarks`).
    pub fn load(dir: &Path) -> Result<State, String> {
        let file = StoreFile { dir: dir.to_path_buf(), read_only: true };
        match file.read() {
            Read::Missing => Ok(State::new()),
            Read::Good(s) => Ok(s),
            Read::Newer(v) => Err(format!("{}: written by a newer blatt (version {v})", file.shown())),
            Read::Bad(r) => Err(format!("{}: {r}", crate::sanitize::display_path(&file.path()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ArticleId;
    use crate::store::tests::article;
    use crate::store::{Marks, Snapshot, Stamped};

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let (mut f, state, warnings) = StoreFile::open(dir.path());
        assert!(warnings.is_empty());
        let mut marks = Marks::new(state);
        marks.toggle_bookmark(&article("a"));
        marks.set_read(&ArticleId("b".into()), true);
        marks.set_position(&ArticleId("b".into()), 17);
        let merged = f.save(marks.pending()).unwrap();
        marks.saved(merged);
        let (_, again, _) = StoreFile::open(dir.path());
        assert_eq!(&again, marks.state());
        assert_eq!(again.position(&ArticleId("b".into())), 17);
    }

    #[test]
    fn two_writers_keep_both_changes() {
        let dir = tempfile::tempdir().unwrap();
        let (mut f1, s1, _) = StoreFile::open(dir.path());
        let (mut f2, s2, _) = StoreFile::open(dir.path());
        let mut m1 = Marks::new(s1);
        let mut m2 = Marks::new(s2);
        m1.toggle_bookmark(&article("one"));
        m2.toggle_bookmark(&article("two"));
        f1.save(m1.pending()).unwrap();
        let merged = f2.save(m2.pending()).unwrap();
        assert!(merged.bookmark(&ArticleId("one".into())).is_some());
        assert!(merged.bookmark(&ArticleId("two".into())).is_some());
    }

    #[test]
    fn garbage_is_moved_aside_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("state.json"), b"{\"version\": 1, \"articles\": {\"x\": ").unwrap();
        let (_, state, warnings) = StoreFile::open(dir.path());
        assert!(state.articles.is_empty());
        assert!(warnings[0].contains("moved aside"), "{warnings:?}");
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with("state.json.corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(std::fs::read(aside[0].path()).unwrap(), b"{\"version\": 1, \"articles\": {\"x\": ");
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_state_file_is_followed_and_new_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (mut f, state, _) = StoreFile::open(dir.path());
        let mut marks = Marks::new(state);
        marks.toggle_bookmark(&article("a"));
        f.save(marks.pending()).unwrap();
        let mode = std::fs::metadata(dir.path().join("state.json")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");

        let elsewhere = tempfile::tempdir().unwrap();
        let target = elsewhere.path().join("blatt-state.json");
        std::fs::rename(dir.path().join("state.json"), &target).unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("state.json")).unwrap();
        marks.toggle_bookmark(&article("b"));
        f.save(marks.pending()).unwrap();
        let link = std::fs::symlink_metadata(dir.path().join("state.json")).unwrap();
        assert!(link.file_type().is_symlink(), "the link stays a link");
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(text.contains("\"a\"") && text.contains("\"b\""), "the target has both: {text}");
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640, "the target keeps its mode: {mode:o}");
    }

    #[test]
    fn a_mark_from_a_clock_far_ahead_can_still_be_changed() {
        let dir = tempfile::tempdir().unwrap();
        let year_2100 = 4_102_444_800_000u64;
        let mut ahead = State::new();
        let snap = Snapshot { title: "t".into(), date: None, source: None, url: None, path: None };
        ahead.articles.insert(
            ArticleId("a".into()),
            crate::store::Entry { bookmark: Some(Stamped { value: Some(snap), at: year_2100 }), ..Default::default() },
        );
        let (mut f, _, _) = StoreFile::open(dir.path());
        f.save(&ahead).unwrap();
        let (mut f, state, _) = StoreFile::open(dir.path());
        let mut marks = Marks::new(state);
        assert!(!marks.toggle_bookmark(&article("a")), "removed");
        let merged = f.save(marks.pending()).unwrap();
        assert!(merged.bookmark(&ArticleId("a".into())).is_none(), "and it stays removed after the merge");
    }

    #[test]
    fn a_held_lock_delays_no_reading_and_fails_a_save_after_a_while() {
        let dir = tempfile::tempdir().unwrap();
        let (mut f, state, _) = StoreFile::open(dir.path());
        let mut marks = Marks::new(state);
        marks.toggle_bookmark(&article("a"));
        f.save(marks.pending()).unwrap();
        // Another process holds the lock (an flock on another open file).
        let other = File::create(dir.path().join("state.lock")).unwrap();
        other.lock().unwrap();
        let started = Instant::now();
        let (mut g, state, warnings) = StoreFile::open(dir.path());
        assert!(state.bookmark(&ArticleId("a".into())).is_some(), "read without the lock");
        assert!(warnings[0].contains("locked by another process"), "{warnings:?}");
        let err = g.save(marks.pending()).unwrap_err();
        assert!(err.to_string().contains("state locked by another process, retrying"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
        other.unlock().unwrap();
        assert!(g.save(marks.pending()).is_ok(), "saves once the lock is free");
    }

    #[test]
    fn a_lock_that_cannot_be_taken_shows_the_bookmarks_and_saves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (mut f, state, _) = StoreFile::open(dir.path());
        let mut marks = Marks::new(state);
        marks.toggle_bookmark(&article("a"));
        f.save(marks.pending()).unwrap();
        // A lock file that cannot be opened for writing, even by root: a folder.
        std::fs::remove_file(dir.path().join("state.lock")).unwrap();
        std::fs::create_dir(dir.path().join("state.lock")).unwrap();
        let (g, state, warnings) = StoreFile::open(dir.path());
        assert!(state.bookmark(&ArticleId("a".into())).is_some());
        assert!(g.is_read_only());
        assert!(warnings[0].contains("saving is off"), "{warnings:?}");
    }

    #[test]
    fn newer_version_is_left_alone_and_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let future = b"{\"version\": 99, \"articles\": {}, \"new_thing\": true}";
        std::fs::write(dir.path().join("state.json"), future).unwrap();
        let (mut f, _, warnings) = StoreFile::open(dir.path());
        assert!(f.is_read_only());
        assert!(warnings[0].contains("newer"));
        let mut pending = State::new();
        let snap = Snapshot { title: "t".into(), date: None, source: None, url: None, path: None };
        pending.articles.insert(
            ArticleId("a".into()),
            crate::store::Entry { bookmark: Some(Stamped { value: Some(snap), at: 1 }), ..Default::default() },
        );
        assert!(f.save(&pending).is_err());
        assert_eq!(std::fs::read(dir.path().join("state.json")).unwrap(), future);
    }
}
