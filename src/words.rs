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

use crate::article::{Article, fnv1a};
use crate::text::fold;
use std::collections::HashSet;
use std::path::Path;
use tantivy::schema::{FAST, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{DocId, Index, IndexReader, IndexWriter, TERMINATED, TantivyDocument, Term};

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
    Text { tokens: Vec<String> },
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
            _ => Word::Text { tokens: all.into_iter().map(String::from).collect() },
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
    [Some(a.title.as_str()), a.kicker.as_deref(), a.lead.as_deref()]
        .into_iter()
        .flatten()
        .chain(a.tags.iter().map(String::as_str))
        .chain(a.body.iter().map(|p| p.text.as_str()))
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

fn file_key(path: &Path) -> u64 {
    fnv1a(path.as_os_str().as_encoded_bytes())
}

/// The fields of the word index.
#[derive(Clone, Copy)]
struct Fields {
    key: tantivy::schema::Field,
    file: tantivy::schema::Field,
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
        file: builder.add_u64_field("file", INDEXED),
        words: builder.add_text_field("words", text),
    };
    (builder.build(), fields)
}

fn fields_of(schema: &Schema) -> Option<Fields> {
    Some(Fields {
        key: schema.get_field("key").ok()?,
        file: schema.get_field("file").ok()?,
        words: schema.get_field("words").ok()?,
    })
}

/// What the word index answers for one word.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Found {
    /// Keys of the articles that hold the word.
    pub sure: Vec<u64>,
    /// Keys of the articles that may hold it, to be read to know.
    pub maybe: Vec<u64>,
}

/// The word index, open for reading.
pub struct WordIndex {
    reader: IndexReader,
    fields: Fields,
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
    format!("blatt-words 1 {index_stamp}")
}

impl WordIndex {
    /// Opens the word index in `dir` if it was made with the index of the
    /// files stamped `index_stamp`; `None` when missing, other or damaged.
    pub fn open(dir: &Path, index_stamp: &str) -> Option<WordIndex> {
        let index = Index::open_in_dir(dir).ok()?;
        let metas = index.load_metas().ok()?;
        if metas.payload.as_deref() != Some(payload(index_stamp).as_str()) {
            return None;
        }
        let fields = fields_of(&index.schema())?;
        let reader = index.reader_builder().reload_policy(tantivy::ReloadPolicy::Manual).try_into().ok()?;
        Some(WordIndex { reader, fields })
    }

    /// The articles holding `word`, by key.
    pub fn find(&self, word: &Word, stemmers: &Stemmers) -> tantivy::Result<Found> {
        let searcher = self.reader.searcher();
        let mut found = Found::default();
        for segment in searcher.segment_readers() {
            let words = segment.inverted_index(self.fields.words)?;
            let keys = segment.fast_fields().u64("key")?;
            let alive = segment.alive_bitset();
            let docs = |inv: &tantivy::InvertedIndexReader,
                        info: &tantivy::postings::TermInfo,
                        into: &mut Vec<u64>|
             -> tantivy::Result<()> {
                let mut postings = inv.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
                let mut doc: DocId = tantivy::DocSet::doc(&postings);
                while doc != TERMINATED {
                    if alive.is_none_or(|a| a.is_alive(doc))
                        && let Some(k) = keys.first(doc)
                    {
                        into.push(k);
                    }
                    doc = tantivy::DocSet::advance(&mut postings);
                }
                Ok(())
            };
            if let Some(info) = words.terms().get(TOO_LONG)? {
                docs(&words, &info, &mut found.maybe)?;
            }
            match word {
                // Every word of the index containing it, or with its stem.
                Word::Token { folded, .. } => {
                    let finder = memchr::memmem::Finder::new(folded.as_bytes());
                    let mut terms = words.terms().stream()?;
                    while terms.advance() {
                        let t = terms.key();
                        if finder.find(t).is_some() || std::str::from_utf8(t).is_ok_and(|t| word.stem_of(t, stemmers)) {
                            docs(&words, terms.value(), &mut found.sure)?;
                        }
                    }
                }
                // The articles with words containing each token.
                Word::Text { tokens } => {
                    let mut hits: Option<HashSet<u64>> = None;
                    for token in tokens {
                        let finder = memchr::memmem::Finder::new(token.as_bytes());
                        let mut these = Vec::new();
                        let mut terms = words.terms().stream()?;
                        while terms.advance() {
                            if finder.find(terms.key()).is_some() {
                                docs(&words, terms.value(), &mut these)?;
                            }
                        }
                        hits = Some(match hits {
                            None => these.into_iter().collect(),
                            Some(before) => these.into_iter().filter(|k| before.contains(k)).collect(),
                        });
                    }
                    found.maybe.extend(hits.unwrap_or_default());
                }
            }
        }
        Ok(found)
    }
}

/// The word index, open for changes.
pub struct WordWriter {
    writer: IndexWriter,
    fields: Fields,
}

impl WordWriter {
    /// Opens the word index in `dir` for changes: `Ok((writer, true))` when
    /// it was made with the index of the files stamped `index_stamp` and
    /// only needs the changes since; a new, empty one otherwise.
    pub fn open(dir: &Path, index_stamp: Option<&str>) -> tantivy::Result<(WordWriter, bool)> {
        let (schema, fields) = schema();
        let current = index_stamp.is_some_and(|s| WordIndex::open(dir, s).is_some());
        let index = if current {
            Index::open_in_dir(dir)?
        } else {
            if dir.exists() {
                std::fs::remove_dir_all(dir)?;
            }
            std::fs::create_dir_all(dir)?;
            Index::create_in_dir(dir, schema)?
        };
        let writer = index.writer_with_num_threads(1, 64_000_000)?;
        Ok((WordWriter { writer, fields }, current))
    }

    /// Puts the words of a file's articles in the index (see
    /// [`WordWriter::remove_file`] for a file it held before).
    pub fn add_file(&self, path: &Path, articles: &[Article]) -> tantivy::Result<()> {
        // Of one id twice in a file, the first is the article (as a read
        // of the file for words takes it).
        let mut ids = HashSet::new();
        for a in articles.iter().filter(|a| ids.insert(a.id.0.as_str())) {
            self.writer.add_document(self.document(path, a))?;
        }
        Ok(())
    }

    /// Takes a file's articles out of the index.
    pub fn remove_file(&self, path: &Path) {
        self.writer.delete_term(Term::from_field_u64(self.fields.file, file_key(path)));
    }

    fn document(&self, path: &Path, a: &Article) -> TantivyDocument {
        let mut seen: HashSet<&str> = HashSet::new();
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
        doc.add_text(self.fields.words, words);
        doc
    }

    /// Makes the changes lasting, tagged with the stamp of the index of the
    /// files they go with.
    pub fn commit(mut self, index_stamp: &str) -> tantivy::Result<()> {
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload(index_stamp));
        prepared.commit()?;
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
        assert_eq!(Word::new("e-mail", &stemmers), Word::Text { tokens: vec!["e".into(), "mail".into()] });
        assert_eq!(Word::new("der Stadt", &stemmers), Word::Text { tokens: vec!["der".into(), "stadt".into()] });
        assert_eq!(Word::new("--", &stemmers), Word::Text { tokens: vec![] });
    }
}
