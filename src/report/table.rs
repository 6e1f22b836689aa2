//! `--format table`: aligned columns for people, one finding per row, written as findings
//! arrive.
//!
//! Two layouts. Into a pipe or a file the columns have fixed widths (the rule column as wide as
//! the longest rule id in use), so that the output is byte-identical between runs; a cell wider
//! than its column pushes the rest of its row along rather than being cut. On a terminal the
//! columns are sized to the rows and to the terminal's width: the first rows are held until the
//! scan pauses (or enough of them have come) to measure them, and a row that would not fit on
//! one line has its file path shortened in the middle first, then its secret; the rule and the
//! place (`request.query[name]`) are never cut.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use unicode_width::UnicodeWidthStr;

use super::{shown_secret, Report, ReportOptions};
use crate::finding::{Finding, Severity};

/// Width of the `WHERE` column in the fixed layout.
const WHERE_WIDTH: usize = 32;
/// Width of the `SECRET` column in the fixed layout (redacted secrets fit).
const SECRET_WIDTH: usize = 18;
/// Width of the `SEVERITY` column.
const SEVERITY_WIDTH: usize = 8;
/// Width of the `CONF` (confidence) column.
const CONFIDENCE_WIDTH: usize = 6;
/// Spaces between columns.
const GAP: usize = 2;
/// Rows held on a terminal to size the columns before the first is written, unless the scan
/// waits for input (see [`Report::flush`]) with rows held for [`HOLD`].
const HELD_ROWS: usize = 100;
/// How long the first rows may be held on a terminal while the scan waits.
const HOLD: Duration = Duration::from_millis(250);
/// A file path is not shortened below this width (with its line and column).
const MIN_LOCATION: usize = 24;
/// A secret is not shortened below this width.
const MIN_SECRET: usize = 12;

/// One finding as the cells of a row, before layout.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    severity: Severity,
    confidence: &'static str,
    rule: String,
    place: String,
    secret: String,
    /// The input's name, shortened first when a row is too wide.
    path: String,
    /// `:line:column`, never shortened.
    position: String,
}

impl Row {
    fn new(finding: &Finding, options: &ReportOptions) -> Row {
        Row {
            severity: finding.severity,
            confidence: finding.confidence.as_str(),
            rule: finding.rule.to_string(),
            place: place(finding),
            secret: shown_secret(finding, options).to_display(),
            path: super::display_bytes(&finding.file.as_bytes()),
            position: format!(":{}:{}", finding.line, finding.column),
        }
    }

    fn location_width(&self) -> usize {
        width(&self.path) + width(&self.position)
    }
}

/// Where in the record: the field, and the parameter in brackets unless it only repeats the
/// field's own name (`header.authorization`, not `header.authorization[authorization]`).
fn place(finding: &Finding) -> String {
    let field = finding.field.to_output().into_owned();
    let Some(param) = &finding.param else {
        return field;
    };
    let param = super::display_bytes(param);
    let repeats = field
        .strip_prefix("header.")
        .is_some_and(|name| name.eq_ignore_ascii_case(&param));
    if repeats {
        field
    } else {
        format!("{field}[{param}]")
    }
}

/// How wide `text` is on a terminal.
fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Column widths of the terminal layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Widths {
    rule: usize,
    place: usize,
    secret: usize,
}

/// How the table is laid out.
enum Layout {
    /// Fixed widths, for pipes and files.
    Fixed { rule_width: usize },
    /// Sized to the rows and to a terminal `columns` wide; `widths` once the first rows are out.
    Terminal {
        columns: usize,
        widths: Option<Widths>,
        held: Vec<Row>,
        /// When the first held row came.
        held_since: Option<Instant>,
    },
}

/// A table with one finding per row.
pub struct TableReport<'w> {
    out: Box<dyn Write + 'w>,
    options: ReportOptions,
    layout: Layout,
    header_written: bool,
}

impl<'w> TableReport<'w> {
    /// A table writing to `out`: sized to a terminal when `options.terminal_width` is set, else
    /// in fixed columns, the rule column `rule_width` wide (the longest rule id in use).
    pub fn new(out: Box<dyn Write + 'w>, options: ReportOptions, rule_width: usize) -> Self {
        let layout = match options.terminal_width {
            Some(columns) => Layout::Terminal {
                columns,
                widths: None,
                held: Vec::new(),
                held_since: None,
            },
            None => Layout::Fixed {
                rule_width: rule_width.max("RULE".len()),
            },
        };
        TableReport {
            out,
            options,
            layout,
            header_written: false,
        }
    }

    fn severity_cell(&self, severity: Severity) -> String {
        let text = format!("{:<SEVERITY_WIDTH$}", severity.as_str());
        if !self.options.color {
            return text;
        }
        super::paint_severity(severity, &text)
    }

    /// Writes the rows held on a terminal, sizing the columns from them first.
    fn release_held(&mut self) -> io::Result<()> {
        let Layout::Terminal {
            columns,
            widths,
            held,
            held_since,
        } = &mut self.layout
        else {
            return Ok(());
        };
        if held.is_empty() {
            return Ok(());
        }
        *held_since = None;
        let columns = *columns;
        let widths = *widths.get_or_insert_with(|| measure(held, columns));
        let rows = std::mem::take(held);
        for row in &rows {
            self.write_terminal_row(row, widths, columns)?;
        }
        Ok(())
    }

    fn write_terminal_row(&mut self, row: &Row, widths: Widths, columns: usize) -> io::Result<()> {
        if !self.header_written {
            self.header_written = true;
            let header = Row {
                severity: Severity::Low,
                confidence: "CONF",
                rule: "RULE".into(),
                place: "WHERE".into(),
                secret: "SECRET".into(),
                path: "LOCATION".into(),
                position: String::new(),
            };
            let fitted = fit(&header, widths, columns);
            writeln!(
                self.out,
                "{:<SEVERITY_WIDTH$}{}",
                "SEVERITY",
                cells(&header, widths, &fitted)
            )?;
        }
        let fitted = fit(row, widths, columns);
        writeln!(
            self.out,
            "{}{}",
            self.severity_cell(row.severity),
            cells(row, widths, &fitted)
        )
    }

    fn write_fixed_row(&mut self, row: &Row, rule_width: usize) -> io::Result<()> {
        if !self.header_written {
            self.header_written = true;
            writeln!(
                self.out,
                "{:<SEVERITY_WIDTH$}  {:<CONFIDENCE_WIDTH$}  {:<rule_width$}  {:<WHERE_WIDTH$}  {:<SECRET_WIDTH$}  LOCATION",
                "SEVERITY", "CONF", "RULE", "WHERE", "SECRET",
            )?;
        }
        writeln!(
            self.out,
            "{}  {:<CONFIDENCE_WIDTH$}  {:<rule_width$}  {:<WHERE_WIDTH$}  {:<SECRET_WIDTH$}  {}{}",
            self.severity_cell(row.severity),
            row.confidence,
            row.rule,
            row.place,
            row.secret,
            row.path,
            row.position,
        )
    }
}

/// The cells after the severity, padded to `widths` (a wider cell pushes the rest along).
fn cells(row: &Row, widths: Widths, fitted: &Fitted) -> String {
    let confidence = format!("{:<CONFIDENCE_WIDTH$}", row.confidence);
    let pad = |text: &str, to: usize| {
        let mut cell = text.to_string();
        cell.extend(std::iter::repeat_n(' ', to.saturating_sub(width(text))));
        cell
    };
    let gap = " ".repeat(GAP);
    format!(
        "{gap}{confidence}{gap}{}{gap}{}{gap}{}{gap}{}",
        pad(&row.rule, widths.rule),
        pad(&row.place, widths.place),
        pad(&fitted.secret, fitted.secret_cell),
        fitted.location,
    )
}

/// Column widths for `rows` on a terminal `columns` wide: the rule and place columns as wide as
/// their widest cell; the secret column too, unless the widest secret and location would not
/// fit beside them, then the location gets at least [`MIN_LOCATION`] and the secret the rest.
fn measure(rows: &[Row], columns: usize) -> Widths {
    let widest = |cell: fn(&Row) -> usize, header: &str| {
        rows.iter().map(cell).max().unwrap_or(0).max(width(header))
    };
    let rule = widest(|r| width(&r.rule), "RULE");
    let place = widest(|r| width(&r.place), "WHERE");
    let secret = widest(|r| width(&r.secret), "SECRET");
    let location = widest(Row::location_width, "LOCATION");
    let room = room_for_secret_and_location(columns, rule, place);
    let secret = if secret + location <= room {
        secret
    } else {
        let location = location.min(room.saturating_sub(secret).max(MIN_LOCATION));
        secret
            .min(room.saturating_sub(location))
            .max(MIN_SECRET.min(secret))
    };
    Widths {
        rule,
        place,
        secret,
    }
}

/// What a row `columns` wide leaves for the secret and the location (with its gap before it).
fn room_for_secret_and_location(columns: usize, rule: usize, place: usize) -> usize {
    columns.saturating_sub(SEVERITY_WIDTH + CONFIDENCE_WIDTH + rule + place + 5 * GAP)
}

/// The secret and location texts of `row` so that it fits on one line of `columns`: as they
/// are when they fit; else the path is shortened in the middle (down to [`MIN_LOCATION`]), then
/// the secret (down to [`MIN_SECRET`]), then both as far as they must. The rule, the
/// place and the line and column are never cut; a row that still does not fit (a very narrow
/// terminal) is written whole.
fn fit(row: &Row, widths: Widths, columns: usize) -> Fitted {
    let room = room_for_secret_and_location(
        columns,
        widths.rule.max(width(&row.rule)),
        widths.place.max(width(&row.place)),
    );
    let secret_cell = widths.secret.max(width(&row.secret));
    if secret_cell + row.location_width() <= room {
        let location = format!("{}{}", row.path, row.position);
        return Fitted {
            secret: row.secret.clone(),
            secret_cell,
            location,
        };
    }
    let location = shortened_location(row, room.saturating_sub(secret_cell).max(MIN_LOCATION));
    let secret_room = room.saturating_sub(width(&location)).max(MIN_SECRET);
    let secret = shorten_middle(&row.secret, secret_room);
    let secret_cell = widths.secret.max(width(&secret));
    if secret_cell + width(&location) <= room {
        return Fitted {
            secret,
            secret_cell,
            location,
        };
    }
    // Still too wide (a narrow terminal): no padding after the secret, and the path gives what
    // it must, then the secret.
    let location = shortened_location(row, room.saturating_sub(width(&secret)));
    let secret = shorten_middle(&secret, room.saturating_sub(width(&location)).max(1));
    let secret_cell = width(&secret);
    Fitted {
        secret,
        secret_cell,
        location,
    }
}

/// The secret and location of a row as [`fit`] lays them out.
struct Fitted {
    secret: String,
    /// The width of the secret's cell (the secret and its padding).
    secret_cell: usize,
    location: String,
}

/// The location of `row` in at most `room` columns: the path shortened, the line and column
/// whole.
fn shortened_location(row: &Row, room: usize) -> String {
    let path_room = room.saturating_sub(width(&row.position)).max(1);
    format!("{}{}", shorten_path(&row.path, path_room), row.position)
}

/// `path` in at most `room` columns: whole when it fits, else its start, `…`, and its end,
/// keeping the file name whole when there is room for it.
fn shorten_path(path: &str, room: usize) -> String {
    if width(path) <= room {
        return path.to_string();
    }
    let name = path.rsplit(['/', '!']).next().unwrap_or(path);
    let keep = room.saturating_sub(1);
    let tail = if width(name) < keep {
        (width(name) + 1).max(keep - keep / 3)
    } else {
        keep - keep / 3
    };
    cut_middle(path, keep - tail, tail)
}

/// `text` in at most `room` columns, cut in the middle with `…`.
fn shorten_middle(text: &str, room: usize) -> String {
    if width(text) <= room {
        return text.to_string();
    }
    let keep = room.saturating_sub(1);
    cut_middle(text, keep / 2, keep - keep / 2)
}

/// The first `head` and last `tail` columns of `text` with `…` between them.
fn cut_middle(text: &str, head: usize, tail: usize) -> String {
    let mut start = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > head {
            break;
        }
        used += w;
        start.push(c);
    }
    let mut end: Vec<char> = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > tail {
            break;
        }
        used += w;
        end.push(c);
    }
    start.push('…');
    start.extend(end.into_iter().rev());
    start
}

impl Report for TableReport<'_> {
    fn flush(&mut self) -> io::Result<()> {
        // On a terminal the first rows wait a moment for more, to size the columns.
        let holding = matches!(
            self.layout,
            Layout::Terminal { held_since: Some(since), .. } if since.elapsed() < HOLD
        );
        if !holding {
            self.release_held()?;
        }
        self.out.flush()
    }

    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        let row = Row::new(finding, &self.options);
        match &mut self.layout {
            Layout::Fixed { rule_width } => {
                let rule_width = *rule_width;
                self.write_fixed_row(&row, rule_width)
            }
            Layout::Terminal {
                columns,
                widths: Some(widths),
                ..
            } => {
                let (columns, widths) = (*columns, *widths);
                self.write_terminal_row(&row, widths, columns)
            }
            Layout::Terminal {
                held, held_since, ..
            } => {
                held_since.get_or_insert_with(Instant::now);
                held.push(row);
                if held.len() >= HELD_ROWS {
                    self.release_held()?;
                }
                Ok(())
            }
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        self.release_held()?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(rule: &str, place: &str, secret: &str, path: &str) -> Row {
        Row {
            severity: Severity::High,
            confidence: "high",
            rule: rule.into(),
            place: place.into(),
            secret: secret.into(),
            path: path.into(),
            position: ":12:345".into(),
        }
    }

    fn line(row: &Row, widths: Widths, columns: usize) -> String {
        format!(
            "{:<8}{}",
            "high",
            cells(row, widths, &fit(row, widths, columns))
        )
    }

    #[test]
    fn columns_are_as_wide_as_their_widest_cell() {
        let rows = [
            row("jwt", "request.query[token]", "eyJ…abcd", "a.log"),
            row("github-pat", "referer[access_token]", "ghp_…wxyz", "b.log"),
        ];
        let widths = measure(&rows, 200);
        assert_eq!(
            widths,
            Widths {
                rule: "github-pat".len(),
                place: "referer[access_token]".len(),
                secret: "ghp_…wxyz".chars().count(),
            }
        );
    }

    #[test]
    fn a_long_path_is_cut_in_the_middle_and_keeps_its_file_name() {
        let long = "/var/log/containers/ingress-nginx-controller-7d9f8b6c5d-abcde_ingress-nginx_controller-0123456789abcdef.log";
        let r = row(
            "aws-secret-access-key",
            "request.query[aws_secret_access_key]",
            "…OhDo",
            long,
        );
        for columns in [100, 120, 160] {
            let widths = measure(std::slice::from_ref(&r), columns);
            let text = line(&r, widths, columns);
            assert!(width(&text) <= columns, "{columns}: {text}");
            assert!(
                text.contains("request.query[aws_secret_access_key]"),
                "{text}"
            );
            assert!(text.contains("…"), "{text}");
            assert!(
                text.starts_with("high      high    aws-secret-access-key  "),
                "{text}"
            );
            assert!(text.ends_with(":12:345"), "{text}");
            if columns >= 120 {
                assert!(text.contains("/var/"), "{text}");
            }
        }
        // Room for the whole path: nothing is cut.
        let text = line(&r, measure(std::slice::from_ref(&r), 240), 240);
        assert!(text.ends_with(&format!("{long}:12:345")), "{text}");
        // Room for the file name but not the path: the name is kept whole.
        let deep = row(
            "aws-secret-access-key",
            "request.query[aws_secret_access_key]",
            "…OhDo",
            "/srv/www/example.com/logs/archive/2025/11/access.log",
        );
        let text = line(&deep, measure(std::slice::from_ref(&deep), 110), 110);
        assert!(width(&text) <= 110, "{text}");
        assert!(
            text.contains("…") && text.ends_with("/access.log:12:345"),
            "{text}"
        );
    }

    #[test]
    fn a_long_shown_secret_is_cut_in_the_middle_after_the_path() {
        let secret = format!(
            "https://hooks.slack.com/services/T0000/B0000/{}",
            "x".repeat(60)
        );
        let r = row(
            "slack-webhook",
            "referer",
            &secret,
            "fixtures/apache/access_log",
        );
        let widths = measure(std::slice::from_ref(&r), 100);
        let text = line(&r, widths, 100);
        assert!(width(&text) <= 100, "{text}");
        assert!(text.contains("https://hooks.s"), "{text}");
        assert!(text.ends_with(":12:345"), "{text}");
    }

    #[test]
    fn rule_and_place_are_never_cut_even_when_nothing_fits() {
        let r = row(
            "generic-credential-param",
            "request.query[a_very_long_parameter_name_that_is_kept]",
            "…abcd",
            "x.log",
        );
        let text = line(&r, measure(std::slice::from_ref(&r), 40), 40);
        assert!(text.contains("generic-credential-param"), "{text}");
        assert!(
            text.contains("request.query[a_very_long_parameter_name_that_is_kept]"),
            "{text}"
        );
        assert!(!text.contains('\n'));
    }

    #[test]
    fn a_later_wider_row_still_fits_its_line() {
        let first = row("jwt", "request.query[t]", "eyJ…abcd", "a.log");
        let widths = measure(std::slice::from_ref(&first), 120);
        let later = row(
            "aws-secret-access-key",
            "request.query[aws_secret_access_key]",
            "…OhDo",
            "/srv/www/example.com/logs/archive/2025/11/access.log",
        );
        let text = line(&later, widths, 120);
        assert!(width(&text) <= 120, "{text}");
        assert!(text.contains("request.query[aws_secret_access_key]"));
    }

    #[test]
    fn shortening_keeps_the_ends() {
        assert_eq!(shorten_middle("abcdefghij", 5), "ab…ij");
        assert_eq!(shorten_middle("abc", 5), "abc");
        assert_eq!(shorten_path("dir/sub/file.log", 12), "di…/file.log");
        assert_eq!(shorten_path("dir/sub/file.log", 40), "dir/sub/file.log");
    }
}
