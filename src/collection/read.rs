//! Reading one file and handing its bytes to its format's parser.

use super::LoadOptions;
use crate::cache::Stamp;
use crate::formats::{self, Format, Parsed};
use std::io::Read;
use std::path::Path;

pub(super) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Reads and parses one file; every failure becomes a problem.
pub(super) fn load_file(path: &Path, format: Format, options: &LoadOptions) -> Parsed {
    if format == Format::Newsboat {
        // A database, read row by row: no size limit, no bytes in memory.
        return formats::newsboat::load(path, options.content);
    }
    load_stamped(path, format, options).0
}

/// Reads and parses a file that is not a newsboat cache, with its stamp
/// as the open file had it before it was read (`None` if it could not be
/// opened or looked at).
pub(super) fn load_stamped(path: &Path, format: Format, options: &LoadOptions) -> (Parsed, Option<Stamp>) {
    let fail = |reason: String| Parsed { articles: vec![], problems: vec![formats::ItemProblem::new(None, reason)] };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return (fail(io_reason(&e)), None),
    };
    let meta = match file.metadata() {
        Ok(m) => m,
        Err(e) => return (fail(io_reason(&e)), None),
    };
    let stamp = Stamp::of_meta(&meta);
    let size = match meta.len() {
        _ if !meta.is_file() => return (fail("not a regular file".into()), stamp),
        n if n > options.max_file_size => {
            let reason = format!("{n} bytes is over the size limit of {} bytes (max_file_size)", options.max_file_size);
            return (fail(reason), stamp);
        }
        n => n,
    };
    thread_local! {
        // One read buffer per loading thread, reused for every file: no
        // allocation per file, and its pages are already mapped.
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let parsed = BUFFER.with_borrow_mut(|bytes| {
        bytes.clear();
        bytes.reserve(size as usize + 1);
        // Read what the size said: one read call, and a file that grows
        // meanwhile is read as it was. Files that claim no size (as in
        // /proc) are read up to the limit.
        let limit = if size > 0 { size } else { options.max_file_size + 1 };
        if let Err(e) = file.take(limit).read_to_end(bytes) {
            return fail(io_reason(&e));
        }
        if bytes.len() as u64 > options.max_file_size {
            return fail(format!("over the size limit of {} bytes (max_file_size)", options.max_file_size));
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return fail("empty file".into());
        }
        let parsed = formats::parse_bytes(format, bytes, options.content);
        if bytes.capacity() > KEPT_BUFFER {
            // A rare huge file: do not hold on to its buffer.
            *bytes = Vec::new();
        }
        parsed
    });
    (parsed, stamp)
}

/// Read buffers up to this size stay with their thread for the next file.
pub(super) const KEPT_BUFFER: usize = 1 << 20;
