//! Bytes to text: BOMs, UTF-8, and the Windows-1252 fallback for old files.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DecodeError {
    #[error("binary file (not text): {0}")]
    Binary(&'static str),
}

/// Decodes a file: a BOM (UTF-8, UTF-16) wins; otherwise valid UTF-8 is taken
/// as is, and anything else is read as Windows-1252, which maps every byte.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return check_text(text.into_owned());
    }
    if bytes.contains(&0) {
        return Err(DecodeError::Binary("it contains NUL bytes"));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    };
    check_text(text)
}

/// Refuses text that is mostly control characters: such a file is binary.
fn check_text(text: String) -> Result<String, DecodeError> {
    if text.contains('\0') {
        return Err(DecodeError::Binary("it contains NUL characters"));
    }
    let sample: Vec<char> = text.chars().take(4096).collect();
    let controls = sample.iter().filter(|c| c.is_control() && !c.is_whitespace()).count();
    if !sample.is_empty() && controls * 10 > sample.len() {
        return Err(DecodeError::Binary("more than a tenth of it is control characters"));
    }
    Ok(text)
}

/// True when the bytes are UTF-8 as they stand (used to label decodings).
pub fn is_utf8(bytes: &[u8]) -> bool {
    UTF_8.decode_without_bom_handling_and_without_replacement(bytes).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_smart_quotes_and_umlauts() {
        let bytes = b"\x93Gr\xfc\xdfe\x94 \x80";
        assert_eq!(decode(bytes).unwrap(), "\u{201c}Grüße\u{201d} €");
        assert!(!is_utf8(bytes));
    }

    #[test]
    fn utf8_with_bom_and_utf16() {
        assert_eq!(decode(b"\xef\xbb\xbfK\xc3\xb6ln").unwrap(), "Köln");
        assert_eq!(decode(b"\xff\xfeK\x00\xf6\x00").unwrap(), "Kö");
    }

    #[test]
    fn nul_bytes_are_binary() {
        assert!(matches!(decode(b"ab\0cd"), Err(DecodeError::Binary(_))));
        assert!(matches!(decode(&[1u8, 2, 3, 4, 5, 6]), Err(DecodeError::Binary(_))));
    }
}
