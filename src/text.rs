//! Small text helpers shared by the loaders, the query language and the views.

use unicode_normalization::UnicodeNormalization;

/// The form in which tags, words and sources are compared: NFC, lower case.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.nfc().collect::<String>().to_lowercase()
}

/// Case-insensitive substring test; `needle` must already be [`fold`]ed.
pub fn contains_folded(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if haystack.is_ascii() && needle.is_ascii() {
        return haystack
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
    }
    haystack.to_lowercase().contains(needle)
}

/// Sets a string to `None` when it is empty after trimming.
pub fn non_empty(s: impl Into<String>) -> Option<String> {
    let s = s.into();
    let t = s.trim();
    if t.is_empty() { None } else { Some(t.to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_unifies_case_and_composition() {
        assert_eq!(fold("Bo\u{308}NIG"), fold("bönig"));
    }

    #[test]
    fn contains_folded_ignores_case() {
        assert!(contains_folded("Digitale KOMMUNE", "kommune"));
        assert!(contains_folded("ÜBER alles", "über"));
        assert!(!contains_folded("abc", "abd"));
    }
}
