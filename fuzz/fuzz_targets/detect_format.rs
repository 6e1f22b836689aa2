//! Fuzz target `detect_format`: see `logleaks::fuzzing::detect_format` for what it feeds and checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| logleaks::fuzzing::detect_format(data));
