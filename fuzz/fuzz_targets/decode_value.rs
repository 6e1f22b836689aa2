//! Fuzz target `decode_value`: see `logleaks::fuzzing::decode_value` for what it feeds and checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| logleaks::fuzzing::decode_value(data));
