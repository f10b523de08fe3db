//! The tag index and the headline index built after loading.

use super::FastMap;
use crate::article::Article;
use crate::text::fold;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;
/// A tag's index in [`TagIndex`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TagId(pub u32);

/// Every tag of the collection once, compared case-insensitively after NFC.
#[derive(Debug, Default, Clone)]
pub struct TagIndex {
    pub(super) names: Vec<String>,
    by_key: HashMap<String, TagId>,
    /// Each tag's place in alphabetical order, made when first asked.
    name_places: std::sync::OnceLock<Vec<u32>>,
}

impl TagIndex {
    pub(super) fn intern(&mut self, name: &str, key: String) -> TagId {
        if let Some(id) = self.by_key.get(&key) {
            return *id;
        }
        let id = TagId(self.names.len() as u32);
        self.name_places.take();
        self.names.push(name.to_string());
        self.by_key.insert(key, id);
        id
    }

    /// Spells tag `id` as `name` (another spelling of it).
    pub(super) fn rename(&mut self, id: TagId, name: &str) {
        if self.names[id.0 as usize] != name {
            self.name_places.take();
            self.names[id.0 as usize] = name.to_string();
        }
    }

    /// The tag as the (newest) articles spell it.
    pub fn name(&self, id: TagId) -> &str {
        &self.names[id.0 as usize]
    }

    /// The tag's place in alphabetical order (by [`crate::text::sort_key`];
    /// alike names by id), so that the tag pane sorts by name comparing
    /// numbers: the keys are made once, not at each recount.
    pub fn name_place(&self, id: TagId) -> u32 {
        let places = self.name_places.get_or_init(|| {
            let mut ids: Vec<usize> = (0..self.names.len()).collect();
            ids.sort_by_cached_key(|&i| crate::text::sort_key(&self.names[i]));
            let mut places = vec![0; ids.len()];
            for (place, id) in ids.into_iter().enumerate() {
                places[id] = place as u32;
            }
            places
        });
        places[id.0 as usize]
    }

    /// Looks a tag up by any spelling.
    pub fn find(&self, name: &str) -> Option<TagId> {
        self.by_key.get(&fold(name)).copied()
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// For a name that is no tag here, the tag most like it: one that
    /// starts with it, else one that contains it (the shortest such).
    pub fn closest(&self, name: &str) -> Option<&str> {
        let wanted = fold(name);
        if wanted.is_empty() || self.find(name).is_some() {
            return None;
        }
        let folded: Vec<(&str, String)> = self.names.iter().map(|n| (n.as_str(), fold(n))).collect();
        let shortest = |test: &dyn Fn(&str) -> bool| {
            folded.iter().filter(|(_, f)| test(f)).map(|(n, _)| *n).min_by_key(|n| (n.chars().count(), *n))
        };
        shortest(&|f| f.starts_with(&wanted)).or_else(|| shortest(&|f| f.contains(&wanted)))
    }

    /// `no tag "Kie" — did you mean Kiel?` for each tag the query names that
    /// the collection does not have.
    pub fn unknown_in(&self, query: &crate::query::Query) -> Vec<String> {
        use crate::query::Term;
        let names = query.terms.iter().flat_map(|t| match t {
            Term::HasTag(names) | Term::LacksTag(names) => names.as_slice(),
            _ => &[],
        });
        names
            .filter(|n| self.find(n).is_none())
            .map(|n| match self.closest(n) {
                Some(c) => format!("no tag \"{n}\" — did you mean {c}?"),
                None => format!("no tag \"{n}\" in this collection"),
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = TagId> + '_ {
        (0..self.names.len() as u32).map(TagId)
    }
}

/// The tag index, each tag's folded form, and each article's sorted run of
/// tag ids (see [`Collection::tags_of`]). Tags get their ids in the order
/// the articles first use them, and their names from that first use.
///
/// `known` tags (a front page's: every tag of the whole collection, in its
/// order) take the first ids, whether these articles use them or not.
pub(super) fn intern_tags<'a>(
    articles: &'a [Arc<Article>],
    known: &[String],
) -> (TagIndex, Vec<String>, Vec<TagId>, Vec<u32>) {
    // Each chunk numbers the spellings it meets, in parallel.
    let chunks: Vec<ChunkTags> = articles.par_chunks(TAG_CHUNK).map(ChunkTags::new).collect();
    // Then, chunk by chunk, each spelling gets its tag: in this order, a
    // spelling's first use in a chunk comes after every use in earlier ones.
    // Folding is the costly part: fold each spelling once, not each use.
    let mut index = TagIndex::default();
    let mut by_spelling: FastMap<&'a str, TagId> = FastMap::default();
    let mut folded_tags: Vec<String> = Vec::new();
    for name in known {
        let key = fold(name);
        if index.intern(name, key.clone()).0 as usize == folded_tags.len() {
            folded_tags.push(key);
        }
    }
    let tag_of: Vec<Vec<TagId>> = chunks
        .iter()
        .map(|chunk| {
            let tag = |&t: &&'a str| {
                *by_spelling.entry(t).or_insert_with(|| {
                    let key = fold(t);
                    let id = index.intern(t, key.clone());
                    if id.0 as usize == folded_tags.len() {
                        folded_tags.push(key);
                    }
                    id
                })
            };
            chunk.spellings.iter().map(tag).collect()
        })
        .collect();
    // Each article's run: its tag ids sorted, without repeats.
    let runs: Vec<(Vec<TagId>, Vec<u32>)> = chunks
        .par_iter()
        .zip(&tag_of)
        .map(|(chunk, tag_of)| {
            let mut ids = Vec::with_capacity(chunk.uses.len());
            let mut lens = Vec::with_capacity(chunk.counts.len());
            let mut uses = chunk.uses.iter();
            let mut run = Vec::new();
            for &n in &chunk.counts {
                run.clear();
                run.extend(uses.by_ref().take(n as usize).map(|&u| tag_of[u as usize]));
                run.sort_unstable();
                run.dedup();
                ids.extend_from_slice(&run);
                lens.push(run.len() as u32);
            }
            (ids, lens)
        })
        .collect();
    let mut tag_ids = Vec::with_capacity(runs.iter().map(|(ids, _)| ids.len()).sum());
    let mut tag_starts = Vec::with_capacity(articles.len() + 1);
    let mut start = 0u32;
    for (ids, lens) in runs {
        for n in lens {
            tag_starts.push(start);
            start += n;
        }
        tag_ids.extend(ids);
    }
    tag_starts.push(start);
    (index, folded_tags, tag_ids, tag_starts)
}

/// Articles whose tags one task numbers.
pub(super) const TAG_CHUNK: usize = 4096;

/// The tags of a run of articles, numbered by spelling.
pub(super) struct ChunkTags<'a> {
    /// Every spelling once, in the order of first use.
    spellings: Vec<&'a str>,
    /// Each use, as its place in `spellings`, article after article.
    uses: Vec<u32>,
    /// How many uses each article has.
    counts: Vec<u32>,
}

impl<'a> ChunkTags<'a> {
    fn new(articles: &'a [Arc<Article>]) -> Self {
        let mut number: FastMap<&str, u32> = FastMap::default();
        let mut chunk =
            ChunkTags { spellings: Vec::new(), uses: Vec::new(), counts: Vec::with_capacity(articles.len()) };
        for a in articles {
            chunk.counts.push(a.tags.len() as u32);
            for t in &a.tags {
                let n = *number.entry(t.as_ref()).or_insert_with(|| {
                    chunk.spellings.push(t);
                    chunk.spellings.len() as u32 - 1
                });
                chunk.uses.push(n);
            }
        }
        chunk
    }
}

/// Each article's headline (folded title, kicker and tags, one a line),
/// back to back in one string: a million of them take a tenth less memory
/// than as a million strings, and no allocation each.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Headlines {
    text: String,
    /// Where each headline ends in `text`.
    ends: Vec<u64>,
}

impl Headlines {
    /// Headline `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        Some(&self.text[start..end])
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

impl Headlines {
    /// None yet, with room for `n` headlines about as long as `like`'s.
    pub(super) fn with_room(like: &Headlines, n: usize) -> Headlines {
        let text = like.text.len() + (like.text.len() / like.len().max(1)) * n.saturating_sub(like.len());
        Headlines { text: String::with_capacity(text), ends: Vec::with_capacity(n) }
    }

    /// Adds `headline` after those held.
    pub(super) fn push(&mut self, headline: &str) {
        self.text.push_str(headline);
        self.ends.push(self.text.len() as u64);
    }

    /// Adds `old`'s headlines `run` after those held, copied in one piece.
    pub(super) fn extend_from(&mut self, old: &Headlines, run: std::ops::Range<usize>) {
        let Some(last) = run.end.checked_sub(1) else { return };
        let start = if run.start == 0 { 0 } else { old.ends[run.start - 1] };
        let here = self.text.len() as u64;
        self.text.push_str(&old.text[start as usize..old.ends[last] as usize]);
        self.ends.extend(old.ends[run].iter().map(|end| end - start + here));
    }
}

impl From<Vec<String>> for Headlines {
    fn from(all: Vec<String>) -> Headlines {
        let mut text = String::with_capacity(all.iter().map(String::len).sum());
        let mut ends = Vec::with_capacity(all.len());
        for h in all {
            text.push_str(&h);
            ends.push(text.len() as u64);
        }
        Headlines { text, ends }
    }
}

/// Each article's headline: folded title, kicker and tags, one a line.
pub(super) fn headlines(
    folded_titles: Vec<String>,
    folded_kickers: Vec<Option<String>>,
    folded_tags: &[String],
    tag_ids: &[TagId],
    tag_starts: &[u32],
) -> Headlines {
    let all: Vec<String> = folded_titles
        .into_par_iter()
        .zip(folded_kickers)
        .zip(tag_starts.par_windows(2))
        .map(|((title, kicker), run)| {
            let tags = tag_ids[run[0] as usize..run[1] as usize].iter().map(|id| folded_tags[id.0 as usize].as_str());
            headline(&title, kicker.as_deref(), tags)
        })
        .collect();
    Headlines::from(all)
}

/// One article's headline, from its folded title, kicker and tags.
pub(super) fn headline<'a>(title: &str, kicker: Option<&str>, tags: impl Iterator<Item = &'a str> + Clone) -> String {
    let kicker = kicker.unwrap_or("");
    let mut h =
        String::with_capacity(title.len() + 1 + kicker.len() + tags.clone().map(|t| t.len() + 1).sum::<usize>());
    h.push_str(title);
    h.push('\n');
    h.push_str(kicker);
    for t in tags {
        h.push('\n');
        h.push_str(t);
    }
    h
}
