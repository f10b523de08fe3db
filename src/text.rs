//! Small text helpers shared by the loaders, the query language and the views.

use unicode_normalization::UnicodeNormalization;

/// The form in which tags, words and sources are compared: NFC, lower case.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    if crate::sanitize::is_plain(s)
        || unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes
    {
        // Already NFC (as text is after loading).
        return s.to_lowercase();
    }
    s.nfc().collect::<String>().to_lowercase()
}

/// The key by which names and titles are put in alphabetical order: accents
/// folded as a German dictionary does (`ÖPNV` with the O's, `ß` as `ss`), then
/// the case-folded text to order what that leaves equal.
pub fn sort_key(s: &str) -> (String, String) {
    let folded = fold(s);
    if folded.is_ascii() {
        return (folded.clone(), folded);
    }
    let mut base = String::with_capacity(folded.len());
    for c in folded.nfd() {
        match c {
            'ß' => base.push_str("ss"),
            c if unicode_normalization::char::is_combining_mark(c) => {}
            c => base.push(c),
        }
    }
    (base, folded)
}

/// Case-insensitive substring test; `needle` must already be [`fold`]ed.
pub fn contains_folded(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if haystack.is_ascii() && needle.is_ascii() {
        return haystack.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
    }
    haystack.to_lowercase().contains(needle)
}

/// A word or phrase to look for, prepared once for many haystacks.
#[derive(Debug, Clone)]
pub struct Needle {
    folded: String,
    /// For ASCII words: a case-insensitive matcher that needs no lowercase
    /// copy of the haystack, which is most of the cost of full-text search.
    /// (It ignores the rare non-ASCII letters whose lower case is ASCII,
    /// such as the Kelvin sign.)
    ascii: Option<aho_corasick::AhoCorasick>,
}

impl Needle {
    pub fn new(word: &str) -> Needle {
        let folded = fold(word);
        let ascii = if folded.is_ascii() && !folded.is_empty() {
            aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build([&folded]).ok()
        } else {
            None
        };
        Needle { folded, ascii }
    }

    /// The folded word.
    pub fn folded(&self) -> &str {
        &self.folded
    }

    /// Is the word in `haystack`, ignoring case?
    pub fn found_in(&self, haystack: &str) -> bool {
        match &self.ascii {
            Some(finder) => finder.is_match(haystack),
            None => contains_folded(haystack, &self.folded),
        }
    }
}

/// Byte ranges of `text` where one of the folded `terms` occurs, compared
/// in folded form (so `FÖRDE` is found for `förde`) and mapped back to whole
/// characters of `text`. Sorted, and overlapping hits merged.
pub fn find_folded(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    if terms.iter().all(|t| t.is_empty()) {
        return vec![];
    }
    // The folded text, and for each of its bytes the original character's range.
    let mut folded = String::with_capacity(text.len());
    let mut origin: Vec<(usize, usize)> = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        for lower in c.to_lowercase() {
            folded.push(lower);
            origin.extend(std::iter::repeat_n((at, at + c.len_utf8()), lower.len_utf8()));
        }
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    for term in terms.iter().filter(|t| !t.is_empty()) {
        for (start, m) in folded.match_indices(term.as_str()) {
            out.push((origin[start].0, origin[start + m.len() - 1].1));
        }
    }
    out.sort_unstable();
    out.dedup_by(|b, a| {
        let overlap = b.0 <= a.1;
        if overlap {
            a.1 = a.1.max(b.1);
        }
        overlap
    });
    out
}

/// `1 article`, `2 articles`: a count with its noun in the right number.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `1204` → `1,204`: counts in the status line and the command line.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Sets a string to `None` when it is empty after trimming.
pub fn non_empty(s: impl Into<String>) -> Option<String> {
    let s = s.into();
    let t = s.trim();
    if t.is_empty() {
        None
    } else if t.len() == s.len() {
        Some(s)
    } else {
        Some(t.to_string())
    }
}

/// Display width in terminal columns (CJK counts two, combining marks zero).
pub fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` columns, ending in `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `s` cut or padded with spaces to exactly `cols` columns.
pub fn fit(s: &str, cols: usize) -> String {
    let mut t = truncate(s, cols);
    let w = width(&t);
    t.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(37), "37");
        assert_eq!(thousands(1204), "1,204");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn truncate_and_fit_count_columns_not_chars() {
        assert_eq!(truncate("日本語のニュース", 7), "日本語…");
        assert_eq!(width(&fit("日本語のニュース", 7)), 7);
        assert_eq!(fit("Bo\u{308}n", 5), "Bo\u{308}n  ");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
    }

    #[test]
    fn fold_unifies_case_and_composition() {
        assert_eq!(fold("Bo\u{308}NIG"), fold("bönig"));
    }

    #[test]
    fn needles_match_like_contains_folded() {
        for (hay, word) in
            [("Die FÖRDE", "förde"), ("Digitale KOMMUNE", "kommune"), ("Straße", "STRASSE"), ("abc", "b")]
        {
            let n = Needle::new(word);
            assert_eq!(n.found_in(hay), contains_folded(hay, &fold(word)), "{hay} / {word}");
        }
        assert!(Needle::new("Kultur").found_in("die kulturelle Mitte"));
        assert!(!Needle::new("förde").found_in("Forde"));
    }

    #[test]
    fn folded_hits_are_whole_words_of_the_original_and_no_near_misses() {
        let terms = ["form".to_string()];
        assert_eq!(find_folded("Fort und Formular, FORM", &terms), [(9, 13), (19, 23)]);
        assert!(find_folded("Fort For", &terms).is_empty(), "no near-miss");
        let text = "Die Förde und die FÖRDE";
        let hits = find_folded(text, &["förde".to_string()]);
        assert_eq!(hits.iter().map(|&(a, b)| &text[a..b]).collect::<Vec<_>>(), ["Förde", "FÖRDE"]);
        // İ lowercases to two characters; the hit still covers whole characters.
        let hits = find_folded("İstanbul", &["i̇stan".to_string()]);
        assert_eq!(hits, [(0, "İstan".len())]);
        assert_eq!(find_folded("aaaa", &["aa".to_string(), "a".to_string()]), [(0, 4)], "overlaps merged");
    }

    #[test]
    fn accented_names_sort_with_their_base_letters() {
        let mut names = vec!["Zeitung", "ÖPNV", "Oberhausen", "Pinneberg", "Straße", "Strasbourg", "Äpfel", "Apfel"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, ["Apfel", "Äpfel", "Oberhausen", "ÖPNV", "Pinneberg", "Strasbourg", "Straße", "Zeitung"]);
    }

    #[test]
    fn contains_folded_ignores_case() {
        assert!(contains_folded("Digitale KOMMUNE", "kommune"));
        assert!(contains_folded("ÜBER alles", "über"));
        assert!(!contains_folded("abc", "abd"));
    }
}
