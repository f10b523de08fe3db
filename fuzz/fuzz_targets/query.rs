#![no_main]
//! The query parser: never panics, and what parses prints back to itself.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    if let Ok(q) = blatt::query::parse(data) {
        let printed = q.to_string();
        let again = blatt::query::parse(&printed).expect("printed queries parse");
        assert_eq!(again, q, "{printed}");
    }
});
