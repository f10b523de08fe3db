#![no_main]
//! The RSS / Atom / JSON Feed loader on arbitrary bytes.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = blatt::formats::feed::parse(data);
});
