//! The accuracy benchmark on a small fixed seed: logleaks must find practically every planted
//! credential, in every format and encoding, report its exact decoded value, and raise no false
//! alarm on the decoys around them. The same benchmark runs large with
//! `cargo run --release --example accuracy` (see `examples/accuracy/main.rs`).

#[path = "../examples/accuracy/bench.rs"]
mod bench;
#[path = "../examples/accuracy/catalogue.rs"]
mod catalogue;
#[path = "../examples/accuracy/decoys.rs"]
mod decoys;
#[path = "../examples/accuracy/encode.rs"]
mod encode;
#[path = "../examples/accuracy/formats.rs"]
mod formats;
#[path = "../examples/accuracy/request.rs"]
mod request;
#[path = "../examples/accuracy/rng.rs"]
mod rng;

use std::path::Path;

/// Records per format: small enough for CI, big enough for every rule to appear in most formats.
const RECORDS: usize = 150;
const SEED: u64 = 7;

fn check(name: &str, tally: &bench::Tally, floor: f64, problems: &mut Vec<String>) {
    if tally.precision() < floor || tally.recall() < floor {
        problems.push(format!(
            "{name}: precision {:.3}, recall {:.3} (planted {}, found {}, false alarms {})",
            tally.precision(),
            tally.recall(),
            tally.planted,
            tally.hits,
            tally.false_alarms
        ));
    }
}

#[test]
fn planted_credentials_are_found_exactly_and_decoys_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let generated = bench::generate(dir.path(), SEED, RECORDS).unwrap();
    let logleaks = Path::new(env!("CARGO_BIN_EXE_logleaks"));
    let found = bench::run(logleaks, dir.path()).unwrap();
    let score = bench::score(&generated, &found);
    let report = bench::report(&generated, &score);

    let mut problems = Vec::new();
    check("overall", &score.overall, 0.99, &mut problems);
    for (encoding, tally) in &score.encodings {
        check(encoding, tally, 0.98, &mut problems);
    }
    for (format, tally) in &score.formats {
        check(format, tally, 0.98, &mut problems);
    }
    if score.overall.value_accuracy() < 0.97 {
        problems.push(format!(
            "value accuracy {:.3}",
            score.overall.value_accuracy()
        ));
    }
    // Every rule the catalogue plants was planted, and every format was written.
    assert_eq!(score.formats.len(), formats::FORMATS.len(), "{report}");
    assert!(score.rules.len() >= 100, "{report}");
    assert!(problems.is_empty(), "{}\n\n{report}", problems.join("\n"));
}

#[test]
fn the_scorer_counts_misses_and_false_alarms() {
    let dir = tempfile::tempdir().unwrap();
    let generated = bench::generate(dir.path(), 3, 20).unwrap();
    assert!(!generated.labels.is_empty());
    let label = &generated.labels[0];
    // Nothing found: everything is missed.
    let none = bench::score(&generated, &[]);
    assert_eq!(none.overall.hits, 0);
    assert_eq!(none.misses.len(), generated.labels.len());
    // One exact hit, one wrong value and one report where nothing was planted.
    let reports = vec![
        bench::Reported {
            file: label.file.clone(),
            line: label.line,
            rule: label.rule.to_string(),
            secret: label.secret.clone(),
        },
        bench::Reported {
            file: label.file.clone(),
            line: 999_999,
            rule: "jwt".into(),
            secret: "x".into(),
        },
    ];
    let some = bench::score(&generated, &reports);
    assert_eq!(some.overall.hits, 1);
    assert_eq!(some.overall.exact, 1);
    assert_eq!(some.overall.false_alarms, 1);
    let wrong = vec![bench::Reported {
        secret: "not it".into(),
        ..reports[0].clone()
    }];
    let wrong = bench::score(&generated, &wrong);
    assert_eq!((wrong.overall.hits, wrong.overall.exact), (1, 0));
}
