//! The word index's folder as its writer sees it: tantivy's own mapped
//! folder, except that the postings (`.idx`, nine tenths of the index)
//! are read with `pread` into memory freed after each use. A merge reads
//! every posting list of the segments it merges once; mapped, each page
//! read stays in the process's resident memory until the merge ends
//! (370 MB at a million articles, on top of the list the reader holds).

use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::HasLen;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};

/// See the module's documentation.
#[derive(Debug, Clone)]
pub(super) struct WriterDirectory {
    mapped: MmapDirectory,
    root: PathBuf,
}

impl WriterDirectory {
    pub(super) fn open(root: &Path) -> tantivy::Result<WriterDirectory> {
        Ok(WriterDirectory { mapped: MmapDirectory::open(root)?, root: root.to_path_buf() })
    }
}

impl Directory for WriterDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        // Elsewhere than on Unix, mapped as tantivy does.
        if !cfg!(unix) || path.extension().is_none_or(|e| e != "idx") {
            return self.mapped.get_file_handle(path);
        }
        let full = self.root.join(path);
        let opened = File::open(&full).and_then(|file| Ok((file.metadata()?.len(), file)));
        match opened {
            Ok((len, file)) => Ok(Arc::new(ReadAt { file, len: len as usize })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(OpenReadError::FileDoesNotExist(full)),
            Err(e) => Err(OpenReadError::wrap_io_error(e, full)),
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.mapped.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.mapped.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.mapped.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(callback)
    }
}

/// A file read piece by piece at the places asked.
#[derive(Debug)]
struct ReadAt {
    file: File,
    len: usize,
}

impl HasLen for ReadAt {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for ReadAt {
    fn read_bytes(&self, range: Range<usize>) -> std::io::Result<OwnedBytes> {
        if range.is_empty() {
            return Ok(OwnedBytes::empty());
        }
        #[cfg(unix)]
        {
            let mut bytes = vec![0; range.len()];
            std::os::unix::fs::FileExt::read_exact_at(&self.file, &mut bytes, range.start as u64)?;
            Ok(OwnedBytes::new(bytes))
        }
        // Not made elsewhere (see `get_file_handle`).
        #[cfg(not(unix))]
        Err(std::io::ErrorKind::Unsupported.into())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly
    use super::*;

    /// Postings are read piece by piece, as the file holds them; other
    /// files as tantivy's folder maps them; a missing file is said to be.
    #[test]
    #[cfg(unix)]
    fn postings_are_read_at_the_places_asked() {
        let dir = tempfile::tempdir().unwrap();
        let bytes: Vec<u8> = (0..10_000u32).map(|n| (n % 251) as u8).collect();
        std::fs::write(dir.path().join("a.idx"), &bytes).unwrap();
        std::fs::write(dir.path().join("a.term"), b"mapped").unwrap();
        let folder = WriterDirectory::open(dir.path()).unwrap();
        let postings = folder.get_file_handle(Path::new("a.idx")).unwrap();
        assert_eq!(postings.len(), bytes.len());
        for range in [0..1, 0..10_000, 4_095..4_097, 9_999..10_000, 17..17] {
            assert_eq!(postings.read_bytes(range.clone()).unwrap().as_slice(), &bytes[range]);
        }
        assert!(postings.read_bytes(9_990..10_001).is_err(), "past the end");
        let term = folder.open_read(Path::new("a.term")).unwrap();
        assert_eq!(term.read_bytes().unwrap().as_slice(), b"mapped");
        assert!(matches!(folder.get_file_handle(Path::new("b.idx")), Err(OpenReadError::FileDoesNotExist(_))));
    }
}
