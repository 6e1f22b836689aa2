//! Fuzz target `decompress`: see `logleaks::fuzzing::decompress` for what it feeds and checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| logleaks::fuzzing::decompress(data));
