//! Article × width → wrapped lines, used by `blatt show` and the reading pane.
//! Wrapping is textwrap's; long words are hyphenated with the German or
//! English patterns of the hyphenation crate.

use crate::article::{Article, Para, ParaKind};
use hyphenation::{Language, Load, Standard};
use std::sync::OnceLock;
use textwrap::WordSeparator;
use textwrap::core::Word;
use textwrap::core::break_words;
use textwrap::word_splitters::WordSplitter;
use textwrap::wrap_algorithms::{Penalties, wrap_first_fit, wrap_optimal_fit};

/// The widest measure the reading pane uses: longer lines read badly.
pub const MAX_MEASURE: usize = 90;

/// What a rendered line is, so a front end can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Title,
    Meta,
    Lead,
    Body,
    Heading,
    /// A list item or a quoted paragraph of the body.
    Item,
    Quote,
    /// Preformatted lines: code, tables.
    Pre,
    /// An image marker.
    Image,
    Link,
    Tags,
    Credit,
    Blank,
}

/// One rendered line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub kind: LineKind,
    pub text: String,
}

impl Line {
    fn new(kind: LineKind, text: impl Into<String>) -> Self {
        Line { kind, text: text.into() }
    }
}

fn splitter(lang: Language) -> &'static WordSplitter {
    static DE: OnceLock<WordSplitter> = OnceLock::new();
    static EN: OnceLock<WordSplitter> = OnceLock::new();
    let cell = if lang == Language::German1996 { &DE } else { &EN };
    cell.get_or_init(|| match Standard::from_embedded(lang) {
        Ok(dict) => WordSplitter::Hyphenation(dict),
        Err(_) => WordSplitter::HyphenSplitter,
    })
}

/// The article's language: its `lang` field, else a guess from common words.
pub fn language(article: &Article) -> Language {
    if let Some(lang) = &article.details.lang {
        return if lang.to_lowercase().starts_with("de") { Language::German1996 } else { Language::EnglishUS };
    }
    let sample: String = article
        .details
        .lead
        .iter()
        .map(String::as_str)
        .chain(article.details.body.iter().map(|p| p.text.as_str()))
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    let text = if sample.is_empty() { article.title.clone() } else { sample };
    let count = |words: &[&str]| text.split_whitespace().filter(|w| words.contains(&w.to_lowercase().as_str())).count();
    let de = count(&["der", "die", "das", "und", "ist", "nicht", "mit", "für", "auf", "ein", "eine", "sich", "von"]);
    let en = count(&["the", "and", "is", "of", "to", "in", "that", "for", "with", "on", "was", "a"]);
    if de > en { Language::German1996 } else { Language::EnglishUS }
}

/// Wraps one paragraph to `width` columns, hyphenating long words.
pub fn wrap(text: &str, width: usize, lang: Language) -> Vec<String> {
    wrap_with(text, width, splitter(lang))
}

/// Wraps without hyphenation (links: a hyphen would change the address).
pub fn wrap_unhyphenated(text: &str, width: usize) -> Vec<String> {
    wrap_with(text, width, &WordSplitter::NoHyphenation)
}

/// A web or e-mail address (possibly in brackets or followed by
/// punctuation): never hyphenated, since a hyphen would change it.
fn is_address(word: &str) -> bool {
    let w = word.trim_start_matches(['(', '<', '[', '"', '„', '“']);
    w.contains("://") || w.starts_with("www.") || (w.contains('@') && w.contains('.') && !w.starts_with('@'))
}

/// A word in the pieces it may be hyphenated into: never an address, and
/// never so that fewer than two letters stand on either side (`Gerich-t,`).
fn split_word<'a>(word: Word<'a>, splitter: &WordSplitter, out: &mut Vec<Word<'a>>) {
    let text = word.word;
    let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count();
    let points = if is_address(text) { vec![] } else { splitter.split_points(text) };
    let mut prev = 0;
    for idx in points.into_iter().filter(|&i| letters(&text[..i]) >= 2 && letters(&text[i..]) >= 2) {
        let mut piece = Word::from(&text[prev..idx]);
        piece.whitespace = "";
        piece.penalty = if text[..idx].ends_with('-') { "" } else { "-" };
        out.push(piece);
        prev = idx;
    }
    let mut last = Word::from(&text[prev..]);
    last.whitespace = word.whitespace;
    last.penalty = word.penalty;
    out.push(last);
}

fn wrap_with(text: &str, width: usize, word_splitter: &WordSplitter) -> Vec<String> {
    let width = width.max(1);
    let words = WordSeparator::AsciiSpace.find_words(text);
    let mut split = Vec::new();
    for w in words {
        split_word(w, word_splitter, &mut split);
    }
    let broken = break_words(split, width);
    // Optimal fit spreads the text so that fewer lines end in a hyphen.
    let widths = [width as f64];
    let lines =
        wrap_optimal_fit(&broken, &widths, &Penalties::new()).unwrap_or_else(|_| wrap_first_fit(&broken, &widths));
    lines
        .iter()
        .map(|line| {
            let mut s = String::new();
            for (i, w) in line.iter().enumerate() {
                s.push_str(w.word);
                if i + 1 == line.len() {
                    s.push_str(w.penalty);
                } else {
                    s.push_str(w.whitespace);
                }
            }
            s
        })
        .collect()
}

/// Paragraphs longer than this are wrapped in pieces and not hyphenated, so
/// that a multi-megabyte one-line article costs little per piece.
pub const HUGE_PARAGRAPH: usize = 32 * 1024;

/// One piece of an article to be wrapped into lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: LineKind,
    pub text: String,
    /// A blank line comes before it (new paragraphs; not pieces of one).
    pub blank_before: bool,
    pub hyphenate: bool,
    /// Written before the first line (a bullet, a number, a quote bar) and,
    /// as blanks of the same width, before the lines after it.
    pub prefix: String,
    /// Lines kept as they are, cut at the width instead of wrapped.
    pub verbatim: bool,
}

impl Block {
    fn new(kind: LineKind, text: String, blank_before: bool, hyphenate: bool) -> Self {
        Block { kind, text, blank_before, hyphenate, prefix: String::new(), verbatim: false }
    }
}

/// The article as blocks, in reading order: title, meta line, lead, body,
/// numbered links, tags, image credit.
pub fn blocks(article: &Article) -> Vec<Block> {
    let mut out = Vec::new();
    push(&mut out, LineKind::Title, article.title.clone(), false, true);
    push(&mut out, LineKind::Meta, meta_line(article), false, false);
    if let Some(lead) = &article.details.lead {
        push(&mut out, LineKind::Lead, lead.clone(), true, true);
    }
    let german = article.details.body.iter().any(|p| matches!(p.kind, ParaKind::Image { .. }))
        && language(article) == Language::German1996;
    let mut previous = None;
    for p in &article.details.body {
        let start = out.len();
        let blank = !(is_item(p.kind) && previous.is_some_and(is_item));
        push(&mut out, kind_of(p.kind), para_text(p, german), blank, true);
        for block in &mut out[start..] {
            shape(block, p);
        }
        previous = Some(p.kind);
    }
    let links = article.all_links();
    if !links.is_empty() {
        push(&mut out, LineKind::Heading, "Links".into(), true, false);
        let notes: std::collections::HashMap<&str, String> =
            article.details.enclosures.iter().map(|e| (e.url.as_str(), enclosure_note(e))).collect();
        for (i, l) in links.iter().enumerate() {
            let about = notes.get(l).map(String::as_str).unwrap_or_default();
            push(&mut out, LineKind::Link, format!("[{}] {l}{about}", i + 1), false, false);
        }
    }
    if !article.tags.is_empty() {
        push(&mut out, LineKind::Tags, format!("Tags: {}", article.tags.join(", ")), true, true);
    }
    if let Some(credit) = &article.details.image_credit {
        push(&mut out, LineKind::Credit, format!("Image: {credit}"), true, true);
    }
    out
}

/// Adds a block, cut in pieces when it is huge.
fn push(out: &mut Vec<Block>, kind: LineKind, text: String, blank_before: bool, hyphenate: bool) {
    if text.len() <= HUGE_PARAGRAPH {
        out.push(Block::new(kind, text, blank_before, hyphenate));
        return;
    }
    for (i, piece) in pieces(&text, HUGE_PARAGRAPH / 2).into_iter().enumerate() {
        out.push(Block::new(kind, piece.to_string(), blank_before && i == 0, false));
    }
}

fn is_item(kind: ParaKind) -> bool {
    matches!(kind, ParaKind::Item { .. })
}

fn kind_of(kind: ParaKind) -> LineKind {
    match kind {
        ParaKind::Text => LineKind::Body,
        ParaKind::Heading => LineKind::Heading,
        ParaKind::Item { .. } => LineKind::Item,
        ParaKind::Quote => LineKind::Quote,
        ParaKind::Pre => LineKind::Pre,
        ParaKind::Image { .. } => LineKind::Image,
    }
}

/// The text shown for a paragraph: images become `[Bild: …][3]`.
fn para_text(p: &Para, german: bool) -> String {
    let ParaKind::Image { link } = p.kind else { return p.text.clone() };
    let word = if german { "Bild" } else { "image" };
    let number = link.map(|n| format!("[{n}]")).unwrap_or_default();
    if p.text.is_empty() { format!("[{word}]{number}") } else { format!("[{word}: {}]{number}", p.text) }
}

/// Bullets, numbers, quote bars and verbatim lines for a paragraph's blocks.
fn shape(block: &mut Block, p: &Para) {
    match p.kind {
        ParaKind::Item { depth, number } => {
            let indent = "  ".repeat(usize::from(depth));
            block.prefix = match number {
                Some(n) => format!("{indent}{n}. "),
                None => format!("{indent}• "),
            };
        }
        ParaKind::Quote => block.prefix = "│ ".into(),
        ParaKind::Pre => {
            block.verbatim = true;
            block.hyphenate = false;
        }
        ParaKind::Image { .. } => block.hyphenate = false,
        ParaKind::Text | ParaKind::Heading => {}
    }
}

/// ` (audio/mpeg, 12.5 MB)` for an enclosure's link line.
fn enclosure_note(e: &crate::article::Enclosure) -> String {
    let size = e.length.map(|n| match n {
        n if n >= 1_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        n if n >= 1_000 => format!("{:.0} kB", n as f64 / 1e3),
        n => format!("{n} bytes"),
    });
    let parts: Vec<String> = e.mime.iter().cloned().chain(size).collect();
    if parts.is_empty() { String::new() } else { format!(" ({})", parts.join(", ")) }
}

/// Cuts `text` into pieces of about `size` bytes at white space.
fn pieces(text: &str, size: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while rest.len() > size {
        let mut cut = size;
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let at = rest[..cut].rfind(' ').filter(|&i| i > 0).unwrap_or(cut);
        out.push(&rest[..at]);
        rest = rest[at..].trim_start();
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Wraps one block into lines (with the blank line before it, if any).
pub fn wrap_block(block: &Block, width: usize, lang: Language, first: bool) -> Vec<Line> {
    let mut out = Vec::new();
    if block.blank_before && !first {
        out.push(Line::new(LineKind::Blank, ""));
    }
    if block.verbatim {
        out.extend(block.text.lines().flat_map(|l| cut(l, width)).map(|l| Line::new(block.kind, l)));
        return out;
    }
    let indent = crate::text::width(&block.prefix);
    let inner = width.saturating_sub(indent).max(width.min(8));
    let lines = if block.hyphenate { wrap(&block.text, inner, lang) } else { wrap_unhyphenated(&block.text, inner) };
    let blank = " ".repeat(indent);
    out.extend(lines.into_iter().enumerate().map(|(i, l)| {
        let prefix = if i == 0 || block.kind == LineKind::Quote { &block.prefix } else { &blank };
        Line::new(block.kind, format!("{prefix}{l}"))
    }));
    out
}

/// A verbatim line in pieces of at most `width` columns (continued on the
/// next line rather than hidden past the edge).
fn cut(line: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = vec![String::new()];
    let mut used = 0;
    for c in line.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width && used > 0 {
            out.push(String::new());
            used = 0;
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
        used += w;
    }
    out
}

/// Renders a whole article into lines at once (`blatt show`; the reading
/// pane renders block by block, see the reader's `ReaderView`).
pub fn render(article: &Article, width: usize) -> Vec<Line> {
    let lang = language(article);
    let mut out = Vec::new();
    for (i, b) in blocks(article).iter().enumerate() {
        out.extend(wrap_block(b, width, lang, i == 0));
    }
    out
}

/// `kicker · date and time · author · source`, leaving out what is missing.
pub fn meta_line(article: &Article) -> String {
    let date = article.time_text().or_else(|| article.date_text());
    // A page's byline is often its site's name: said once.
    let source = article.source.as_deref().filter(|&s| Some(s) != article.details.author.as_deref()).map(String::from);
    let elsewhere =
        article.unread_elsewhere.as_ref().filter(|(_, unread)| *unread).map(|(app, _)| format!("unread in {app}"));
    [article.kicker.clone(), date, article.details.author.clone(), source, elsewhere]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{DetailFields, Details};
    use unicode_width::UnicodeWidthStr;

    fn sample() -> Article {
        Article {
            title: "Stadt ernennt neue Leiterin für Digitalisierung".into(),
            kicker: Some("Kiel".into()),
            date: chrono::NaiveDate::from_ymd_opt(2022, 2, 22),
            tags: vec!["Politik".into(), "Kiel".into()],
            details: Details::new(DetailFields {
                lead: Some("Die Verwaltung stellt ihre Digitalisierungsstrategie vor.".into()),
                body: vec!["Die Informationssicherheitsbeauftragten der Landeshauptstadt sind zufrieden.".into()],
                links: vec!["https://example.org/a".into()],
                author: Some("ve".into()),
                ..DetailFields::default()
            }),
            ..Article::default()
        }
    }

    #[test]
    fn huge_paragraphs_are_cut_into_unhyphenated_pieces() {
        let words = "Wort ".repeat(30_000);
        let a = Article::with_text("T", Some(words.trim_end()), &[]);
        let bs = blocks(&a);
        let lead: Vec<&Block> = bs.iter().filter(|b| b.kind == LineKind::Lead).collect();
        assert!(lead.len() > 5);
        assert!(lead.iter().all(|b| !b.hyphenate && b.text.len() <= HUGE_PARAGRAPH));
        assert_eq!(lead.iter().filter(|b| b.blank_before).count(), 1);
        let joined: Vec<&str> = lead.iter().flat_map(|b| b.text.split(' ')).collect();
        assert_eq!(joined.len(), 30_000, "no word lost or split at the cuts");
    }

    #[test]
    fn lines_fit_the_width_and_keep_every_part() {
        let lines = render(&sample(), 24);
        assert!(lines.iter().all(|l| l.text.width() <= 24), "{lines:#?}");
        assert_eq!(lines[0].kind, LineKind::Title);
        assert!(lines.iter().any(|l| l.kind == LineKind::Meta && l.text.contains("2022-02-22")));
        assert!(lines.iter().any(|l| l.text.starts_with("Tags: Politik")));
        let link_lines: Vec<&str> =
            lines.iter().filter(|l| l.kind == LineKind::Link).map(|l| l.text.as_str()).collect();
        assert_eq!(link_lines.concat(), "[1]https://example.org/a", "links break without hyphens");
        assert!(render(&sample(), 40).iter().any(|l| l.text == "[1] https://example.org/a"));
    }

    #[test]
    fn german_compounds_break_at_syllables() {
        let lines = wrap("Informationssicherheitsbeauftragten", 20, Language::German1996);
        assert!(lines.len() >= 2);
        assert!(lines[0].ends_with('-'), "{lines:?}");
        // No fragment is a bare cut: every break is a dictionary hyphen point.
        let joined: String = lines.iter().map(|l| l.trim_end_matches('-')).collect();
        assert_eq!(joined, "Informationssicherheitsbeauftragten");
        assert!(
            ["Informations-", "Informationssicher-", "Informationssi-"].iter().any(|p| lines[0] == *p),
            "{lines:?}"
        );
    }

    #[test]
    fn addresses_are_never_hyphenated_and_no_letter_stands_alone() {
        for width in 10..40 {
            let lines = wrap(
                "Schreiben Sie an redaktion@stadtverwaltung.example oder www.stadtverwaltung.example/kontakt",
                width,
                Language::German1996,
            );
            for l in &lines {
                assert!(!l.contains("redak-") && !l.contains("stadt-") && !l.contains("verwal-"), "{width}: {lines:?}");
            }
            let lines = wrap("Kriegsverbrecher vor Gericht, Super Bowl", width, Language::EnglishUS);
            assert!(lines.iter().all(|l| !l.ends_with("Gerich-")), "{width}: {lines:?}");
        }
    }

    #[test]
    fn guesses_language() {
        assert_eq!(language(&sample()), Language::German1996);
        let en = Article::with_text("", Some("The council said that the plan is on track."), &[]);
        assert_eq!(language(&en), Language::EnglishUS);
    }
}
