//! logleaks finds credentials that web servers wrote into their logs: API keys and tokens in
//! request lines and query strings, referers, upstream URLs and logged headers.
//!
//! A log line travels one way: [`input`] (bytes from files, stdin, gzip) → [`logformat`] (the
//! fields of a record) → [`decode`] (values as the server saw them) → [`rules`] and [`detect`]
//! (which credentials are there) → [`finding`] (one leak, redacted) → [`report`] (table, JSON).
//! [`search`] is the one line searcher every command reads logs with; [`scan`] runs it in
//! parallel with a deterministic output order; [`redact`] runs it to write the logs back with
//! every credential masked; [`inspect`] to say what logleaks makes of each file.

pub mod app;
pub mod cli;
pub mod config;
pub mod console;
pub mod decode;
pub mod detect;
pub mod filter;
pub mod finding;
#[doc(hidden)]
pub mod fuzzing;
pub mod input;
pub mod inspect;
pub mod logformat;
pub mod meta;
pub mod package_files;
pub mod printable;
pub mod redact;
pub mod report;
pub mod rules;
pub mod scan;
pub mod search;
pub mod state;
pub mod summary;
pub mod watch;
