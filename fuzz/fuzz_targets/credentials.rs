//! Fuzz target `credentials`: see `logleaks::fuzzing::credentials` for what it feeds and checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| logleaks::fuzzing::credentials(data));
