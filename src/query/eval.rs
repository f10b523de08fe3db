//! Evaluating a [`Query`] against the articles of a [`Collection`].

use super::{Flag, Query, Term};
use crate::article::Article;
use crate::collection::{Collection, TagId};
use crate::formats::Content;
use crate::text::Needle;
use crate::words::{Stemmers, Word};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

pub use crate::article::{Flags, NoFlags};

/// A term made ready for fast matching: tags resolved to ids, text folded.
enum Compiled {
    AnyTag(Vec<TagId>),
    NoTag(Vec<TagId>),
    Date(NaiveDate, NaiveDate),
    Source(Needle),
    Kicker(Needle),
    Is(Flag),
    Text(Needle, Word),
}

/// Where words are looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextScope {
    /// Title, kicker and tags only: fast enough for every keystroke.
    Headlines,
    /// Also the lead and the body.
    Everything,
}

/// A query compiled against one collection's tag index.
struct Matcher {
    terms: Vec<Compiled>,
    /// Stand-ins for missing bookmarked articles match only `is:bookmarked` queries.
    wants_bookmarks: bool,
    stemmers: Stemmers,
}

impl Matcher {
    fn new(query: &Query, collection: &Collection) -> Matcher {
        let stemmers = Stemmers::default();
        let ids = |tags: &[String]| tags.iter().filter_map(|t| collection.tags.find(t)).collect();
        let terms = query
            .terms
            .iter()
            .map(|t| match t {
                Term::HasTag(tags) => Compiled::AnyTag(ids(tags)),
                Term::LacksTag(tags) => Compiled::NoTag(ids(tags)),
                Term::Date(r) => Compiled::Date(
                    r.from.and_then(|d| d.first_day()).unwrap_or(NaiveDate::MIN),
                    r.to.and_then(|d| d.last_day()).unwrap_or(NaiveDate::MAX),
                ),
                Term::Source(s) => Compiled::Source(Needle::new(s)),
                Term::Kicker(s) => Compiled::Kicker(Needle::new(s)),
                Term::Is(f) => Compiled::Is(*f),
                Term::Text(s) => Compiled::Text(Needle::new(s), Word::new(s, &stemmers)),
            })
            .collect();
        // Cheap terms first, so full-text terms run on fewer articles.
        let mut terms: Vec<Compiled> = terms;
        terms.sort_by_key(|t| matches!(t, Compiled::Text(..)));
        let wants_bookmarks = terms.iter().any(|t| matches!(t, Compiled::Is(Flag::Bookmarked)));
        Matcher { terms, wants_bookmarks, stemmers }
    }

    /// Does article `index` of `collection` match, looking for words as `words` says?
    fn matches_in(&self, collection: &Collection, index: usize, flags: &dyn Flags, words: Words) -> bool {
        let article = &collection.articles[index];
        if collection.missing > 0 && article.missing && !self.wants_bookmarks {
            return false;
        }
        let tags = collection.tags_of(index);
        self.terms.iter().all(|term| match term {
            Compiled::AnyTag(want) => want.iter().any(|t| tags.binary_search(t).is_ok()),
            Compiled::NoTag(unwanted) => !unwanted.iter().any(|t| tags.binary_search(t).is_ok()),
            Compiled::Date(from, to) => collection.dates[index].is_some_and(|d| *from <= d && d <= *to),
            Compiled::Source(s) => article.source.as_deref().is_some_and(|x| s.found_in(x)),
            Compiled::Kicker(s) => article.kicker.as_deref().is_some_and(|x| s.found_in(x)),
            Compiled::Is(Flag::Bookmarked) => flags.is_bookmarked(&article.id),
            Compiled::Is(Flag::Read) => flags.is_read(&article.id),
            Compiled::Is(Flag::Unread) => !flags.is_read(&article.id),
            Compiled::Text(word, stemmed) => match words {
                Words::Unchecked => true,
                _ if collection.headlines.get(index).is_some_and(|h| h.contains(word.folded())) => true,
                Words::InHeadline => false,
                Words::AlsoIn(full) => {
                    text_matches(full, word)
                        || (!collection.has_headlines() && headline_matches(full, word))
                        || stemmed.stem_in(full, &self.stemmers)
                }
            },
        })
    }
}

/// The items of ascending `a` that are in ascending `b` (`keep` true) or
/// that are not (`keep` false), walking both once. Without a branch on
/// which list is ahead: tags are spread at random over the articles, so
/// such a branch is guessed wrong about every other step.
fn merge(a: &[u32], b: &[u32], keep: bool) -> Vec<u32> {
    let mut out = vec![0u32; if keep { a.len().min(b.len()) + 1 } else { a.len() + 1 }];
    let (mut i, mut j, mut k) = (0, 0, 0);
    while i < a.len() && j < b.len() && k < out.len() {
        let (x, y) = (a[i], b[j]);
        out[k] = x;
        k += usize::from(if keep { x == y } else { x < y });
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    out.truncate(k);
    if !keep {
        out.extend_from_slice(&a[i..]);
    }
    out
}

/// The numbers below `end` that strictly ascending `items` (all below
/// `end`) leaves out, ascending: `capacity` is how many there are.
pub(super) fn gaps<T>(items: &[T], end: T, capacity: usize) -> Vec<T>
where
    T: Copy + std::ops::Add<Output = T> + From<u8>,
    std::ops::Range<T>: Iterator<Item = T>,
{
    let mut out = Vec::with_capacity(capacity);
    let mut next = T::from(0);
    for &item in items {
        out.extend(next..item);
        next = item + T::from(1);
    }
    out.extend(next..end);
    out
}

/// The items of ascending `a` and ascending `b`, ascending, each once.
fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// Where a [`Matcher`] looks for the query's words.
#[derive(Clone, Copy)]
enum Words<'a> {
    /// Title, kicker and tags.
    InHeadline,
    /// Those, and the lead and body of this article (the one tested, with its text).
    AlsoIn(&'a Article),
    /// Nowhere: every other term must hold.
    Unchecked,
}

/// A word in the lead or the body.
fn text_matches(a: &Article, word: &Needle) -> bool {
    a.details.lead.as_deref().is_some_and(|l| word.found_in(l)) || a.details.body.iter().any(|p| word.found_in(&p.text))
}

/// A word in the title, kicker or tags, as a headline is searched (for
/// collections loaded without headlines).
fn headline_matches(a: &Article, word: &Needle) -> bool {
    let mut fields =
        [Some(a.title.as_str()), a.kicker.as_deref()].into_iter().flatten().chain(a.tags.iter().map(AsRef::as_ref));
    fields.any(|f| crate::text::fold(f).contains(word.folded()))
}

/// Which tag counts an [`Evaluation`] gives besides the matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counts {
    /// None: only the matches are wanted.
    None,
    /// How many of the matches carry each tag (`blatt tags`).
    Plain,
    /// Faceted counts for the tag pane: a tag the query names is counted
    /// with its own condition lifted (see [`super::facets`]).
    Faceted,
}

/// How to evaluate a query: the one entry point for every caller (the
/// command line, the reader at once, the background search, the views).
#[derive(Clone, Copy)]
pub struct Evaluation<'a> {
    flags: &'a dyn Flags,
    scope: TextScope,
    counts: Counts,
    stop: &'a (dyn Fn() -> bool + Sync),
    early: &'a (dyn Fn(&[usize]) + Sync),
}

/// What an evaluation found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Collection indices of the matching articles, in collection order.
    pub matches: Vec<usize>,
    /// Tag counts by [`TagId`] as [`Counts`] asked; empty for `Counts::None`.
    pub counts: Vec<usize>,
}

impl<'a> Evaluation<'a> {
    /// Words looked for everywhere, no counts, never stopped.
    pub fn new(flags: &'a dyn Flags) -> Evaluation<'a> {
        Evaluation { flags, scope: TextScope::Everything, counts: Counts::None, stop: &|| false, early: &|_| {} }
    }

    /// Look for words only within `scope`.
    pub fn scope(self, scope: TextScope) -> Self {
        Evaluation { scope, ..self }
    }

    /// Also count tags.
    pub fn counts(self, counts: Counts) -> Self {
        Evaluation { counts, ..self }
    }

    /// Give up (and answer `None`) as soon as `stop` says so: a search the
    /// user has already typed past is not finished.
    pub fn until(self, stop: &'a (dyn Fn() -> bool + Sync)) -> Self {
        Evaluation { stop, ..self }
    }

    /// While files are read for words, give `early` the first of the
    /// matches as they become certain: every match before the last one
    /// given, in collection order (newest first), and no other — the top of
    /// the final list, long before the last file is read.
    pub fn early(self, early: &'a (dyn Fn(&[usize]) + Sync)) -> Self {
        Evaluation { early, ..self }
    }

    /// Evaluates `query` against `collection`.
    pub fn run(&self, collection: &Collection, query: &Query) -> Option<Outcome> {
        let matches = self.matches(collection, query)?;
        // The counts' own queries give no early matches.
        let quiet = Evaluation { early: &|_| {}, ..*self };
        let counts = match self.counts {
            Counts::None => Vec::new(),
            Counts::Plain => super::facets::count_tags(collection, &matches),
            Counts::Faceted => {
                super::facets::faceted(collection, query, &matches, &|rest| quiet.matches(collection, rest))?
            }
        };
        Some(Outcome { matches, counts })
    }

    /// The matches alone; `None` when stopped.
    fn matches(&self, collection: &Collection, query: &Query) -> Option<Vec<usize>> {
        if query.is_empty() && collection.missing == 0 {
            return Some((0..collection.len()).collect());
        }
        let matcher = Matcher::new(query, collection);
        if collection.missing == 0
            && !(self.stop)()
            && let Some(found) = matcher.by_tags_alone(collection)
        {
            return Some(found.iter().map(|&i| i as usize).collect());
        }
        let candidates = matcher.candidates(collection);
        let everywhere = self.scope == TextScope::Everything && query.has_text_terms();
        if everywhere && collection.content == Content::Metadata {
            if collection.words.is_some()
                && let Some(found) = self.by_word_index(collection, &matcher, candidates.as_deref())
            {
                return found;
            }
            return self.matches_in_files(collection, &matcher, candidates, &[]);
        }
        let keep = |&i: &usize| {
            let words = if everywhere { Words::AlsoIn(&collection.articles[i]) } else { Words::InHeadline };
            !(self.stop)() && matcher.matches_in(collection, i, self.flags, words)
        };
        // Tags, dates, keys and flags take a few nanoseconds an article: one
        // thread is faster than waking the pool. Words in bodies need the cores.
        let found: Vec<usize> = match (everywhere, candidates) {
            (true, None) => (0..collection.len()).into_par_iter().filter(keep).collect(),
            (true, Some(c)) => c.par_iter().map(|&i| i as usize).filter(keep).collect(),
            (false, None) => (0..collection.len()).filter(keep).collect(),
            (false, Some(c)) => c.iter().map(|&i| i as usize).filter(keep).collect(),
        };
        if (self.stop)() { None } else { Some(found) }
    }
}

impl Matcher {
    /// The matches of a query made only of tag terms, by merging the tags'
    /// sorted article lists (`+a` intersects, `-a` takes away): no article
    /// is looked at. `None` for other queries.
    fn by_tags_alone<'c>(&self, collection: &'c Collection) -> Option<Cow<'c, [u32]>> {
        let mut current: Option<Cow<'c, [u32]>> = None;
        for term in &self.terms {
            current = Some(match (term, current) {
                (Compiled::AnyTag(tags), None) => with_any_of(collection, tags),
                (Compiled::AnyTag(tags), Some(cur)) => Cow::Owned(merge(&cur, &with_any_of(collection, tags), true)),
                (Compiled::NoTag(tags), Some(cur)) => Cow::Owned(merge(&cur, &with_any_of(collection, tags), false)),
                (Compiled::NoTag(tags), None) => {
                    let left_out = with_any_of(collection, tags);
                    Cow::Owned(gaps(&left_out, collection.len() as u32, collection.len() - left_out.len()))
                }
                _ => return None,
            });
        }
        current
    }

    /// The only articles that can match, ascending, when the query asks for
    /// a tag: those of its narrowest `+a|b` term. `None`: any article can.
    fn candidates(&self, collection: &Collection) -> Option<Vec<u32>> {
        let term = self
            .terms
            .iter()
            .filter_map(|t| match t {
                Compiled::AnyTag(tags) => Some(tags),
                _ => None,
            })
            .min_by_key(|tags| tags.iter().map(|&t| collection.articles_with(t).len()).sum::<usize>())?;
        Some(with_any_of(collection, term).into_owned())
    }
}

/// The articles with at least one of `tags`, ascending: one tag's own list
/// (not copied), or the lists of several merged.
pub(super) fn with_any_of<'c>(collection: &'c Collection, tags: &[TagId]) -> Cow<'c, [u32]> {
    if let [one] = tags {
        return Cow::Borrowed(collection.articles_with(*one));
    }
    let mut all: Vec<u32> = tags.iter().flat_map(|&t| collection.articles_with(t).iter().copied()).collect();
    all.sort_unstable();
    all.dedup();
    Cow::Owned(all)
}

/// The matches of `query`, ascending, when it is made of tag terms alone
/// (see [`Matcher::by_tags_alone`]) and no stand-ins for missing articles
/// are listed; `None` otherwise.
pub(super) fn by_tags_alone<'c>(collection: &'c Collection, query: &Query) -> Option<Cow<'c, [u32]>> {
    let tags_alone = query.terms.iter().all(|t| matches!(t, Term::HasTag(_) | Term::LacksTag(_)));
    if collection.missing > 0 || !tags_alone {
        return None;
    }
    Matcher::new(query, collection).by_tags_alone(collection)
}

impl Evaluation<'_> {
    /// The matches found through the word index: the articles it says hold
    /// every word are tested for the other terms; those it is unsure of
    /// (words of signs or spaces, very long words) are read. `None` when
    /// the word index cannot be read (the files are then read instead).
    fn by_word_index(
        &self,
        collection: &Collection,
        matcher: &Matcher,
        candidates: Option<&[u32]>,
    ) -> Option<Option<Vec<usize>>> {
        let mut possible: Option<Vec<u32>> = candidates.map(<[u32]>::to_vec);
        let mut unsure: Vec<u32> = Vec::new();
        for term in &matcher.terms {
            let Compiled::Text(_, word) = term else { continue };
            if matches!(word, Word::Text { tokens } if tokens.is_empty()) {
                // Signs alone (`--`): no word of the index narrows them.
                return None;
            }
            let found = collection.find_word(word, &matcher.stemmers)?.ok()?;
            unsure = union(&unsure, &found.maybe);
            let either = union(&found.sure, &found.maybe);
            possible = Some(match possible {
                None => either,
                Some(p) => merge(&p, &either, true),
            });
            if (self.stop)() {
                return Some(None);
            }
        }
        let possible = possible?;
        let to_read = merge(&possible, &unsure, true);
        let known = merge(&possible, &unsure, false);
        let found: Vec<usize> = known
            .into_iter()
            .map(|i| i as usize)
            .filter(|&i| matcher.matches_in(collection, i, self.flags, Words::Unchecked))
            .collect();
        if !to_read.is_empty() {
            return Some(self.matches_in_files(collection, matcher, Some(to_read), &found));
        }
        Some(Some(found))
    }

    /// The matches in a collection loaded without the text: articles whose
    /// words are all in their headline match at once; those whose other
    /// terms hold are looked for in their files, a file at a time on every
    /// core, each file read once however many of its articles are asked about.
    /// `known` are matches found otherwise (ascending), given back with them.
    ///
    /// Early answers: the first [`FIRST_ROUND`] articles asked about are
    /// looked at first, on their own (a file holding later ones as well is
    /// then read twice); the rest are grouped by file and read in rounds that
    /// double in size, files in the order of their first article asked about.
    /// After each round, the matches before the first article not yet looked
    /// at are certain and go to `early`.
    fn matches_in_files(
        &self,
        collection: &Collection,
        matcher: &Matcher,
        candidates: Option<Vec<u32>>,
        known: &[usize],
    ) -> Option<Vec<usize>> {
        let all: Vec<usize> = match candidates {
            Some(c) => c.into_iter().map(|i| i as usize).collect(),
            None => (0..collection.len()).collect(),
        };
        let mut found = known.to_vec();
        found.sort_unstable();
        let (first, rest) = all.split_at(all.len().min(FIRST_ROUND));
        let certain_below = |found: &[usize], next: Option<usize>| {
            if let Some(next) = next {
                let certain = found.partition_point(|&i| i < next);
                if certain > 0 {
                    (self.early)(&found[..certain]);
                }
            }
        };
        let files = self.by_file(collection, matcher, first, &mut found)?;
        found.extend(self.read_files(collection, matcher, &files)?);
        found.sort_unstable();
        certain_below(&found, rest.first().copied());
        let files = self.by_file(collection, matcher, rest, &mut found)?;
        found.sort_unstable();
        let (mut done, mut round) = (0, FIRST_ROUND);
        while done < files.len() {
            let end = (done + round).min(files.len());
            let more = self.read_files(collection, matcher, &files[done..end])?;
            found.extend(more);
            found.sort_unstable();
            (done, round) = (end, round * 2);
            // Files are in the order of their first article asked about.
            certain_below(&found, files.get(done).map(|(_, asked)| asked[0]));
        }
        Some(found)
    }

    /// Sorts `asked` into the matches known from their headlines (added to
    /// `found`), those to look for in their files (grouped by file, in the
    /// order of each file's first one), and the rest; `None` when stopped.
    fn by_file<'c>(
        &self,
        collection: &'c Collection,
        matcher: &Matcher,
        asked: &[usize],
        found: &mut Vec<usize>,
    ) -> Option<Vec<(&'c Path, Vec<usize>)>> {
        let mut files: Vec<(&Path, Vec<usize>)> = Vec::new();
        let mut file_at: HashMap<&[u8], usize, foldhash::fast::RandomState> = HashMap::default();
        for (n, &i) in asked.iter().enumerate() {
            if n % 4096 == 0 && (self.stop)() {
                return None;
            }
            if matcher.matches_in(collection, i, self.flags, Words::InHeadline) {
                found.push(i);
            } else if matcher.matches_in(collection, i, self.flags, Words::Unchecked) {
                let path = collection.articles[i].path.as_path();
                let at = *file_at.entry(path.as_os_str().as_encoded_bytes()).or_insert_with(|| {
                    files.push((path, Vec::new()));
                    files.len() - 1
                });
                files[at].1.push(i);
            }
        }
        Some(files)
    }

    /// Reads `files` on every core, and gives the articles asked about in
    /// each that match with their text; `None` when stopped.
    fn read_files(
        &self,
        collection: &Collection,
        matcher: &Matcher,
        files: &[(&Path, Vec<usize>)],
    ) -> Option<Vec<usize>> {
        let read = |(path, asked): &(&Path, Vec<usize>)| {
            let full = if (self.stop)() { Vec::new() } else { collection.read_file(path).unwrap_or_default() };
            let by_id: HashMap<&str, &Article> = full.iter().rev().map(|a| (a.id.0.as_str(), a)).collect();
            asked
                .iter()
                .copied()
                .filter(|&i| {
                    by_id
                        .get(collection.articles[i].id.0.as_str())
                        .is_some_and(|full| matcher.matches_in(collection, i, self.flags, Words::AlsoIn(full)))
                })
                .collect::<Vec<_>>()
        };
        let more: Vec<usize> = files.par_iter().flat_map_iter(read).collect();
        if (self.stop)() { None } else { Some(more) }
    }
}

/// The articles looked at first by [`Evaluation::matches_in_files`], and
/// the files read in its first round: about a screen of matches when most
/// articles asked about match.
const FIRST_ROUND: usize = 64;

/// The indices of all matching articles, in collection order: the short
/// form of `Evaluation::new(flags).run(..)` for callers that want only these.
pub fn filter(collection: &Collection, query: &Query, flags: &dyn Flags) -> Vec<usize> {
    Evaluation::new(flags).run(collection, query).map(|o| o.matches).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{gaps, merge};
    use std::collections::BTreeSet;

    /// Ascending lists below 200 of several densities, with their ends.
    fn lists() -> Vec<Vec<u32>> {
        let mut seed = 7u32;
        let mut next = move || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            seed >> 16
        };
        let mut all: Vec<Vec<u32>> =
            [0, 1, 2, 5, 9].iter().map(|&d| (0..200).filter(|_| next() % 10 < d).collect()).collect();
        all.extend([vec![], vec![0], vec![199], (0..200).collect()]);
        all
    }

    #[test]
    fn merges_and_gaps_give_what_sets_give() {
        for a in lists() {
            let set_a: BTreeSet<u32> = a.iter().copied().collect();
            let left: Vec<u32> = (0..200).filter(|i| !set_a.contains(i)).collect();
            assert_eq!(gaps(&a, 200, left.len()), left, "{a:?}");
            let wide: Vec<usize> = a.iter().map(|&i| i as usize).collect();
            assert_eq!(gaps(&wide, 200, 0), left.iter().map(|&i| i as usize).collect::<Vec<_>>());
            for b in lists() {
                let set_b: BTreeSet<u32> = b.iter().copied().collect();
                let both: Vec<u32> = set_a.intersection(&set_b).copied().collect();
                let only_a: Vec<u32> = set_a.difference(&set_b).copied().collect();
                assert_eq!(merge(&a, &b, true), both, "{a:?} and {b:?}");
                assert_eq!(merge(&a, &b, false), only_a, "{a:?} without {b:?}");
            }
        }
    }
}
