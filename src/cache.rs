//! The index on disk: each file's articles (without leads and bodies) and
//! problems, with the size and modification time they were read at, so that
//! a load reads again only the files that changed.
//!
//! One index per set of collection roots, in the cache directory
//! (`$XDG_CACHE_HOME/blatt/`). It is written whole, atomically, under a lock
//! beside it, so two readers and a `blatt list` can share it. A missing,
//! truncated, damaged, foreign or older index is rebuilt (and the caller
//! told why), never read wrongly: a header names the blatt version and the
//! load settings, and a checksum covers the rest.
//!
//! Layout: `MAGIC | version u32 | key length u32 | key | body length u64 |
//! crc32 u32 | body`, the body one entry after another, each `length u32 |
//! postcard(path, format, stamp, problems, articles)`.

use crate::article::Article;
use crate::formats::{Format, ItemProblem, Parsed};
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The first bytes of every index file.
const MAGIC: &[u8; 8] = b"blattidx";

/// The layout's version; a change to it, to the article model or to any
/// parser is a new blatt version, which the key names as well.
const LAYOUT: u32 = 1;

/// How long a writer waits for another to finish before leaving the index
/// as it is (the next load writes it).
const LOCK_WAIT: Duration = Duration::from_secs(2);

/// What identifies one state of a file: when any part changes, the file is
/// read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    size: u64,
    seconds: i64,
    nanos: u32,
    inode: u64,
}

impl Stamp {
    /// The stamp of the file at `path`, or `None` when it cannot be read.
    /// A newsboat cache also changes through its write-ahead log and its
    /// `urls` file (the tags): those are part of its stamp.
    pub fn of(path: &Path, format: Format) -> Option<Stamp> {
        let mut stamp = Stamp::single(path)?;
        if format == Format::Newsboat {
            let wal = path.with_file_name(format!("{}-wal", path.file_name()?.to_string_lossy()));
            for extra in [wal, path.with_file_name("urls")] {
                // An empty log holds nothing (a reader, blatt too, makes one).
                if let Some(s) = Stamp::single(&extra).filter(|s| s.size > 0) {
                    stamp.size = stamp.size.wrapping_add(s.size.rotate_left(32));
                    (stamp.seconds, stamp.nanos) = (stamp.seconds, stamp.nanos).max((s.seconds, s.nanos));
                    stamp.inode ^= s.inode.rotate_left(17);
                }
            }
        }
        Some(stamp)
    }

    fn single(path: &Path) -> Option<Stamp> {
        Stamp::of_meta(&std::fs::metadata(path).ok()?)
    }

    /// The stamp a file's metadata gives: for a file whose stamp is only its
    /// own (see [`Stamp::of`]; not a newsboat cache).
    pub fn of_meta(meta: &std::fs::Metadata) -> Option<Stamp> {
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        let modified = meta.modified().ok()?;
        let (seconds, nanos) = match modified.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
            Err(e) => (-(e.duration().as_secs() as i64), e.duration().subsec_nanos()),
        };
        Some(Stamp { size: meta.len(), seconds, nanos, inode })
    }
}

/// What the index says of one file, found without decoding its articles.
#[derive(Debug, Clone)]
pub struct Slot {
    pub format: Format,
    pub stamp: Stamp,
    /// Where the entry (after its length) lies in the index's bytes.
    range: Range<usize>,
}

impl Slot {
    /// Does the index have the file as it is now, read as `format` with
    /// `stamp` (`None`: it cannot be stat-ed)?
    pub fn holds(&self, format: Format, stamp: Option<Stamp>) -> bool {
        self.format == format && stamp == Some(self.stamp)
    }

    /// The file's state this entry holds, as one number (see [`state`]).
    pub fn state(&self) -> u64 {
        state(self.format, Some(self.stamp))
    }
}

/// A file's state (how it is read, and its stamp) as one number, which
/// the word index keeps with the file's words to know later whether they
/// are still the file's: 0 when there is no stamp, which no entry has.
pub fn state(format: Format, stamp: Option<Stamp>) -> u64 {
    use std::hash::BuildHasher;
    let Some(Stamp { size, seconds, nanos, inode }) = stamp else { return 0 };
    let hashed = foldhash::fast::FixedState::default().hash_one((format_code(format), size, seconds, nanos, inode));
    hashed.max(1)
}

/// The first fields of an entry: enough to know whether it is still good.
#[derive(serde::Deserialize)]
struct Head<'a> {
    path: &'a [u8],
    format: u8,
    stamp: Stamp,
}

/// The rest of an entry.
#[derive(serde::Deserialize)]
struct Tail {
    problems: Vec<ItemProblem>,
    articles: Vec<Article>,
}

#[derive(serde::Serialize)]
struct EntryRef<'a> {
    path: &'a [u8],
    format: u8,
    stamp: Stamp,
    problems: &'a [ItemProblem],
    articles: &'a [Article],
}

/// An index read from disk and checked: whole, or only each file's head
/// (see [`Place::open_heads`]).
#[derive(Debug, Default)]
pub struct Index {
    /// The index file; or, for the heads alone, the paths one after another.
    bytes: Vec<u8>,
    /// Whether `bytes` is the whole file, entries and all.
    whole: bool,
    /// The files in the order of the walk that wrote them, each with where
    /// its path lies in `bytes` (a million paths are not a million
    /// allocations).
    files: Vec<(Range<usize>, Slot)>,
    /// Position in `files` by a hash of the path (checked against the path:
    /// a rare collision only means that file is read again). Made when
    /// first asked: a load from the index alone goes by place, and never
    /// needs it (35 MB at a million files).
    lookup: std::sync::OnceLock<HashMap<u64, u32, foldhash::fast::FixedState>>,
    /// What tells this index from another: its body's checksum and length.
    stamp: String,
}

impl Index {
    /// What tells this index's contents from another's (the word index
    /// carries it, to be used only with the index it was made with).
    pub fn stamp(&self) -> &str {
        &self.stamp
    }

    /// The entry of the file at `path`, if the index has one.
    pub fn slot(&self, path: &Path) -> Option<&Slot> {
        self.find(path).map(|(_, s)| s)
    }

    /// The entry of the file at `path` with its place in [`Index::files`].
    pub fn find(&self, path: &Path) -> Option<(usize, &Slot)> {
        let lookup = self.lookup.get_or_init(|| {
            let mut lookup = HashMap::with_capacity_and_hasher(self.files.len(), Default::default());
            for (at, (path, _)) in self.files.iter().enumerate() {
                lookup.insert(path_hash(&self.bytes[path.clone()]), at as u32);
            }
            lookup
        });
        let at = *lookup.get(&path_hash(path.as_os_str().as_encoded_bytes()))? as usize;
        self.find_at(at, path).map(|s| (at, s))
    }

    /// Like [`Index::find`], trying place `guess` first: files looked at in
    /// nearly the index's order are found one after another, without the
    /// look-up's jumps through memory.
    pub fn find_near(&self, guess: usize, path: &Path) -> Option<(usize, &Slot)> {
        self.find_at(guess, path).map(|s| (guess, s)).or_else(|| self.find(path))
    }

    /// The file at place `at` in [`Index::files`], if it is `path`: what a
    /// load from the index alone asks, walking the index's own list.
    pub fn find_at(&self, at: usize, path: &Path) -> Option<&Slot> {
        // As bytes: both come from the walk, and comparing components costs
        // more than the look-up.
        let (p, slot) = self.files.get(at)?;
        (self.bytes[p.clone()] == *path.as_os_str().as_encoded_bytes()).then_some(slot)
    }

    /// Every file the index knows, in the order the walk found them.
    pub fn files(&self) -> impl Iterator<Item = (&Path, &Slot)> {
        self.files.iter().map(|(p, s)| (path_in(&self.bytes[p.clone()]), s))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The file's articles and problems as they were stored; `None` if the
    /// entry cannot be decoded (the caller reads the file instead), and
    /// always from the heads alone.
    pub fn parsed(&self, path: &Path, slot: &Slot) -> Option<Parsed> {
        let entry = self.bytes.get(slot.range.clone()).filter(|_| self.whole)?;
        let (_, rest) = postcard::take_from_bytes::<Head<'_>>(entry).ok()?;
        let tail: Tail = postcard::from_bytes(rest).ok()?;
        let mut articles = tail.articles;
        for a in &mut articles {
            a.path = path.to_path_buf();
        }
        Some(Parsed { articles, problems: tail.problems })
    }

    /// The stored bytes of an entry, its length in front, to be written
    /// again unchanged (nothing from the heads alone).
    pub fn raw(&self, slot: &Slot) -> &[u8] {
        let start = slot.range.start.checked_sub(4).filter(|_| self.whole);
        start.and_then(|start| self.bytes.get(start..slot.range.end)).unwrap_or_default()
    }
}

/// Appends one file's entry (length first) to `out`.
pub fn encode(out: &mut Vec<u8>, path: &Path, format: Format, stamp: Stamp, parsed: &Parsed) {
    let entry = EntryRef {
        path: path.as_os_str().as_encoded_bytes(),
        format: format_code(format),
        stamp,
        problems: &parsed.problems,
        articles: &parsed.articles,
    };
    // Only fails on types postcard cannot write, which articles do not have;
    // such a file is then read again next time.
    if let Ok(bytes) = postcard::to_allocvec(&entry) {
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(&bytes);
    }
}

fn format_code(format: Format) -> u8 {
    match format {
        Format::Text => 0,
        Format::Json => 1,
        Format::JsonLines => 2,
        Format::Feed => 3,
        Format::Page => 4,
        Format::Markdown => 5,
        Format::Newsboat => 6,
    }
}

fn format_from(code: u8) -> Option<Format> {
    [Format::Text, Format::Json, Format::JsonLines, Format::Feed, Format::Page, Format::Markdown, Format::Newsboat]
        .get(code as usize)
        .copied()
}

/// What opening the index found.
#[derive(Debug)]
pub enum Opened {
    Good(Index),
    /// There is none yet.
    Missing,
    /// There is one that cannot be used, for this reason: it is rebuilt.
    Unusable(String),
}

/// What an index file that cannot be opened means: none yet, or no cache
/// directory (something else has its name: writing says so); or one that
/// cannot be read.
fn not_opened(e: std::io::Error) -> Opened {
    match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory => Opened::Missing,
        _ => Opened::Unusable(format!("cannot be read ({e})")),
    }
}

/// Where the index of one set of roots lives, and what it must match.
#[derive(Debug, Clone)]
pub struct Place {
    file: PathBuf,
    /// The blatt version, the load settings and the roots.
    key: Vec<u8>,
}

impl Place {
    /// The index for `roots` loaded with files up to `max_file_size` bytes,
    /// in the cache directory `dir`.
    pub fn new(dir: &Path, roots: &[PathBuf], max_file_size: u64) -> Place {
        // The file is named by the roots alone, so that another blatt or
        // other settings replace it (and say so) rather than leave it behind.
        let mut which = Vec::new();
        if roots.iter().any(|r| r.is_relative())
            && let Ok(cwd) = std::env::current_dir()
        {
            // Relative roots name other folders elsewhere.
            which.extend_from_slice(b"cwd ");
            which.extend_from_slice(cwd.as_os_str().as_encoded_bytes());
            which.push(b'\n');
        }
        for root in roots {
            which.extend_from_slice(b"root ");
            which.extend_from_slice(root.as_os_str().as_encoded_bytes());
            which.push(b'\n');
        }
        let name = format!("index-{:016x}.bin", crate::article::fnv1a(&which));
        let mut key =
            format!("blatt {}\n{}max_file_size {max_file_size}\n", env!("CARGO_PKG_VERSION"), build()).into_bytes();
        key.extend_from_slice(&which);
        Place { file: dir.join(name), key }
    }

    /// The index file's path.
    pub fn path(&self) -> &Path {
        &self.file
    }

    /// The index's entries, one after another as the file goes, once its
    /// header is checked; `None` when there is no index of this key.
    pub fn entries(&self) -> Option<Entries> {
        Entries::start(std::fs::File::open(&self.file).ok()?, &self.key).ok()
    }

    /// Reads and checks the heads of the index's entries alone, as it goes:
    /// enough to tell which files changed, in a fraction of the memory of
    /// [`Place::open`] (an index of a million files holds 230 MB of
    /// articles). Its [`Index::parsed`] gives nothing.
    pub fn open_heads(&self) -> Opened {
        match std::fs::File::open(&self.file) {
            Ok(file) => match check_heads(file, &self.key) {
                Ok(index) => Opened::Good(index),
                Err(why) => Opened::Unusable(why.to_string()),
            },
            Err(e) => not_opened(e),
        }
    }

    /// Reads and checks the index.
    pub fn open(&self) -> Opened {
        let bytes = match std::fs::read(&self.file) {
            Ok(b) => b,
            Err(e) => return not_opened(e),
        };
        match check(bytes, &self.key) {
            Ok(index) => Opened::Good(index),
            Err(why) => Opened::Unusable(why.to_string()),
        }
    }

    /// Writes an index of `entries` (each as [`encode`] made it) whole and
    /// atomically, under the lock, and gives its stamp (see [`Index::stamp`]).
    /// When another process holds the lock for long, nothing is written
    /// (`Ok(None)`): that one writes it.
    pub fn write(&self, entries: &[&[u8]]) -> Result<Option<String>, String> {
        self.write_with(&mut |out| entries.iter().try_for_each(|e| out.write_all(e)))
    }

    /// [`Place::write`] with the body (the entries, one after another) put
    /// out by `body`, once: the header, which gives the body's length and
    /// checksum first, is filled in when the body is written. An error from
    /// it leaves the index as it was.
    pub fn write_with(
        &self,
        body: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<Option<String>, String> {
        use std::io::{Seek, SeekFrom, Write};
        let shown = || crate::sanitize::display_path(&self.file);
        let Some(_locked) = self.lock()? else { return Ok(None) };
        let head = |body_len: u64, crc: u32| {
            let mut head = Vec::with_capacity(32 + self.key.len());
            head.extend_from_slice(MAGIC);
            head.extend_from_slice(&LAYOUT.to_le_bytes());
            head.extend_from_slice(&(self.key.len() as u32).to_le_bytes());
            head.extend_from_slice(&self.key);
            head.extend_from_slice(&body_len.to_le_bytes());
            head.extend_from_slice(&crc.to_le_bytes());
            head
        };
        let mut written = (0, 0);
        replace(&self.file, &mut |file| {
            // A header of the right length, filled in at the end.
            file.write_all(&head(0, 0))?;
            let (crc, len) = {
                let to = std::io::BufWriter::with_capacity(1 << 20, &mut *file);
                let mut out = Sum { crc: crc32fast::Hasher::new(), len: 0, to };
                body(&mut out)?;
                out.to.flush()?;
                (out.crc, out.len)
            };
            written = (crc.finalize(), len);
            file.seek(SeekFrom::Start(0))?;
            file.write_all(&head(written.1, written.0))
        })
        .map_err(|e| format!("{}: cannot write: {e}", shown()))?;
        Ok(Some(stamp_of(written.0, written.1)))
    }

    /// Takes the lock that the index and its front page are written under
    /// (`index-….lock`): `None` when another process holds it for long.
    fn lock(&self) -> Result<Option<std::fs::File>, String> {
        let dir = self.file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("{}: cannot create: {e}", crate::sanitize::display_path(dir)))?;
        let lock = self.file.with_extension("lock");
        crate::store::lock_file(&lock, LOCK_WAIT)
            .map_err(|e| format!("{}: cannot lock: {e}", crate::sanitize::display_path(&lock)))
    }
}

/// Replaces the cache file at `path` with what `write` puts into a new file
/// beside it, then renamed over it: a reader finds the old file or the new
/// one, never a part of one. Not synced to the disk, as the state file is:
/// this is a cache, and one that a power cut leaves damaged fails its
/// checksum and is made again. Temporary files that writes killed midway
/// left behind are removed first; the caller holds the lock, so no other
/// write of this file is under way.
fn replace(path: &Path, write: &mut dyn FnMut(&mut std::fs::File) -> std::io::Result<()>) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let prefix = format!(".{name}.");
    for entry in std::fs::read_dir(dir)?.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    // Readable by the user alone, as tempfile makes it.
    let mut temp = tempfile::Builder::new().prefix(&prefix).tempfile_in(dir)?;
    write(temp.as_file_mut())?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes on to `to`, keeping the length and checksum of what was written.
struct Sum<W> {
    crc: crc32fast::Hasher,
    len: u64,
    to: W,
}

impl<W: std::io::Write> std::io::Write for Sum<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.to.write(bytes)?;
        self.crc.update(&bytes[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.to.flush()
    }
}

/// The first bytes of a front page file (see [`crate::collection::front`]).
const FRONT_MAGIC: &[u8; 8] = b"blattfp1";

impl Place {
    /// The file beside the index that holds its front page.
    pub fn front_path(&self) -> PathBuf {
        self.file.with_extension("front")
    }

    /// The stamp of the index on disk as its header gives it, read without
    /// the rest of the file; `None` when there is no index of this key.
    /// (The body is checked when the index itself is read.)
    pub fn stamp_on_disk(&self) -> Option<String> {
        let mut file = std::io::BufReader::new(std::fs::File::open(&self.file).ok()?);
        let (body_len, crc) = read_header(&mut file, &self.key).ok()?;
        Some(stamp_of(crc, body_len))
    }

    /// Writes `body` atomically as the front page of the index whose stamp
    /// is `stamp`. Layout: `FRONT_MAGIC | key length u32 | key | stamp
    /// length u32 | stamp | crc32 u32 | body`.
    pub fn write_front(&self, stamp: &str, body: &[u8]) -> Result<(), String> {
        let mut head = Vec::with_capacity(24 + self.key.len() + stamp.len());
        head.extend_from_slice(FRONT_MAGIC);
        for part in [&self.key[..], stamp.as_bytes()] {
            head.extend_from_slice(&(part.len() as u32).to_le_bytes());
            head.extend_from_slice(part);
        }
        head.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
        let path = self.front_path();
        // Another process writing it has the lock: its page will be there.
        let Some(_locked) = self.lock()? else { return Ok(()) };
        replace(&path, &mut |file| {
            use std::io::Write;
            file.write_all(&head)?;
            file.write_all(body)
        })
        .map_err(|e| format!("{}: cannot write: {e}", crate::sanitize::display_path(&path)))
    }

    /// The body of the front page made from the index whose stamp is
    /// `stamp`: `None` when there is none, or it belongs to another index,
    /// key or layout, or it is damaged.
    pub fn read_front(&self, stamp: &str) -> Option<Vec<u8>> {
        let bytes = std::fs::read(self.front_path()).ok()?;
        let mut at = FRONT_MAGIC.len();
        if bytes.get(..at)? != FRONT_MAGIC {
            return None;
        }
        let mut part = || {
            let len = u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize;
            let part = bytes.get(at + 4..at + 4 + len)?;
            at += 4 + len;
            Some(part)
        };
        if part()? != self.key || part()? != stamp.as_bytes() {
            return None;
        }
        let crc = u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?);
        let body = bytes.get(at + 4..)?;
        (crc32fast::hash(body) == crc).then(|| body.to_vec())
    }
}

/// What tells this build of blatt from another of the same version: the
/// program file's size and modification time. A parser changed without a
/// new version number (a developer's build) then never reads an index
/// written by the old one. Empty when the program file cannot be found.
fn build() -> String {
    let program = std::env::current_exe().and_then(std::fs::metadata);
    match program.as_ref().map(|m| (m.len(), m.modified())) {
        Ok((len, Ok(time))) => {
            let since = time.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
            format!("build {len} {}.{:09}\n", since.as_secs(), since.subsec_nanos())
        }
        _ => String::new(),
    }
}

/// Why an index file cannot be used.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Unusable {
    #[error("not a blatt index")]
    Foreign,
    #[error("written in another layout (version {0})")]
    Layout(u32),
    #[error("made by another blatt version or for other settings")]
    OtherKey,
    #[error("truncated")]
    Truncated,
    #[error("damaged (checksum mismatch)")]
    Damaged,
}

/// Each entry's first fields and where the rest lies, from `start` on.
fn heads(bytes: &[u8], start: usize) -> Result<Vec<(Head<'_>, Range<usize>)>, Unusable> {
    let u32_at = |s: &[u8]| u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
    let mut heads = Vec::new();
    let mut pos = start;
    while pos < bytes.len() {
        let len = bytes.get(pos..pos + 4).map(u32_at).ok_or(Unusable::Damaged)? as usize;
        let range = pos + 4..pos + 4 + len;
        let entry = bytes.get(range.clone()).ok_or(Unusable::Damaged)?;
        let (head, _) = postcard::take_from_bytes::<Head<'_>>(entry).map_err(|_| Unusable::Damaged)?;
        heads.push((head, range));
        pos += 4 + len;
    }
    Ok(heads)
}

fn check(bytes: Vec<u8>, key: &[u8]) -> Result<Index, Unusable> {
    let (start, stamp) = check_body(&bytes, key)?;
    let files = heads(&bytes, start)?
        .into_iter()
        .map(|(head, range)| {
            let format = format_from(head.format).ok_or(Unusable::Damaged)?;
            let from = head.path.as_ptr() as usize - bytes.as_ptr() as usize;
            Ok((from..from + head.path.len(), Slot { format, stamp: head.stamp, range }))
        })
        .collect::<Result<Vec<_>, Unusable>>()?;
    Ok(Index::of(bytes, true, files, stamp))
}

impl Index {
    fn of(bytes: Vec<u8>, whole: bool, files: Vec<(Range<usize>, Slot)>, stamp: String) -> Index {
        Index { bytes, whole, files, lookup: Default::default(), stamp }
    }
}

/// An index's entries read one after another as its file goes, each
/// checked as it comes and the checksum at the end: what a check and a
/// save need, without the whole file in memory.
pub struct Entries {
    file: std::io::BufReader<std::fs::File>,
    /// Bytes of the body not read yet.
    left: u64,
    body_len: u64,
    crc: u32,
    hasher: crc32fast::Hasher,
    /// The entry read last, its length in front.
    entry: Vec<u8>,
}

/// One entry of [`Entries`].
pub struct RawEntry<'e> {
    /// The file's path, as `as_encoded_bytes` gave it.
    pub path: &'e [u8],
    pub format: Format,
    pub stamp: Stamp,
    /// The stored entry, its length in front, to be written again as it is.
    pub raw: &'e [u8],
}

impl Entries {
    /// Checks the header of `file`, an index, against `key`.
    fn start(file: std::fs::File, key: &[u8]) -> Result<Entries, Unusable> {
        let mut file = std::io::BufReader::with_capacity(1 << 20, file);
        let (body_len, crc) = read_header(&mut file, key)?;
        let hasher = crc32fast::Hasher::new();
        Ok(Entries { file, left: body_len, body_len, crc, hasher, entry: Vec::new() })
    }

    /// See [`Index::stamp`], as the header gives it.
    pub fn stamp(&self) -> String {
        stamp_of(self.crc, self.body_len)
    }

    /// The next entry; `None` after the last.
    pub fn next_entry(&mut self) -> Result<Option<RawEntry<'_>>, Unusable> {
        use std::io::Read;
        if self.left == 0 {
            return Ok(None);
        }
        let mut len = [0u8; 4];
        self.file.read_exact(&mut len).map_err(|_| Unusable::Truncated)?;
        let n = u32::from_le_bytes(len) as u64;
        // Not more than the body holds: a damaged length asks for no memory.
        self.left = self.left.checked_sub(4 + n).ok_or(Unusable::Damaged)?;
        self.entry.clear();
        self.entry.extend_from_slice(&len);
        self.entry.resize(4 + n as usize, 0);
        self.file.read_exact(&mut self.entry[4..]).map_err(|_| Unusable::Truncated)?;
        self.hasher.update(&self.entry);
        let (head, _) = postcard::take_from_bytes::<Head<'_>>(&self.entry[4..]).map_err(|_| Unusable::Damaged)?;
        let format = format_from(head.format).ok_or(Unusable::Damaged)?;
        Ok(Some(RawEntry { path: head.path, format, stamp: head.stamp, raw: &self.entry }))
    }

    /// Whether the body ends where its header says, as its checksum says:
    /// what the entries gave may be used only then.
    pub fn finish(mut self) -> Result<(), Unusable> {
        use std::io::Read;
        if self.left > 0 {
            return Err(Unusable::Truncated);
        }
        let more = self.file.read(&mut [0u8; 1]).map_err(|_| Unusable::Truncated)?;
        if more > 0 || self.hasher.finalize() != self.crc {
            return Err(Unusable::Damaged);
        }
        Ok(())
    }
}

/// Reads the heads of an index's entries from `file` as it goes, keeping
/// only the paths, formats and stamps; checks it all as [`check`] does.
fn check_heads(file: std::fs::File, key: &[u8]) -> Result<Index, Unusable> {
    let mut entries = Entries::start(file, key)?;
    let (mut names, mut files) = (Vec::new(), Vec::new());
    while let Some(RawEntry { path, format, stamp, .. }) = entries.next_entry()? {
        let from = names.len();
        names.extend_from_slice(path);
        files.push((from..names.len(), Slot { format, stamp, range: 0..0 }));
    }
    let stamp = entries.stamp();
    entries.finish()?;
    names.shrink_to_fit();
    Ok(Index::of(names, false, files, stamp))
}

/// Checks an index's header and body; gives where its entries start and
/// its stamp.
fn check_body(bytes: &[u8], key: &[u8]) -> Result<(usize, String), Unusable> {
    let mut rest = bytes;
    let (body_len, crc) = read_header(&mut rest, key)?;
    let start = bytes.len() - rest.len();
    if (rest.len() as u64) < body_len {
        return Err(Unusable::Truncated);
    }
    if rest.len() as u64 > body_len || crc32fast::hash(rest) != crc {
        return Err(Unusable::Damaged);
    }
    Ok((start, stamp_of(crc, body_len)))
}

/// Reads an index's header from `from` and checks it against `key`;
/// gives the body's length and checksum, and leaves `from` at the body.
fn read_header(from: &mut dyn std::io::Read, key: &[u8]) -> Result<(u64, u32), Unusable> {
    let mut take = |n: usize, wrong: Unusable| -> Result<Vec<u8>, Unusable> {
        let mut part = vec![0; n];
        from.read_exact(&mut part).map_err(|_| wrong)?;
        Ok(part)
    };
    if take(MAGIC.len(), Unusable::Foreign)? != MAGIC {
        return Err(Unusable::Foreign);
    }
    let u32_of = |s: &[u8]| u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
    let layout = u32_of(&take(4, Unusable::Truncated)?);
    if layout != LAYOUT {
        return Err(Unusable::Layout(layout));
    }
    // A key of another length is another key, and is not read.
    let key_len = u32_of(&take(4, Unusable::Truncated)?) as usize;
    if key_len != key.len() || take(key_len, Unusable::Truncated)? != key {
        return Err(Unusable::OtherKey);
    }
    let len = take(8, Unusable::Truncated)?;
    let body_len = u64::from_le_bytes(len.try_into().map_err(|_| Unusable::Truncated)?);
    Ok((body_len, u32_of(&take(4, Unusable::Truncated)?)))
}

fn stamp_of(crc: u32, body_len: u64) -> String {
    format!("{crc:08x}-{body_len}")
}

/// A hash of a path's bytes (as `as_encoded_bytes` gives them).
fn path_hash(path: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::default().hash_one(path)
}

/// The path whose bytes (as `as_encoded_bytes` gave them) are `bytes`,
/// without a copy. Elsewhere than on Unix, a path that is not UTF-8 comes
/// back empty: it is then never found, and its file is read again.
pub(crate) fn path_in(bytes: &[u8]) -> &Path {
    #[cfg(unix)]
    {
        Path::new(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        Path::new(std::str::from_utf8(bytes).unwrap_or_default())
    }
}

/// A path back from the bytes `as_encoded_bytes` gave on this platform.
pub(crate) fn path_from_bytes(bytes: Vec<u8>) -> std::ffi::OsString {
    #[cfg(unix)]
    {
        std::os::unix::ffi::OsStringExt::from_vec(bytes)
    }
    #[cfg(not(unix))]
    {
        std::ffi::OsString::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The cache directory blatt uses unless told otherwise.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "blatt").map(|d| d.cache_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_comes_back_as_it_went_in_whatever_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let place = Place::new(dir.path(), &[dir.path().to_path_buf()], 100);
        #[cfg(unix)]
        let odd = PathBuf::from(<std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(
            b"/news/caf\xe9-latin1.txt".to_vec(),
        ));
        #[cfg(not(unix))]
        let odd = PathBuf::from("/news/café.txt");
        let article = Article {
            id: crate::ArticleId("x1".into()),
            title: "Titel".into(),
            tags: vec!["Kiel".into()],
            unread_elsewhere: Some((crate::article::OtherReader::Newsboat, true)),
            time: chrono::DateTime::parse_from_rfc3339("2024-01-01T00:30:00+01:00").ok(),
            ..Article::default()
        };
        let parsed =
            Parsed { articles: vec![article], problems: vec![ItemProblem::new(Some(3), "date not understood")] };
        let stamp = Stamp { size: 10, seconds: -5, nanos: 7, inode: 42 };
        let mut entry = Vec::new();
        encode(&mut entry, &odd, Format::Feed, stamp, &parsed);
        let written = place.write(&[&entry]).unwrap().expect("not locked by another");
        let Opened::Good(index) = place.open() else { panic!("the index just written") };
        assert_eq!(index.stamp(), written, "the stamp read is the one written");
        encode(&mut entry, &odd, Format::Feed, stamp, &parsed);
        assert_ne!(place.write(&[&entry]).unwrap().as_deref(), Some(written.as_str()), "other contents");
        entry.truncate(entry.len() / 2);
        assert_eq!(place.write(&[&entry]).unwrap().as_deref(), Some(written.as_str()));
        let slot = index.slot(&odd).unwrap();
        assert_eq!((slot.format, slot.stamp), (Format::Feed, stamp));
        let back = index.parsed(&odd, slot).unwrap();
        assert_eq!(back.problems, parsed.problems);
        assert_eq!(back.articles[0], Article { path: odd.clone(), ..parsed.articles[0].clone() });
        assert_eq!(index.raw(slot), entry.as_slice(), "written again byte for byte");
        assert!(index.slot(Path::new("/news/other.txt")).is_none());
        // Other settings: the same file, which no longer fits.
        let other = Place::new(dir.path(), &[dir.path().to_path_buf()], 101);
        assert_eq!(other.path(), place.path());
        assert!(matches!(other.open(), Opened::Unusable(why) if why.contains("other settings")));
        assert!(matches!(other.open_heads(), Opened::Unusable(why) if why.contains("other settings")));
        assert_ne!(Place::new(dir.path(), &[dir.path().join("x")], 100).path(), place.path(), "other roots");
    }

    /// A newsboat cache's stamp takes in its log, unless the log is empty
    /// (as a reader's open leaves it), and its `urls`.
    #[test]
    fn a_newsboat_stamp_changes_with_its_log_and_urls_but_not_an_empty_log() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache.db");
        std::fs::write(&cache, "db").unwrap();
        let stamp = || Stamp::of(&cache, Format::Newsboat).unwrap();
        let alone = stamp();
        std::fs::write(dir.path().join("cache.db-wal"), "").unwrap();
        assert_eq!(stamp(), alone, "an empty log");
        std::fs::write(dir.path().join("cache.db-wal"), "frames").unwrap();
        let logged = stamp();
        assert_ne!(logged, alone);
        std::fs::write(dir.path().join("urls"), "https://example.org/feed Kiel").unwrap();
        assert_ne!(stamp(), logged);
    }

    /// The header is filled in after the body: what a write gives back is
    /// the stamp read back, and a body that fails partway leaves the index
    /// on disk as it was.
    #[test]
    fn an_index_is_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let place = Place::new(dir.path(), &[dir.path().to_path_buf()], 100);
        let entry = |n: u64| {
            let mut entry = Vec::new();
            let article =
                Article { id: crate::ArticleId(format!("a{n}").into()), title: "T".into(), ..Article::default() };
            let parsed = Parsed { articles: vec![article], problems: vec![] };
            let stamp = Stamp { size: n, seconds: 1, nanos: 2, inode: n };
            encode(&mut entry, Path::new(&format!("/news/{n}.txt")), Format::Text, stamp, &parsed);
            entry
        };
        let (one, two) = (entry(1), entry(2));
        let first = place.write(&[&one, &two]).unwrap().unwrap();
        assert_eq!(place.stamp_on_disk().as_deref(), Some(first.as_str()));
        let Opened::Good(index) = place.open() else { panic!("unread") };
        assert_eq!((index.stamp(), index.len()), (first.as_str(), 2));
        let failed = place.write_with(&mut |out| {
            out.write_all(&two)?;
            Err(std::io::Error::other("gone wrong"))
        });
        assert!(failed.unwrap_err().contains("gone wrong"));
        let Opened::Good(index) = place.open() else { panic!("unread") };
        assert_eq!((index.stamp(), index.len()), (first.as_str(), 2));
        // What writes killed midway left goes at the next write; nothing else.
        let name = |p: PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
        let left =
            [format!(".{}.Xb3kq1", name(place.path().to_path_buf())), format!(".{}.9Tz", name(place.front_path()))];
        for leftover in left.iter().chain([&".other.bin.1".to_string()]) {
            std::fs::write(dir.path().join(leftover), b"half").unwrap();
        }
        let second = place.write(&[&two]).unwrap().unwrap();
        assert_ne!(second, first);
        assert_eq!(place.stamp_on_disk().as_deref(), Some(second.as_str()));
        place.write_front(&second, b"page").unwrap();
        assert_eq!(place.read_front(&second).as_deref(), Some(&b"page"[..]));
        let mut files: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| name(e.unwrap().path())).collect();
        files.sort();
        let index = name(place.path().to_path_buf());
        let lock = name(place.path().with_extension("lock"));
        assert_eq!(files, [".other.bin.1".to_string(), index, name(place.front_path()), lock]);
    }

    /// The heads alone, read as the file goes, tell the same files, formats
    /// and stamps as the whole index, and refuse what it refuses.
    #[test]
    fn the_heads_alone_tell_what_the_whole_index_tells() {
        let dir = tempfile::tempdir().unwrap();
        let place = Place::new(dir.path(), &[dir.path().to_path_buf()], 100);
        assert!(matches!(place.open_heads(), Opened::Missing));
        let mut entries = vec![];
        for n in 0..300u64 {
            let mut entry = Vec::new();
            let article = Article {
                id: crate::ArticleId(format!("a{n}").into()),
                title: "x".repeat(n as usize),
                ..Article::default()
            };
            let parsed = Parsed { articles: vec![article; (n % 4) as usize], problems: vec![] };
            let stamp = Stamp { size: n, seconds: n as i64 * 7, nanos: 3, inode: n + 9 };
            let format = [Format::Text, Format::Feed, Format::Json][n as usize % 3];
            encode(&mut entry, Path::new(&format!("/news/{n:03}/ä-{n}.txt")), format, stamp, &parsed);
            entries.push(entry);
        }
        let parts: Vec<&[u8]> = entries.iter().map(Vec::as_slice).collect();
        let written = place.write(&parts).unwrap().unwrap();
        let (Opened::Good(whole), Opened::Good(heads)) = (place.open(), place.open_heads()) else { panic!("unread") };
        assert_eq!((heads.stamp(), heads.len()), (written.as_str(), 300));
        let said = |i: &Index| i.files().map(|(p, s)| (p.to_path_buf(), s.format, s.stamp)).collect::<Vec<_>>();
        assert_eq!(said(&heads), said(&whole));
        for (at, (path, slot)) in whole.files().enumerate().step_by(37) {
            assert_eq!(heads.find(path).map(|(i, s)| (i, s.stamp)), Some((at, slot.stamp)));
            assert!(whole.parsed(path, slot).is_some());
            assert!(heads.parsed(path, heads.slot(path).unwrap()).is_none(), "no articles in the heads");
        }
        assert!(heads.find(Path::new("/news/000/ä-1.txt")).is_none());
        // Damaged in the middle, cut short, a byte too many, another file.
        let bytes = std::fs::read(place.path()).unwrap();
        let spoilt = |change: &dyn Fn(&mut Vec<u8>)| {
            let mut b = bytes.clone();
            change(&mut b);
            std::fs::write(place.path(), &b).unwrap();
            let reason = |o: Opened| match o {
                Opened::Unusable(why) => why,
                other => panic!("read: {other:?}"),
            };
            (reason(place.open()), reason(place.open_heads()))
        };
        let (whole, heads) = spoilt(&|b| b[bytes.len() / 2] ^= 0x20);
        assert_eq!((whole.as_str(), heads.as_str()), ("damaged (checksum mismatch)", "damaged (checksum mismatch)"));
        let (whole, heads) = spoilt(&|b| b.truncate(bytes.len() - 10));
        assert_eq!((whole.as_str(), heads.as_str()), ("truncated", "truncated"));
        let (whole, heads) = spoilt(&|b| b.push(0));
        assert_eq!(whole, heads);
        let (whole, heads) = spoilt(&|b| b[..8].copy_from_slice(b"notblatt"));
        assert_eq!((whole.as_str(), heads.as_str()), ("not a blatt index", "not a blatt index"));
        // A length past the end of the body asks for no memory.
        let first = bytes.len() - entries.iter().map(Vec::len).sum::<usize>();
        let (_, heads) = spoilt(&|b| b[first..first + 4].copy_from_slice(&u32::MAX.to_le_bytes()));
        assert_eq!(heads, "damaged (checksum mismatch)");
    }
}
