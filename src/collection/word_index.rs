//! The word index made for a collection already loaded from the index on
//! disk: the files the index lists are read for their words, and the
//! collection is given the word index, without a second collection being
//! loaded beside the first (what a whole load with words would do: twice
//! the memory, for the minutes the words take at a million files).
//!
//! A word index made with an older index of the files (the reader changed
//! the files' index while it was made, or another blatt saw other changes)
//! is brought up to date file by file: each keeps the state its file was
//! in when read, and only files in another state now are read again.

use super::read::load_file;
use super::{Collection, LoadOptions, WordsDone};
use crate::cache::{Opened, Place};
use crate::formats::{Content, Format};
use crate::sanitize::display_path;
use crate::words::{self, WordIndex, WordWriter};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

impl Collection {
    /// The word index of the index on disk for `paths`: opened when it is
    /// up to date, else made from the files the index lists (each read
    /// whole, its words put in, its text dropped), on every core, calling
    /// `progress(done, total)` as files finish: all of them for a word
    /// index made anew, those whose state differs from the one the word
    /// index holds for them otherwise. What goes wrong is said in the
    /// `Err`, for the user.
    pub fn build_words(
        paths: &[PathBuf],
        options: &LoadOptions,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<WordIndex, String> {
        let dir = options.cache.as_ref().filter(|_| options.content == Content::Metadata);
        let place = Place::new(dir.ok_or("the word index needs the index")?, paths, options.max_file_size);
        let shown = || display_path(place.path());
        let heads = match place.open_heads() {
            Opened::Good(heads) => heads,
            Opened::Unusable(why) => return Err(format!("index {}: {why}", shown())),
            Opened::Missing => return Err(format!("index {}: not there", shown())),
        };
        let stamp = heads.stamp().to_string();
        let folder = words::folder_of(place.path());
        if let Some(words) = WordIndex::open(&folder, &stamp) {
            return Ok(words);
        }
        let said = |e: String| format!("word index {}: {e}", display_path(&folder));
        let (writer, mut states) = WordWriter::open_any(&folder).map_err(said)?;
        // Which files to read: those the word index holds in another state
        // (taken out first) or not at all. Those it holds that the index
        // does not are taken out.
        let to_read: Vec<bool> = heads
            .files()
            .map(|(path, slot)| match states.remove(&words::file_key(path)) {
                Some(state) if state == slot.state() => false,
                Some(_) => {
                    writer.remove_file(path);
                    true
                }
                None => true,
            })
            .collect();
        states.into_keys().for_each(|file| writer.remove_file_key(file));
        let full = LoadOptions { content: Content::Full, ..options.clone() };
        let (total, done) = (to_read.iter().filter(|&&read| read).count(), AtomicUsize::new(0));
        let failed: Mutex<Option<String>> = Mutex::new(None);
        let learn = |files: Vec<(PathBuf, Format, u64)>| {
            for (path, format, state) in &files {
                if let Err(e) = writer.add_file(path, *state, &load_file(path, *format, &full).articles) {
                    failed.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(e.to_string());
                }
            }
            progress(done.fetch_add(files.len(), Relaxed) + files.len(), total);
        };
        let files = heads.files().zip(to_read).filter(|(_, read)| *read);
        let files = files.map(|((path, slot), _)| (path.to_path_buf(), slot.format, slot.state()));
        // On threads of its own: in the shared pool, the batches queued
        // would hold back every other task given to it meanwhile (an
        // update of the list, a search ranked on every core) until the
        // last of them started, minutes at a million files.
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).thread_name(|i| format!("words-{i}")).build();
        let pool = pool.map_err(|e| said(e.to_string()))?;
        pool.install(|| super::in_batches(files, &|_, batch| learn(batch)));
        if let Some(e) = failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
            return Err(said(e));
        }
        drop(heads);
        writer.commit(&stamp).map_err(|e| said(e.to_string()))?;
        WordIndex::open(&folder, &stamp).ok_or_else(|| said("not readable after it was made".into()))
    }

    /// This collection with `words`, a word index made for the index it came
    /// from (see [`Collection::build_words`]), which then answers for every
    /// article: the articles are shared, the rest is copied, except the
    /// headlines, which a collection with a word index does without (as a
    /// load with one does).
    pub fn with_words(&self, words: WordIndex) -> Collection {
        Collection {
            articles: self.articles.clone(),
            tag_ids: self.tag_ids.clone(),
            tag_starts: self.tag_starts.clone(),
            tagged: self.tagged.clone(),
            tagged_starts: self.tagged_starts.clone(),
            headlines: Default::default(),
            content: self.content,
            with_headlines: false,
            max_file_size: self.max_file_size,
            dates: self.dates.clone(),
            missing: self.missing,
            tags: self.tags.clone(),
            problems: self.problems.clone(),
            files_read: self.files_read,
            changes: self.changes,
            notes: Vec::new(),
            index_file: self.index_file.clone(),
            words: Some(words),
            words_done: WordsDone::default(),
            word_places: Default::default(),
            unindexed: Vec::new(),
            repeated: self.repeated.clone(),
            partial: self.partial.clone(),
            orders: self.orders.get().cloned().map(Into::into).unwrap_or_default(),
        }
    }
}
