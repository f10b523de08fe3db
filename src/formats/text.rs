//! The plain-text article layout: kicker, title, `[D.M.YYYY]` lead, body,
//! then trailer lines (links, tags, image credit, source).

use super::Content;
use crate::article::{Article, ArticleId, Para};
use crate::sanitize::{clean_line, clean_text_cow};
use chrono::NaiveDate;

/// Why a text file did not give an article.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TextError {
    #[error("no title: the file holds no text")]
    Empty,
}

/// Trailer keys that introduce the tag list.
const TAG_KEYS: &[&str] = &["stichwörter", "schlagwörter", "schlagworte", "tags", "keywords"];
const CREDIT_KEYS: &[&str] = &["bildquelle", "image credit", "foto", "photo"];
const SOURCE_KEYS: &[&str] = &["quelle", "source"];

/// Words after a line-end hyphen that mean the hyphen is real
/// (`Informations- und Kommunikationstechnik`).
const CONJUNCTIONS: &[&str] = &["und", "oder", "bzw", "sowie", "bis", "als", "and", "or", "to"];

/// Parses one article in the text layout. `text` is the decoded file.
pub fn parse(text: &str) -> Result<Article, TextError> {
    parse_as(text, Content::Full)
}

/// [`parse`], keeping `content` of the article.
pub fn parse_as(text: &str, content: Content) -> Result<Article, TextError> {
    if let Some(parsed) = parse_if_clean(text, content) {
        return parsed;
    }
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        let unified = text.replace("\r\n", "\n").replace('\r', "\n");
        parse_clean(&clean_text_cow(&unified), content)
    } else {
        parse_clean(&clean_text_cow(text), content)
    }
}

/// [`parse_as`] without cleaning: `None` when `text` needs it first. The
/// common case: no control character (so no CR either), nothing to clean;
/// without the text, only in the lines the fields come from.
pub(crate) fn parse_if_clean(text: &str, content: Content) -> Option<Result<Article, TextError>> {
    if content == Content::Metadata
        && let Some(parsed) = parse_lean(text)
    {
        return Some(parsed);
    }
    crate::sanitize::is_clean(text).then(|| parse_clean(text, content))
}

/// [`parse_as`] for text that needs no cleaning: [`crate::sanitize::is_clean`]
/// holds for it, or it came out of [`clean_text_cow`] with CRs made newlines.
fn parse_clean(text: &str, content: Content) -> Result<Article, TextError> {
    parse_lines(text, content, false).unwrap_or(Err(TextError::Empty))
}

/// The article without its text, from text not checked for what cleaning
/// would change: what [`parse_as`] gives, or `None` when that needs the
/// whole text cleaned first. Only the lines the fields come from (header,
/// first and last paragraph, trailer) are checked, so a metadata load does
/// not look at every letter of the body it drops. That is the same as
/// cleaning the whole text first as long as cleaning keeps the lines as they
/// are, which it does but for a CR (a line break of its own), an escape or C1
/// control (whose sequence may run over lines) and a line only of characters
/// cleaning removes (which then ends a block): the first two are looked for
/// here, the last is in a checked line wherever it could move a boundary
/// the fields depend on. A NUL is left to the full path, which refuses it.
fn parse_lean(text: &str) -> Option<Result<Article, TextError>> {
    let bytes = text.as_bytes();
    if memchr::memchr3(b'\r', 0x1b, 0, bytes).is_some() {
        return None;
    }
    // C1 controls that begin a sequence: U+0090, U+0098, U+009B, U+009D-U+009F.
    if memchr::memchr_iter(0xc2, bytes).any(|at| matches!(bytes.get(at + 1), Some(0x90 | 0x98 | 0x9b | 0x9d..=0x9f))) {
        return None;
    }
    parse_lines(text, Content::Metadata, true)
}

/// The parser. With `check`, it gives `None` unless every line it looked
/// at is clean (see [`parse_lean`]; only for [`Content::Metadata`]).
fn parse_lines(text: &str, content: Content, check: bool) -> Option<Result<Article, TextError>> {
    let mut lines: Vec<&str> = Vec::with_capacity(text.len() / 64);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]) {
        lines.push(trim_line(&text[start..end]));
        start = end + 1;
    }
    let mut blocks = split_blocks(&lines);
    let mut article = Article::default();
    // The trailer's fields first: nothing after this touches them.
    let body_end = blocks.len() - trailer_blocks(&blocks);
    apply_trailer(&mut article, blocks[body_end..].iter().flat_map(|b| b.iter()));
    blocks.truncate(body_end);
    if blocks.is_empty() {
        // Only trailer lines, which are trailer lines after cleaning too.
        return Some(Err(TextError::Empty));
    }
    let lead_at = blocks.iter().position(|b| b[0].starts_with('[') && parse_date_prefix(&joined(b)).is_some());
    // Without a dated block, the first line of every block was looked at
    // (and how many blocks there are, which a line cleaning empties
    // changes): all of it is checked. With one, the text up to it.
    let checked_all = check && lead_at.is_none();
    if checked_all && !crate::sanitize::is_clean(text) {
        return None;
    }
    let first_text = match lead_at {
        Some(i) if i >= 1 => {
            article.title = clean_line(&joined(blocks[i - 1]));
            if i >= 2 {
                article.kicker = Some(match &blocks[..i - 1] {
                    [one] => clean_line(&joined(one)),
                    several => clean_line(&several.concat().join(" ")),
                });
            }
            i
        }
        Some(_) => 0, // the date block is the very first: no title of its own
        None => header_without_date(&blocks, &mut article),
    };
    let text_blocks = &blocks[first_text..];
    let paragraphs_of = |blocks: &[&[&str]]| {
        let mut paragraphs: Vec<String> = blocks.iter().map(|&b| unwrap_lines(b)).collect();
        merge_page_breaks(&mut paragraphs);
        paragraphs
    };
    let mut paragraphs = match content {
        Content::Full => paragraphs_of(text_blocks),
        Content::Metadata => {
            // Only what the other fields come from: the first paragraph
            // (date, perhaps the title) and the last (author initials).
            let (first_end, last_start) = first_and_last_paragraph(text_blocks);
            if check && !checked_all {
                // From the start to the first paragraph's end and the line
                // after it (which told where it ends), and from the last
                // paragraph to the end, trailer included; at least the first
                // 512 bytes, which `decode` samples to tell text from binary.
                // (Whether the last paragraph joins the block before it
                // depends on that block's last line too; but cleaning never
                // makes a line end a sentence that did not, and where it
                // makes one end that did not, the two were joined.)
                let at = |line: &str| line.as_ptr() as usize - text.as_ptr() as usize;
                let mut front = text_blocks.get(first_end).map_or(text.len(), |b| at(b[0]) + b[0].len()).max(512);
                while !text.is_char_boundary(front.min(text.len())) {
                    front += 1;
                }
                let front = front.min(text.len());
                let back = text_blocks.get(last_start).map_or(front, |b| at(b[0])).max(front);
                if !crate::sanitize::is_clean(&text[..front]) || !crate::sanitize::is_clean(&text[back..]) {
                    return None;
                }
            }
            let mut both = paragraphs_of(&text_blocks[..first_end]);
            both.extend(paragraphs_of(&text_blocks[last_start..]));
            both
        }
    };
    if let Some(first) = paragraphs.first_mut()
        && let Some((date, rest)) = parse_date_prefix(first)
    {
        article.date = Some(date);
        let date_len = first.len() - rest.len();
        first.drain(..date_len);
    }
    if article.title.is_empty() {
        // Only a dated paragraph: take its first sentence as title.
        let first = paragraphs.first().cloned().unwrap_or_default();
        article.title = first.split(". ").next().unwrap_or_default().to_string();
    }
    if article.title.is_empty() {
        return Some(Err(TextError::Empty));
    }
    article.title = cap_title(article.title);
    paragraphs.retain(|p| !p.is_empty());
    if !paragraphs.is_empty() {
        article.details.lead = Some(paragraphs.remove(0));
    }
    article.details.body = paragraphs.into_iter().map(Para::from).collect();
    take_author(&mut article);
    match content {
        Content::Full => {
            // Hyphen joins and page-break joins leave spare capacity; give it back.
            let details = &mut *article.details;
            details.body.iter_mut().map(|p| &mut p.text).chain(details.lead.as_mut()).for_each(String::shrink_to_fit);
            details.body.shrink_to_fit();
        }
        Content::Metadata => {
            article.drop_text();
        }
    }
    article.id = ArticleId::from_content(&article.title, article.date);
    Some(Ok(article))
}

/// `line.trim()`, without decoding letters when the line starts and ends
/// with a visible ASCII character (most lines do).
fn trim_line(line: &str) -> &str {
    match (line.as_bytes().first(), line.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => line,
        _ => line.trim(),
    }
}

/// Longer titles are cut: a file of one endless line is not a headline.
pub const MAX_TITLE_CHARS: usize = 1_000;

/// Cuts a title to [`MAX_TITLE_CHARS`] characters, ending it with `…`.
pub fn cap_title(title: String) -> String {
    if title.len() <= MAX_TITLE_CHARS {
        return title; // no more characters than bytes
    }
    match title.char_indices().nth(MAX_TITLE_CHARS) {
        Some((at, _)) => format!("{}…", title[..at].trim_end()),
        None => title,
    }
}

/// A block's lines joined with spaces; a one-line block is not copied.
fn joined<'a>(block: &[&'a str]) -> std::borrow::Cow<'a, str> {
    match block {
        [line] => std::borrow::Cow::Borrowed(line),
        _ => std::borrow::Cow::Owned(block.join(" ")),
    }
}

/// Splits trimmed lines into blocks of non-blank lines.
fn split_blocks<'a, 'b>(lines: &'b [&'a str]) -> Vec<&'b [&'a str]> {
    let mut blocks = Vec::with_capacity(lines.len() / 2 + 1);
    blocks.extend(lines.split(|l| l.is_empty()).filter(|b| !b.is_empty()));
    blocks
}

/// A recognised trailer line, with its value.
enum TrailerLine<'a> {
    Link(&'a str),
    Tags(&'a str),
    Credit(&'a str),
    Source(&'a str),
}

fn trailer_line(line: &str) -> Option<TrailerLine<'_>> {
    if let Some(inner) = line.strip_prefix('<').and_then(|l| l.strip_suffix('>'))
        && (inner.starts_with("http://") || inner.starts_with("https://"))
        && !inner.contains(char::is_whitespace)
    {
        return Some(TrailerLine::Link(inner));
    }
    let (key, value) = line.split_once(':')?;
    // Trailer keys are short: a sentence with a colon is not looked at further.
    if key.len() > 24 {
        return None;
    }
    let key = key.trim();
    // Lowercasing keeps the length of every letter in these keys, so a key
    // of another length is not compared further; as the keys are lower
    // case, ASCII case-folding settles most of the others.
    let is = |keys: &[&str]| {
        keys.iter().any(|k| {
            key.len() == k.len()
                && (key.eq_ignore_ascii_case(k) || key.chars().flat_map(char::to_lowercase).eq(k.chars()))
        })
    };
    let value = value.trim();
    if is(TAG_KEYS) {
        Some(TrailerLine::Tags(value))
    } else if is(CREDIT_KEYS) {
        Some(TrailerLine::Credit(value))
    } else if is(SOURCE_KEYS) {
        Some(TrailerLine::Source(value))
    } else {
        None
    }
}

/// How many blocks at the end are made only of trailer lines.
fn trailer_blocks(blocks: &[&[&str]]) -> usize {
    blocks.iter().rev().take_while(|b| b.iter().all(|l| trailer_line(l).is_some())).count()
}

/// Fills links, tags, image credit and source from trailer lines, in order.
fn apply_trailer<'a>(article: &mut Article, lines: impl Iterator<Item = &'a &'a str>) {
    for line in lines {
        match trailer_line(line) {
            Some(TrailerLine::Link(l)) => article.details.links.push(l.to_string()),
            Some(TrailerLine::Tags(t)) => article.tags.extend(tags_in(t).map(|t| crate::article::shared_tag(&t))),
            Some(TrailerLine::Credit(c)) => article.details.image_credit = crate::text::non_empty(c.to_string()),
            Some(TrailerLine::Source(s)) => {
                article.source = crate::text::non_empty(s.to_string()).map(|s| crate::article::shared_source(&s))
            }
            None => {}
        }
    }
    super::dedup_tags(&mut article.tags);
}

/// Splits a tag list: commas (or semicolons) separate, whitespace and a
/// trailing period are trimmed.
pub fn split_tags(value: &str) -> Vec<String> {
    tags_in(value).collect()
}

fn tags_in(value: &str) -> impl Iterator<Item = String> + '_ {
    value.split([',', ';']).map(|t| clean_line(t.trim().trim_end_matches('.').trim())).filter(|t| !t.is_empty())
}

/// Without a dated lead: a short first line above a headline-like second
/// block is a kicker. Returns the index of the first text block.
fn header_without_date(blocks: &[&[&str]], article: &mut Article) -> usize {
    let one_line = |b: &[&str], max: usize| b.len() == 1 && b[0].chars().count() <= max && !ends_sentence(b[0]);
    if blocks.len() >= 3 && one_line(blocks[0], 40) && one_line(blocks[1], 200) {
        article.kicker = Some(clean_line(blocks[0][0]));
        article.title = clean_line(blocks[1][0]);
        2
    } else {
        article.title = clean_line(&blocks[0].join(" "));
        1
    }
}

/// `[22.2.2022] rest` → the date and the rest.
fn parse_date_prefix(text: &str) -> Option<(NaiveDate, &str)> {
    let inner_end = text.strip_prefix('[')?.find(']')?;
    let inner = &text[1..=inner_end];
    let mut parts = inner.split('.');
    let d: u32 = parts.next()?.trim().parse().ok()?;
    let m: u32 = parts.next()?.trim().parse().ok()?;
    let y_str = parts.next()?.trim();
    if parts.next().is_some() || y_str.len() != 4 {
        return None;
    }
    let y: i32 = y_str.parse().ok()?;
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    Some((date, text[inner_end + 2..].trim_start()))
}

/// Joins the hard-wrapped lines of a block into one line.
fn unwrap_lines(lines: &[&str]) -> String {
    // Exact for lines joined with spaces, the common case.
    let mut out = String::with_capacity(lines.iter().map(|l| l.len()).sum::<usize>() + lines.len().saturating_sub(1));
    for line in lines {
        join_fragment(&mut out, line);
    }
    out
}

/// Appends `next` to `out`, joining a word hyphenated across the break.
fn join_fragment(out: &mut String, next: &str) {
    if out.is_empty() {
        out.push_str(next);
        return;
    }
    let first_word = next.split_whitespace().next().unwrap_or("");
    let starts_lower = first_word.chars().next().is_some_and(char::is_lowercase);
    let conj = CONJUNCTIONS.contains(&first_word.trim_end_matches(['.', ',']));
    let before_hyphen = out.strip_suffix('-').and_then(|s| s.chars().last());
    let hyphenated = before_hyphen.is_some_and(char::is_alphabetic);
    if hyphenated && starts_lower && !conj {
        out.pop();
        out.push_str(next);
    } else if hyphenated && !starts_lower && !conj {
        // `E-` / `Mail`: a compound's own hyphen stays, without a space.
        out.push_str(next);
    } else {
        out.push(' ');
        out.push_str(next);
    }
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end().chars().last().is_some_and(|c| ".!?:;…\"'“”»«)]".contains(c))
}

/// A paragraph that starts with a lower-case letter or a digit may continue
/// the one before it.
fn may_continue(p: &str) -> bool {
    p.chars().next().is_some_and(|c| c.is_lowercase() || c.is_ascii_digit())
}

/// Joins paragraphs that a page break split: the first does not end a
/// sentence and the next starts with a lower-case letter or a digit.
fn merge_page_breaks(paragraphs: &mut Vec<String>) {
    let mut kept = 0;
    for i in 0..paragraphs.len() {
        let p = std::mem::take(&mut paragraphs[i]);
        if kept > 0 && may_continue(&p) && !ends_sentence(&paragraphs[kept - 1]) {
            join_fragment(&mut paragraphs[kept - 1], &p);
        } else {
            paragraphs[kept] = p;
            kept += 1;
        }
    }
    paragraphs.truncate(kept);
}

/// Which blocks [`merge_page_breaks`] makes the first paragraph (those
/// before the first index returned) and, if there is another, the last one
/// (those from the second index on). Whether a block joins the one before
/// depends only on its first line and the end of the block before (a joined
/// paragraph ends as its last block does), so the blocks between need not
/// be unwrapped.
fn first_and_last_paragraph(blocks: &[&[&str]]) -> (usize, usize) {
    let joins = |k: usize| {
        let last_line = blocks[k - 1].last().copied().unwrap_or_default();
        may_continue(blocks[k][0]) && !ends_sentence(last_line)
    };
    let first_end = (1..blocks.len()).find(|&k| !joins(k)).unwrap_or(blocks.len());
    let last_start = (first_end..blocks.len()).rev().find(|&k| !joins(k)).unwrap_or(blocks.len());
    (first_end, last_start)
}

/// Moves author initials like `(ve)` at the end of the last paragraph into
/// `author`. Other parentheses stay.
fn take_author(article: &mut Article) {
    let details = &mut *article.details;
    let last = match details.body.last_mut() {
        Some(p) => &mut p.text,
        None => match details.lead.as_mut() {
            Some(l) => l,
            None => return,
        },
    };
    let Some(open) = last.rfind('(') else { return };
    let Some(inner) = last[open + 1..].strip_suffix(')') else { return };
    let initials = !inner.is_empty()
        && inner.chars().count() <= 12
        && inner.split('/').all(|p| (1..=4).contains(&p.chars().count()) && p.chars().all(char::is_lowercase));
    let before = last[..open].trim_end();
    if initials && (before.is_empty() || ends_sentence(before)) {
        details.author = Some(inner.to_string());
        let before = before.to_string();
        *last = before;
        if last.is_empty() {
            details.body.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(s: &str) -> Article {
        parse(s).expect("parses")
    }

    #[test]
    fn parses_full_layout() {
        let a = art(
            "\n\nKiel\n\nNeue Fähre\n\n[3.04.2021] Der Lead.\n\nErster Absatz.\n\n<https://example.org/a>\n\nStichwörter: Verkehr, Kiel.\n\nBildquelle: Foto Nord\n\nQuelle: www.example.org",
        );
        assert_eq!(a.kicker.as_deref(), Some("Kiel"));
        assert_eq!(a.title, "Neue Fähre");
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2021, 4, 3));
        assert_eq!(a.details.lead.as_deref(), Some("Der Lead."));
        assert_eq!(a.details.body, vec!["Erster Absatz."]);
        assert_eq!(a.details.links, vec!["https://example.org/a"]);
        assert_eq!(a.tag_names(), vec!["Verkehr", "Kiel"]);
        assert_eq!(a.details.image_credit.as_deref(), Some("Foto Nord"));
        assert_eq!(a.source.as_deref(), Some("www.example.org"));
    }

    #[test]
    fn joins_page_break_and_hyphenated_word() {
        let a = art("T\n\n[1.1.2020] Lead.\n\nEs war von 2010 bis\n\n2018 so vorgese-\n\nhen worden.");
        assert_eq!(a.details.body, vec!["Es war von 2010 bis 2018 so vorgesehen worden."]);
    }

    #[test]
    fn keeps_paragraphs_that_end_sentences() {
        let a = art("T\n\n[1.1.2020] Lead.\n\nEins.\n\nzwei.");
        assert_eq!(a.details.body.len(), 2);
    }

    #[test]
    fn unwraps_hard_wrapped_lines_and_keeps_real_hyphens() {
        let a = art("T\n\n[1.1.2020] Ein\nLead mit Informations-\nund Kommunikations-\ntechnik.");
        assert_eq!(a.details.lead.as_deref(), Some("Ein Lead mit Informations- und Kommunikationstechnik."));
    }

    #[test]
    fn author_initials_leave_body_other_parentheses_stay() {
        let a = art("T\n\n[1.1.2020] Lead.\n\nText (wir berichteten). (ve)");
        assert_eq!(a.details.author.as_deref(), Some("ve"));
        assert_eq!(a.details.body, vec!["Text (wir berichteten)."]);
        let b = art("T\n\n[1.1.2020] Lead.\n\nText (wir berichteten)");
        assert_eq!(b.details.author, None);
        assert_eq!(b.details.body, vec!["Text (wir berichteten)"]);
    }

    #[test]
    fn missing_parts_still_load() {
        let a = art("Nur ein Titel\n\nEin Absatz ohne Datum.\n\nNoch einer.");
        assert_eq!(a.kicker, None);
        assert_eq!(a.title, "Nur ein Titel");
        assert_eq!(a.date, None);
        assert_eq!(a.details.lead.as_deref(), Some("Ein Absatz ohne Datum."));
        assert!(a.tags.is_empty());
        assert_eq!(parse("\n \n"), Err(TextError::Empty));
    }

    #[test]
    fn date_without_leading_zeros_and_with_them() {
        assert_eq!(art("T\n\n[05.09.2019] x").date, NaiveDate::from_ymd_opt(2019, 9, 5));
        assert_eq!(art("T\n\n[5.9.2019] x").date, NaiveDate::from_ymd_opt(2019, 9, 5));
    }

    #[test]
    fn tags_trimmed_deduplicated_and_whole() {
        let a = art("T\n\n[1.1.2020] x\n\nSchlagwörter:  Onlinezugangsgesetz (OZG) , ozg, OZG ,Bund.");
        assert_eq!(a.tag_names(), vec!["Onlinezugangsgesetz (OZG)", "ozg", "Bund"]);
    }

    #[test]
    fn decomposed_tags_become_nfc() {
        let a = art("T\n\n[1.1.2020] x\n\nTags: Ko\u{308}ln");
        assert_eq!(a.tag_names(), vec!["Köln"]);
    }

    #[test]
    fn crlf_and_escape_sequences() {
        let a = art("Ti\x1b[31mtel\r\n\r\n[1.1.2020] Le\x1b]0;pwn\x07ad\r\n");
        assert_eq!(a.title, "Titel");
        assert_eq!(a.details.lead.as_deref(), Some("Lead"));
    }

    #[test]
    fn lines_trimmed_of_any_whitespace() {
        for line in ["a", " a ", "\u{a0}Ä\u{3000}", "x.", "Ä b", " ", "", "\u{2003}"] {
            assert_eq!(trim_line(line), line.trim(), "{line:?}");
        }
    }

    #[test]
    fn trailer_keys_in_any_case() {
        for key in ["Stichwörter", "STICHWÖRTER", "stichwörter", "SchlagWörter", "TAGS", "keywords", "Schlagworte"]
        {
            let a =
                art(&format!("T\n\n[1.1.2020] Lead.\n\n{key}: Bahn, Netz\n\nQUELLE: Stadtbote\n\nBildQuelle: Archiv"));
            assert_eq!(a.tag_names(), ["Bahn", "Netz"], "{key}");
            assert_eq!(
                (a.source.as_deref(), a.details.image_credit.as_deref()),
                (Some("Stadtbote"), Some("Archiv")),
                "{key}"
            );
            assert_eq!(a.details.lead.as_deref(), Some("Lead."), "{key}");
        }
        // A key of the same length that is not one stays text.
        let a = art("T\n\n[1.1.2020] Lead.\n\nStichwärter: Bahn");
        assert!(a.tags.is_empty());
        assert_eq!(a.details.body, ["Stichwärter: Bahn"]);
    }

    /// The first and the last paragraph may each span page breaks; loading
    /// without text must still find all of each.
    #[test]
    fn metadata_comes_from_whole_first_and_last_paragraphs() {
        let cases = [
            // No title block: the title is the first sentence of the first
            // paragraph, which a page break split.
            "[1.2.2020] Der Rat tagt am\n\nmontag. Dann mehr.\n\nNoch ein Absatz.",
            // Initials hyphenated across a page break: `(abcd)` after a sentence.
            "Titel\n\n[1.2.2020] Lead.\n\nMitte.\n\nText endet. (ab-\n\ncd)",
            // The only paragraph, with date and initials, split in two.
            "Titel\n\n[1.2.2020] Kurz und\n\nbündig. (ve)",
        ];
        for text in cases {
            let full = parse(text).unwrap();
            let lean = parse_as(text, Content::Metadata).unwrap();
            let mut bare = full;
            bare.drop_text();
            assert_eq!(lean, bare, "{text}");
        }
        assert_eq!(parse(cases[0]).unwrap().title, "Der Rat tagt am montag");
        assert_eq!(parse(cases[1]).unwrap().details.author.as_deref(), Some("abcd"));
        assert_eq!(parse(cases[2]).unwrap().details.author.as_deref(), Some("ve"));
    }

    /// A metadata load checks only the lines its fields come from; where
    /// cleaning the rest would move them, it must notice and clean first.
    #[test]
    fn metadata_from_unchecked_text_is_what_cleaning_first_gives() {
        let zw = '\u{200b}';
        // Past the first 512 bytes, which are checked anyway (the full
        // path's test for binary files looks at them).
        let pad = "und so weiter ".repeat(40);
        let cases = [
            // A date block whose zero-width space hides its bracket: no
            // dated block before cleaning, a different title after it.
            format!("Titel\n\nErster Absatz {pad}.\n\nMitte.\n\n{zw}[2.2.2021] Später.\n\nMehr.\n\nEnde."),
            // The block after the first paragraph continues it once its
            // zero-width space goes: the title is the first sentence.
            format!("[1.2.2020] Kurz ohne Punkt {pad}\n\n{zw}weiter hier. Rest.\n\nMitte.\n\nEnde."),
            // A trailer line that is one only without the zero-width space.
            format!("Titel\n\n[1.2.2020] Text {pad}.\n\nMitte.\n\nStichwörter{zw}: a, b"),
            // A line only of it splits the last block: tags after it.
            format!("Titel\n\n[1.2.2020] Text {pad}.\n\nMitte.\n\nEnde.\n{zw}\nStichwörter: a"),
            // An OSC sequence in the middle that runs over the trailer, in
            // its escape form and its C1 form.
            format!("Titel\n\n[1.2.2020] Text {pad}.\n\nA.\n\nMitte \u{1b}]0;x\n\nB.\n\nEnde.\n\nQuelle: y"),
            format!("Titel\n\n[1.2.2020] Text {pad}.\n\nA.\n\nMitte \u{9d}0;x\n\nB.\n\nEnde.\n\nQuelle: y"),
            // A CR that trimming takes off a line, but which is a line
            // break of its own: the trailer is a block of its own.
            format!("Titel\n\n[1.2.2020] Text {pad}.\n\nEnde.\r\r\nStichwörter: a"),
            // A header past the first 512 bytes, split by a line cleaning empties.
            format!("Dachzeile {pad}\n{zw}\nTitel\n\n[1.2.2020] Text.\n\nEnde."),
            // A trailer value that cleaning changes.
            format!("Titel\n\n[1.2.2020] Text {pad}.\n\nEnde.\n\nQuelle: Zeitung\u{202e}"),
        ];
        for text in &cases {
            let mut full = parse(text).unwrap();
            full.drop_text();
            assert_eq!(parse_as(text, Content::Metadata).unwrap(), full, "{text:?}");
        }
        assert_eq!(parse(&cases[0]).unwrap().title, "Mitte.");
        assert!(parse(&cases[1]).unwrap().title.ends_with("und so weiter weiter hier"));
        assert_eq!(parse(&cases[2]).unwrap().tags.len(), 2);
        assert_eq!(parse(&cases[3]).unwrap().tags.len(), 1);
        assert_eq!(parse(&cases[4]).unwrap().source, None);
        assert_eq!(parse(&cases[6]).unwrap().tags.len(), 1);
        assert_eq!(parse(&cases[7]).unwrap().title, "Titel");
        assert_eq!(parse(&cases[8]).unwrap().source.as_deref(), Some("Zeitung"));
        // Clean text keeps the quick way, whatever its body holds.
        let clean_but_body = format!("Titel\n\n[1.2.2020] {pad}.\n\nMitte.\n\nMit\tte{zw}.\n\nAuch.\n\nEnde. (ve)");
        let lean = parse_lean(&clean_but_body).expect("the body is not looked at").unwrap();
        assert_eq!((lean.title.as_str(), lean.details.author.as_deref()), ("Titel", Some("ve")));
    }

    #[test]
    fn id_is_stable_for_same_content() {
        let a = art("T\n\n[1.1.2020] x");
        let b = art("t\n\n[1.1.2020] anderer Text");
        assert_eq!(a.id, b.id);
        assert_ne!(a.id, art("T\n\n[2.1.2020] x").id);
    }
}
