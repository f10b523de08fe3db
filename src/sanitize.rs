//! The one place where untrusted text is made safe to show in a terminal.
//!
//! Article text comes from strangers. Before it is stored, every field passes
//! through [`clean_text`] or [`clean_line`], which drop whole escape sequences
//! (CSI, OSC, DCS and friends, in their 7-bit and 8-bit forms), every other C0
//! and C1 control, bidi overrides and isolates, and zero-width characters, cap
//! runs of combining marks, and bring the result to NFC.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

const ESC: char = '\u{1b}';
const BEL: char = '\u{07}';
/// Eight-bit controls that open a sequence: DCS, SOS, CSI, ST, OSC, PM, APC.
const C1_DCS: char = '\u{90}';
const C1_SOS: char = '\u{98}';
const C1_CSI: char = '\u{9b}';
const C1_ST: char = '\u{9c}';
const C1_OSC: char = '\u{9d}';
const C1_PM: char = '\u{9e}';
const C1_APC: char = '\u{9f}';

/// More combining marks than this on one base character are dropped; a
/// "Zalgo" flood would otherwise smear over neighbouring cells.
const MAX_COMBINING: usize = 4;

/// Characters that must never reach a cell even though they are not controls.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
        | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'
        // Soft hyphens: the reader hyphenates by dictionary, and a terminal
        // may draw them as a hyphen in the middle of a line.
        | '\u{ad}')
}

/// True for anything [`clean_text`] removes outright.
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n') || is_invisible_format(c)
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Text,
    /// After ESC, waiting for the byte that says what kind of sequence this is.
    Escape,
    /// Inside a CSI sequence, until its final byte.
    Csi,
    /// Inside an OSC, DCS, SOS, PM or APC string, until BEL or ST.
    Str,
    /// Inside a string, just after ESC (possibly the start of ST).
    StrEscape,
    /// After ESC and an intermediate byte (such as `ESC ( B`).
    EscIntermediate,
}

/// Cleans multi-line text: keeps newlines, turns tabs into spaces, removes the
/// rest as described in the module docs, and returns NFC.
pub fn clean_text(input: &str) -> String {
    clean_text_cow(input).into_owned()
}

/// Like [`clean_text`], borrowing the input when it needs no change.
pub fn clean_text_cow(input: &str) -> std::borrow::Cow<'_, str> {
    if is_clean(input) {
        // Nothing to strip, and already NFC.
        return std::borrow::Cow::Borrowed(input);
    }
    std::borrow::Cow::Owned(clean_slow(input))
}

/// True when [`clean_slow`] would return `s` unchanged: no control but
/// newlines, no forbidden character, no combining mark and nothing that NFC
/// changes. Covers [`is_plain`] text and also typographic quotes and dashes
/// (`„…“ –`), which would otherwise be copied character by character.
pub(crate) fn is_clean(s: &str) -> bool {
    let clean_ascii = |x: u8| (0x20..0x7f).contains(&x) || x == b'\n';
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Runs of plain bytes (see `is_plain`), a chunk at a time; the short
        // rest (or a whole short field) padded with spaces to a chunk.
        let rest = &b[i..];
        let mut padded = [b' '; CHUNK];
        let chunk = match rest.first_chunk::<CHUNK>() {
            Some(chunk) => chunk,
            None => {
                padded[..rest.len()].copy_from_slice(rest);
                &padded
            }
        };
        if chunk_is_plain(chunk) {
            if rest.len() <= CHUNK {
                return true;
            }
            // A chunk may end on the first byte of a two-byte letter; then
            // that byte starts the next step.
            i += if chunk[CHUNK - 1] >= 0xc0 { CHUNK - 1 } else { CHUNK };
            continue;
        }
        // The bytes before the first suspicious one are plain, and that one
        // starts a character (a control, or the first byte of a letter):
        // only that character is looked at, then chunks again. (Letter by
        // letter to the chunk's end, one typographic quote cost a chunk.)
        i += chunk.iter().position(|&x| plain_suspicious(x)).unwrap_or(0);
        let c = s[i..].chars().next().expect("i is at a character boundary");
        let ok = if c.is_ascii() {
            clean_ascii(c as u8)
        } else {
            !is_forbidden(c)
                && (c < '\u{300}'
                    // Dashes, quotes, bullets and the ellipsis, in every
                    // typeset text: none is a mark or changed by NFC.
                    || ('\u{2010}'..='\u{2027}').contains(&c)
                    || (!is_combining_mark(c)
                        && unicode_normalization::char::canonical_combining_class(c) == 0
                        && unicode_normalization::is_nfc_quick(std::iter::once(c))
                            == unicode_normalization::IsNormalized::Yes))
        };
        if !ok {
            return false;
        }
        i += c.len_utf8();
    }
    true
}

/// Bytes looked at together by [`chunk_is_plain`].
const CHUNK: usize = 32;

/// No byte of `chunk` is [`plain_suspicious`]. Written without early exit
/// or short-circuits, on a fixed-size array, so that it compiles to a few
/// vector compares.
fn chunk_is_plain(chunk: &[u8; CHUNK]) -> bool {
    chunk.iter().fold(0u8, |acc, &x| acc | plain_suspicious(x) as u8) == 0
}

fn clean_slow(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut state = State::Text;
    let mut marks = 0usize;
    for c in input.chars() {
        state = match state {
            State::Text => text_char(c, &mut out, &mut marks),
            State::Escape => match c {
                '[' => State::Csi,
                ']' | 'P' | 'X' | '^' | '_' => State::Str,
                ' '..='/' => State::EscIntermediate,
                _ => State::Text,
            },
            State::EscIntermediate => match c {
                ' '..='/' => State::EscIntermediate,
                _ => State::Text,
            },
            State::Csi => match c {
                '\u{40}'..='\u{7e}' => State::Text,
                '\u{20}'..='\u{3f}' => State::Csi,
                // Anything else ends a broken sequence; do not lose real text.
                _ => text_char(c, &mut out, &mut marks),
            },
            State::Str => match c {
                BEL | C1_ST => State::Text,
                ESC => State::StrEscape,
                _ => State::Str,
            },
            State::StrEscape => match c {
                '\\' => State::Text,
                ESC => State::StrEscape,
                _ => State::Str,
            },
        };
    }
    if out.contains(ZWJ) {
        out = drop_loose_joiners(&out);
    }
    to_nfc(out)
}

const ZWJ: char = '\u{200d}';

/// The characters of `s` that cleaning removes, but for joiners inside
/// emoji sequences, which it keeps: empty for any cleaned text.
pub fn stray_characters(s: &str) -> Vec<char> {
    let chars: Vec<char> = s.chars().collect();
    let joins = |i: usize| i > 0 && i + 1 < chars.len() && is_emoji_part(chars[i - 1]) && is_emoji_part(chars[i + 1]);
    chars.iter().enumerate().filter(|&(i, &c)| is_forbidden(c) && !(c == ZWJ && joins(i))).map(|(_, &c)| c).collect()
}

/// A character that takes part in an emoji sequence: pictographs, symbols,
/// the emoji variation selector and skin tones.
fn is_emoji_part(c: char) -> bool {
    matches!(c, '\u{2600}'..='\u{27bf}' | '\u{2b00}'..='\u{2bff}' | '\u{fe0f}' | '\u{1f000}'..='\u{1faff}')
}

/// Keeps a zero-width joiner only between two emoji.
fn drop_loose_joiners(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let keep = c != ZWJ
            || (out.chars().next_back().is_some_and(is_emoji_part) && chars.peek().is_some_and(|&n| is_emoji_part(n)));
        if keep {
            out.push(c);
        }
    }
    out
}

/// True when `s` holds no control, no format character and nothing at or
/// above U+0300 (where combining marks and every non-NFC character start), so
/// cleaning would not change it. Cheap: most news text passes.
pub(crate) fn is_plain(s: &str) -> bool {
    // On UTF-8 bytes: U+0080..U+009F is C2 80..C2 9F, and every character
    // from U+0300 on starts with a byte of CC or above. The first test is a
    // simple predicate the compiler vectorises; C2 is looked at only if seen.
    let suspicious = plain_suspicious;
    let b = s.as_bytes();
    let (chunks, rest) = b.as_chunks::<CHUNK>();
    if chunks.iter().all(chunk_is_plain) && !rest.iter().any(|&x| suspicious(x)) {
        return true;
    }
    b.iter()
        .enumerate()
        .all(|(i, &x)| if x == 0xc2 { b.get(i + 1).is_some_and(|&n| n >= 0xa0 && n != 0xad) } else { !suspicious(x) })
}

/// A byte that [`is_plain`] looks at more closely: a control but newline,
/// DEL, the first byte of U+0080..U+00BF, or the first byte of anything from
/// U+0300 on.
fn plain_suspicious(x: u8) -> bool {
    // Bitwise, not short-circuit: see `chunk_is_plain`.
    ((x < 0x20) & (x != b'\n')) | (x == 0x7f) | (x == 0xc2) | (x >= 0xcc)
}

fn to_nfc(s: String) -> String {
    if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return s;
    }
    s.nfc().collect()
}

fn text_char(c: char, out: &mut String, marks: &mut usize) -> State {
    match c {
        ESC => return State::Escape,
        C1_CSI => return State::Csi,
        C1_OSC | C1_DCS | C1_SOS | C1_PM | C1_APC => return State::Str,
        '\t' => out.push(' '),
        '\n' => out.push('\n'),
        // A joiner after an emoji may join it to the next (👨‍👩‍👧): kept for
        // now, and dropped by `drop_loose_joiners` unless an emoji follows.
        ZWJ if out.chars().next_back().is_some_and(is_emoji_part) => out.push(c),
        // A removed character must not split a run of combining marks,
        // or cleaning twice would cut the run again (not idempotent).
        c if is_forbidden(c) => return State::Text,
        // No combining mark comes before U+0300; the table lookup is skipped for them.
        c if c >= '\u{300}' && is_combining_mark(c) => {
            *marks += 1;
            if *marks <= MAX_COMBINING {
                out.push(c);
            }
            return State::Text;
        }
        c => out.push(c),
    }
    *marks = 0;
    State::Text
}

/// Cleans text meant for one line (a title, a tag, a file name): like
/// [`clean_text`], with newlines folded to spaces and the ends trimmed.
pub fn clean_line(input: &str) -> String {
    let cleaned = clean_text_cow(input);
    if is_tidy(&cleaned) {
        return cleaned.into_owned();
    }
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when `s` is its words joined by single spaces.
fn is_tidy(s: &str) -> bool {
    let b = s.as_bytes();
    // Every whitespace character but the space is 09..0D or starts with
    // C2, E1, E2 or E3 in UTF-8; without those bytes, only spaces count.
    let maybe_space = |x: &u8| matches!(x, 0x09..=0x0d | 0xc2 | 0xe1..=0xe3);
    if !b.iter().any(maybe_space) {
        return b.first() != Some(&b' ') && b.last() != Some(&b' ') && memchr::memmem::find(b, b"  ").is_none();
    }
    !s.starts_with(char::is_whitespace)
        && !s.ends_with(char::is_whitespace)
        && !s.contains("  ")
        && !s.contains(|c: char| c.is_whitespace() && c != ' ')
}

/// A path as it may be shown in a message: escape sequences in file names are
/// removed like any other untrusted text.
pub fn display_path(path: &std::path::Path) -> String {
    clean_line(&path.to_string_lossy())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typographic_text_is_clean_as_it_is() {
        for s in ["„Zitat“ – so’n Ding … 5 €", "東京の新しい駅", "Ünïcödé", "a\nb"] {
            assert!(is_clean(s), "{s}");
            assert_eq!(clean_slow(s), s);
        }
        // Each needs the full cleaning: a tab, a control, bidi, zero-width,
        // a combining mark, a character NFC replaces (Ohm sign), ESC.
        for s in ["a\tb", "a\u{7}b", "a\u{202e}b", "a\u{200b}b", "e\u{301}", "5 \u{2126}", "a\x1b[1mb"] {
            assert!(!is_clean(s), "{s:?}");
            assert_ne!(clean_slow(s), s, "{s:?}");
        }
    }

    #[test]
    fn joiners_stay_only_inside_emoji_sequences_and_soft_hyphens_go() {
        let family = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}";
        assert_eq!(clean_text(&format!("Familie {family}!")), format!("Familie {family}!"));
        let flag = "\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}";
        assert_eq!(clean_text(flag), flag);
        assert_eq!(clean_text("a\u{200d}b \u{1f468}\u{200d} x \u{200d}\u{1f469}"), "ab \u{1f468} x \u{1f469}");
        assert_eq!(clean_text("Bun\u{ad}des\u{ad}tag"), "Bundestag");
        assert!(!is_plain("Bun\u{ad}destag") && !is_clean("Bun\u{ad}destag"));
        assert!(is_plain("Fu\u{df}ball \u{a0}5"), "other Latin-1 letters stay plain");
    }

    #[test]
    fn clean_check_steps_over_letters_at_every_chunk_edge() {
        for k in 0..2 * CHUNK + 8 {
            let text = format!("{}ü{}«ß»", "a".repeat(k), "b".repeat(k % 17));
            assert!(is_clean(&text), "{text}");
            for bad in ["\u{2126}", "e\u{301}", "\t", "\u{85}", "\u{202e}"] {
                let text = format!("{text}{}{bad}", "c".repeat(k));
                assert!(!is_clean(&text), "{text:?}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// The shortcut never passes text that cleaning would change.
        #[test]
        fn text_passed_as_clean_is_what_cleaning_gives(chars in proptest::collection::vec(proptest::prelude::any::<char>(), 0..60)) {
            let input: String = chars.into_iter().collect();
            if is_clean(&input) {
                proptest::prop_assert_eq!(clean_slow(&input), input);
            }
        }

        /// The byte shortcut of `is_tidy` agrees with its definition.
        #[test]
        fn tidy_is_words_joined_by_single_spaces(input in "[a-zä \t\n\u{a0}\u{85}\u{2000}-\u{200b}\u{3000}\u{1680}„–]{0,40}") {
            let words = input.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(is_tidy(&input), words == input);
        }

        /// The same on text made mostly of the characters that matter here.
        #[test]
        fn text_passed_as_clean_is_what_cleaning_gives_near_the_edges(input in "[a-zäöüßéÀ-ÿ \n„“–’…€\u{80}-\u{a0}\u{300}-\u{36f}\u{2126}\u{212b}\u{f900}-\u{f90f}\u{1100}-\u{1112}\u{1161}-\u{1175}\u{ac00}\u{202e}\u{200b}\t\x1b]{0,80}") {
            if is_clean(&input) {
                proptest::prop_assert_eq!(clean_slow(&input), input);
            }
        }
    }

    #[test]
    fn removes_whole_csi_sequences() {
        assert_eq!(clean_text("a\x1b[31mred\x1b[0m b"), "ared b");
        assert_eq!(clean_text("x\u{9b}2Jy"), "xy");
    }

    #[test]
    fn removes_osc_with_either_terminator() {
        assert_eq!(clean_text("a\x1b]52;c;aGVsbG8=\x07b"), "ab");
        assert_eq!(clean_text("a\x1b]0;title\x1b\\b"), "ab");
        assert_eq!(clean_text("a\u{9d}8;;http://x\u{9c}b"), "ab");
        assert_eq!(clean_text("a\x1bPq#0;2;0;0;0\x1b\\b"), "ab");
    }

    #[test]
    fn removes_controls_bidi_and_zero_width_but_keeps_newlines() {
        assert_eq!(clean_text("a\u{202e}b\u{200b}c\u{7}d\r\ne"), "abcd\ne");
        assert_eq!(clean_text("tab\there"), "tab here");
    }

    #[test]
    fn normalises_to_nfc() {
        assert_eq!(clean_text("Bo\u{308}nig"), "Bönig");
    }

    #[test]
    fn removed_characters_do_not_restart_a_combining_run() {
        let input = "\u{301}\u{301}\u{301}\u{7}\u{301}\u{301}";
        let once = clean_text(input);
        assert_eq!(once.chars().count(), MAX_COMBINING);
        assert_eq!(clean_text(&once), once);
    }

    #[test]
    fn caps_combining_floods() {
        let flood = format!("x{}", "\u{301}".repeat(50));
        assert_eq!(clean_text(&flood).chars().count(), 1 + MAX_COMBINING);
    }

    #[test]
    fn clean_line_folds_whitespace() {
        assert_eq!(clean_line("  a\n b\x1b[1m  c "), "a b c");
        // Each kind of untidy whitespace, ASCII and not, at the ends and inside.
        for s in [" a", "a ", "a  b", "a\tb", "a\u{a0}b", "\u{3000}a", "a\u{2009}", "a\u{85}b", "a \u{1680}b"] {
            assert!(!is_tidy(s), "{s:?}");
        }
        for s in ["a b", "Straße – „gut“", "東京 駅", "", "x"] {
            assert!(is_tidy(s), "{s:?}");
        }
    }
}
