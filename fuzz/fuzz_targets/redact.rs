//! Fuzz target `redact`: see `logleaks::fuzzing::redact` for what it feeds and checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| logleaks::fuzzing::redact(data));
