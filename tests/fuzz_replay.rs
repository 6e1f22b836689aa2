//! Replays the fuzzers' findings under the ordinary `cargo test`: every file of
//! `fuzz/corpus/<target>/` (seeds and what fuzzing kept) and of `fuzz/artifacts/<target>/`
//! (crashes, hangs and out-of-memory inputs found and fixed, kept as regression inputs) goes
//! through the same function as the fuzz target of that name, `logleaks::fuzzing::<target>`,
//! which checks the target's invariants. No nightly toolchain or cargo-fuzz is needed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use logleaks::fuzzing::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files directly in `dir`, sorted (none when it does not exist).
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// The subdirectories of `dir`, by name.
fn subdirectories(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .map(|e| e.expect("a readable directory entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The longest one input may take: a fuzzer's input that takes longer is a hang.
const SLOW: Duration = Duration::from_secs(5);

fn replay(target: &str, run: fn(&[u8]), dirs: &[&str]) -> usize {
    let mut replayed = 0;
    for kind in dirs {
        for file in files_in(&fuzz_dir().join(kind).join(target)) {
            let data = std::fs::read(&file).expect("a readable corpus file");
            let started = Instant::now();
            if let Err(panic) = std::panic::catch_unwind(|| run(&data)) {
                let message = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)");
                panic!("{target}: {} fails again: {message}", file.display());
            }
            let took = started.elapsed();
            assert!(
                took < SLOW,
                "{target}: {} took {took:?} (a hang)",
                file.display()
            );
            replayed += 1;
        }
    }
    replayed
}

#[test]
fn every_target_has_a_seed_corpus_and_every_corpus_a_target() {
    let names: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
    for kind in ["corpus", "artifacts"] {
        for dir in subdirectories(&fuzz_dir().join(kind)) {
            assert!(
                names.contains(&dir.as_str()),
                "fuzz/{kind}/{dir} belongs to no target of logleaks::fuzzing::TARGETS"
            );
        }
    }
    for file in files_in(&fuzz_dir().join("fuzz_targets")) {
        let stem = file.file_stem().unwrap_or_default().to_string_lossy();
        assert!(
            names.contains(&stem.as_ref()),
            "{} is not listed in logleaks::fuzzing::TARGETS, so its corpus is never replayed",
            file.display()
        );
    }
    for name in &names {
        assert!(
            fuzz_dir()
                .join("fuzz_targets")
                .join(format!("{name}.rs"))
                .is_file(),
            "no fuzz/fuzz_targets/{name}.rs"
        );
        assert!(
            !files_in(&fuzz_dir().join("corpus").join(name)).is_empty(),
            "no seeds in fuzz/corpus/{name}"
        );
    }
}

#[test]
fn every_corpus_input_passes_its_target() {
    for (name, run) in TARGETS {
        let n = replay(name, *run, &["corpus"]);
        assert!(n > 0, "{name}: no corpus replayed");
        eprintln!("{name}: {n} corpus inputs");
    }
}

#[test]
fn every_crash_found_by_fuzzing_stays_fixed() {
    let mut total = 0;
    for (name, run) in TARGETS {
        total += replay(name, *run, &["artifacts"]);
    }
    eprintln!("{total} regression inputs from fuzzing replayed");
}
