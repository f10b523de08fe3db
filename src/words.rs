//! Words: how a query's word is matched (in the text, or by its stem), and
//! the word index on disk that finds the articles holding a word without
//! reading them (a tantivy index beside the index of the files).
//!
//! A word of one token (letters and digits only) matches an article whose
//! title, kicker, tags, lead or body has a word containing it, ignoring
//! case (`kultur` finds `Kulturhaus` and `Agrikultur`), or a word with the
//! same German or English stem (`Häuser` finds `Haus`). Anything else
//! (`"a phrase"`, `covid-19`) is looked for as written; the word index
//! only narrows down the articles to read for it.

mod directory;

use crate::article::{Article, fnv1a};
use crate::text::fold;
use std::collections::HashSet;
use std::path::Path;
use tantivy::schema::{FAST, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{DocId, Index, IndexReader, IndexWriter, TantivyDocument, Term};

/// Tokens longer than this are not put in the index; an article holding
/// one is marked, and always read when a word is looked for.
const LONGEST: usize = 256;
/// The term marking an article with a token too long for the index.
const TOO_LONG: &str = "\u{1}long";

/// The folded tokens of `text`: runs of letters and digits.
pub fn tokens(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty())
}

/// The two stemmers every word goes through.
pub struct Stemmers {
    de: frostem::Stemmer,
    en: frostem::Stemmer,
}

impl Default for Stemmers {
    fn default() -> Self {
        Stemmers {
            de: frostem::Stemmer::new(frostem::Algorithm::German),
            en: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

impl Stemmers {
    /// The German and the English stem of a folded token.
    pub fn stems(&self, token: &str) -> [String; 2] {
        [self.de.stem(token).into_owned(), self.en.stem(token).into_owned()]
    }
}

/// A query's word, made ready for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Word {
    /// One token: found within words, or by stem.
    Token { folded: String, stems: [String; 2], starts: [String; 2] },
    /// Several tokens, or signs: found as written. The tokens narrow the
    /// search (each is within a word of every article that holds it).
    Text { tokens: Vec<Piece> },
}

/// A token of a [`Word::Text`], and how much of a word it must be in any
/// text holding the whole: one followed by a sign or space (`soll` in
/// `"soll wal"`) ends a word there, one after a sign or space begins one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub begins_word: bool,
    pub ends_word: bool,
}

impl Word {
    pub fn new(text: &str, stemmers: &Stemmers) -> Word {
        let folded = fold(text);
        let all: Vec<&str> = tokens(&folded).collect();
        match all.as_slice() {
            [one] if *one == folded => {
                let stems = stemmers.stems(one);
                let starts = stems.clone().map(|s| start_of(&s));
                Word::Token { stems, starts, folded }
            }
            _ => Word::Text {
                tokens: all
                    .into_iter()
                    .map(|t| {
                        // Where the token lies in the folded text.
                        let from = t.as_ptr() as usize - folded.as_ptr() as usize;
                        let to = from + t.len();
                        Piece { text: t.to_string(), begins_word: from > 0, ends_word: to < folded.len() }
                    })
                    .collect(),
            },
        }
    }

    /// Does the folded token `t` have this word's stem? Only tokens that
    /// begin as a stem does are stemmed (see [`start_of`]): the word index
    /// and a look at the text ask exactly this.
    fn stem_of(&self, t: &str, stemmers: &Stemmers) -> bool {
        let Word::Token { stems, starts, .. } = self else { return false };
        starts.iter().any(|s| begins_with(t, s)) && stemmers.stems(t).iter().any(|s| stems.contains(s))
    }

    /// Is this word in the article by stem (the part of matching that a
    /// look for the word itself does not cover)?
    pub fn stem_in(&self, a: &Article, stemmers: &Stemmers) -> bool {
        matches!(self, Word::Token { .. })
            && article_texts(a).any(|text| tokens(&fold(text)).any(|t| self.stem_of(t, stemmers)))
    }
}

/// How a word with stem `stem` begins: the stem but for its last two letters
/// (which stemmers rewrite: `happy` has the stem `happi`), umlauts taken
/// back to their vowels (as the German stemmer does), at least one letter.
fn start_of(stem: &str) -> String {
    let n = stem.chars().count();
    stem.chars().take(n.saturating_sub(2).max(1)).map(plain_vowel).collect()
}

/// Does `t` begin with `start` (see [`start_of`]), umlauts read as vowels?
fn begins_with(t: &str, start: &str) -> bool {
    let mut t = t.chars().map(plain_vowel);
    start.chars().all(|c| t.next() == Some(c))
}

/// The texts of an article that words are looked for in.
fn article_texts(a: &Article) -> impl Iterator<Item = &str> {
    [Some(a.title.as_str()), a.kicker.as_deref(), a.details.lead.as_deref()]
        .into_iter()
        .flatten()
        .chain(a.tags.iter().map(AsRef::as_ref))
        .chain(a.details.body.iter().map(|p| p.text.as_str()))
}

fn plain_vowel(c: char) -> char {
    match c {
        'ä' => 'a',
        'ö' => 'o',
        'ü' => 'u',
        c => c,
    }
}

/// The key of an article in the word index: its file and its id.
pub fn key(path: &Path, id: &str) -> u64 {
    let mut bytes = path.as_os_str().as_encoded_bytes().to_vec();
    bytes.push(0);
    bytes.extend_from_slice(id.as_bytes());
    fnv1a(&bytes)
}

/// The key of a file in the word index.
pub fn file_key(path: &Path) -> u64 {
    fnv1a(path.as_os_str().as_encoded_bytes())
}

/// The fields of the word index.
#[derive(Clone, Copy)]
struct Fields {
    key: tantivy::schema::Field,
    file: tantivy::schema::Field,
    /// The state of the file when its words were put in (see
    /// [`crate::cache::state`]).
    state: tantivy::schema::Field,
    words: tantivy::schema::Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    // Which articles hold a word is all that is asked: no counts, no positions.
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer("whitespace").set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        key: builder.add_u64_field("key", FAST),
        file: builder.add_u64_field("file", INDEXED | FAST),
        state: builder.add_u64_field("state", FAST),
        words: builder.add_text_field("words", text),
    };
    (builder.build(), fields)
}

fn fields_of(schema: &Schema) -> Option<Fields> {
    Some(Fields {
        key: schema.get_field("key").ok()?,
        file: schema.get_field("file").ok()?,
        state: schema.get_field("state").ok()?,
        words: schema.get_field("words").ok()?,
    })
}

/// What the word index answers for one word, as positions in the
/// collection (see [`Places`]), ascending.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Found {
    /// The articles that hold the word.
    pub sure: Vec<u32>,
    /// The articles that may hold it, to be read to know (none of `sure`).
    pub maybe: Vec<u32>,
}

/// Where each document of the word index stands in a collection: by
/// segment, by document, its position there, or [`Places::NOWHERE`] (a
/// deleted document, or an article the collection does not hold). Made
/// once per collection, so that a look-up goes from documents to
/// positions by reading an array, in the order of the positions.
#[derive(Debug, Default)]
pub struct Places {
    by_segment: Vec<Vec<u32>>,
    /// How many articles the collection holds.
    len: usize,
}

impl Places {
    pub const NOWHERE: u32 = u32::MAX;

    /// These places in a collection of `len` articles made from this one,
    /// where `moved[p]` is the new position of the article at `p` (or
    /// [`Places::NOWHERE`]).
    pub fn moved(&self, len: usize, moved: &[u32]) -> Places {
        let to = |&at: &u32| moved.get(at as usize).copied().unwrap_or(Places::NOWHERE);
        Places { by_segment: self.by_segment.iter().map(|s| s.iter().map(to).collect()).collect(), len }
    }
}

/// A set of positions in a collection, one bit each: marked in any order,
/// read back ascending.
struct Marks(Vec<u64>);

impl Marks {
    fn new(len: usize) -> Marks {
        Marks(vec![0; len.div_ceil(64)])
    }

    fn mark(&mut self, at: u32) {
        self.0[at as usize / 64] |= 1 << (at % 64);
    }

    fn ascending(&self) -> Vec<u32> {
        let mut out = Vec::new();
        for (i, &word) in self.0.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                out.push(i as u32 * 64 + bits.trailing_zeros());
                bits &= bits - 1;
            }
        }
        out
    }
}

/// Whether the word index in `dir` was made with the index of the files
/// stamped `index_stamp` (without opening it for searching).
pub fn is_current(dir: &Path, index_stamp: &str) -> bool {
    open_if_current(dir, index_stamp).is_some()
}

/// Whether the word index in `dir` is one of this version made with
/// another index of the files than the one stamped `index_stamp`: it can
/// be brought up to date file by file (see [`WordWriter::open_any`]).
pub fn is_behind(dir: &Path, index_stamp: &str) -> bool {
    open_any(dir).is_some_and(|(_, _, made_for)| made_for != index_stamp)
}

/// The word index in `dir` and its fields, if it was made with the index
/// of the files stamped `index_stamp`; `None` when missing, other or damaged.
fn open_if_current(dir: &Path, index_stamp: &str) -> Option<(Index, Fields)> {
    let (index, fields, made_for) = open_any(dir)?;
    (made_for == index_stamp).then_some((index, fields))
}

/// The word index in `dir`, its fields, and the stamp of the index of the
/// files it was last made with; `None` when missing, damaged, or not one
/// of this version.
fn open_any(dir: &Path) -> Option<(Index, Fields, String)> {
    described(Index::open_in_dir(dir).ok()?)
}

/// `index`, its fields, and the stamp of the index of the files it was
/// last made with; `None` when not one of this version.
fn described(index: Index) -> Option<(Index, Fields, String)> {
    let metas = index.load_metas().ok()?;
    let made_for = metas.payload.as_deref()?.strip_prefix(PAYLOAD)?.to_string();
    let fields = fields_of(&index.schema())?;
    Some((index, fields, made_for))
}

/// Each file's state (see [`crate::cache::state`]) in a word index, by
/// file key: the words it holds for the file are those of the file in
/// that state.
pub type FileStates = std::collections::HashMap<u64, u64, foldhash::fast::RandomState>;

fn states_of(index: &Index) -> tantivy::Result<FileStates> {
    let reader: IndexReader = index.reader_builder().reload_policy(tantivy::ReloadPolicy::Manual).try_into()?;
    let searcher = reader.searcher();
    let mut states = FileStates::default();
    for segment in searcher.segment_readers() {
        let (files, state) = (segment.fast_fields().u64("file")?, segment.fast_fields().u64("state")?);
        let alive = segment.alive_bitset();
        for doc in (0..segment.max_doc()).filter(|&doc| alive.is_none_or(|a| a.is_alive(doc))) {
            if let (Some(file), Some(state)) = (files.first(doc), state.first(doc)) {
                states.insert(file, state);
            }
        }
    }
    Ok(states)
}

/// The word index, open for reading. A clone shares what the first
/// look-up read.
#[derive(Clone)]
pub struct WordIndex {
    fields: Fields,
    /// The searcher every look-up uses: the index as it was opened.
    searcher: tantivy::Searcher,
    /// Each segment's words, read once at the first look-up.
    terms: std::sync::Arc<std::sync::OnceLock<tantivy::Result<Vec<Terms>>>>,
}

/// A segment's words back to back, each followed by `\n`, in the order
/// of its dictionary (sorted): a word containing another is found by one
/// search through memory, words beginning alike by halving.
struct Terms {
    text: Vec<u8>,
    /// Where each word starts in `text`, by its number in the dictionary.
    starts: Vec<u32>,
}

impl Terms {
    fn read(dict: &tantivy::termdict::TermDictionary) -> tantivy::Result<Terms> {
        let mut terms = Terms { text: Vec::new(), starts: Vec::with_capacity(dict.num_terms()) };
        let mut stream = dict.stream()?;
        while stream.advance() {
            terms.starts.push(terms.text.len() as u32);
            terms.text.extend_from_slice(stream.key());
            terms.text.push(b'\n');
        }
        terms.text.shrink_to_fit();
        Ok(terms)
    }

    fn len(&self) -> usize {
        self.starts.len()
    }

    /// Word number `ord`.
    fn get(&self, ord: usize) -> &[u8] {
        let start = self.starts[ord] as usize;
        let end = self.starts.get(ord + 1).map_or(self.text.len(), |&e| e as usize);
        &self.text[start..end - 1]
    }

    /// The numbers of the words containing `needle`, ascending.
    fn containing(&self, needle: &[u8]) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for at in memchr::memmem::find_iter(&self.text, needle) {
            let ord = self.starts.partition_point(|&s| s as usize <= at) - 1;
            if out.last() != Some(&ord) {
                out.push(ord);
            }
        }
        out
    }

    /// The numbers of the words that can hold `piece` in a text holding
    /// its whole word, ascending.
    fn holding(&self, piece: &Piece) -> Vec<usize> {
        let text = piece.text.as_bytes();
        match (piece.begins_word, piece.ends_word) {
            (true, true) => self.beginning_with(text).filter(|&o| self.get(o) == text).collect(),
            (true, false) => self.beginning_with(text).collect(),
            (false, true) => self.containing(&[text, b"\n"].concat()),
            (false, false) => self.containing(text),
        }
    }

    /// The numbers of the words beginning with `prefix`.
    fn beginning_with(&self, prefix: &[u8]) -> std::ops::Range<usize> {
        let from = partition(self.len(), |i| self.get(i) < prefix);
        let to = from + partition(self.len() - from, |i| self.get(from + i).starts_with(prefix));
        from..to
    }
}

/// Where the postings of the words numbered `ords` (ascending) are: each
/// looked up, or, when they are many, picked from one pass over the whole
/// dictionary (a look-up costs about as much as passing 30 words).
fn infos(
    dict: &tantivy::termdict::TermDictionary,
    terms: &Terms,
    ords: &[usize],
) -> tantivy::Result<Vec<tantivy::postings::TermInfo>> {
    let mut out = Vec::with_capacity(ords.len());
    if ords.len() * 30 < terms.len() {
        for &ord in ords {
            out.extend(dict.get(terms.get(ord))?);
        }
        return Ok(out);
    }
    let mut stream = dict.stream()?;
    let (mut ord, mut wanted) = (0, ords.iter().peekable());
    while wanted.peek().is_some() && stream.advance() {
        if wanted.peek() == Some(&&ord) {
            out.push(stream.value().clone());
            wanted.next();
        }
        ord += 1;
    }
    Ok(out)
}

/// The first index in `0..n` for which `before` is false (`before` true
/// for a leading run only).
fn partition(n: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) { lo = mid + 1 } else { hi = mid }
    }
    lo
}

/// The spellings a word beginning as `start` (umlauts read as vowels, see
/// [`start_of`]) can begin with; `None` when there are too many to try.
fn spellings(start: &str) -> Option<Vec<String>> {
    let mut out = vec![String::new()];
    for c in start.chars() {
        let umlaut = match c {
            'a' => Some('ä'),
            'o' => Some('ö'),
            'u' => Some('ü'),
            _ => None,
        };
        if let Some(u) = umlaut {
            if out.len() >= 64 {
                return None;
            }
            let with: Vec<String> = out.iter().map(|s| format!("{s}{u}")).collect();
            out.iter_mut().for_each(|s| s.push(c));
            out.extend(with);
        } else {
            out.iter_mut().for_each(|s| s.push(c));
        }
    }
    Some(out)
}

impl std::fmt::Debug for WordIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WordIndex")
    }
}

/// The word index's folder beside the index file `index`.
pub fn folder_of(index: &Path) -> std::path::PathBuf {
    index.with_extension("words")
}

/// The tag a word index carries: which index of the files it was made with.
pub fn payload(index_stamp: &str) -> String {
    format!("{PAYLOAD}{index_stamp}")
}

/// How a word index of this version tags what it was made with.
const PAYLOAD: &str = "blatt-words 2 ";

impl WordIndex {
    /// Opens the word index in `dir` if it was made with the index of the
    /// files stamped `index_stamp`; `None` when missing, other or damaged.
    pub fn open(dir: &Path, index_stamp: &str) -> Option<WordIndex> {
        let (index, fields) = open_if_current(dir, index_stamp)?;
        let reader: IndexReader =
            index.reader_builder().reload_policy(tantivy::ReloadPolicy::Manual).try_into().ok()?;
        let searcher = reader.searcher();
        Some(WordIndex { fields, searcher, terms: Default::default() })
    }

    /// Each segment's words, read at the first call.
    fn terms(&self) -> &tantivy::Result<Vec<Terms>> {
        self.terms.get_or_init(|| {
            let segments = self.searcher.segment_readers();
            segments.iter().map(|s| Terms::read(s.inverted_index(self.fields.words)?.terms())).collect()
        })
    }

    /// Reads what the first look-up needs, so that it need not wait.
    pub fn prepare(&self) {
        let _ = self.terms();
    }

    /// Where each of the index's documents stands in a collection of
    /// `len` articles, `position` giving an article's by its key (see
    /// [`key`]).
    pub fn places(&self, len: usize, position: impl Fn(u64) -> Option<u32>) -> tantivy::Result<Places> {
        let mut by_segment = Vec::new();
        for segment in self.searcher.segment_readers() {
            let keys = segment.fast_fields().u64("key")?;
            let alive = segment.alive_bitset();
            let at = |doc: DocId| {
                let live = alive.is_none_or(|a| a.is_alive(doc));
                live.then(|| keys.first(doc).and_then(&position)).flatten().unwrap_or(Places::NOWHERE)
            };
            by_segment.push((0..segment.max_doc()).map(at).collect());
        }
        Ok(Places { by_segment, len })
    }

    /// The articles holding `word`, at their `places` in a collection.
    pub fn find(&self, word: &Word, stemmers: &Stemmers, places: &Places) -> tantivy::Result<Found> {
        let all_terms = self.terms().as_ref().map_err(Clone::clone)?;
        let (mut sure, mut maybe) = (Marks::new(places.len), Marks::new(places.len));
        let segments = self.searcher.segment_readers().iter().zip(all_terms).zip(&places.by_segment);
        for ((segment, terms), positions) in segments {
            let words = segment.inverted_index(self.fields.words)?;
            // The articles holding any of the words whose postings are at
            // `infos`, marked by document.
            let docs = |infos: &[tantivy::postings::TermInfo]| -> tantivy::Result<Vec<bool>> {
                let mut hit = vec![false; segment.max_doc() as usize];
                for info in infos {
                    let mut block = words.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
                    while !block.docs().is_empty() {
                        for &doc in block.docs() {
                            hit[doc as usize] = true;
                        }
                        block.advance();
                    }
                }
                Ok(hit)
            };
            // The articles marked by document, marked by position.
            let place = |hit: &[bool], into: &mut Marks| {
                for (&at, _) in positions.iter().zip(hit).filter(|(at, h)| **h && **at != Places::NOWHERE) {
                    into.mark(at);
                }
            };
            if let Some(info) = words.terms().get(TOO_LONG)? {
                place(&docs(&[info])?, &mut maybe);
            }
            match word {
                // Every word of the index containing it, or with its stem.
                Word::Token { folded, starts, .. } => {
                    let mut ords = terms.containing(folded.as_bytes());
                    let stemmed =
                        |ord: usize| std::str::from_utf8(terms.get(ord)).is_ok_and(|t| word.stem_of(t, stemmers));
                    let mut tried: Vec<std::ops::Range<usize>> = Vec::new();
                    for start in starts {
                        match spellings(start) {
                            Some(all) => {
                                for spelling in all {
                                    let range = terms.beginning_with(spelling.as_bytes());
                                    if !tried.contains(&range) {
                                        ords.extend(range.clone().filter(|&o| stemmed(o)));
                                        tried.push(range);
                                    }
                                }
                            }
                            None => ords.extend((0..terms.len()).filter(|&o| stemmed(o))),
                        }
                    }
                    ords.sort_unstable();
                    ords.dedup();
                    place(&docs(&infos(words.terms(), terms, &ords)?)?, &mut sure);
                }
                // The articles with words containing each token.
                Word::Text { tokens } => {
                    let mut hits: Option<Vec<bool>> = None;
                    for token in tokens {
                        let these = docs(&infos(words.terms(), terms, &terms.holding(token))?)?;
                        hits = Some(match hits {
                            None => these,
                            Some(before) => before.iter().zip(these).map(|(a, b)| *a && b).collect(),
                        });
                    }
                    if let Some(hits) = hits {
                        place(&hits, &mut maybe);
                    }
                }
            }
        }
        for (m, s) in maybe.0.iter_mut().zip(&sure.0) {
            *m &= !s;
        }
        Ok(Found { sure: sure.ascending(), maybe: maybe.ascending() })
    }
}

/// The word index, open for changes.
pub struct WordWriter {
    writer: IndexWriter,
    fields: Fields,
    /// Built from nothing: merged into one segment when done.
    anew: bool,
    /// Held while this writer lives (see [`lock_of`]).
    _lock: std::fs::File,
}

/// How long a writer waits for another blatt to let go of the word index.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// The lock file beside the word index in `dir`. tantivy's own writer lock
/// lies inside the folder, which a rebuild removes: this one is taken
/// before it is decided whether the word index is current, so that one
/// blatt never empties a word index another is building or updating.
fn lock_of(dir: &Path) -> std::path::PathBuf {
    dir.with_extension("words.lock")
}

/// Which word index a writer is opened on.
#[derive(Clone, Copy)]
enum Opening<'a> {
    /// The one made with the index stamped so, else a new one.
    For(Option<&'a str>),
    /// The one made with the index stamped so, else none.
    OnlyFor(&'a str),
    /// The one there, whatever index it was made with, else a new one.
    Any,
}

impl WordWriter {
    /// Opens the word index in `dir` for changes: `Ok((writer, true))` when
    /// it was made with the index of the files stamped `index_stamp` and
    /// only needs the changes since; a new, empty one otherwise.
    pub fn open(dir: &Path, index_stamp: Option<&str>) -> Result<(WordWriter, bool), String> {
        let (writer, states) = Self::open_here(dir, Opening::For(index_stamp))?.ok_or("not opened")?;
        Ok((writer, states.is_some()))
    }

    /// Opens the word index in `dir` for changes only if it was made with
    /// the index of the files stamped `index_stamp`: `Ok(None)` when it is
    /// missing or out of date, which this leaves as it is.
    pub fn open_current(dir: &Path, index_stamp: &str) -> Result<Option<WordWriter>, String> {
        Ok(Self::open_here(dir, Opening::OnlyFor(index_stamp))?.map(|(writer, _)| writer))
    }

    /// Opens the word index in `dir` for changes, with the state each file
    /// was in when its words were put in, to be brought up to date with
    /// the files as they are now; a new, empty one (no states) when there
    /// is none of this version.
    pub fn open_any(dir: &Path) -> Result<(WordWriter, FileStates), String> {
        let (writer, states) = Self::open_here(dir, Opening::Any)?.ok_or("not opened")?;
        Ok((writer, states.unwrap_or_default()))
    }

    /// The writer, and the states of the files when the word index there
    /// was kept (`None`: made anew).
    fn open_here(dir: &Path, opening: Opening) -> Result<Option<(WordWriter, Option<FileStates>)>, String> {
        const BUSY: &str = "another blatt is updating it";
        let why = |e: tantivy::TantivyError| match e {
            tantivy::TantivyError::LockFailure(..) => BUSY.to_string(),
            e => e.to_string(),
        };
        let lock_path = lock_of(dir);
        if let Some(parent) = lock_path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        let lock = crate::store::lock_file(&lock_path, LOCK_WAIT)
            .map_err(|e| format!("{}: cannot lock: {e}", crate::sanitize::display_path(&lock_path)))?
            .ok_or_else(|| BUSY.to_string())?;
        // Through the writer's view of the folder (see `directory`).
        let writing = || Index::open(directory::WriterDirectory::open(dir).ok()?).ok().and_then(described);
        let kept = match opening {
            Opening::For(Some(stamp)) | Opening::OnlyFor(stamp) => {
                writing().filter(|(_, _, made_for)| made_for == stamp).map(|(index, fields, _)| (index, fields))
            }
            Opening::For(None) => None,
            Opening::Any => writing().map(|(index, fields, _)| (index, fields)),
        };
        let (index, fields, states) = match kept {
            Some((index, fields)) => {
                // Only a catch-up compares states: the others go by the stamp.
                let states = match opening {
                    Opening::Any => states_of(&index).map_err(why)?,
                    _ => FileStates::default(),
                };
                (index, fields, Some(states))
            }
            None if matches!(opening, Opening::OnlyFor(_)) => return Ok(None),
            None => {
                if dir.exists() {
                    std::fs::remove_dir_all(dir).map_err(|e| e.to_string())?;
                }
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
                let (schema, fields) = schema();
                let folder = directory::WriterDirectory::open(dir).map_err(why)?;
                (Index::create(folder, schema, Default::default()).map_err(why)?, fields, None)
            }
        };
        // Each thread's words are held until 32 MB, then written out: the
        // reader holds its list meanwhile (with 128 MB, 50 MB more at the
        // height at a million articles, and no quicker).
        let writer: IndexWriter = index.writer_with_num_threads(2, 64_000_000).map_err(why)?;
        let anew = states.is_none();
        if anew {
            // Built from nothing, it is merged into one segment at the end
            // (see `commit`): merges on the way only copy it more often.
            writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        }
        Ok(Some((WordWriter { writer, fields, anew, _lock: lock }, states)))
    }

    /// Puts the words of a file's articles in the index, with the file's
    /// `state` (see [`crate::cache::state`]); see
    /// [`WordWriter::remove_file`] for a file it held before. A file
    /// without articles gets a document without words, which keeps its
    /// state.
    pub fn add_file(&self, path: &Path, state: u64, articles: &[Article]) -> tantivy::Result<()> {
        if articles.is_empty() {
            let mut doc = TantivyDocument::new();
            doc.add_u64(self.fields.file, file_key(path));
            doc.add_u64(self.fields.state, state);
            self.writer.add_document(doc)?;
            return Ok(());
        }
        // Of one id twice in a file, the first is the article (as a read
        // of the file for words takes it).
        let mut ids = HashSet::new();
        for a in articles.iter().filter(|a| ids.insert(a.id.0.as_str())) {
            self.writer.add_document(self.document(path, state, a))?;
        }
        Ok(())
    }

    /// Takes a file's articles out of the index.
    pub fn remove_file(&self, path: &Path) {
        self.remove_file_key(file_key(path));
    }

    /// Takes the articles of the file whose key is `file` out of the index.
    pub fn remove_file_key(&self, file: u64) {
        self.writer.delete_term(Term::from_field_u64(self.fields.file, file));
    }

    fn document(&self, path: &Path, state: u64, a: &Article) -> TantivyDocument {
        let mut seen: HashSet<&str, foldhash::fast::RandomState> = HashSet::default();
        let mut words = String::new();
        let mut long = false;
        let folded: Vec<String> = article_texts(a).map(fold).collect();
        for t in folded.iter().flat_map(|f| tokens(f)) {
            if t.len() > LONGEST {
                long = true;
                continue;
            }
            if !seen.insert(t) {
                continue;
            }
            words.push_str(t);
            words.push(' ');
        }
        if long {
            words.push_str(TOO_LONG);
        }
        let mut doc = TantivyDocument::new();
        doc.add_u64(self.fields.key, key(path, &a.id.0));
        doc.add_u64(self.fields.file, file_key(path));
        doc.add_u64(self.fields.state, state);
        doc.add_text(self.fields.words, words);
        doc
    }

    /// Makes the changes lasting, tagged with the stamp of the index of the
    /// files they go with.
    pub fn commit(mut self, index_stamp: &str) -> tantivy::Result<()> {
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload(index_stamp));
        prepared.commit()?;
        // One segment: one word list to search and keep in memory (later
        // updates add small ones, which tantivy merges as it goes).
        if self.anew {
            let segments = self.writer.index().searchable_segment_ids()?;
            if segments.len() > 1 {
                self.writer.merge(&segments).wait()?;
            }
        }
        self.writer.wait_merging_threads()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Does the query word `word` match a text holding only `text`?
    fn finds(word: &str, text: &str) -> bool {
        let stemmers = Stemmers::default();
        let w = Word::new(word, &stemmers);
        let a = Article { title: text.into(), ..Article::default() };
        crate::text::Needle::new(word).found_in(text) || w.stem_in(&a, &stemmers)
    }

    #[test]
    fn words_match_inside_words_and_by_stem() {
        let yes = [
            ("Kultur", "Agrikulturhaus"),
            ("Häuser", "Haus"),
            ("Haus", "Häuser"),
            ("Digitalisierung", "Digitalisierungen"),
            ("Straßen", "Straße"),
            ("Gemeinden", "Gemeinde"),
            ("Bürgern", "Bürger"),
            ("running", "runs"),
            ("cities", "city"),
            ("happiness", "happy"),
        ];
        for (word, text) in yes {
            assert!(finds(word, text), "{word} finds {text}");
        }
        let no =
            [("Digitalisierung", "digitalisiert"), ("Verkehrswende", "Verkehr"), ("Radweg", "Weg"), ("Häuser", "Hase")];
        for (word, text) in no {
            assert!(!finds(word, text), "{word} does not find {text}");
        }
    }

    #[test]
    fn a_word_is_one_token_or_a_text() {
        let stemmers = Stemmers::default();
        assert!(matches!(Word::new("Förde", &stemmers), Word::Token { folded, .. } if folded == "förde"));
        let piece = |text: &str, begins_word, ends_word| Piece { text: text.into(), begins_word, ends_word };
        assert_eq!(
            Word::new("e-mail", &stemmers),
            Word::Text { tokens: vec![piece("e", false, true), piece("mail", true, false)] }
        );
        assert_eq!(
            Word::new("der Stadt rat", &stemmers),
            Word::Text {
                tokens: vec![piece("der", false, true), piece("stadt", true, true), piece("rat", true, false)]
            }
        );
        assert_eq!(Word::new("-19.", &stemmers), Word::Text { tokens: vec![piece("19", true, true)] });
        assert_eq!(Word::new("--", &stemmers), Word::Text { tokens: vec![] });
    }
}
