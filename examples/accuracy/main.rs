//! `accuracy`: the labelled accuracy benchmark of logleaks. It writes realistic logs in every
//! format logleaks reads, with credentials of every rule planted in every position (query
//! parameters first, middle and last, paths, referers, headers, cookies, bodies, signed URLs,
//! user-info) under every encoding (plain, percent, double, form, nested URLs one and two deep,
//! JSON escapes, nginx `\xHH`, HTML entities), among decoys of every family that must not be
//! reported (click ids, cache busters, request ids, hashes, cursors, OAuth state, placeholders,
//! masked values, public keys, documentation keys, CSRF tokens, image signatures). Then it runs
//! logleaks and prints precision, recall and value accuracy per rule, encoding, format and
//! position.
//!
//! ```text
//! cargo build --release && cargo run --release --example accuracy -- --seed 20261128 --records 3000
//! ```
//!
//! Options: `--seed N` (default 1), `--records N` per format (default 2000), `--dir DIR` (keep
//! the logs there; default: a temporary directory), `--logleaks PATH` (default
//! `target/release/logleaks`), `--verbose` (list every miss and false alarm).

mod bench;
mod catalogue;
mod decoys;
mod encode;
mod formats;
mod request;
mod rng;

use std::path::PathBuf;

fn main() {
    let mut seed = 1u64;
    let mut records = 2000usize;
    let mut dir: Option<PathBuf> = None;
    let mut logleaks = PathBuf::from("target/release/logleaks");
    let mut verbose = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{arg} needs a value")))
        };
        match arg.as_str() {
            "--seed" => seed = value().parse().unwrap_or_else(|_| usage("bad --seed")),
            "--records" => records = value().parse().unwrap_or_else(|_| usage("bad --records")),
            "--dir" => dir = Some(PathBuf::from(value())),
            "--logleaks" => logleaks = PathBuf::from(value()),
            "--verbose" => verbose = true,
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let temp;
    let dir = match dir {
        Some(d) => {
            std::fs::create_dir_all(&d).unwrap_or_else(|e| usage(&format!("{}: {e}", d.display())));
            d
        }
        None => {
            temp = tempfile::tempdir().unwrap_or_else(|e| usage(&e.to_string()));
            temp.path().to_path_buf()
        }
    };
    let generated = bench::generate(&dir, seed, records).unwrap_or_else(|e| usage(&e.to_string()));
    let found = bench::run(&logleaks, &dir).unwrap_or_else(|e| usage(&e.to_string()));
    let score = bench::score(&generated, &found);
    print!("{}", bench::report(&generated, &score));
    if verbose {
        for (label, near) in &score.misses {
            println!(
                "MISS {}:{} {} {} {} {:?} near={:?}",
                label.file,
                label.line,
                label.rule,
                label.encoding.name(),
                label.position.name(),
                label.secret,
                near.iter()
                    .map(|r| (&r.rule, &r.secret))
                    .collect::<Vec<_>>()
            );
        }
        for f in &score.false_alarms {
            println!("FALSE {}:{} {} {:?}", f.file, f.line, f.rule, f.secret);
        }
        for (label, got) in &score.wrong_values {
            println!(
                "VALUE {}:{} {} want {:?} got {:?}",
                label.file, label.line, label.rule, label.secret, got
            );
        }
    }
}

fn usage(message: &str) -> ! {
    eprintln!("accuracy: {message}");
    std::process::exit(2)
}
