#![no_main]
//! The text-layout parser on arbitrary bytes (decoded as blatt decodes files):
//! it never panics, keeps titles clean, and a load without text gives every
//! other field exactly as a full one.

use blatt::formats::{Content, Format, parse_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = blatt::formats::decode::decode(data)
        && let Ok(article) = blatt::formats::text::parse(&text)
    {
        assert!(!article.title.is_empty());
        assert!(!article.title.chars().any(blatt::sanitize::is_forbidden));
    }
    let full = parse_bytes(Format::Text, data, Content::Full);
    let lean = parse_bytes(Format::Text, data, Content::Metadata);
    let without_text: Vec<blatt::Article> =
        full.articles.into_iter().map(|a| blatt::Article { lead: None, body: vec![], ..a }).collect();
    assert_eq!(lean.articles, without_text);
    assert_eq!(lean.problems, full.problems);
});
