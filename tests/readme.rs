//! The README's "Try it" example is what the binary prints: the command in its first `sh`
//! block is run (without `cargo run --release --`), and every line of the output block must be
//! there, in order, with `…` standing for rows left out. Only the run time may differ.

mod common;

use common::*;

/// The command and the output shown under `## Try it`.
fn try_it() -> (Vec<String>, Vec<String>) {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let section = readme
        .split("\n## Try it\n")
        .nth(1)
        .expect("a `## Try it` section");
    let mut blocks = section.split("```").skip(1).step_by(2);
    let command = blocks.next().expect("the command block");
    let command = command
        .strip_prefix("sh\n")
        .expect("an sh block")
        .lines()
        .next()
        .expect("a command");
    let args = command
        .strip_prefix("cargo run --release -- ")
        .unwrap_or_else(|| panic!("not a `cargo run` command: {command}"))
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let output = blocks
        .next()
        .expect("the output block")
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    (args, output)
}

/// The closing summary without its run time (`… in 0.01 s`).
fn without_time(summary: &str) -> &str {
    summary
        .rsplit_once(" in ")
        .map_or(summary, |(before, _)| before)
}

#[test]
fn the_try_it_example_matches_the_binary() {
    let (args, shown) = try_it();
    let run = run(logleaks().args(&args));
    let out = run.out();
    let printed: Vec<&str> = out.lines().collect();
    let (summary, rows) = shown.split_last().expect("an output block");
    assert_eq!(
        without_time(summary),
        without_time(run.summary_line()),
        "README summary line"
    );
    let mut at = 0;
    let mut gap = false;
    for line in rows {
        if line == "…" {
            gap = true;
            continue;
        }
        let found = if gap {
            printed[at..].iter().position(|p| p == line).map(|i| at + i)
        } else {
            (printed.get(at) == Some(&line.as_str())).then_some(at)
        };
        let Some(found) = found else {
            panic!(
                "README line not printed {}:\n{line}\nprinted:\n{out}",
                if gap {
                    "after the rows before it"
                } else {
                    "next"
                }
            );
        };
        at = found + 1;
        gap = false;
    }
}
