//! Bringing a loaded collection up to date with the few files that changed
//! under it (what the reader's watch reports), without walking, reading or
//! sorting the rest: the files are read, their articles merged into the
//! sorted list, and the index on disk brought up to date afterwards
//! ([`Saving`]), so that the list does not wait for it.

use super::index::headline;
use super::read::load_file;
use super::walk::{Found, found_at, walk_root};
use super::{
    Changes, Collection, FastMap, Headlines, LoadOptions, Orders, Problem, TagId, duplicate_problem, newest_first,
    source_key, title_key,
};
use crate::article::{Article, ArticleId};
use crate::cache::{self, Opened, Place, Stamp};
use crate::formats::{Content, Format, ItemProblem};
use crate::sanitize::display_path;
use crate::text::fold;
use crate::words::{self, Places, WordWriter};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What is left to do on disk after [`Collection::updated`]: the index's
/// entries of the files read, their words, the front page.
pub struct Saving {
    place: Option<Place>,
    roots: Vec<PathBuf>,
    changed: Vec<PathBuf>,
    /// Each file read, in walk order, with its entry for the index (none
    /// when it could not be stamped) and its state (see [`cache::state`]).
    read: Vec<(PathBuf, Format, Option<Vec<u8>>, u64)>,
    /// Bring the word index up to date as well.
    words: bool,
    max_file_size: u64,
}

/// One file read again.
struct Read {
    path: PathBuf,
    format: Format,
    articles: Vec<Arc<Article>>,
    problems: Vec<ItemProblem>,
    entry: Option<Vec<u8>>,
    state: u64,
}

/// Where an article of the updated list comes from: the collection
/// updated, or the articles placed anew.
enum From {
    Old(usize),
    New(usize),
}

/// What becomes of an article of the collection being updated.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Kept,
    /// Its file changed or is gone.
    Gone,
    /// A stand-in whose article is back.
    Back,
    /// A file read has its id (then `Kept` or `Beaten`).
    Repeated,
    /// A file read earlier in walk order has its id.
    Beaten,
}

impl Collection {
    /// This collection with the files at `changed` (files or folders under
    /// `roots`, added, changed or removed) read again, as a load of `roots`
    /// would give it, and what is left to save (see [`Saving::save`]).
    /// `stand_in` gives the stand-in of a bookmarked article that is gone.
    ///
    /// An id found again is shown once, from the file first in walk
    /// order, as a load shows it. `None` when only a whole load can tell:
    /// a path outside the roots or under two of them, a root gone, only
    /// the front page loaded, or a change to an article that others
    /// repeating its id were left out for (which of them shows takes
    /// every file to know).
    pub fn updated(
        &self,
        roots: &[PathBuf],
        changed: &[PathBuf],
        options: &LoadOptions,
        stand_in: &dyn Fn(&ArticleId) -> Option<Article>,
    ) -> Option<(Collection, Saving)> {
        if self.partial.is_some() {
            return None;
        }
        let changed = settle_paths(roots, changed)?;
        let under = Under::new(&changed);
        let (read, walk_problems) = read_now(roots, &changed, options, self.index_file.is_some());

        // An id repeated: the first in walk order is shown, as in a load.
        // Among the files read (in walk order), the first one's.
        let mut arriving: FastMap<&str, &Arc<Article>> = FastMap::default();
        let mut repeats = Vec::new();
        for a in read.iter().flat_map(|r| &r.articles) {
            match arriving.entry(a.id.0.as_str()) {
                Entry::Vacant(v) => {
                    v.insert(a);
                }
                Entry::Occupied(o) => repeats.push((&a.id, duplicate_problem(a, o.get()))),
            }
        }
        let mut fates: Vec<Fate> = self
            .articles
            .par_iter()
            .map(|a| match (a.missing, arriving.contains_key(a.id.0.as_str())) {
                (true, true) => Fate::Back,
                (true, false) => Fate::Kept,
                (false, _) if under.holds(&a.path) => Fate::Gone,
                (false, true) => Fate::Repeated,
                (false, false) => Fate::Kept,
            })
            .collect();
        // Against an article kept, the one of the file first in walk order.
        let mut turned_away: HashSet<&str> = HashSet::new();
        for (fate, kept) in fates.iter_mut().zip(&self.articles) {
            if *fate == Fate::Gone && self.repeated.contains(&kept.id) {
                // An article it was shown instead of comes back: only
                // reading every file finds it.
                return None;
            }
            if *fate != Fate::Repeated {
                continue;
            }
            let new = arriving[kept.id.0.as_str()];
            if walk_order(roots, &new.path, &kept.path).is_lt() {
                if self.repeated.contains(&kept.id) {
                    // Others name it as the one shown.
                    return None;
                }
                *fate = Fate::Beaten;
                repeats.push((&kept.id, duplicate_problem(kept, new)));
            } else {
                *fate = Fate::Kept;
                turned_away.insert(new.id.0.as_str());
                repeats.push((&new.id, duplicate_problem(new, kept)));
            }
        }
        let arrives = |a: &&Arc<Article>| {
            arriving.get(a.id.0.as_str()).is_some_and(|first| Arc::ptr_eq(first, a))
                && !turned_away.contains(a.id.0.as_str())
        };

        // Articles to place: those read, and stand-ins for bookmarked ones gone.
        let gone = || self.articles.iter().zip(&fates).filter(|(_, f)| **f == Fate::Gone).map(|(a, _)| a);
        let ghosts: Vec<Arc<Article>> = gone()
            .filter(|a| !arriving.contains_key(a.id.0.as_str()))
            .filter_map(|a| stand_in(&a.id).map(Arc::new))
            .collect();
        let mut placing: Vec<(&Arc<Article>, String, bool)> = read
            .iter()
            .flat_map(|r| &r.articles)
            .filter(arrives)
            .map(|a| (a, true))
            .chain(ghosts.iter().map(|a| (a, false)))
            .map(|(a, read)| (a, fold(&a.title), read))
            .collect();
        placing.sort_by(|(a, fa, _), (b, fb, _)| newest_first((a, fa), (b, fb)));
        let places: Vec<usize> = placing
            .iter()
            .map(|(a, folded, _)| {
                self.articles.partition_point(|old| newest_first((old, &fold(&old.title)), (a, folded)).is_lt())
            })
            .collect();

        // The new list: the kept articles in their order, the others
        // where they sort.
        let mut from = Vec::with_capacity(self.articles.len() + placing.len());
        let mut moved = vec![Places::NOWHERE; self.articles.len()];
        let mut next = 0;
        for (i, fate) in fates.iter().enumerate() {
            while next < placing.len() && places[next] == i {
                from.push(From::New(next));
                next += 1;
            }
            if *fate == Fate::Kept {
                moved[i] = from.len() as u32;
                from.push(From::Old(i));
            }
        }
        from.extend((next..placing.len()).map(From::New));
        let articles: Vec<Arc<Article>> = from
            .iter()
            .map(|f| match f {
                From::Old(i) => Arc::clone(&self.articles[*i]),
                From::New(k) => Arc::clone(placing[*k].0),
            })
            .collect();
        let unindexed = if self.words.is_some() {
            let mut at: Vec<u32> =
                self.unindexed.iter().map(|&u| moved[u as usize]).filter(|&u| u != Places::NOWHERE).collect();
            let read_at = from.iter().enumerate().filter(|(_, f)| matches!(f, From::New(k) if placing[*k].2));
            at.extend(read_at.map(|(at, _)| at as u32));
            at.sort_unstable();
            at
        } else {
            Vec::new()
        };

        // Problems in walk order, as a load gives them.
        let problems: Vec<Problem> = self.problems.iter().filter(|p| !under.holds(&p.path)).cloned().collect();
        let file_problems = read.iter().flat_map(|r| {
            r.problems.iter().map(|p| Problem { path: r.path.clone(), line: p.line, reason: p.reason.clone() })
        });
        let walked_to: Vec<PathBuf> = walk_problems.iter().map(|p| p.path.clone()).collect();
        let mut repeated = self.repeated.clone();
        repeated.extend(repeats.iter().map(|(id, _)| (*id).clone()));
        let repeats = repeats.into_iter().map(|(_, p)| p);
        let mut new_problems: Vec<Problem> = walk_problems.into_iter().chain(file_problems).chain(repeats).collect();
        new_problems.sort_by(|a, b| walk_order(roots, &a.path, &b.path));
        let problems = merge_by(problems, new_problems, |kept, new| walk_order(roots, &kept.path, &new.path).is_le());

        // Files, as a load counts them: paths the walk could not read are none.
        let mut before: HashSet<&Path> = gone().map(|a| a.path.as_path()).collect();
        before.extend(self.problems.iter().filter(|p| under.holds(&p.path)).map(|p| p.path.as_path()));
        for p in &walked_to {
            before.remove(p.as_path());
        }
        let now: HashSet<&Path> = read.iter().map(|r| r.path.as_path()).collect();
        let changes = Changes {
            new: now.difference(&before).count(),
            changed: now.intersection(&before).count(),
            removed: before.difference(&now).count(),
            unchanged: self.files_read.saturating_sub(before.len()),
        };

        let mut fresh = Collection {
            articles,
            problems,
            files_read: changes.unchanged + read.len(),
            content: self.content,
            with_headlines: self.with_headlines,
            max_file_size: self.max_file_size,
            changes: Some(changes),
            index_file: self.index_file.clone(),
            words: self.words.clone(),
            unindexed,
            repeated,
            ..Collection::default()
        };
        let missing = self.missing + ghosts.len() - fates.iter().filter(|f| **f == Fate::Back).count();
        if !fresh.tags_after(self, &from, missing) {
            let folded = if fresh.with_headlines { fresh.folded_titles() } else { Vec::new() };
            fresh.index_tags(folded);
        } else if fresh.with_headlines {
            let titles: Vec<&str> = placing.iter().map(|(_, title, _)| title.as_str()).collect();
            fresh.headlines_after(&self.headlines, &from, &titles);
        }
        if let Some(orders) = self.orders.get() {
            let after = |places: &[u32], key: fn(&Article) -> (String, String)| {
                order_after(places, &moved, &from, &fresh.articles, key)
            };
            let orders = Orders { title: after(&orders.title, title_key), source: after(&orders.source, source_key) };
            let _ = fresh.orders.set(orders);
        }
        if let (Some(Ok(places)), true) = (self.word_places.get(), self.words.is_some()) {
            let _ = fresh.word_places.set(Ok(places.moved(fresh.articles.len(), &moved)));
        }

        let place = match (&self.index_file, &options.cache) {
            (Some(_), Some(dir)) if options.content == Content::Metadata => {
                Some(Place::new(dir, roots, options.max_file_size))
            }
            _ => None,
        };
        let saving = Saving {
            words: place.is_some() && options.words && self.words.is_some(),
            place,
            roots: roots.to_vec(),
            changed,
            read: read.into_iter().map(|r| (r.path, r.format, r.entry, r.state)).collect(),
            max_file_size: options.max_file_size,
        };
        Some((fresh, saving))
    }
}

impl Collection {
    /// Tags, dates and the count of stand-ins of this collection, made
    /// from `old`'s with each article where `from` says; as a load would
    /// make them, but for tag ids. False, with nothing done, when a tag is
    /// left without articles (a load would not have it).
    fn tags_after(&mut self, old: &Collection, from: &[From], missing: usize) -> bool {
        let mut tags = old.tags.clone();
        let mut tag_ids = Vec::with_capacity(old.tag_ids.len() + from.len() - old.articles.len().min(from.len()));
        let mut tag_starts = Vec::with_capacity(from.len() + 1);
        let mut run = Vec::new();
        for (f, a) in from.iter().zip(&self.articles) {
            tag_starts.push(tag_ids.len() as u32);
            match f {
                From::Old(i) => tag_ids.extend_from_slice(old.tags_of(*i)),
                From::New(_) => {
                    run.clear();
                    run.extend(a.tags.iter().map(|t| tags.intern(t, fold(t))));
                    run.sort_unstable();
                    run.dedup();
                    tag_ids.extend_from_slice(&run);
                }
            }
        }
        tag_starts.push(tag_ids.len() as u32);
        let (tagged, tagged_starts) = super::postings(&tag_ids, &tag_starts, tags.len());
        if tagged_starts.windows(2).any(|w| w[0] == w[1]) {
            return false;
        }
        // A tag is spelt as its first article spells it: when that is
        // another article now, as that one does.
        for id in (0..tags.len() as u32).map(TagId) {
            let first = tagged[tagged_starts[id.0 as usize] as usize] as usize;
            let was_first = old.articles_with(id).first().map(|&i| i as usize);
            if !matches!(from[first], From::Old(i) if Some(i) == was_first)
                && let Some(name) = self.articles[first].tags.iter().find(|t| tags.find(t) == Some(id))
            {
                tags.rename(id, name);
            }
        }
        self.dates = from
            .iter()
            .zip(&self.articles)
            .map(|(f, a)| match f {
                From::Old(i) => old.dates[*i],
                From::New(_) => a.date,
            })
            .collect();
        (self.tag_ids, self.tag_starts, self.tagged, self.tagged_starts) = (tag_ids, tag_starts, tagged, tagged_starts);
        self.tags = tags;
        self.missing = missing;
        true
    }
}

impl Collection {
    /// The headlines of this collection, made from `old`, those of the
    /// list it was made from, with each article where `from` says: runs of
    /// old ones copied, the new ones made (from `titles`, their folded
    /// titles). As a load would make them, but for the order of the tags
    /// (by tag id).
    fn headlines_after(&mut self, old: &Headlines, from: &[From], titles: &[&str]) {
        let mut headlines = Headlines::with_room(old, from.len());
        let mut at = 0;
        while at < from.len() {
            match from[at] {
                From::Old(first) => {
                    let n = from[at..]
                        .iter()
                        .enumerate()
                        .take_while(|(k, f)| matches!(f, From::Old(i) if *i == first + k))
                        .count();
                    headlines.extend_from(old, first..first + n);
                    at += n;
                }
                From::New(k) => {
                    let folded_tags: Vec<String> = self.tags_of(at).iter().map(|&t| fold(self.tags.name(t))).collect();
                    let kicker = self.articles[at].kicker.as_deref().map(fold);
                    headlines.push(&headline(titles[k], kicker.as_deref(), folded_tags.iter().map(String::as_str)));
                    at += 1;
                }
            }
        }
        self.headlines = headlines;
    }
}

/// What a look at every file against the index on disk found (see
/// [`Collection::changed_files`]).
#[derive(Debug, PartialEq, Eq)]
pub enum Checked {
    /// Every file is as the index has it.
    Unchanged,
    /// The files (or paths the walk could not read) added, changed or
    /// removed since: few enough to read on their own.
    Paths(Vec<PathBuf>),
    /// Too many changes, or no index to compare with: only a whole load
    /// will do. (A word index missing or out of date is made on its own:
    /// see [`Collection::build_words`].)
    Whole,
}

/// More changed files than a tenth of the index (and than this): a whole
/// load is about as quick as reading them one by one.
const FEW_CHANGED: usize = 4096;

impl Collection {
    /// Looks at every file under `paths` (its size, time and inode, without
    /// reading it) against the index on disk, and says which changed, so
    /// that a collection loaded from the index can be brought up to date
    /// with [`Collection::updated`].
    pub fn changed_files(paths: &[PathBuf], options: &LoadOptions) -> Checked {
        let Some(dir) = options.cache.as_ref().filter(|_| options.content == Content::Metadata) else {
            return Checked::Whole;
        };
        let place = Place::new(dir, paths, options.max_file_size);
        let Opened::Good(index) = place.open_heads() else { return Checked::Whole };
        use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
        let seen: Vec<AtomicBool> = (0..index.len()).map(|_| Default::default()).collect();
        let found = std::sync::Mutex::new(Vec::new());
        let changed_in = |run: &[super::walk::Looked]| {
            let mut changed = Vec::new();
            for (file, found) in super::walk::in_index(&index, run) {
                if let Some((at, _)) = found {
                    seen[at].store(true, Relaxed);
                }
                if !found.is_some_and(|(_, slot)| slot.holds(file.format, file.stamp)) {
                    changed.push(file.path.clone());
                }
            }
            if !changed.is_empty() {
                found.lock().unwrap_or_else(|e| e.into_inner()).extend(changed);
            }
            Ok(())
        };
        // When the tree is walked after all, only the walk's answer counts
        // (what the look marked seen, the walk sees too).
        let again = || found.lock().unwrap_or_else(|e| e.into_inner()).clear();
        let _ = super::walk::stamped(paths, &again, &changed_in);
        let mut changed = found.into_inner().unwrap_or_else(|e| e.into_inner());
        let gone = index.files().zip(&seen).filter(|(_, s)| !s.load(Relaxed));
        changed.extend(gone.map(|((p, _), _)| p.to_path_buf()));
        match changed.len() {
            0 => Checked::Unchanged,
            n if n > (index.len() / 10).max(FEW_CHANGED) => Checked::Whole,
            _ => Checked::Paths(changed),
        }
    }
}

impl Saving {
    /// Brings the index on disk, the word index and the front page up to
    /// date with `collection` (made with this), and says what went wrong.
    /// An index on disk that cannot be used is left to the next load,
    /// which rebuilds it.
    pub fn save(self, collection: &Collection) -> Vec<String> {
        let Some(place) = &self.place else { return Vec::new() };
        let under = Under::new(&self.changed);
        let path_of = |bytes: &[u8]| PathBuf::from(cache::path_from_bytes(bytes.to_vec()));
        // The index on disk is read as the new one is written (under its
        // lock): its entries for the paths changed are left out, and each
        // file read goes where the walk finds it. Not a million entries in
        // memory.
        let (mut gone, mut old_stamp) = (Vec::new(), None);
        let mut body = |out: &mut dyn std::io::Write| -> std::io::Result<()> {
            let mut entries = place.entries().ok_or_else(|| std::io::Error::other("the index is gone"))?;
            old_stamp = Some(entries.stamp());
            let mut read =
                self.read.iter().filter_map(|(path, _, entry, _)| Some((path, entry.as_deref()?))).peekable();
            while let Some(entry) = entries.next_entry().map_err(std::io::Error::other)? {
                if under.holds_bytes(entry.path) {
                    gone.push(path_of(entry.path));
                    continue;
                }
                if read.peek().is_some() {
                    // Compared where it lies, not copied: a million times a pass.
                    let kept = cache::path_in(entry.path);
                    while let Some((_, new)) = read.next_if(|(path, _)| walk_order(&self.roots, kept, path).is_ge()) {
                        out.write_all(new)?;
                    }
                }
                out.write_all(entry.raw)?;
            }
            read.try_for_each(|(_, new)| out.write_all(new))?;
            entries.finish().map_err(std::io::Error::other)
        };
        let stamp = match place.write_with(&mut body) {
            Ok(Some(stamp)) => stamp,
            // Another blatt is writing it.
            Ok(None) => return Vec::new(),
            Err(why) => return vec![format!("index not saved: {why}")],
        };
        let old_stamp = old_stamp.unwrap_or_default();
        let mut notes = Vec::new();
        if self.words {
            let dir = words::folder_of(place.path());
            match WordWriter::open_current(&dir, &old_stamp) {
                Ok(Some(writer)) => {
                    gone.iter().for_each(|p| writer.remove_file(p));
                    let full =
                        LoadOptions { content: Content::Full, max_file_size: self.max_file_size, ..Default::default() };
                    for (path, format, _, state) in &self.read {
                        writer.remove_file(path);
                        if let Err(e) = writer.add_file(path, *state, &load_file(path, *format, &full).articles) {
                            notes.push(format!("word index: {}: {e}", display_path(path)));
                        }
                    }
                    if let Err(e) = writer.commit(&stamp) {
                        notes.push(format!("word index not saved: {e}"));
                    }
                }
                // It was not this index's: the next load builds it again
                // (this does not empty it first, as opening it to build did).
                Ok(None) => {}
                Err(why) => notes.push(format!("word index {}: {why}", display_path(&dir))),
            }
        }
        if let Err(e) = collection.write_front_page(place, &stamp) {
            notes.push(e);
        }
        notes
    }
}

/// The paths to read again: each under exactly one root, with a newsboat
/// cache for its side files, no trailing separator, sorted. `None` when
/// one is outside the roots or under two, or is a root that is gone.
fn settle_paths(roots: &[PathBuf], changed: &[PathBuf]) -> Option<Vec<PathBuf>> {
    let mut paths = Vec::with_capacity(changed.len());
    for p in changed {
        // `a/b/` and `a/b` are one path; components drop the separator.
        let p: PathBuf = p.components().collect();
        if roots.iter().filter(|r| p.starts_with(r)).count() != 1 || (roots.contains(&p) && !p.exists()) {
            return None;
        }
        // A newsboat cache changes through its feeds' tags too.
        if p.file_name().is_some_and(|n| n == "urls") {
            paths.push(p.with_file_name("cache.db"));
        }
        paths.push(p);
    }
    paths.sort();
    paths.dedup();
    Some(paths)
}

/// Reads the files at or under `changed` as they are now, as the walk
/// would find them, in walk order; with their entries for the index when
/// `stamping`. Gives the walk's problems too.
fn read_now(
    roots: &[PathBuf],
    changed: &[PathBuf],
    options: &LoadOptions,
    stamping: bool,
) -> (Vec<Read>, Vec<Problem>) {
    let mut found = Vec::new();
    for p in changed {
        let Ok(meta) = std::fs::metadata(p) else { continue };
        if meta.is_dir() || roots.contains(p) {
            found.extend(walk_root(p));
        } else {
            found.extend(found_at(p.clone(), meta.is_file()));
        }
    }
    let (mut files, mut problems) = (Vec::new(), Vec::new());
    for f in found {
        match f {
            Found::File(path, format) => files.push((path, format)),
            Found::Problem(p) => problems.push(p),
        }
    }
    files.sort_by(|(a, _), (b, _)| walk_order(roots, a, b));
    files.dedup_by(|(a, _), (b, _)| a == b);
    let read = files
        .into_par_iter()
        .map(|(path, format)| {
            let stamp = if stamping { Stamp::of(&path, format) } else { None };
            let parsed = load_file(&path, format, options);
            let entry = stamp.map(|stamp| {
                let mut entry = Vec::new();
                cache::encode(&mut entry, &path, format, stamp, &parsed);
                entry
            });
            let articles = parsed.articles.into_iter().map(|a| Arc::new(Article { path: path.clone(), ..a })).collect();
            let state = cache::state(format, stamp);
            Read { path, format, articles, problems: parsed.problems, entry, state }
        })
        .collect();
    (read, problems)
}

/// Each article's place in an order of the list `from` makes (see
/// [`Orders`]), from its old `places`: the kept articles keep their order,
/// and those placed anew go where their `key` (then their position)
/// puts them.
fn order_after(
    places: &[u32],
    moved: &[u32],
    from: &[From],
    list: &[Arc<Article>],
    key: fn(&Article) -> (String, String),
) -> Vec<u32> {
    let mut by_place = vec![0u32; places.len()];
    for (i, &p) in places.iter().enumerate() {
        by_place[p as usize] = i as u32;
    }
    let kept: Vec<u32> = by_place.iter().map(|&i| moved[i as usize]).filter(|&m| m != Places::NOWHERE).collect();
    let mut new: Vec<((String, String), u32)> = from
        .iter()
        .enumerate()
        .filter(|(_, f)| matches!(f, From::New(_)))
        .map(|(at, _)| (key(&list[at]), at as u32))
        .collect();
    new.sort_unstable();
    let mut order = Vec::with_capacity(list.len());
    let mut done = 0;
    for (k, at) in &new {
        let before = kept[done..].partition_point(|&pos| (key(&list[pos as usize]), pos) < (k.clone(), *at));
        order.extend_from_slice(&kept[done..done + before]);
        order.push(*at);
        done += before;
    }
    order.extend_from_slice(&kept[done..]);
    let mut after = vec![0u32; list.len()];
    for (place, &pos) in order.iter().enumerate() {
        after[pos as usize] = place as u32;
    }
    after
}

/// `old` and `new`, each in order, merged: an item of `old` goes first
/// while `first(old, new)` says so.
fn merge_by<T>(old: Vec<T>, new: Vec<T>, first: impl Fn(&T, &T) -> bool) -> Vec<T> {
    let mut out = Vec::with_capacity(old.len() + new.len());
    let mut old = old.into_iter().peekable();
    for n in new {
        while let Some(o) = old.next_if(|o| first(o, &n)) {
            out.push(o);
        }
        out.push(n);
    }
    out.extend(old);
    out
}

/// The order of the walk: by root as given, then by path, one component
/// after another (siblings by name, a folder's files after it).
fn walk_order(roots: &[PathBuf], a: &Path, b: &Path) -> Ordering {
    let root = |p: &Path| roots.iter().position(|r| p.starts_with(r));
    root(a).cmp(&root(b)).then_with(|| a.cmp(b))
}

/// A set of paths, each standing for itself and all below it.
struct Under<'a> {
    paths: Vec<&'a [u8]>,
    /// For many paths, a set to look each of a path's folders up in.
    set: Option<HashSet<&'a [u8]>>,
}

impl<'a> Under<'a> {
    fn new(paths: &'a [PathBuf]) -> Under<'a> {
        let paths: Vec<&[u8]> = paths.iter().map(|p| p.as_os_str().as_encoded_bytes()).collect();
        let set = (paths.len() > 8).then(|| paths.iter().copied().collect());
        Under { paths, set }
    }

    /// Is `path` one of the paths or below one?
    fn holds(&self, path: &Path) -> bool {
        self.holds_bytes(path.as_os_str().as_encoded_bytes())
    }

    /// [`Under::holds`] for a path as `as_encoded_bytes` gives it.
    fn holds_bytes(&self, bytes: &[u8]) -> bool {
        let separator = |b: u8| std::path::is_separator(b as char);
        let below = |p: &[u8]| {
            bytes.starts_with(p)
                && (bytes.len() == p.len() || separator(bytes[p.len()]) || p.last().is_some_and(|&b| separator(b)))
        };
        match &self.set {
            None => self.paths.iter().any(|p| below(p)),
            Some(set) => {
                set.contains(bytes)
                    || bytes
                        .iter()
                        .enumerate()
                        .any(|(i, &b)| separator(b) && (set.contains(&bytes[..i]) || set.contains(&bytes[..=i])))
            }
        }
    }
}
