//! Finding the files to read: the walk over the given paths.

use super::Problem;
use super::read::io_reason;
use crate::formats::{self, Format};
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
