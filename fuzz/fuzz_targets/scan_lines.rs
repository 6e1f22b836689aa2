//! Fuzz target `scan_lines`: see `logleaks::fuzzing::scan_lines` for what it feeds and checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| logleaks::fuzzing::scan_lines(data));
