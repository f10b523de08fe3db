#![no_main]
//! The text-layout parser on arbitrary bytes (decoded as blatt decodes files).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = blatt::formats::decode::decode(data)
        && let Ok(article) = blatt::formats::text::parse(&text)
    {
        assert!(!article.title.is_empty());
        assert!(!article.title.chars().any(blatt::sanitize::is_forbidden));
    }
});
