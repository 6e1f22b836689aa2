//! Output on a real terminal: logleaks runs in a pseudo-terminal (`script` from util-linux), and
//! what it wrote is played on a small terminal model, so that the tests see the screen a person
//! would see: no progress bar left among findings, one finding per line within the width, and
//! colour only where asked for.
#![cfg(target_os = "linux")]

mod common;

use std::process::Command;

use common::*;

/// Runs `logleaks ARGS` in a pseudo-terminal `columns` wide (`COLUMNS`), with `env` set; returns
/// everything it wrote to the terminal (stdout and stderr together, as a person sees them).
fn in_terminal(args: &[&str], columns: usize, env: &[(&str, &str)]) -> Vec<u8> {
    let binary = env!("CARGO_BIN_EXE_logleaks");
    let mut line = shell_quote(binary);
    for arg in args {
        line.push(' ');
        line.push_str(&shell_quote(arg));
    }
    let mut script = Command::new("script");
    script
        .args(["-q", "-e", "-c", &line, "/dev/null"])
        .current_dir(root())
        .env("COLUMNS", columns.to_string())
        .env_remove("NO_COLOR")
        .env_remove("LOGLEAKS_FINGERPRINT_KEY");
    for (key, value) in env {
        script.env(key, value);
    }
    let output = script
        .output()
        .expect("`script` (util-linux) runs: the terminal tests need it");
    output.stdout
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The screen after `bytes` were written to a terminal: the lines that stay, without colours.
/// Knows what logleaks and its progress bar write: text, `\r`, `\n`, and the CSI sequences for
/// colour (`m`), cursor up/down (`A`, `B`), column (`G`), erasing a line (`K`) or below (`J`).
fn screen(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut lines: Vec<Vec<char>> = vec![Vec::new()];
    let (mut row, mut col) = (0usize, 0usize);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => col = 0,
            '\n' => {
                row += 1;
                if lines.len() <= row {
                    lines.push(Vec::new());
                }
            }
            '\x1b' => {
                if chars.peek() != Some(&'[') {
                    continue;
                }
                chars.next();
                let mut params = String::new();
                let mut command = ' ';
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() || c == '@' || c == '~' {
                        command = c;
                        break;
                    }
                    params.push(c);
                }
                let n = params.trim_start_matches('?').parse::<usize>().ok();
                match command {
                    'A' => row = row.saturating_sub(n.unwrap_or(1)),
                    'B' => {
                        row += n.unwrap_or(1);
                        while lines.len() <= row {
                            lines.push(Vec::new());
                        }
                    }
                    'G' => col = n.unwrap_or(1).saturating_sub(1),
                    'K' => match n.unwrap_or(0) {
                        0 => lines[row].truncate(col),
                        1 => lines[row].iter_mut().take(col).for_each(|c| *c = ' '),
                        _ => lines[row].clear(),
                    },
                    'J' => {
                        lines[row].truncate(col);
                        lines.truncate(row + 1);
                    }
                    _ => {} // colours, cursor visibility
                }
            }
            c => {
                let line = &mut lines[row];
                while line.len() < col {
                    line.push(' ');
                }
                if col < line.len() {
                    line[col] = c;
                } else {
                    line.push(c);
                }
                col += 1;
            }
        }
    }
    lines
        .into_iter()
        .map(|l| l.into_iter().collect::<String>().trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// True for a line that shows the progress bar.
fn is_bar(line: &str) -> bool {
    line.contains('█') || line.contains('░') || line.contains("MiB/") || line.contains("KiB/")
}

/// A directory of `files` logs, each scanned long enough for the bar to be drawn between them,
/// each ending in one leaked password.
fn slow_logs(files: usize) -> tempfile::TempDir {
    let dir = tempdir();
    let leak = line_of(&fixture("fixtures/apache/access_log"), 3).to_vec();
    for f in 0..files {
        let mut log = Vec::new();
        for i in 0..20_000 {
            log.extend_from_slice(combined_line(&format!("/static/app.js?v={i}")).as_bytes());
            log.push(b'\n');
        }
        log.extend_from_slice(&leak);
        log.push(b'\n');
        write(dir.path(), &format!("access{f}.log"), log);
    }
    dir
}

#[test]
fn no_progress_bar_is_left_among_the_findings() {
    let dir = slow_logs(6);
    let path = dir.path().to_str().expect("a UTF-8 temp path");
    let out = in_terminal(&["scan", "-j", "1", path], 120, &[]);
    let text = String::from_utf8_lossy(&out);
    assert!(is_bar(&text), "the progress bar was never drawn:\n{text}");
    let screen = screen(&out);
    let stale: Vec<&String> = screen.iter().filter(|l| is_bar(l)).collect();
    assert!(
        stale.is_empty(),
        "bar lines left on screen: {stale:#?}\n{screen:#?}"
    );
    assert!(screen[0].starts_with("SEVERITY"), "{screen:#?}");
    let rows = &screen[1..screen.len() - 1];
    assert_eq!(rows.len(), 6, "{screen:#?}");
    for (f, row) in rows.iter().enumerate() {
        assert!(row.starts_with("high "), "{row}");
        assert!(row.ends_with(&format!("access{f}.log:20001:82")), "{row}");
    }
    assert!(
        screen[screen.len() - 1].starts_with("logleaks: 6 findings"),
        "{screen:#?}"
    );
}

/// The rules and places (`field[param]`) of the fixtures' findings, in order.
fn fixture_places(extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec!["--format", "jsonl", "--no-config", "fixtures/"];
    args.extend_from_slice(extra);
    scan(args)
        .findings()
        .iter()
        .map(|f| {
            let field = s(f, "field").to_string();
            let place = match f["param"].as_str() {
                Some(p) if field != format!("header.{p}") => format!("{field}[{p}]"),
                _ => field,
            };
            (s(f, "rule").to_string(), place)
        })
        .collect()
}

#[test]
fn the_table_fits_the_terminal_one_finding_per_line_and_never_cuts_a_parameter() {
    for (columns, extra) in [
        (100, &[][..]),
        (160, &[][..]),
        (100, &["--show-secrets"][..]),
    ] {
        let expected = fixture_places(extra);
        let mut args = vec!["scan", "--no-progress", "--no-config", "fixtures/"];
        args.extend_from_slice(extra);
        let screen = screen(&in_terminal(&args, columns, &[]));
        let context = format!("{columns} columns {extra:?}:\n{}", screen.join("\n"));
        assert!(screen[0].starts_with("SEVERITY"), "{context}");
        let rows = &screen[1..screen.len() - 1];
        assert_eq!(
            rows.len(),
            expected.len(),
            "one line per finding, {context}"
        );
        for (row, (rule, place)) in rows.iter().zip(&expected) {
            assert!(
                row.chars().count() <= columns,
                "wider than the terminal: {row}\n{context}"
            );
            let cells: Vec<&str> = row.split_whitespace().collect();
            // SEVERITY, CONF, RULE, WHERE, …
            assert_eq!(cells[2], rule, "{row}");
            assert_eq!(cells[3], place, "parameter cut: {row}");
        }
        // Columns sized to what is shown: RULE is no wider than the longest rule shown.
        let longest_rule = expected.iter().map(|(r, _)| r.len()).max().unwrap_or(0);
        let header = &screen[0];
        let rule_column = header.find("WHERE").unwrap() - header.find("RULE").unwrap();
        assert!(
            rule_column <= longest_rule + 2,
            "RULE column {rule_column} wide for rules of at most {longest_rule}: {header}"
        );
    }
}

#[test]
fn colour_on_a_terminal_unless_no_color_or_never() {
    let coloured = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec![
            "scan",
            "--no-progress",
            "--no-config",
            "fixtures/nginx/access.log",
        ];
        all.extend_from_slice(args);
        let out = in_terminal(&all, 160, env);
        String::from_utf8_lossy(&out).contains("\x1b[31mhigh")
    };
    assert!(coloured(&[], &[]), "auto colours a terminal");
    assert!(!coloured(&[], &[("NO_COLOR", "1")]), "NO_COLOR is honoured");
    assert!(!coloured(&["--color", "never"], &[]));
    assert!(coloured(&["--color", "always"], &[("NO_COLOR", "1")]));
}
