//! Bytes to text: BOMs, UTF-8, and the Windows-1252 fallback for old files.

use encoding_rs::{Encoding, WINDOWS_1252};
use std::borrow::Cow;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DecodeError {
    #[error("binary file (not text): {0}")]
    Binary(&'static str),
}

/// Decodes a file: a BOM (UTF-8, UTF-16) wins; otherwise valid UTF-8 is taken
/// as is (borrowed, not copied), and anything else is read as Windows-1252,
/// which maps every byte.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if text.contains('\0') {
            return Err(DecodeError::Binary("it contains NUL characters"));
        }
        return check_text(text);
    }
    if memchr::memchr(0, bytes).is_some() {
        return Err(DecodeError::Binary("it contains NUL bytes"));
    }
    // simdutf8 validates many times faster than the standard library, which
    // matters when a collection holds hundreds of megabytes of text.
    let text = match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => WINDOWS_1252.decode_without_bom_handling(bytes).0,
    };
    check_text(text)
}

/// The text of a file that is UTF-8 without a BOM: what [`decode`] gives
/// when it also holds no NUL and is not mostly control characters, which
/// [`crate::sanitize::is_clean`] text is not.
pub fn utf8_without_bom(bytes: &[u8]) -> Option<&str> {
    if Encoding::for_bom(bytes).is_some() {
        return None;
    }
    simdutf8::basic::from_utf8(bytes).ok()
}

/// Refuses text that is mostly control characters: such a file is binary.
fn check_text(text: Cow<'_, str>) -> Result<Cow<'_, str>, DecodeError> {
    // NUL bytes were refused already; this looks at the start for other controls.
    let sample = &text.as_bytes()[..text.len().min(512)];
    let is_control = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f;
    let controls = sample.iter().filter(|&&b| is_control(b)).count();
    if controls * 10 > sample.len() {
        return Err(DecodeError::Binary("more than a tenth of it is control characters"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_smart_quotes_and_umlauts() {
        let bytes = b"\x93Gr\xfc\xdfe\x94 \x80";
        assert_eq!(decode(bytes).unwrap(), "\u{201c}Grüße\u{201d} €");
    }

    #[test]
    fn utf8_with_bom_and_utf16() {
        assert_eq!(decode(b"\xef\xbb\xbfK\xc3\xb6ln").unwrap(), "Köln");
        assert_eq!(decode(b"\xff\xfeK\x00\xf6\x00").unwrap(), "Kö");
    }

    #[test]
    fn utf8_text_needing_no_cleaning_is_the_decoded_text() {
        // The quick path of `parse_bytes` for text files.
        let clean_utf8 = |bytes| utf8_without_bom(bytes).filter(|text| crate::sanitize::is_clean(text));
        let plain: &[&[u8]] =
            &[b"Kiel\n\nNeue F\xc3\xa4hre\n", b"a", "Grüße, ½ Preis".as_bytes(), "„Zitat“ – 5 €".as_bytes()];
        for &bytes in plain {
            assert_eq!(clean_utf8(bytes), Some(decode(bytes).unwrap().as_ref()));
        }
        // A BOM, Windows-1252, a NUL, a CR, an escape, a combining mark, a
        // character NFC replaces (Ohm sign): the full path.
        let other: &[&[u8]] = &[
            b"\xef\xbb\xbfK",
            b"Gr\xfc\xdfe",
            b"a\0b",
            b"a\r\nb",
            b"a\x1b[31mb",
            "e\u{301}".as_bytes(),
            "5 \u{2126}".as_bytes(),
        ];
        for &bytes in other {
            assert_eq!(clean_utf8(bytes), None, "{bytes:?}");
        }
    }

    #[test]
    fn nul_bytes_are_binary() {
        assert!(matches!(decode(b"ab\0cd"), Err(DecodeError::Binary(_))));
        assert!(matches!(decode(&[1u8, 2, 3, 4, 5, 6]), Err(DecodeError::Binary(_))));
    }
}
