//! Fuzz target `split_url`: see `logleaks::fuzzing::split_url` for what it feeds and checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| logleaks::fuzzing::split_url(data));
