//! Searching the lines of an input, and the sinks that consume what is found.
//!
//! [`findings`] turns what the detector found in a line into [`crate::finding::Finding`]s, tied
//! to their input and line.

pub mod findings;
