//! Fuzz target `line_reader`: see `logleaks::fuzzing::line_reader` for what it feeds and checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| logleaks::fuzzing::line_reader(data));
