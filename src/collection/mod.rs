//! The collection: walking paths, loading files in parallel, per-file
//! problems, de-duplication by id, sorting, and the tag index.

pub mod front;
mod index;
mod read;
mod update;
mod walk;
mod word_index;

pub use index::{Headlines, TagId, TagIndex};
use index::{headlines, intern_tags};
use read::load_file;
pub use update::{Checked, Saving};
use walk::{Found, walk};

use crate::article::Article;
use crate::cache::{self, Index, Opened, Place, Stamp};
use crate::formats::{self, Content, Format, Parsed};
use crate::sanitize::display_path;
use crate::text::fold;
use crate::words::{self, WordIndex, WordWriter};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Files larger than this are not read unless the config says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// How to load.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Files larger than this many bytes are reported and skipped.
    pub max_file_size: u64,
    /// What of each article to keep.
    pub content: Content,
    /// The cache directory holding the index on disk (see [`crate::cache`]),
    /// used by loads of [`Content::Metadata`]; `None`: no index.
    pub cache: Option<PathBuf>,
    /// Build the headlines a search as you type looks at (the reader does;
    /// the command line, which searches once, does not). Loads with the
    /// text always build them.
    pub headlines: bool,
    /// Keep the word index beside the index on disk up to date (see
    /// [`crate::words`]), building it when it is missing or out of date.
    /// Without this, a word index is used only when it is up to date.
    pub words: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            content: Content::Full,
            cache: None,
            headlines: true,
            words: false,
        }
    }
}

/// Where a load takes its files from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Walk the paths; files the index holds unchanged are not read again.
    Walk,
    /// Only the index, without looking at the files: a first screen at once,
    /// to be followed by a [`Source::Walk`]. Without a usable index, a walk.
    IndexOnly,
    /// A check behind a collection loaded from the index: the files are
    /// walked and their stamps compared with the index; when every file is
    /// unchanged (and the word index up to date, if [`LoadOptions::words`]),
    /// no collection is built: the answer has no articles, only `changes`
    /// saying nothing changed. Otherwise a [`Source::Walk`].
    Check,
}

/// What a load with the index found changed since the index was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files the index did not know.
    pub new: usize,
    /// Files read again because they changed.
    pub changed: usize,
    /// Files the index knew that are gone.
    pub removed: usize,
    /// Files taken from the index.
    pub unchanged: usize,
}

impl Changes {
    pub fn any(&self) -> bool {
        self.new + self.changed + self.removed > 0
    }
}

/// What a load did with the word index (what `blatt index` tells).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WordsDone {
    /// Nothing: none asked for, or none to be had.
    #[default]
    Nothing,
    /// Opened as it was: it was up to date.
    Opened,
    /// Made anew from every file.
    Made,
    /// Brought up to date, reading this many files again for it.
    Updated(usize),
}

/// One thing that went wrong while loading, tied to a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", display_path(&self.path))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// The loaded articles, newest first, with what went wrong on the way.
#[derive(Debug, Default)]
pub struct Collection {
    pub articles: Vec<Arc<Article>>,
    /// The tag ids of all articles, one sorted run per article, back to
    /// back (see [`Collection::tags_of`]): one allocation that filters scan
    /// without chasing a pointer per article.
    tag_ids: Vec<TagId>,
    /// Where each article's run starts in `tag_ids`, plus the end.
    tag_starts: Vec<u32>,
    /// The other way round: the articles of each tag, ascending, one run
    /// per tag back to back (see [`Collection::articles_with`]), so that a
    /// query naming a tag looks only at its articles.
    tagged: Vec<u32>,
    /// Where each tag's run starts in `tagged`, plus the end.
    tagged_starts: Vec<u32>,
    /// Title, kicker and tags of each article, case-folded, one per line:
    /// what a search as you type looks at first. Empty unless
    /// [`LoadOptions::headlines`] asked for them.
    pub headlines: Headlines,
    /// What was kept of each article. Without the text, words in leads and
    /// bodies are looked for in the files (see [`Collection::read_full`]).
    pub content: Content,
    /// Whether `headlines` are built.
    with_headlines: bool,
    /// The size limit the files were loaded with, for reading them again.
    max_file_size: u64,
    /// The date of each article, kept apart so that date filters touch
    /// little memory.
    pub dates: Vec<Option<chrono::NaiveDate>>,
    /// How many articles are stand-ins for missing bookmarks.
    pub missing: usize,
    pub tags: TagIndex,
    pub problems: Vec<Problem>,
    /// How many files were read (whether or not they gave articles).
    pub files_read: usize,
    /// What the index on disk gave, when one was used.
    pub changes: Option<Changes>,
    /// What happened to the index on disk (rebuilt, not writable): for the
    /// user, but no problem of the collection.
    pub notes: Vec<String>,
    /// The index file used, and whether it is now up to date on disk.
    pub index_file: Option<(PathBuf, bool)>,
    /// The word index, when one up to date with the files was found.
    pub words: Option<WordIndex>,
    /// What the load did with the word index.
    pub words_done: WordsDone,
    /// Where the word index's documents stand in this collection, made
    /// when first asked.
    word_places: std::sync::OnceLock<tantivy::Result<words::Places>>,
    /// The articles (positions, ascending) whose words `words` does not
    /// hold, or holds as they were: those of files read since it was
    /// opened (see [`Collection::updated`]). Word look-ups read them.
    unindexed: Vec<u32>,
    /// The ids of articles left out for repeating an earlier one.
    repeated: std::collections::HashSet<crate::article::ArticleId>,
    /// Set when this is only the front page of the collection (see [`front`]).
    partial: Option<front::Partial>,
    /// Each article's place in title order and in source order, made when
    /// first asked (see [`Collection::orders`]).
    orders: std::sync::OnceLock<Orders>,
}

/// Each article's place (by index) in an order of the whole collection, so
/// that a list of matches is put in that order by comparing numbers.
#[derive(Debug, Default, Clone)]
pub struct Orders {
    /// By title, as [`crate::text::sort_key`] compares them, then newest first.
    pub title: Vec<u32>,
    /// By source, articles without one last, then newest first.
    pub source: Vec<u32>,
}

impl Collection {
    /// Loads every readable file under `paths`.
    pub fn load(paths: &[PathBuf], options: &LoadOptions) -> Collection {
        Self::load_with_progress(paths, options, &|_, _| {})
    }

    /// Like [`Collection::load`], calling `progress(done, total)` as files finish.
    pub fn load_with_progress(
        paths: &[PathBuf],
        options: &LoadOptions,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Collection {
        Self::load_from(paths, options, Source::Walk, progress)
    }

    /// Loads from `source`: with [`LoadOptions::cache`] and metadata only,
    /// through the index on disk, which is then brought up to date.
    pub fn load_from(
        paths: &[PathBuf],
        options: &LoadOptions,
        source: Source,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Collection {
        let place = match &options.cache {
            Some(dir) if options.content == Content::Metadata => Some(Place::new(dir, paths, options.max_file_size)),
            _ => None,
        };
        let words_dir = place.as_ref().map(|p| words::folder_of(p.path()));
        // A check that finds nothing changed needs only each file's head.
        if let (Source::Check, Some(place)) = (source, &place)
            && let Opened::Good(heads) = place.open_heads()
            && !words_out_of_date(place, heads.stamp(), options)
            && let Some(unchanged) = unchanged_since(&heads, paths)
        {
            return Collection {
                changes: Some(Changes { unchanged, ..Changes::default() }),
                index_file: Some((place.path().to_path_buf(), true)),
                content: options.content,
                ..Collection::default()
            };
        }
        let mut notes = Vec::new();
        let index = match place.as_ref().map(Place::open) {
            Some(Opened::Good(index)) => Some(index),
            Some(Opened::Unusable(why)) => {
                let shown = place.as_ref().map(|p| display_path(p.path())).unwrap_or_default();
                notes.push(format!("index {shown}: {why}; rebuilding it"));
                None
            }
            _ => None,
        };
        let source = match source {
            _ if index.is_none() => Source::Walk,
            Source::Check => Source::Walk,
            other => other,
        };
        let old_stamp = index.as_ref().map(|i| i.stamp().to_string());
        // A word index made with another index of the files is brought up
        // to date at the end, reading only the files whose state differs
        // (see `build_words`); the walk does not put words in it.
        let catch_up = options.words
            && source == Source::Walk
            && words_dir.as_deref().zip(old_stamp.as_deref()).is_some_and(|(dir, s)| words::is_behind(dir, s));
        // A walk keeps the word index up to date when asked to, and also
        // when it was up to date before: a command that does not look for
        // words must not leave the next reader a whole word index to make
        // again for one file it read. That one is opened only if a file
        // read or gone changes it.
        let writer = match (&words_dir, source == Source::Walk, old_stamp.as_deref()) {
            (Some(dir), true, stamp) if options.words && !catch_up => {
                let opened = WordWriter::open(dir, stamp);
                let anew = opened.as_ref().is_ok_and(|(_, current)| !current);
                Some((LazyWords::opened(dir, opened.map(|(writer, _)| writer)), anew))
            }
            (Some(dir), true, Some(stamp)) => Some((LazyWords::if_current(dir, stamp), false)),
            _ => None,
        };
        let words = writer.as_ref().map(|(w, anew)| (w, *anew));
        // From the index alone, whose word index is up to date: no
        // headlines are built (see the end).
        let mut ready = match (source, &words_dir, &old_stamp) {
            (Source::IndexOnly, Some(dir), Some(stamp)) => WordIndex::open(dir, stamp),
            _ => None,
        };
        let load = LoadOptions { headlines: options.headlines && ready.is_none(), ..options.clone() };
        let Batch { articles, file_of, problems, files_read, mut entries, mut changes, walked } =
            Self::gather(paths, &load, place.is_some(), index.as_ref(), source, words, progress);
        if let Some(index) = &index {
            changes.removed = index.len().saturating_sub(changes.unchanged + changes.changed);
        }
        if let (Some((words, false)), Some(index)) = (&writer, &index)
            && changes.removed > 0
            && let Some(writer) = words.get()
        {
            let mut seen = vec![false; index.len()];
            walked.iter().for_each(|&at| seen[at as usize] = true);
            index.files().zip(seen).filter(|(_, seen)| !seen).for_each(|((p, _), _)| writer.remove_file(p));
        }
        let stale = changes.any() || index.is_none();
        let mut stamp = if stale { None } else { old_stamp.clone() };
        if let Some(place) = &place
            && stale
            && source == Source::Walk
        {
            // In walk order, so that a load from the index alone keeps
            // the first of duplicate ids as a walk does.
            entries.sort_unstable_by_key(|(at, _)| *at);
            let parts: Vec<&[u8]> = entries.iter().map(|(_, e)| e.as_ref()).collect();
            match place.write(&parts) {
                Ok(written) => stamp = written,
                Err(why) => notes.push(format!("index not saved: {why}")),
            }
        }
        // The index read is no longer needed (a third of the memory at a
        // million articles): gone before the list is sorted.
        let had_index = index.is_some();
        drop(entries);
        drop(index);
        let mut collection = Collection::settle(articles, file_of, problems, files_read, &load);
        collection.changes = had_index.then_some(changes);
        if let Some(place) = &place {
            // Nothing changed and the word index was up to date: nothing to save.
            let mut done = WordsDone::Opened;
            if let (Some((words, anew)), Some(stamp)) = (writer, &stamp) {
                match words.into_writer() {
                    Ok(Some(writer)) if stale || anew => match writer.commit(stamp) {
                        Ok(()) if anew => done = WordsDone::Made,
                        Ok(()) => done = WordsDone::Updated(changes.new + changes.changed),
                        Err(e) => notes.push(format!("word index not saved: {e}")),
                    },
                    Ok(_) => {}
                    Err(why) => notes.push(why),
                }
            }
            if let Some(stamp) = &stamp
                && (stale || place.read_front(stamp).is_none())
                && let Err(e) = collection.write_front_page(place, stamp)
            {
                notes.push(e);
            }
            collection.words = match (&words_dir, &stamp) {
                _ if ready.is_some() && stamp == old_stamp => ready.take(),
                (Some(dir), Some(stamp)) => WordIndex::open(dir, stamp),
                _ => None,
            };
            if catch_up && collection.words.is_none() && stamp.is_some() {
                let read = AtomicUsize::new(0);
                let counting = |n: usize, of: usize| {
                    read.store(of, Relaxed);
                    progress(n, of);
                };
                match Self::build_words(paths, options, &counting) {
                    Ok(words) => {
                        collection.words = Some(words);
                        done = WordsDone::Updated(read.into_inner());
                    }
                    Err(why) => notes.push(why),
                }
            }
            if collection.words.is_some() {
                collection.words_done = done;
            }
            collection.index_file = Some((place.path().to_path_buf(), stamp.is_some()));
        }
        if collection.words.is_some() {
            // The word index finds words in titles, kickers and tags as
            // well: the headlines (a tenth of the reader's memory at a
            // million articles) are not needed; what else looks at titles
            // reads the articles.
            collection.headlines = Headlines::default();
            collection.with_headlines = false;
        }
        collection.notes = notes;
        collection
    }

    /// Every file's articles and problems, as read or taken from the
    /// index, in no order yet (see [`Collection::settle`]).
    fn gather<'a>(
        paths: &[PathBuf],
        options: &LoadOptions,
        stamping: bool,
        index: Option<&'a Index>,
        source: Source,
        words: Option<(&'a LazyWords, bool)>,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Batch<'a> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let found = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        // The walk feeds batches of files to the pool as it goes, so that
        // reading and parsing start before the last directory is listed.
        // Each finished batch is added to what is gathered at once, in the
        // order batches finish: its memory is then reused for the next
        // batch, and the growing vector is moved, not copied, by realloc.
        // Sorting and the walk positions kept with each article settle the
        // order later.
        let gathered: std::sync::Mutex<Batch> = Default::default();
        let with_index = Indexing { stamping, index, trusted: source == Source::IndexOnly, words };
        let run = |number: usize, items: Vec<Found>| {
            let count = items.len();
            let batch = Batch::load(number * BATCH, items, options, &with_index);
            let n = done.fetch_add(count, Ordering::Relaxed) + count;
            progress(n, found.load(Ordering::Relaxed));
            gathered.lock().unwrap_or_else(|e| e.into_inner()).append(batch);
        };
        let found_files: Box<dyn Iterator<Item = Found> + Send> = match (source, index) {
            (Source::IndexOnly, Some(index)) => {
                Box::new(index.files().map(|(path, slot)| Found::File(path.to_path_buf(), slot.format)))
            }
            _ => Box::new(walk(paths)),
        };
        in_batches(found_files.inspect(|_| _ = found.fetch_add(1, Ordering::Relaxed)), &run);
        let n = done.load(Ordering::Relaxed);
        progress(n, n);
        gathered.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// The collection of the articles gathered: duplicates left out, in
    /// the list's order, with its tags.
    fn settle(
        articles: Vec<Arc<Article>>,
        file_of: Vec<u32>,
        mut problems: Vec<(usize, Problem)>,
        files_read: usize,
        options: &LoadOptions,
    ) -> Collection {
        let mut collection = Collection {
            articles,
            files_read,
            content: options.content,
            with_headlines: options.headlines || options.content == Content::Full,
            max_file_size: options.max_file_size,
            ..Collection::default()
        };
        // Titles are folded (for sorting) on the other threads while this
        // one looks for duplicates.
        let (duplicate, mut folded_titles) =
            rayon::join(|| collection.find_duplicates(&file_of, &mut problems), || collection.folded_titles());
        let repeated = collection.articles.iter().zip(&duplicate).filter(|(_, d)| **d);
        collection.repeated = repeated.map(|(a, _)| a.id.clone()).collect();
        remove_marked(&mut collection.articles, &duplicate);
        remove_marked(&mut folded_titles, &duplicate);
        // Stable: within a file, its own problems stay before its duplicates.
        problems.sort_by_key(|(at, _)| *at);
        collection.problems = problems.into_iter().map(|(_, p)| p).collect();
        let folded_titles = collection.sort(folded_titles);
        collection.index_tags(folded_titles);
        collection
    }

    /// Marks every article whose id an article earlier in walk order has,
    /// and reports it. `file_of` holds each article's walk position;
    /// articles of one file are in their order within it.
    fn find_duplicates(&self, file_of: &[u32], problems: &mut Vec<(usize, Problem)>) -> Vec<bool> {
        let mut first: FastMap<&str, usize> =
            FastMap::with_capacity_and_hasher(self.articles.len(), Default::default());
        let mut repeats = 0;
        for (i, a) in self.articles.iter().enumerate() {
            match first.entry(a.id.0.as_str()) {
                Entry::Vacant(v) => {
                    v.insert(i);
                }
                Entry::Occupied(mut o) => {
                    repeats += 1;
                    if file_of[i] < file_of[*o.get()] {
                        o.insert(i);
                    }
                }
            }
        }
        let mut duplicate = vec![false; self.articles.len()];
        if repeats == 0 {
            return duplicate;
        }
        for (i, a) in self.articles.iter().enumerate() {
            let f = first[a.id.0.as_str()];
            if f != i {
                duplicate[i] = true;
                problems.push((file_of[i] as usize, duplicate_problem(a, &self.articles[f])));
            }
        }
        duplicate
    }

    /// Each article's title, case-folded (in parallel).
    fn folded_titles(&self) -> Vec<String> {
        self.articles.par_iter().map(|a| fold(&a.title)).collect()
    }

    /// Newest first (see [`newest_first`]). `folded` holds each article's
    /// case-folded title; it is returned in the new order.
    fn sort(&mut self, mut folded: Vec<String>) -> Vec<String> {
        let articles = &self.articles;
        // Each article's number moves with its key: most comparisons end
        // there, without going to the article or its title.
        let mut keyed: Vec<(SortKey, u32)> =
            articles.par_iter().zip(&folded).enumerate().map(|(i, (a, f))| (sort_key(a, f), i as u32)).collect();
        keyed.par_sort_unstable_by(|(kx, x), (ky, y)| {
            let (x, y) = (*x as usize, *y as usize);
            kx.cmp(ky).then_with(|| newest_first((&articles[x], &folded[x]), (&articles[y], &folded[y])))
        });
        let order: Vec<u32> = keyed.into_iter().map(|(_, at)| at).collect();
        let mut unindexed = self.unindexed_marks();
        permute(&mut self.articles, &order);
        permute(&mut folded, &order);
        permute(&mut unindexed, &order);
        self.set_unindexed(&unindexed);
        folded
    }

    /// One flag per article: is it in `unindexed`?
    fn unindexed_marks(&self) -> Vec<bool> {
        let mut marks = vec![false; if self.unindexed.is_empty() { 0 } else { self.articles.len() }];
        self.unindexed.iter().for_each(|&at| marks[at as usize] = true);
        marks
    }

    fn set_unindexed(&mut self, marks: &[bool]) {
        self.unindexed = marks.iter().enumerate().filter(|(_, m)| **m).map(|(at, _)| at as u32).collect();
    }

    fn index_tags(&mut self, folded_titles: Vec<String>) {
        let articles = &self.articles;
        let known = self.partial.as_ref().map_or(&[][..], |p| p.names());
        let (index, folded_tags, tag_ids, tag_starts) = if !self.with_headlines {
            self.headlines = Headlines::default();
            intern_tags(articles, known)
        } else {
            // Tags are interned on this thread while the kickers are folded on the others.
            let (interned, kickers) = rayon::join(
                || intern_tags(articles, known),
                || articles.par_iter().map(|a| a.kicker.as_deref().map(fold)).collect::<Vec<_>>(),
            );
            let (_, folded_tags, tag_ids, tag_starts) = &interned;
            self.headlines = headlines(folded_titles, kickers, folded_tags, tag_ids, tag_starts);
            interned
        };
        drop(folded_tags);
        (self.tagged, self.tagged_starts) = postings(&tag_ids, &tag_starts, index.len());
        self.tag_ids = tag_ids;
        self.tag_starts = tag_starts;
        self.dates = self.articles.iter().map(|a| a.date).collect();
        self.missing = self.articles.iter().filter(|a| a.missing).count();
        self.tags = index;
    }

    /// Adds a stand-in for every bookmark whose article is not in the
    /// collection, built from the bookmark's snapshot and marked `missing`,
    /// so that such bookmarks are never silently dropped from view.
    /// Adds stand-ins for bookmarked articles that are no longer in the
    /// collection (made by [`crate::store::State::stand_ins`]).
    /// A front page gets none: it holds only the first articles, so it
    /// cannot tell which are missing.
    pub fn add_stand_ins(&mut self, ghosts: Vec<Article>) {
        if ghosts.is_empty() || self.partial.is_some() {
            return;
        }
        self.articles.extend(ghosts.into_iter().map(Arc::new));
        (self.word_places, self.orders) = Default::default();
        let folded_titles = self.sort(self.folded_titles());
        self.index_tags(folded_titles);
    }

    /// Article `index` with its lead and body: itself in a collection
    /// loaded with the text, otherwise read again from its file (the
    /// reader shows, searches and pipes articles this way).
    pub fn read_full(&self, index: usize) -> Result<Cow<'_, Article>, String> {
        let a = &self.articles[index];
        if self.content == Content::Full || a.missing {
            return Ok(Cow::Borrowed(a));
        }
        let mut all = self.read_file(&a.path)?;
        match all.iter().position(|b| b.id == a.id) {
            Some(at) => Ok(Cow::Owned(all.swap_remove(at))),
            None => Err(format!("{}: the article is no longer in it; press R to reload", display_path(&a.path))),
        }
    }

    /// Every article of the file at `path`, with the text.
    pub fn read_file(&self, path: &std::path::Path) -> Result<Vec<Article>, String> {
        let format = formats::format_for_path(path).unwrap_or(Format::Text);
        let options = LoadOptions { max_file_size: self.max_file_size, ..LoadOptions::default() };
        let mut parsed = load_file(path, format, &options);
        if parsed.articles.is_empty()
            && let Some(p) = parsed.problems.first()
        {
            return Err(format!("{}: {}", display_path(path), p.reason));
        }
        for a in &mut parsed.articles {
            a.path = path.to_path_buf();
        }
        Ok(parsed.articles)
    }

    /// The tag ids of article `index`, sorted.
    pub fn tags_of(&self, index: usize) -> &[TagId] {
        let (start, end) = (self.tag_starts[index] as usize, self.tag_starts[index + 1] as usize);
        &self.tag_ids[start..end]
    }

    /// The articles carrying `tag`, ascending.
    pub fn articles_with(&self, tag: TagId) -> &[u32] {
        let t = tag.0 as usize;
        match (self.tagged_starts.get(t), self.tagged_starts.get(t + 1)) {
            (Some(&start), Some(&end)) => &self.tagged[start as usize..end as usize],
            _ => &[],
        }
    }

    /// Does article `index` carry `tag`?
    pub fn has_tag(&self, index: usize, tag: TagId) -> bool {
        self.tags_of(index).binary_search(&tag).is_ok()
    }

    /// Whether the headlines a search looks at first were built.
    pub fn has_headlines(&self) -> bool {
        !self.headlines.is_empty()
    }

    /// The articles' places in title and source order: made at the first
    /// call (two seconds on two cores at a million articles; the reader
    /// makes them on a thread after loading).
    pub fn orders(&self) -> &Orders {
        self.orders.get_or_init(|| Orders {
            title: places_in_order(&self.articles, &title_key),
            source: places_in_order(&self.articles, &source_key),
        })
    }

    /// Makes ready what the first word search through the word index needs
    /// (where its documents stand here, its word lists): a second or so at
    /// a million articles, best spent on a thread of its own after loading.
    pub fn prepare_words(&self) {
        if let Some(words) = &self.words {
            let _ = self.word_places(words);
            words.prepare();
        }
    }

    fn word_places(&self, words: &WordIndex) -> &tantivy::Result<words::Places> {
        self.word_places.get_or_init(|| {
            let mut by_key = FastMap::with_capacity_and_hasher(self.articles.len(), Default::default());
            let mut unindexed = self.unindexed.iter().peekable();
            for (i, a) in self.articles.iter().enumerate() {
                if unindexed.next_if_eq(&&(i as u32)).is_none() && !a.missing {
                    by_key.insert(words::key(&a.path, &a.id.0), i as u32);
                }
            }
            words.places(self.articles.len(), |key| by_key.get(&key).copied())
        })
    }

    /// The articles holding `word` by the word index, as positions here;
    /// `None` without a word index.
    pub fn find_word(&self, word: &words::Word, stemmers: &words::Stemmers) -> Option<tantivy::Result<words::Found>> {
        let index = self.words.as_ref()?;
        let found = self
            .word_places(index)
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|places| index.find(word, stemmers, places));
        Some(found.map(|mut found| {
            if !self.unindexed.is_empty() {
                // Read to know, as the index cannot tell.
                let unsure = self.unindexed.iter().filter(|at| found.sure.binary_search(at).is_err());
                found.maybe = unsure.chain(&found.maybe).copied().collect();
                found.maybe.sort_unstable();
                found.maybe.dedup();
            }
            found
        }))
    }

    /// Keeps only the articles for which `keep` is true (indices change).
    pub fn retain(&mut self, keep: impl Fn(&Article) -> bool) {
        let mut unindexed = self.unindexed_marks();
        let gone: Vec<bool> = self.articles.iter().map(|a| !keep(a)).collect();
        if !unindexed.is_empty() {
            remove_marked(&mut unindexed, &gone);
        }
        remove_marked(&mut self.articles, &gone);
        self.set_unindexed(&unindexed);
        (self.word_places, self.orders) = Default::default();
        let folded_titles = self.folded_titles();
        self.index_tags(folded_titles);
    }

    /// The article with this id, or the only one whose id starts with it.
    pub fn find_by_id_prefix(&self, prefix: &str) -> Result<usize, LookupError> {
        if let Some(i) = self.articles.iter().position(|a| a.id.0 == prefix) {
            return Ok(i);
        }
        let mut hits: Vec<usize> =
            (0..self.articles.len()).filter(|&i| self.articles[i].id.0.starts_with(prefix)).collect();
        if hits.is_empty() && !prefix.is_empty() {
            // Feed ids are often URLs: let any unique part of one do.
            hits = (0..self.articles.len()).filter(|&i| self.articles[i].id.0.contains(prefix)).collect();
        }
        match hits.as_slice() {
            [one] => Ok(*one),
            [] => Err(LookupError::NotFound(prefix.to_string())),
            many => Err(LookupError::Ambiguous(prefix.to_string(), many.len())),
        }
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }
}

/// Why `show ID` found nothing.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum LookupError {
    #[error("no article with id {0}")]
    NotFound(String),
    #[error("id prefix {0} matches {1} articles; give more of it")]
    Ambiguous(String, usize),
}

/// A file's entry for the next index on disk, with the file's walk
/// position: new bytes, or those of the old index.
type IndexEntry<'a> = (u32, Cow<'a, [u8]>);

/// Whether a load with `options` would have to build the word index beside
/// `place` anew: it keeps one, and the one there does not go with the
/// index stamped `stamp`. A check then cannot say "nothing changed".
fn words_out_of_date(place: &Place, stamp: &str, options: &LoadOptions) -> bool {
    options.words && !words::is_current(&words::folder_of(place.path()), stamp)
}

/// The word index a walk puts the words of the files it reads in, opened
/// when first needed.
struct LazyWords {
    /// The word index's folder, and the stamp of the index it must go
    /// with to be opened when first needed.
    dir: PathBuf,
    stamp: String,
    /// `Ok(None)`: not up to date with `stamp`, and left alone.
    writer: std::sync::OnceLock<Result<Option<WordWriter>, String>>,
}

impl LazyWords {
    /// The word index in `dir` opened already (or not, and why).
    fn opened(dir: &Path, writer: Result<WordWriter, String>) -> LazyWords {
        LazyWords { dir: dir.to_path_buf(), stamp: String::new(), writer: writer.map(Some).into() }
    }

    /// The word index in `dir` if it goes with the index stamped `stamp`.
    fn if_current(dir: &Path, stamp: &str) -> LazyWords {
        LazyWords { dir: dir.to_path_buf(), stamp: stamp.to_string(), writer: std::sync::OnceLock::new() }
    }

    fn get(&self) -> Option<&WordWriter> {
        let opened = self.writer.get_or_init(|| WordWriter::open_current(&self.dir, &self.stamp));
        opened.as_ref().ok()?.as_ref()
    }

    /// The writer if it was opened; why it could not be, for the user.
    fn into_writer(self) -> Result<Option<WordWriter>, String> {
        match self.writer.into_inner() {
            Some(Err(why)) => Err(format!("word index {}: {why}", display_path(&self.dir))),
            Some(Ok(writer)) => Ok(writer),
            None => Ok(None),
        }
    }
}

/// How a load uses the index on disk.
struct Indexing<'a> {
    /// Take each file's stamp and make its entry for the next index.
    stamping: bool,
    index: Option<&'a Index>,
    /// The files are the index's own: take them from it without looking.
    trusted: bool,
    /// The word index to put the words of files read in; `true`: of every
    /// file (it is being built anew).
    words: Option<(&'a LazyWords, bool)>,
}

/// What one loading task gives back: the articles of its files in walk
/// order, the walk position of each one's file, the problems met, and each
/// file's entry for the index on disk (new, or the old one's bytes).
#[derive(Default)]
struct Batch<'a> {
    articles: Vec<Arc<Article>>,
    file_of: Vec<u32>,
    problems: Vec<(usize, Problem)>,
    files_read: usize,
    entries: Vec<IndexEntry<'a>>,
    changes: Changes,
    /// The places in the index (see [`Index::find`]) of the files seen,
    /// when the word index must learn which are gone.
    walked: Vec<u32>,
}

impl<'a> Batch<'a> {
    /// Reads and parses `items`, the walk's finds from position `first` on,
    /// or takes them from the index where it holds them unchanged.
    fn load(first: usize, items: Vec<Found>, options: &LoadOptions, with: &Indexing<'a>) -> Batch<'a> {
        let mut batch = Batch { articles: Vec::with_capacity(items.len()), ..Batch::default() };
        for (at, item) in (first..).zip(items) {
            match item {
                Found::File(path, format) if with.stamping => batch.load_indexed(at, path, format, options, with),
                Found::File(path, format) => {
                    let parsed = load_file(&path, format, options);
                    batch.add(at, path, parsed);
                }
                Found::Problem(problem) => batch.problems.push((at, problem)),
            }
        }
        batch
    }

    fn load_indexed(&mut self, at: usize, path: PathBuf, format: Format, options: &LoadOptions, with: &Indexing<'a>) {
        // From the index alone, the walk is the index's own list: a file's
        // place in it is its walk position, no look-up needed.
        let found = match with.index {
            Some(i) if with.trusted => i.find_at(at, &path).map(|slot| (i, (at, slot))),
            Some(i) => i.find(&path).map(|found| (i, found)),
            None => None,
        };
        if let (Some((_, false)), Some((_, (at, _)))) = (with.words, found) {
            self.walked.push(at as u32);
        }
        let slot = found.map(|(i, (_, slot))| (i, slot));
        // A file the index does not hold is read at once (unless for the
        // word index): its stamp comes from the file opened to read it,
        // not from a second look-up of its path.
        let read_now = !with.trusted && slot.is_none() && with.words.is_none() && format != Format::Newsboat;
        let mut stamp = match () {
            _ if with.trusted => slot.map(|(_, s)| s.stamp),
            _ if read_now => None,
            _ => Stamp::of(&path, format),
        };
        if let (Some((index, slot)), Some(stamp)) = (slot, stamp)
            && slot.holds(format, Some(stamp))
            && let Some(parsed) = index.parsed(&path, slot)
        {
            if let Some((words, true)) = with.words
                && let Some(writer) = words.get()
            {
                self.learn_words(at, writer, (&path, format, Some(stamp)), options, false);
            }
            self.changes.unchanged += 1;
            // From the index alone, the index is not written again.
            if !with.trusted {
                self.entries.push((at as u32, Cow::Borrowed(index.raw(slot))));
            }
            return self.add(at, path, parsed);
        }
        let parsed = match with.words.and_then(|(words, anew)| Some((words.get()?, anew))) {
            // One parse serves both: the text for the word index, then
            // dropped as a parse without it does (a newsboat cache, read
            // by rows, is read again without it).
            Some((writer, anew)) => {
                let mut full = self.learn_words(at, writer, (&path, format, stamp), options, !anew && slot.is_some());
                if options.content == Content::Full {
                    full
                } else if format == Format::Newsboat {
                    load_file(&path, format, options)
                } else {
                    full.articles.iter_mut().for_each(Article::drop_text);
                    full
                }
            }
            None if read_now => {
                let parsed;
                (parsed, stamp) = read::load_stamped(&path, format, options);
                parsed
            }
            None => load_file(&path, format, options),
        };
        if let Some(stamp) = stamp.filter(|_| !with.trusted) {
            let mut entry = Vec::new();
            cache::encode(&mut entry, &path, format, stamp, &parsed);
            self.entries.push((at as u32, Cow::Owned(entry)));
        }
        match slot {
            Some(_) => self.changes.changed += 1,
            None => self.changes.new += 1,
        }
        self.add(at, path, parsed);
    }

    /// Puts the words of the file at `path`, read as `format`, with its
    /// `stamp`, in the word index (in place of what it held for the file,
    /// when `again`), and gives what was read.
    fn learn_words(
        &mut self,
        at: usize,
        writer: &WordWriter,
        (path, format, stamp): (&std::path::Path, Format, Option<Stamp>),
        options: &LoadOptions,
        again: bool,
    ) -> Parsed {
        if again {
            writer.remove_file(path);
        }
        let full = load_file(path, format, &LoadOptions { content: Content::Full, ..options.clone() });
        if let Err(e) = writer.add_file(path, cache::state(format, stamp), &full.articles) {
            self.problems
                .push((at, Problem { path: path.to_path_buf(), line: None, reason: format!("word index: {e}") }));
        }
        full
    }

    /// Moves everything of `other` to the end of this one.
    fn append(&mut self, mut other: Batch<'a>) {
        self.articles.append(&mut other.articles);
        self.file_of.append(&mut other.file_of);
        self.problems.append(&mut other.problems);
        self.files_read += other.files_read;
        self.entries.append(&mut other.entries);
        self.walked.append(&mut other.walked);
        self.changes.new += other.changes.new;
        self.changes.changed += other.changes.changed;
        self.changes.unchanged += other.changes.unchanged;
    }

    fn add(&mut self, at: usize, mut path: PathBuf, parsed: Parsed) {
        self.files_read += 1;
        let problem = |ip: formats::ItemProblem| (at, Problem { path: path.clone(), line: ip.line, reason: ip.reason });
        self.problems.extend(parsed.problems.into_iter().map(problem));
        let mut articles = parsed.articles.into_iter().peekable();
        while let Some(mut article) = articles.next() {
            // The last (most often the only) article takes the path itself.
            article.path = if articles.peek().is_some() { path.clone() } else { std::mem::take(&mut path) };
            self.articles.push(Arc::new(article));
            self.file_of.push(at as u32);
        }
    }
}

/// How many files the walk of `paths` finds, when every one is in `index`
/// with the stamp and format it has now and the index holds no others;
/// `None` at the first that is not (the files are stat-ed on every core).
fn unchanged_since(index: &Index, paths: &[PathBuf]) -> Option<usize> {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    let count = AtomicUsize::new(0);
    walk::stamped(paths, &|| count.store(0, Relaxed), &|run| {
        let mut found = walk::in_index(index, run);
        if !found.all(|(file, at)| at.is_some_and(|(_, slot)| slot.holds(file.format, file.stamp))) {
            return Err(());
        }
        count.fetch_add(run.len(), Relaxed);
        Ok(())
    })
    .ok()?;
    let count = count.into_inner();
    (count == index.len()).then_some(count)
}

/// Each article's place in the order of `key` (ties in the list's order).
/// The articles are sorted by the first bytes of their keys, a few bytes
/// each instead of two strings (200 MB at a million titles); only those
/// whose first bytes are alike have their whole keys made and compared.
fn places_in_order(articles: &[Arc<Article>], key: &(dyn Fn(&Article) -> (String, String) + Sync)) -> Vec<u32> {
    const FIRST: usize = 16;
    // `base \0 folded` orders as the pair does: neither holds a NUL (the
    // sanitiser takes control characters out), so a base that is a prefix
    // of another meets the NUL first and comes first.
    let whole = |i: u32| {
        let (base, folded) = key(&articles[i as usize]);
        let mut k = base.into_bytes();
        k.push(0);
        k.extend_from_slice(folded.as_bytes());
        k
    };
    let mut keyed: Vec<([u8; FIRST], u32)> = (0..articles.len() as u32)
        .into_par_iter()
        .map(|i| {
            let (k, mut first) = (whole(i), [0u8; FIRST]);
            let n = k.len().min(FIRST);
            first[..n].copy_from_slice(&k[..n]);
            (first, i)
        })
        .collect();
    keyed.par_sort_unstable();
    // Runs of keys alike in their first bytes (zeros after a short key
    // cannot be mistaken for its text: a key holds one NUL, at its base's end).
    let mut runs: Vec<&mut [([u8; FIRST], u32)]> =
        keyed.chunk_by_mut(|a, b| a.0 == b.0).filter(|r| r.len() > 1).collect();
    runs.par_iter_mut().for_each(|run| {
        let mut full: Vec<(Vec<u8>, u32)> = run.iter().map(|&(_, i)| (whole(i), i)).collect();
        full.sort_unstable();
        run.iter_mut().zip(full).for_each(|(slot, (_, i))| slot.1 = i);
    });
    let mut place = vec![0u32; keyed.len()];
    for (at, (_, i)) in keyed.into_iter().enumerate() {
        place[i as usize] = at as u32;
    }
    place
}

/// What the title order compares (then the list's order).
fn title_key(a: &Article) -> (String, String) {
    crate::text::sort_key(&a.title)
}

/// What the source order compares: articles without a source last.
fn source_key(a: &Article) -> (String, String) {
    a.source.as_deref().map(crate::text::sort_key).unwrap_or_else(|| ("\u{10ffff}".into(), String::new()))
}

/// The problem of `dropped`, left out for repeating the id of `kept`.
fn duplicate_problem(dropped: &Article, kept: &Article) -> Problem {
    let reason = format!("duplicate of id {} in {}, shown once", dropped.id, display_path(&kept.path));
    Problem { path: dropped.path.clone(), line: None, reason }
}

/// The order of the list: newest first (by day, then time); undated last;
/// ties by case-folded title (given with each article), then id.
fn newest_first((a, folded_a): (&Article, &str), (b, folded_b): (&Article, &str)) -> std::cmp::Ordering {
    use std::cmp::Reverse;
    // `Reverse(None)` sorts after every `Reverse(Some(_))`: undated last.
    // Within a day, by the full timestamp (as an instant); items with only
    // a day after those with a time.
    Reverse(a.date)
        .cmp(&Reverse(b.date))
        .then_with(|| Reverse(a.time.map(|t| t.to_utc())).cmp(&Reverse(b.time.map(|t| t.to_utc()))))
        .then_with(|| folded_a.cmp(folded_b))
        .then_with(|| a.id.cmp(&b.id))
}

/// What [`newest_first`] compares first, as numbers: the day, the instant
/// (seconds, nanoseconds) and the folded title's first 8 bytes, each made
/// to sort as the list does. Never against it: an article whose key is
/// smaller comes first; equal keys are left to [`newest_first`].
type SortKey = (u32, u64, u32, u64);

fn sort_key(a: &Article, folded: &str) -> SortKey {
    use chrono::Datelike;
    // Later days first, undated last: chrono's days lie within ±2^27 of
    // the era, so `2^31 - days` is a positive `u32` short of `u32::MAX`.
    let day = a.date.map_or(u32::MAX, |d| ((1i64 << 31) - i64::from(d.num_days_from_ce())) as u32);
    // Later instants first, none last: seconds with the sign bit flipped
    // sort as unsigned numbers do, and are then turned around.
    let (seconds, nanos) = a.time.map_or((u64::MAX, u32::MAX), |t| {
        (!((t.timestamp() as u64) ^ (1 << 63)), u32::MAX - t.timestamp_subsec_nanos())
    });
    let mut head = [0u8; 8];
    let n = folded.len().min(8);
    head[..n].copy_from_slice(&folded.as_bytes()[..n]);
    (day, seconds, nanos, u64::from_be_bytes(head))
}

/// A hash map for the many short keys of loading (ids, tag spellings):
/// foldhash is several times faster than the standard SipHash on them.
pub(super) type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Files handed to one loading task: enough to outweigh the task's cost,
/// few enough to keep both cores busy to the end.
const BATCH: usize = 256;

/// Hands `items` to the pool in batches of [`BATCH`] as they come (a walk
/// feeds it while it goes), `run` getting each with its number, and
/// returns once every batch is done.
fn in_batches<T: Send>(items: impl Iterator<Item = T> + Send, run: &(dyn Fn(usize, Vec<T>) + Sync)) {
    rayon::scope(|scope| {
        let mut batch = Vec::with_capacity(BATCH);
        let mut number = 0;
        for item in items {
            batch.push(item);
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                scope.spawn(move |_| run(number, full));
                number += 1;
            }
        }
        scope.spawn(move |_| run(number, batch));
    });
}

/// The articles of each of `tags` tags, from each article's tags: a count
/// per tag, then each article placed in its tags' runs in order.
fn postings(tag_ids: &[TagId], tag_starts: &[u32], tags: usize) -> (Vec<u32>, Vec<u32>) {
    let mut starts = vec![0u32; tags + 1];
    for t in tag_ids {
        starts[t.0 as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut tagged = vec![0u32; tag_ids.len()];
    for (article, run) in tag_starts.windows(2).enumerate() {
        for t in &tag_ids[run[0] as usize..run[1] as usize] {
            let at = &mut next[t.0 as usize];
            tagged[*at as usize] = article as u32;
            *at += 1;
        }
    }
    (tagged, starts)
}

/// Removes the items whose place in `marked` is true.
fn remove_marked<T>(items: &mut Vec<T>, marked: &[bool]) {
    let mut at = 0;
    items.retain(|_| {
        at += 1;
        !marked[at - 1]
    });
}

/// Reorders `items` so that position k holds what was at `order[k]`,
/// in place, following each cycle of the permutation.
fn permute<T>(items: &mut [T], order: &[u32]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        let mut k = start;
        while !placed[k] {
            placed[k] = true;
            let from = order[k] as usize;
            if from == start {
                break;
            }
            items.swap(k, from);
            k = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::index::TAG_CHUNK;
    use super::*;

    #[test]
    fn tags_have_places_in_alphabetical_order() {
        let mut tags = TagIndex::default();
        let names = ["Zeitung", "Ärger", "apfel", "Bahn", "ÖPNV", "Ober"];
        let ids: Vec<TagId> = names.iter().map(|n| tags.intern(n, fold(n))).collect();
        let mut by_place = ids.clone();
        by_place.sort_by_key(|&id| tags.name_place(id));
        let sorted: Vec<&str> = by_place.iter().map(|&id| tags.name(id)).collect();
        assert_eq!(sorted, ["apfel", "Ärger", "Bahn", "Ober", "ÖPNV", "Zeitung"]);
        // A tag added later takes its place among them.
        let later = tags.intern("Brücke", fold("Brücke"));
        assert!(tags.name_place(ids[3]) < tags.name_place(later) && tags.name_place(later) < tags.name_place(ids[5]));
    }

    #[test]
    fn the_sort_key_never_goes_against_the_order_of_the_list() {
        use chrono::{NaiveDate, TimeZone};
        let days = [
            None,
            NaiveDate::from_ymd_opt(-3000, 1, 1),
            NaiveDate::from_ymd_opt(1969, 12, 31),
            NaiveDate::from_ymd_opt(2024, 2, 29),
        ];
        let utc = chrono::FixedOffset::east_opt(0).unwrap();
        let plus2 = chrono::FixedOffset::east_opt(7200).unwrap();
        let times = [
            None,
            Some(utc.timestamp_opt(-86_400, 5).unwrap()),
            Some(utc.timestamp_opt(0, 0).unwrap()),
            Some(utc.timestamp_opt(0, 999_999_999).unwrap()),
            Some(plus2.timestamp_opt(1_700_000_000, 0).unwrap()),
            Some(utc.timestamp_opt(1_700_000_000, 0).unwrap()),
        ];
        let titles = ["", "ab", "abcdefgh", "abcdefghi", "abcdefgz", "äb", "zz"];
        let mut all = Vec::new();
        for date in days {
            for time in times {
                for title in titles {
                    let a = Article { title: title.into(), date, time, ..Article::default() };
                    all.push((Article { id: crate::ArticleId::from(title.to_string()), ..a }, fold(title)));
                }
            }
        }
        for (a, fa) in &all {
            for (b, fb) in &all {
                let by_key = sort_key(a, fa).cmp(&sort_key(b, fb));
                if by_key.is_ne() {
                    assert_eq!(by_key, newest_first((a, fa), (b, fb)), "{a:?} {b:?}");
                }
            }
        }
        // It decides most comparisons: different days, instants or title starts.
        let (a, fa) = &all[titles.len() + 1];
        let (b, fb) = &all[titles.len() + 2];
        assert!(sort_key(a, fa) != sort_key(b, fb));
    }

    fn headlines_follow_articles(c: &Collection) {
        assert_eq!(c.headlines.len(), c.articles.len());
        for (a, h) in c.articles.iter().zip(c.headlines.iter()) {
            assert_eq!(h.split('\n').next(), Some(fold(&a.title).as_str()), "{h:?}");
        }
    }

    #[test]
    fn headlines_stay_with_their_articles_through_sorting_retain_and_stand_ins() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("a.txt", "Kiel\n\nÄltere Meldung\n\n[1.2.2019] Lead.\n\nStichwörter: Hafen, KÜSTE\n"),
            ("b.txt", "Bonn\n\nNeuere Meldung\n\n[5.6.2023] Lead.\n"),
            ("c.txt", "Ohne Datum\n\nNur Text.\n"),
        ] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let mut c = Collection::load(&[dir.path().to_path_buf()], &LoadOptions::default());
        let titles: Vec<&str> = c.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["Neuere Meldung", "Ältere Meldung", "Ohne Datum"]);
        headlines_follow_articles(&c);
        assert_eq!(c.headlines.get(1), Some("ältere meldung\nkiel\nhafen\nküste"));
        c.retain(|a| a.title != "Neuere Meldung");
        headlines_follow_articles(&c);
        let gone = Article {
            id: crate::ArticleId("0123abcd".into()),
            title: "Weg".into(),
            missing: true,
            ..Article::default()
        };
        c.add_stand_ins(vec![gone]);
        assert_eq!(c.len(), 3);
        headlines_follow_articles(&c);
    }

    /// The title and source orders, sorted by the first bytes of each key
    /// and then by whole keys where those are alike, are the orders the
    /// whole keys give, ties in the list's order.
    #[test]
    fn orders_by_first_bytes_are_the_orders_of_whole_keys() {
        let long = "Stadtverwaltung beschließt";
        let mut titles: Vec<String> =
            ["", "a", "A", "ab", "Ähre", "Ahre", "Straße", "Strasse", "strasse", "Ölpreis", "Zoo"]
                .iter()
                .map(|t| t.to_string())
                .collect();
        for n in 0..300 {
            // Alike far past the first bytes, some only in case or accents.
            let tail = ["Haushalt", "haushalt", "Haushälter", "Haus", "", "Hauß"][n % 6];
            titles.push(format!("{long} {tail} {}", n % 7));
            titles.push(long[..n % long.len().min(20)].to_string());
        }
        let articles: Vec<Arc<Article>> = titles
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let source = (i % 3 > 0).then(|| ["Zeitung", "zeitung", "Zeitüng"][i % 4 % 3].into());
                Arc::new(Article { title: t.clone(), source, ..Article::default() })
            })
            .collect();
        for key in [&title_key as &(dyn Fn(&Article) -> (String, String) + Sync), &source_key] {
            let mut expected: Vec<u32> = (0..articles.len() as u32).collect();
            expected.sort_by_key(|&i| (key(&articles[i as usize]), i));
            let mut place = vec![0u32; expected.len()];
            expected.iter().enumerate().for_each(|(at, &i)| place[i as usize] = at as u32);
            assert_eq!(places_in_order(&articles, key), place);
        }
    }

    #[test]
    fn the_first_in_walk_order_wins_across_batches() {
        // Batches finish in any order; the walk decides which copy stays.
        let dir = tempfile::tempdir().unwrap();
        let copy = "Doppelt\n\n[1.2.2020] Dieselbe Meldung.\n";
        let copies = [5, BATCH + 3, 2 * BATCH + 40, 2 * BATCH + 41];
        for n in 0..3 * BATCH {
            let text =
                if copies.contains(&n) { copy.to_string() } else { format!("Meldung {n}\n\n[1.2.2020] Text.\n") };
            std::fs::write(dir.path().join(format!("{n:04}.txt")), text).unwrap();
        }
        std::fs::write(dir.path().join("0300.txt"), "\0\0\0").unwrap();
        for _ in 0..3 {
            let c = Collection::load(&[dir.path().to_path_buf()], &LoadOptions::default());
            assert_eq!(c.len(), 3 * BATCH - 4, "one binary file, three copies");
            let kept: Vec<&Arc<Article>> = c.articles.iter().filter(|a| a.title == "Doppelt").collect();
            assert_eq!(kept.len(), 1);
            assert!(kept[0].path.ends_with("0005.txt"), "{:?}", kept[0].path);
            let reported: Vec<String> =
                c.problems.iter().map(|p| p.path.file_name().unwrap().to_string_lossy().into_owned()).collect();
            assert_eq!(reported, ["0259.txt", "0300.txt", "0552.txt", "0553.txt"]);
            assert!(
                c.problems
                    .iter()
                    .filter(|p| p.reason.starts_with("duplicate"))
                    .all(|p| p.reason.ends_with("0005.txt, shown once"))
            );
        }
    }

    /// The tag numbering of one plain pass over the articles.
    fn intern_tags_in_one_pass(articles: &[Arc<Article>]) -> (Vec<String>, Vec<String>, Vec<TagId>, Vec<u32>) {
        let mut index = TagIndex::default();
        let mut folded_tags = Vec::new();
        let (mut tag_ids, mut tag_starts) = (Vec::new(), Vec::new());
        for a in articles {
            tag_starts.push(tag_ids.len() as u32);
            let mut run: Vec<TagId> = a
                .tags
                .iter()
                .map(|t| {
                    let id = index.intern(t, fold(t));
                    if id.0 as usize == folded_tags.len() {
                        folded_tags.push(fold(t));
                    }
                    id
                })
                .collect();
            run.sort_unstable();
            run.dedup();
            tag_ids.extend(run);
        }
        tag_starts.push(tag_ids.len() as u32);
        (index.names, folded_tags, tag_ids, tag_starts)
    }

    #[test]
    fn tags_are_numbered_as_one_pass_would_across_chunks() {
        // Spellings that differ in case, first used in different chunks,
        // repeated within an article; some articles without tags.
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let spellings = ["Köln", "KÖLN", "köln", "Bahn", "BAHN", "Straße", "Ärger", "ärger", "Netz"];
        let articles: Vec<Arc<Article>> = (0..3 * TAG_CHUNK + 17)
            .map(|i| {
                let rare = format!("Tag{}", next(5000));
                let mut tags: Vec<String> =
                    (0..next(6)).map(|_| spellings[next(spellings.len() as u64) as usize].to_string()).collect();
                if i % 3 == 0 {
                    tags.push(rare);
                }
                Arc::new(Article { tags: tags.into_iter().map(Into::into).collect(), ..Article::default() })
            })
            .collect();
        let (index, folded, ids, starts) = intern_tags(&articles, &[]);
        assert_eq!((index.names, folded, ids, starts), intern_tags_in_one_pass(&articles));
    }

    #[test]
    fn permute_places_each_item_where_the_order_says() {
        // Several cycles of different lengths, and a fixed point.
        let order = [3u32, 0, 4, 1, 2, 5, 7, 6];
        let mut items: Vec<char> = "abcdefgh".chars().collect();
        permute(&mut items, &order);
        let expected: Vec<char> = order.iter().map(|&i| "abcdefgh".as_bytes()[i as usize] as char).collect();
        assert_eq!(items, expected);
        assert_eq!(items.iter().collect::<String>(), "daebcfhg");
    }
}
