#![no_main]
//! blatt's JSON and JSON Lines loaders on arbitrary text.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    let _ = blatt::formats::json::parse_document(data);
    let _ = blatt::formats::json::parse_lines(data);
});
