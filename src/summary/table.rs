//! `--format table` of the summary: one row per secret, aligned columns, the busiest clients and
//! statuses in brief. The complete counts are in `--format json`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::aggregate::{SecretSummary, Summary};
use crate::finding::Severity;

/// Widest client address shown before it is shortened.
const CLIENT_WIDTH: usize = 40;
/// How many clients a row names.
const CLIENTS_SHOWN: usize = 1;
/// How many statuses (and referer statuses) a row names.
const STATUSES_SHOWN: usize = 3;

const HEADER: [&str; 8] = [
    "SEVERITY",
    "RULE",
    "SECRET",
    "COUNT",
    "FIRST SEEN",
    "LAST SEEN",
    "CLIENTS",
    "STATUSES",
];

/// Writes the table; nothing at all when there is no secret (like `scan --format table`).
pub fn write_table(summary: &Summary, out: &mut dyn Write, color: bool) -> io::Result<()> {
    if summary.is_empty() {
        return Ok(());
    }
    let rows: Vec<(Severity, [String; 8])> = summary
        .sorted()
        .into_iter()
        .map(|s| (s.severity(), row(s)))
        .collect();
    let mut widths = HEADER.map(|h| h.chars().count());
    for (_, cells) in &rows {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }
    write_row(out, &widths, &HEADER.map(str::to_string), None)?;
    for (severity, cells) in &rows {
        write_row(out, &widths, cells, color.then_some(*severity))?;
    }
    Ok(())
}

fn write_row(
    out: &mut dyn Write,
    widths: &[usize; 8],
    cells: &[String; 8],
    colored: Option<Severity>,
) -> io::Result<()> {
    let mut line = String::new();
    for (i, (cell, &width)) in cells.iter().zip(widths).enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        let padded = if i == 3 {
            // COUNT is a number: right-aligned.
            format!("{cell:>width$}")
        } else if i + 1 == cells.len() {
            cell.clone()
        } else {
            format!("{cell:<width$}")
        };
        match (i, colored) {
            (0, Some(severity)) => {
                line.push_str(&crate::printable::paint_severity(severity, &padded))
            }
            _ => line.push_str(&padded),
        }
    }
    writeln!(out, "{}", line.trim_end())
}

fn row(s: &SecretSummary) -> [String; 8] {
    let time =
        |t: Option<&super::aggregate::Seen>| t.map_or("-".to_string(), |t| clean(t.as_str()));
    let clients = busiest(
        s.clients()
            .iter()
            .map(|(k, &n)| (fit(&k.display(), CLIENT_WIDTH), n)),
        CLIENTS_SHOWN,
    );
    let statuses = busiest(
        s.statuses().iter().map(|(k, &n)| (k.to_string(), n)),
        STATUSES_SHOWN,
    );
    let referer = busiest(
        s.referer_statuses()
            .iter()
            .map(|(k, &n)| (k.to_string(), n)),
        STATUSES_SHOWN,
    );
    let status_cell = match (statuses.is_empty(), referer.is_empty()) {
        (true, true) => "-".to_string(),
        (false, true) => statuses,
        (true, false) => format!("referer {referer}"),
        (false, false) => format!("{statuses}; referer {referer}"),
    };
    [
        s.severity().as_str().to_string(),
        clean(s.rule()),
        s.secret().display(),
        s.count().to_string(),
        time(s.first_seen()),
        time(s.last_seen()),
        if clients.is_empty() {
            "-".to_string()
        } else {
            clients
        },
        status_cell,
    ]
}

/// Text read from an input file, made safe for a terminal.
fn clean(text: &str) -> String {
    crate::printable::display_bytes(text.as_bytes())
}

/// Shortens `text` to `width` characters, ending in `…` when cut.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

/// The `shown` busiest entries as `name (count)`, most first (ties by name), then `+N more`;
/// empty when there are none.
fn busiest(entries: impl Iterator<Item = (String, u64)>, shown: usize) -> String {
    // Names may repeat after shortening; add them up so each is shown once.
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for (name, n) in entries {
        *counts.entry(name).or_insert(0) += n;
    }
    let mut list: Vec<(String, u64)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut parts: Vec<String> = list
        .iter()
        .take(shown)
        .map(|(name, n)| format!("{name} ({n})"))
        .collect();
    if list.len() > shown {
        parts.push(format!("+{} more", list.len() - shown));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn finding(
        fingerprint: &str,
        severity: &str,
        client: &str,
        status: u16,
        field: &str,
    ) -> serde_json::Value {
        json!({
            "rule": "generic-credential-param", "kind": "credential", "severity": severity,
            "file": "a.log", "field": field, "secret": "…539e", "fingerprint": fingerprint,
            "timestamp": "2025-11-27T10:00:00+01:00", "client": client, "status": status,
        })
    }

    #[test]
    fn one_aligned_row_per_secret_busiest_first() {
        let mut summary = Summary::default();
        for (client, n) in [("203.0.113.9", 5), ("198.51.100.4", 2), ("192.0.2.1", 1)] {
            for _ in 0..n {
                summary
                    .add_value(&finding(
                        "00000000000000aa",
                        "medium",
                        client,
                        200,
                        "request.query",
                    ))
                    .unwrap();
            }
        }
        summary
            .add_value(&finding(
                "00000000000000aa",
                "medium",
                "192.0.2.1",
                403,
                "referer",
            ))
            .unwrap();
        summary
            .add_value(&finding(
                "00000000000000bb",
                "critical",
                "\x1b[31mx",
                401,
                "message",
            ))
            .unwrap();
        let mut out = Vec::new();
        write_table(&summary, &mut out, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("SEVERITY  RULE"), "{text}");
        assert!(lines[1].starts_with("critical"), "{text}");
        assert!(lines[2].starts_with("medium  "), "{text}");
        assert!(
            lines[2].ends_with("203.0.113.9 (5), +2 more  200 (8); referer 403 (1)"),
            "{text}"
        );
        // Control characters from a log never reach the terminal.
        assert!(!text.contains('\x1b'), "{text}");
        assert!(lines[1].ends_with("  -"), "{text}");
        // Columns line up: each header starts where its cells start.
        let at = |line: &str, pat: &str| line[..line.find(pat).unwrap()].chars().count();
        assert_eq!(
            at(lines[0], "COUNT") + "COUNT".len(),
            at(lines[2], " 9 ") + 2
        );
        assert_eq!(at(lines[0], "LAST SEEN"), at(lines[1], "2025") + 27);
    }

    #[test]
    fn nothing_for_no_secret() {
        let mut out = Vec::new();
        write_table(&Summary::default(), &mut out, true).unwrap();
        assert!(out.is_empty());
    }
}
