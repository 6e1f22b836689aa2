//! Fuzz target `parse_format`: see `logleaks::fuzzing::parse_format` for what it feeds and checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| logleaks::fuzzing::parse_format(data));
