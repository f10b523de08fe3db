//! Finding the files to read: the walk over the given paths.

use super::Problem;
use super::read::io_reason;
use crate::cache::Stamp;
use crate::formats::{self, Format};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
/// What the walk finds: a file to read, or a path that cannot be read.
pub(super) enum Found {
    File(PathBuf, Format),
    Problem(Problem),
}

/// Walks the given paths: recursive, hidden entries skipped, links followed
/// with loop detection, only regular files of known types.
pub(super) fn walk(paths: &[PathBuf]) -> impl Iterator<Item = Found> + Send + '_ {
    paths.iter().flat_map(|root| walk_root(root))
}

pub(super) fn walk_root(root: &Path) -> Box<dyn Iterator<Item = Found> + Send> {
    let problem =
        |path: &Path, reason: String| Found::Problem(Problem { path: path.to_path_buf(), line: None, reason });
    let meta = match std::fs::metadata(root) {
        Ok(m) => m,
        Err(e) => return Box::new(std::iter::once(problem(root, io_reason(&e)))),
    };
    if meta.is_file() {
        let format = formats::format_for_path(root).unwrap_or(Format::Text);
        return Box::new(std::iter::once(Found::File(root.to_path_buf(), format)));
    }
    if !meta.is_dir() {
        return Box::new(std::iter::once(problem(root, "not a regular file".into())));
    }
    let root = root.to_path_buf();
    let walker = walkdir::WalkDir::new(&root)
        .follow_links(true)
        // By name: siblings share their parent's path, so comparing whole
        // paths compares names, without taking each path apart.
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().as_encoded_bytes().starts_with(b"."));
    Box::new(walker.filter_map(move |entry| match entry {
        Ok(e) if e.file_type().is_dir() => None,
        Ok(e) => {
            let is_file = e.file_type().is_file();
            found_at(e.into_path(), is_file)
        }
        Err(e) => {
            let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| root.clone());
            let reason = if e.loop_ancestor().is_some() {
                "symbolic link loop, skipped".to_string()
            } else {
                e.io_error().map(io_reason).unwrap_or_else(|| e.to_string())
            };
            Some(Found::Problem(Problem { path, line: None, reason }))
        }
    }))
}

/// What the walk makes of a path below a root that is not a folder: a file
/// of a known type to read, or a problem when it is no regular file (a
/// FIFO, socket or device with an article's name: never opened, since
/// reading it could block or never end). Others are not looked at.
pub(super) fn found_at(path: PathBuf, is_file: bool) -> Option<Found> {
    let format = formats::format_for_path(&path)?;
    Some(if is_file {
        Found::File(path, format)
    } else {
        Found::Problem(Problem {
            path,
            line: None,
            reason: "not a regular file (a FIFO, socket or device), skipped".into(),
        })
    })
}

/// A file as [`look`] finds it: its path, format and stamp (`None` when it
/// cannot be taken).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Looked {
    pub path: PathBuf,
    pub format: Format,
    pub stamp: Option<Stamp>,
}

/// Why [`look`] stopped before the end.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Stop {
    /// The tree holds what only the walk handles (a link, a special file,
    /// a folder or file that cannot be read): ask the walk instead.
    Unusual,
    /// The caller's `each` asked to stop.
    Asked,
}

/// Files stat-ed and handed on together: enough to outweigh a task's cost.
const RUN: usize = 1024;

/// Looks at every file the walk of `paths` would find, with its stamp, on
/// every core: quicker than the walk followed by a stat of each file, as
/// folders are read in parallel and each file is stat-ed through its
/// folder. `each` gets the files in runs of one folder's files, by name
/// (so that one can be looked for just after the one before), in no
/// order between runs; an `Err` from it stops the look. It handles plain
/// trees only, of folders and regular files: anything else stops it with
/// [`Stop::Unusual`], and the caller falls back to the walk, which says
/// what it is.
pub(super) fn look(paths: &[PathBuf], each: &(dyn Fn(&[Looked]) -> Result<(), ()> + Sync)) -> Result<(), Stop> {
    paths.iter().try_for_each(|root| {
        let meta = std::fs::metadata(root).map_err(|_| Stop::Unusual)?;
        if meta.is_file() {
            let format = formats::format_for_path(root).unwrap_or(Format::Text);
            let file = Looked { path: root.clone(), format, stamp: Stamp::of(root, format) };
            return each(&[file]).map_err(|()| Stop::Asked);
        }
        if !meta.is_dir() {
            return Err(Stop::Unusual);
        }
        look_in(root, each)
    })
}

/// Each file of `run` (a run of [`look`], in nearly the index's order)
/// with its place and entry in `index`, if it has one: each looked for
/// just after the one found before it.
pub(super) fn in_index<'a>(
    index: &'a crate::cache::Index,
    run: &'a [Looked],
) -> impl Iterator<Item = (&'a Looked, Option<(usize, &'a crate::cache::Slot)>)> {
    let mut next = 0;
    run.iter().map(move |file| {
        let found = index.find_near(next, &file.path);
        if let Some((at, _)) = found {
            next = at + 1;
        }
        (file, found)
    })
}

/// Every file the walk of `paths` finds, with its stamp, given to `each`
/// in runs as [`look`] gives them; a path the walk finds but cannot read
/// comes without a stamp. The look is tried first; a tree it does not
/// handle is walked instead (one file a run), after `again` has told the
/// caller to forget what it was given. An `Err` from `each` stops it.
pub(super) fn stamped(
    paths: &[PathBuf],
    again: &dyn Fn(),
    each: &(dyn Fn(&[Looked]) -> Result<(), ()> + Sync),
) -> Result<(), ()> {
    match look(paths, each) {
        Ok(()) => return Ok(()),
        Err(Stop::Asked) => return Err(()),
        Err(Stop::Unusual) => again(),
    }
    walk(paths).par_bridge().try_for_each(|found| {
        let file = match found {
            Found::File(path, format) => {
                let stamp = Stamp::of(&path, format);
                Looked { path, format, stamp }
            }
            Found::Problem(p) => Looked { path: p.path, format: Format::Text, stamp: None },
        };
        each(std::slice::from_ref(&file))
    })
}

fn look_in(dir: &Path, each: &(dyn Fn(&[Looked]) -> Result<(), ()> + Sync)) -> Result<(), Stop> {
    let mut files = Vec::new();
    let mut folders = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|_| Stop::Unusual)? {
        let entry = entry.map_err(|_| Stop::Unusual)?;
        if entry.file_name().as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let kind = entry.file_type().map_err(|_| Stop::Unusual)?;
        if kind.is_dir() {
            folders.push(entry.path());
        } else if kind.is_file() {
            files.push((entry.path(), entry));
        } else {
            return Err(Stop::Unusual);
        }
    }
    // Siblings: comparing whole paths compares names.
    files.sort_unstable_by(|(a, _), (b, _)| a.as_os_str().cmp(b.as_os_str()));
    let (here, below) = rayon::join(
        || {
            files.into_par_iter().chunks(RUN).try_for_each(|chunk| {
                let run: Vec<Looked> = chunk
                    .into_iter()
                    .filter_map(|(path, entry)| {
                        let format = formats::format_for_path(&path)?;
                        let stamp = match format {
                            // Its stamp takes in files beside it.
                            Format::Newsboat => Stamp::of(&path, format),
                            _ => entry.metadata().ok().and_then(|m| Stamp::of_meta(&m)),
                        };
                        Some(Looked { path, format, stamp })
                    })
                    .collect();
                if run.is_empty() { Ok(()) } else { each(&run).map_err(|()| Stop::Asked) }
            })
        },
        || folders.into_par_iter().try_for_each(|folder| look_in(&folder, each)),
    );
    here.and(below)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    /// What a look at `roots` gives, by path.
    fn looked(roots: &[PathBuf]) -> Result<BTreeMap<PathBuf, (Format, Option<Stamp>)>, Stop> {
        let seen = Mutex::new(BTreeMap::new());
        look(roots, &|run| {
            assert!(run.is_sorted_by(|a, b| a.path < b.path), "a run is in order");
            let mut seen = seen.lock().unwrap();
            seen.extend(run.iter().map(|l| (l.path.clone(), (l.format, l.stamp))));
            Ok(())
        })?;
        Ok(seen.into_inner().unwrap())
    }

    /// What the walk gives, with each file's stamp taken on its own.
    fn walked(roots: &[PathBuf]) -> BTreeMap<PathBuf, (Format, Option<Stamp>)> {
        walk(roots)
            .map(|found| match found {
                Found::File(path, format) => {
                    let stamp = Stamp::of(&path, format);
                    (path, (format, stamp))
                }
                Found::Problem(p) => panic!("{}: {}", p.path.display(), p.reason),
            })
            .collect()
    }

    fn plain_tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in [
            ("a.txt", "one"),
            ("notes.pdf", "not an article"),
            (".hidden.txt", "skipped"),
            (".git/x.txt", "skipped"),
            ("2024/feed.xml", "<rss/>"),
            ("2024/05/b.md", "# two"),
            ("2024/05/c.json", "[]"),
            ("nb/cache.db", "not really sqlite"),
            ("nb/urls", "https://example.org tag"),
        ] {
            let file = dir.path().join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        // Enough files in one folder to be stat-ed by more than one task.
        for n in 0..300 {
            std::fs::write(dir.path().join(format!("2024/05/many-{n}.txt")), n.to_string()).unwrap();
        }
        dir
    }

    #[test]
    fn a_look_finds_what_the_walk_finds_with_the_same_stamps() {
        let dir = plain_tree();
        let roots = [dir.path().to_path_buf(), dir.path().join("a.txt")];
        let looked = looked(&roots).unwrap();
        assert_eq!(looked, walked(&roots));
        assert_eq!(looked.len(), 305, "{:?}", looked.keys().collect::<Vec<_>>());
        let (format, stamp) = looked[&dir.path().join("nb/cache.db")];
        assert_eq!(format, Format::Newsboat);
        // The newsboat cache's stamp takes in its urls file.
        let own = Stamp::of_meta(&std::fs::metadata(dir.path().join("nb/cache.db")).unwrap());
        assert_ne!(stamp, own);
    }

    #[test]
    fn a_look_leaves_links_special_files_and_missing_roots_to_the_walk() {
        let dir = plain_tree();
        let roots = [dir.path().to_path_buf()];
        std::os::unix::fs::symlink(dir.path().join("2024"), dir.path().join("again")).unwrap();
        assert_eq!(looked(&roots), Err(Stop::Unusual));
        std::fs::remove_file(dir.path().join("again")).unwrap();
        assert!(looked(&roots).is_ok());
        let fifo = dir.path().join("2024/pipe.txt");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        assert_eq!(looked(&roots), Err(Stop::Unusual));
        std::fs::remove_file(&fifo).unwrap();
        assert_eq!(looked(&[dir.path().join("gone")]), Err(Stop::Unusual));
    }

    #[test]
    fn a_look_stops_when_asked() {
        let dir = plain_tree();
        for n in 0..50 {
            std::fs::create_dir(dir.path().join(format!("f{n}"))).unwrap();
            std::fs::write(dir.path().join(format!("f{n}/one.txt")), "one").unwrap();
        }
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let stopped = look(&[dir.path().to_path_buf()], &|_| {
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Err(())
        });
        assert_eq!(stopped, Err(Stop::Asked));
        // Tasks under way finish their run, no other begins: far fewer
        // calls than the 54 runs.
        assert!(calls.into_inner() < 20);
    }
}
