//! The HTML document of the incident report, section by section.
//!
//! Every string that came from logs or findings goes through [`Scrubber`] (printable, escaped,
//! secrets replaced by their redacted form); everything else is text of our own.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::Value;

use super::escape::{escape, shown_secret, Scrubber};
use super::layout::{client_series, fold, hour_range, rotate_first, top, Axis, Outcome, Validity};
use super::svg::{self, class_css, column_label, ClientRow, Lane};
use crate::finding::Severity;
use crate::summary::{SecretSummary, StatusClass, Summary, Text};

/// What the page says about the run that made it.
#[derive(Clone, Debug, Default)]
pub struct RunFacts {
    /// `scan` or `summary`.
    pub command: &'static str,
    /// The inputs as named on the command line.
    pub inputs: Vec<Vec<u8>>,
    /// The scan's parameters, name and value.
    pub parameters: Vec<(String, String)>,
    /// SHA-256 of every input file (`scan --hash-inputs`).
    pub input_hashes: Vec<InputHash>,
    /// The fingerprint key id, when known.
    pub fingerprint_key: Option<String>,
    /// Inputs that could not be read, as said on stderr.
    pub problems: Vec<String>,
}

/// The SHA-256 of one input file, for chain of custody.
#[derive(Clone, Debug)]
pub struct InputHash {
    /// The input as shown in findings.
    pub input: Vec<u8>,
    /// Lowercase hex digest, or why the file could not be hashed.
    pub sha256: Result<String, String>,
}

/// Lanes of the incident timeline at most.
const TIMELINE_LANES: usize = 50;
/// Columns of the incident timeline at most.
const TIMELINE_COLUMNS: usize = 120;
/// Columns of a secret's own charts at most.
const SECRET_COLUMNS: usize = 48;
/// Clients with a row of their own in a secret's chart of requests over time by client.
const CLIENT_ROWS: usize = 5;
/// Files and machines named in the headline (the others are counted).
const HEADLINE_FILES: usize = 8;
/// Rows of each table of the other secrets.
const OTHERS_CHUNK: usize = 250;
/// Entries of the rotate-first list.
const ROTATE_LIST: usize = 10;

/// Writes the report of `summary` to `out`, with a section for each of the `top` first secrets
/// to rotate.
pub fn write_page(
    summary: &Summary,
    run: &RunFacts,
    top_n: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let by_severity = summary.sorted();
    let ranked = rotate_first(&by_severity);
    let scrub = Scrubber::new(ranked.iter().copied());
    let key = run
        .fingerprint_key
        .clone()
        .or_else(|| summary.fingerprint_key().map(str::to_string));
    let mut page = Page {
        html: String::with_capacity(64 * 1024 + ranked.len() * 700),
        scrub,
    };
    page.head(key.as_deref());
    page.headline(&ranked);
    page.timeline(&ranked, top_n);
    let (top_list, rest) = ranked.split_at(top_n.min(ranked.len()));
    page.top_sections(top_list);
    page.others(rest, top_list.len());
    page.parameters(key.as_deref(), run);
    page.html.push_str(&format!(
        "<footer>Made by logleaks {} (<code>logleaks {} --format html</code>). Secrets are shown redacted; fingerprints identify them across reports.</footer>\n</body>\n</html>\n",
        escape(crate::meta::VERSION),
        run.command
    ));
    out.write_all(page.html.as_bytes())
}

struct Page {
    html: String,
    scrub: Scrubber,
}

/// `n thing` or `n things`.
fn counted(n: usize, what: &str) -> String {
    crate::printable::counted(n as u64, what)
}

fn severity_badge(severity: Severity) -> String {
    format!(r#"<span class="sev sev-{0}">{0}</span>"#, severity.as_str())
}

/// The id of a secret's section.
fn anchor(secret: &SecretSummary) -> String {
    let safe: String = secret
        .fingerprint()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("s-{safe}")
}

/// `200 ×3, 403 ×1`.
fn statuses_text(statuses: &BTreeMap<u16, u64>) -> String {
    if statuses.is_empty() {
        return "none".into();
    }
    let parts: Vec<String> = statuses.iter().map(|(s, n)| format!("{s} ×{n}")).collect();
    parts.join(", ")
}

/// The time a secret was seen, or `unknown`.
fn seen_text(seen: Option<&crate::summary::Seen>) -> String {
    seen.map_or("unknown".into(), |s| escape(s.as_str()))
}

/// The steps to take about one secret, most urgent first.
fn actions(secret: &SecretSummary, scrub: &Scrubber) -> Vec<String> {
    let rule = crate::rules::builtin()
        .iter()
        .find(|r| r.id == secret.rule());
    let vendor = rule.and_then(|r| r.vendor);
    let mut list = Vec::new();
    let validity = Validity::of(secret);
    let first = match secret.kind() {
        "session" => "End the session: log it out or invalidate it on the server".to_string(),
        "signed_url" => "Revoke the credentials that signed the URL (or let it expire) and sign with shorter lifetimes".to_string(),
        "webhook" => "Delete the webhook and create a new one".to_string(),
        "password" => "Change the password and check the account for misuse".to_string(),
        _ => match vendor {
            Some(v) => format!("Rotate or revoke it at {}", escape(v)),
            None => "Rotate or revoke it where it was issued".to_string(),
        },
    };
    let urgency = match validity {
        Validity::ExpiredWhenLogged | Validity::ExpiredNow => {
            " (it has expired: check that expiry is enforced)"
        }
        _ => "",
    };
    list.push(format!("{first}{urgency}."));
    if let Some(link) = rule.and_then(|r| r.rotate) {
        // Shown as text, not a link: the page never points outside itself.
        list.push(format!("How: <code>{}</code>", escape(link)));
    }
    if let Some(note) = secret.details().get("note").and_then(Value::as_str) {
        list.push(format!("Note: {}", scrub.text(note)));
    }
    if Outcome::of(secret) == Outcome::Accepted {
        list.push(
            "The server accepted requests carrying it: review what those clients did.".into(),
        );
    }
    list.push(
        "Purge or redact the logs that hold it (<code>logleaks redact --in-place</code>) and any copies.".into(),
    );
    list
}

/// The facts of `details`, flattened: `jwt.exp: 1764237600`.
fn details_facts(
    details: &serde_json::Map<String, Value>,
    scrub: &Scrubber,
) -> Vec<(String, String)> {
    let mut facts = Vec::new();
    for (key, value) in details {
        if key == "note" {
            continue;
        }
        match value {
            Value::Object(inner) => {
                for (k, v) in inner {
                    facts.push((format!("{key}.{k}"), value_text(v, scrub)));
                }
            }
            v => facts.push((key.clone(), value_text(v, scrub))),
        }
    }
    facts
}

fn value_text(value: &Value, scrub: &Scrubber) -> String {
    match value {
        Value::String(s) => scrub.text(s),
        other => scrub.text(&other.to_string()),
    }
}

/// An input's name with any credential in it masked (the report never shows one, even from
/// findings made with `--show-secrets`).
fn name_shown(name: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    crate::input::masked_name(name).map_or(std::borrow::Cow::Borrowed(name), Into::into)
}

impl Page {
    fn text(&self, text: &Text) -> String {
        self.scrub.html(text.as_bytes())
    }

    /// A file a secret was found in, with the first line it is on there.
    fn file_and_line(&self, secret: &SecretSummary, file: &Text) -> String {
        let name = self.scrub.html(&name_shown(file.as_bytes()));
        match secret.first_lines().get(file) {
            Some(line) => format!("<code>{name}</code> (line {line})"),
            None => format!("<code>{name}</code>"),
        }
    }

    fn head(&mut self, key: Option<&str>) {
        let key = key.map_or("not recorded".to_string(), |k| self.scrub.text(k));
        let _ = write!(
            self.html,
            r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="logleaks {version}">
<title>Leaked credentials: incident report</title>
<style>
{css}</style>
</head>
<body>
<header><h1>Leaked credentials: incident report</h1>
<p class="muted">logleaks {version} · fingerprint key {key} · secrets are redacted, fingerprints identify them</p></header>
<nav aria-label="Sections"><ul><li><a href="#headline">Headline</a></li><li><a href="#timeline">Timeline</a></li><li><a href="#secrets">Top secrets</a></li><li><a href="#others">Other secrets</a></li><li><a href="#parameters">Scan parameters</a></li></ul></nav>
"##,
            csp = super::CONTENT_SECURITY_POLICY,
            version = escape(crate::meta::VERSION),
            css = include_str!("style.css"),
        );
    }

    fn headline(&mut self, ranked: &[&SecretSummary]) {
        self.html
            .push_str("<section id=\"headline\"><h2>Headline</h2>\n");
        if ranked.is_empty() {
            self.html
                .push_str("<p class=\"big\">No leaked credential was found.</p></section>\n");
            return;
        }
        let uses: u64 = ranked.iter().map(|s| s.count()).sum();
        let first = ranked.iter().filter_map(|s| s.first_seen()).min();
        let last = ranked.iter().filter_map(|s| s.last_seen()).max();
        let mut files = std::collections::BTreeSet::new();
        let mut sources = std::collections::BTreeSet::new();
        for s in ranked {
            files.extend(s.files().iter());
            sources.extend(s.sources().iter());
        }
        let span = match (first, last) {
            (Some(a), Some(b)) => format!(
                " from <strong>{}</strong> to <strong>{}</strong>",
                escape(a.as_str()),
                escape(b.as_str())
            ),
            _ => " (no times logged)".into(),
        };
        let machines = if sources.is_empty() {
            String::new()
        } else {
            let mut names: Vec<String> = sources
                .iter()
                .take(HEADLINE_FILES)
                .map(|s| self.scrub.text(s))
                .collect();
            if sources.len() > HEADLINE_FILES {
                names.push(format!("and {} more", sources.len() - HEADLINE_FILES));
            }
            format!(
                " on {} ({})",
                counted(sources.len(), "machine"),
                names.join(", ")
            )
        };
        let _ = writeln!(
            self.html,
            r#"<p class="big"><strong id="secret-count">{}</strong> leaked in {}{span}, in {}{machines}.</p>"#,
            counted(ranked.len(), "distinct secret"),
            counted(uses as usize, "logged use"),
            counted(files.len(), "file"),
        );
        // By severity and by kind.
        self.html.push_str("<div class=\"scroll pair\"><table><caption class=\"muted\">Secrets by severity</caption><tr><th>severity</th><th class=\"n\">secrets</th><th class=\"n\">uses</th></tr>");
        for severity in Severity::ALL.into_iter().rev() {
            let of: Vec<_> = ranked.iter().filter(|s| s.severity() == severity).collect();
            if of.is_empty() {
                continue;
            }
            let _ = write!(
                self.html,
                r#"<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td></tr>"#,
                severity_badge(severity),
                of.len(),
                of.iter().map(|s| s.count()).sum::<u64>()
            );
        }
        self.html.push_str("</table>");
        let mut kinds: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
        for s in ranked {
            let slot = kinds.entry(s.kind()).or_default();
            slot.0 += 1;
            slot.1 += s.count();
        }
        self.html.push_str("<table><caption class=\"muted\">Secrets by kind</caption><tr><th>kind</th><th class=\"n\">secrets</th><th class=\"n\">uses</th></tr>");
        for (kind, (n, uses)) in kinds {
            let _ = write!(
                self.html,
                r#"<tr><td>{}</td><td class="n">{n}</td><td class="n">{uses}</td></tr>"#,
                self.scrub.text(kind)
            );
        }
        self.html.push_str("</table></div>\n");
        if !files.is_empty() {
            let shown: Vec<String> = files
                .iter()
                .take(HEADLINE_FILES)
                .map(|f| format!("<code>{}</code>", self.text(f)))
                .collect();
            let more = files.len().saturating_sub(HEADLINE_FILES);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            let _ = writeln!(self.html, "<p>Files: {}{more}.</p>", shown.join(", "));
        }
        self.html.push_str("<h3>Rotate first</h3>\n<p class=\"muted\">Ranked by severity, then whether the credential is still valid, then whether the server accepted (2xx), redirected (3xx) or refused (4xx) requests carrying it, then the number of distinct clients.</p>\n<ol class=\"rotate\">\n");
        for s in ranked.iter().take(ROTATE_LIST) {
            let _ = writeln!(
                self.html,
                r##"<li><a href="#{anchor}"><code>{secret}</code></a> {badge} <span class="mono">{rule}</span> — {validity}; {outcome}; {clients}; {uses}</li>"##,
                anchor = anchor(s),
                secret = escape(&shown_secret(s)),
                badge = severity_badge(s.severity()),
                rule = self.scrub.text(s.rule()),
                validity = Validity::of(s).describe(),
                outcome = Outcome::of(s).describe(),
                clients = counted(s.clients().len(), "client"),
                uses = counted(s.count() as usize, "use"),
            );
        }
        self.html.push_str("</ol>\n</section>\n");
    }

    fn legend(&mut self) {
        self.html.push_str("<p class=\"legend\">");
        for class in StatusClass::ALL {
            let words = match class {
                StatusClass::Success => "2xx accepted",
                StatusClass::Redirect => "3xx redirected",
                StatusClass::ClientError => "4xx refused",
                StatusClass::ServerError => "5xx server error",
                StatusClass::None => "no status (referer, text)",
            };
            let _ = write!(
                self.html,
                r#"<span><i class="{}"></i>{words}</span>"#,
                class_css(class)
            );
        }
        self.html.push_str("</p>\n");
    }

    fn counts_row(&mut self, first_cells: &str, counts: &[u64; 5]) {
        let _ = write!(self.html, "<tr>{first_cells}");
        for n in counts {
            let _ = write!(self.html, r#"<td class="n">{n}</td>"#);
        }
        self.html.push_str("</tr>\n");
    }

    fn counts_header(&mut self, first_headers: &str) {
        let _ = write!(self.html, "<tr>{first_headers}");
        for class in StatusClass::ALL {
            let _ = write!(self.html, r#"<th class="n">{}</th>"#, class.as_str());
        }
        self.html.push_str("</tr>\n");
    }

    fn timeline(&mut self, ranked: &[&SecretSummary], top_n: usize) {
        self.html
            .push_str("<section id=\"timeline\"><h2>Incident timeline</h2>\n");
        let lanes_of: Vec<&SecretSummary> = ranked
            .iter()
            .copied()
            .take(top_n.min(TIMELINE_LANES))
            .filter(|s| !s.hourly().is_empty())
            .collect();
        let Some((first, last)) = hour_range(lanes_of.iter().copied()) else {
            self.html
                .push_str("<p>No use of a secret has a logged time.</p></section>\n");
            return;
        };
        let axis = Axis::covering(first, last, TIMELINE_COLUMNS);
        let lanes: Vec<Lane> = lanes_of
            .iter()
            .map(|s| Lane {
                label: escape(&shown_secret(s)),
                columns: fold(s.hourly(), &axis),
            })
            .collect();
        let _ = writeln!(
            self.html,
            "<p class=\"muted\">One lane per secret ({} first to rotate), one mark per {} (UTC) with a use, coloured by the status of the requests (accepted first); darker marks had more uses.</p>",
            counted(lanes.len(), "secret"),
            width_words(axis.width),
        );
        self.legend();
        let desc = format!(
            "Uses of {} from {} to {}, in columns of {}.",
            counted(lanes.len(), "secret"),
            column_label(axis.start),
            column_label(axis.hour_of_bin(axis.bins - 1)),
            width_words(axis.width)
        );
        self.html.push_str("<div class=\"scroll\">");
        self.html.push_str(&svg::timeline(
            "timeline-chart",
            "Incident timeline",
            &desc,
            &axis,
            &lanes,
        ));
        self.html.push_str("</div>\n<details><summary>Table view of the timeline</summary><div class=\"scroll\"><table class=\"chart-table\">\n");
        self.counts_header("<th>secret</th><th>from (UTC)</th>");
        for lane in &lanes {
            for (i, counts) in lane.columns.iter().enumerate() {
                if counts.iter().sum::<u64>() == 0 {
                    continue;
                }
                let cells = format!(
                    "<td><code>{}</code></td><td>{}</td>",
                    lane.label,
                    column_label(axis.hour_of_bin(i))
                );
                self.counts_row(&cells, counts);
            }
        }
        self.html.push_str("</table></div></details>\n</section>\n");
    }

    fn top_sections(&mut self, list: &[&SecretSummary]) {
        let _ = writeln!(
            self.html,
            "<section id=\"secrets\"><h2>Top secrets</h2>\n<p class=\"muted\">The {} first to rotate, each with its facts; every other secret is a row of the next table.</p>",
            counted(list.len(), "secret")
        );
        for (i, s) in list.iter().enumerate() {
            self.secret_section(i + 1, s);
        }
        self.html.push_str("</section>\n");
    }

    fn secret_section(&mut self, rank: usize, s: &SecretSummary) {
        let id = anchor(s);
        let vendor = crate::rules::vendor_of(s.rule());
        let _ = writeln!(
            self.html,
            r#"<article class="secret" id="{id}"><h3>{rank}. <code>{secret}</code> {badge}</h3>
<dl class="facts">"#,
            secret = escape(&shown_secret(s)),
            badge = severity_badge(s.severity()),
        );
        let mut facts: Vec<(String, String)> = vec![
            (
                "rule".into(),
                format!("<code>{}</code>", self.scrub.text(s.rule())),
            ),
            ("kind".into(), self.scrub.text(s.kind())),
        ];
        if let Some(v) = vendor {
            facts.push(("vendor".into(), escape(v)));
        }
        facts.extend([
            (
                "fingerprint".into(),
                format!("<code>{}</code>", self.scrub.text(s.fingerprint())),
            ),
            ("first seen".into(), seen_text(s.first_seen())),
            ("last seen".into(), seen_text(s.last_seen())),
            ("requests".into(), s.count().to_string()),
            ("validity".into(), Validity::of(s).describe().into()),
            ("server".into(), Outcome::of(s).describe().into()),
            ("statuses".into(), statuses_text(s.statuses())),
        ]);
        let clients = top(s.clients(), 10);
        let mut client_text: Vec<String> = clients
            .iter()
            .map(|(c, n)| format!("<code>{}</code> ×{n}", self.text(c)))
            .collect();
        if s.clients().len() > clients.len() {
            client_text.push(format!("and {} more", s.clients().len() - clients.len()));
        }
        facts.push((
            format!("clients ({})", s.clients().len()),
            if client_text.is_empty() {
                "none logged".into()
            } else {
                client_text.join(", ")
            },
        ));
        let referer_only = s.statuses().is_empty() && !s.referer_statuses().is_empty();
        facts.push((
            "in referers".into(),
            if s.referer_statuses().is_empty() {
                "no".into()
            } else if referer_only {
                format!(
                    "only in Referer or upstream URLs (statuses of those requests: {})",
                    statuses_text(s.referer_statuses())
                )
            } else {
                format!("also ({})", statuses_text(s.referer_statuses()))
            },
        ));
        let hosts = top(s.referer_hosts(), 5);
        if !hosts.is_empty() {
            let text: Vec<String> = hosts
                .iter()
                .map(|(h, n)| format!("<code>{}</code> ×{n}", self.text(h)))
                .collect();
            facts.push(("referer hosts".into(), text.join(", ")));
        }
        facts.extend(details_facts(s.details(), &self.scrub));
        let files: Vec<String> = s
            .files()
            .iter()
            .take(30)
            .map(|f| self.file_and_line(s, f))
            .collect();
        let more = s.files().len().saturating_sub(30);
        facts.push((
            format!("files ({})", s.files().len()),
            if more > 0 {
                format!("{} and {more} more", files.join(", "))
            } else {
                files.join(", ")
            },
        ));
        if !s.sources().is_empty() {
            let names: Vec<String> = s.sources().iter().map(|x| self.scrub.text(x)).collect();
            facts.push(("machines".into(), names.join(", ")));
        }
        for (name, value) in facts {
            let _ = writeln!(self.html, "<dt>{}</dt><dd>{value}</dd>", escape(&name));
        }
        self.html.push_str("</dl>\n");
        if let (Some(&first), Some(&last)) =
            (s.hourly().keys().next(), s.hourly().keys().next_back())
        {
            let axis = Axis::covering(first, last, SECRET_COLUMNS);
            self.uses_over_time(&id, s, &axis);
            self.clients_over_time(&id, s, &axis);
        }
        if !clients.is_empty() {
            let rows: Vec<(String, u64)> =
                clients.iter().map(|(c, n)| (self.text(c), *n)).collect();
            let shown = escape(&shown_secret(s));
            self.html
                .push_str("<p class=\"caption\">Requests, by client</p><div class=\"scroll\">");
            self.html.push_str(&svg::bars(
                &format!("{id}-clients"),
                &format!("Requests carrying {shown} by client"),
                &format!(
                    "The {} of {} clients with the most requests; the clients fact above lists the same counts.",
                    clients.len(),
                    s.clients().len()
                ),
                &rows,
            ));
            self.html.push_str("</div>\n");
        }
        self.html
            .push_str("<p><strong>Recommended action</strong></p><ul class=\"action\">");
        for action in actions(s, &self.scrub) {
            let _ = write!(self.html, "<li>{action}</li>");
        }
        self.html.push_str("</ul>\n</article>\n");
    }

    /// A secret's uses over time, stacked by status class, with its table view.
    fn uses_over_time(&mut self, id: &str, s: &SecretSummary, axis: &Axis) {
        let columns = fold(s.hourly(), axis);
        let desc = format!(
            "Uses per {} from {} to {}, stacked by status class.",
            width_words(axis.width),
            column_label(axis.start),
            column_label(axis.hour_of_bin(axis.bins - 1))
        );
        self.html
            .push_str("<p class=\"caption\">Uses over time, by status</p><div class=\"scroll\">");
        self.html.push_str(&svg::uses_over_time(
            &format!("{id}-chart"),
            &format!("Uses of {} over time", escape(&shown_secret(s))),
            &desc,
            axis,
            &columns,
        ));
        self.html.push_str("</div>\n<details><summary>Table view of the chart</summary><table class=\"chart-table\">\n");
        self.counts_header("<th>from (UTC)</th>");
        for (i, counts) in columns.iter().enumerate() {
            if counts.iter().sum::<u64>() > 0 {
                let cells = format!("<td>{}</td>", column_label(axis.hour_of_bin(i)));
                self.counts_row(&cells, counts);
            }
        }
        self.html.push_str("</table></details>\n");
    }

    /// A secret's requests over time by client: a row for each of its top clients and one for
    /// the others, with its table view; or why it cannot be drawn.
    fn clients_over_time(&mut self, id: &str, s: &SecretSummary, axis: &Axis) {
        let Some(by_client) = s.client_hourly() else {
            if !s.clients().is_empty() {
                let _ = writeln!(
                    self.html,
                    "<p class=\"muted\" id=\"{id}-clienttime-na\">Requests over time by client: not available. Some of the summaries read were written before logleaks kept per-client times; <code>logleaks summary</code> over the findings themselves draws it.</p>"
                );
            }
            return;
        };
        let series = client_series(by_client, axis, CLIENT_ROWS);
        if series.is_empty() {
            return;
        }
        let rows: Vec<ClientRow> = series
            .iter()
            .map(|r| match &r.client {
                Some(client) => ClientRow {
                    label: self.text(client),
                    css: "kclient",
                    columns: r.columns.clone(),
                },
                None => ClientRow {
                    label: format!("other clients ({})", r.clients),
                    css: "kother",
                    columns: r.columns.clone(),
                },
            })
            .collect();
        let timed = series.iter().fold(0u64, |a, r| a.saturating_add(r.total()));
        let others = match series.last() {
            Some(r) if r.client.is_none() => ", then the other clients together",
            _ => "",
        };
        let desc = format!(
            "{} with a client and a time, per {} from {} to {}: a row for each of the {} with the most{others}, on one scale; each row ends with its total.",
            crate::printable::counted(timed, "request"),
            width_words(axis.width),
            column_label(axis.start),
            column_label(axis.hour_of_bin(axis.bins - 1)),
            counted(series.iter().filter(|r| r.client.is_some()).count(), "client"),
        );
        self.html.push_str(
            "<p class=\"caption\">Requests over time, by client</p><div class=\"scroll\">",
        );
        self.html.push_str(&svg::client_rows(
            &format!("{id}-clienttime"),
            &format!(
                "Requests carrying {} over time by client",
                escape(&shown_secret(s))
            ),
            &desc,
            axis,
            &rows,
        ));
        self.html.push_str("</div>\n<details><summary>Table view of the chart</summary><div class=\"scroll\"><table class=\"chart-table\">\n<tr><th>from (UTC)</th>");
        for row in &rows {
            let _ = write!(self.html, r#"<th class="n">{}</th>"#, row.label);
        }
        self.html.push_str("</tr>\n");
        for i in 0..axis.bins {
            if rows.iter().all(|r| r.columns[i] == 0) {
                continue;
            }
            let _ = write!(
                self.html,
                "<tr><td>{}</td>",
                column_label(axis.hour_of_bin(i))
            );
            for row in &rows {
                let _ = write!(self.html, r#"<td class="n">{}</td>"#, row.columns[i]);
            }
            self.html.push_str("</tr>\n");
        }
        self.html.push_str("</table></div></details>\n");
    }

    fn others(&mut self, rest: &[&SecretSummary], offset: usize) {
        self.html
            .push_str("<section id=\"others\"><h2>Other secrets</h2>\n");
        if rest.is_empty() {
            self.html
                .push_str("<p>None: every secret has its section above.</p></section>\n");
            return;
        }
        let _ = writeln!(
            self.html,
            "<p class=\"muted\">{}, in the order to rotate them.</p>",
            counted(rest.len(), "more secret")
        );
        const HEADER: &str = "<tr><th class=\"n\">#</th><th>secret</th><th>fingerprint</th><th>rule</th><th>kind</th><th>severity</th><th>first seen</th><th>last seen</th><th class=\"n\">uses</th><th>clients</th><th>statuses</th><th>validity</th><th>files</th><th>action</th></tr>\n";
        for (i, s) in rest.iter().enumerate() {
            // Tables of a few hundred rows, each laid out only when scrolled to, so that a
            // browser opens a report of ten thousand secrets quickly.
            if i % OTHERS_CHUNK == 0 {
                if i > 0 {
                    self.html.push_str("</table></div>\n");
                }
                self.html
                    .push_str("<div class=\"scroll chunk\"><table class=\"others\">");
                self.html.push_str(HEADER);
            }
            let clients: Vec<String> = top(s.clients(), 3)
                .iter()
                .map(|(c, n)| format!("{} ×{n}", self.text(c)))
                .collect();
            let files: Vec<String> = s
                .files()
                .iter()
                .take(3)
                .map(|f| self.file_and_line(s, f))
                .collect();
            let action = actions(s, &self.scrub)
                .into_iter()
                .next()
                .unwrap_or_default();
            let referer = if s.referer_statuses().is_empty() {
                String::new()
            } else {
                format!("; in referers: {}", statuses_text(s.referer_statuses()))
            };
            let _ = writeln!(
                self.html,
                r#"<tr id="{anchor}"><td class="n">{rank}</td><td><code>{secret}</code></td><td><code>{fp}</code></td><td>{rule}</td><td>{kind}</td><td>{badge}</td><td>{first}</td><td>{last}</td><td class="n">{uses}</td><td>{nclients}: {clients}</td><td>{statuses}{referer}</td><td>{validity}</td><td>{nfiles}: {files}</td><td>{action}</td></tr>"#,
                anchor = anchor(s),
                rank = offset + i + 1,
                secret = escape(&shown_secret(s)),
                fp = self.scrub.text(s.fingerprint()),
                rule = self.scrub.text(s.rule()),
                kind = self.scrub.text(s.kind()),
                badge = severity_badge(s.severity()),
                first = seen_text(s.first_seen()),
                last = seen_text(s.last_seen()),
                uses = s.count(),
                nclients = s.clients().len(),
                clients = clients.join(", "),
                statuses = statuses_text(s.statuses()),
                validity = Validity::of(s).describe(),
                nfiles = s.files().len(),
                files = files.join(", "),
            );
        }
        self.html.push_str("</table></div>\n</section>\n");
    }

    fn parameters(&mut self, key: Option<&str>, run: &RunFacts) {
        self.html.push_str("<section id=\"parameters\"><h2>Scan parameters</h2>\n<p class=\"muted\">What reproduces this report.</p>\n<table>");
        let key = key.unwrap_or("not recorded");
        let mut rows: Vec<(String, String)> = vec![
            (
                "command".into(),
                format!("<code>logleaks {} --format html</code>", run.command),
            ),
            ("logleaks version".into(), escape(crate::meta::VERSION)),
            (
                "schema version".into(),
                crate::meta::SCHEMA_VERSION.to_string(),
            ),
            (
                "fingerprint key id".into(),
                format!("<code>{}</code>", self.scrub.text(key)),
            ),
        ];
        for (name, value) in &run.parameters {
            rows.push((
                escape(name),
                format!("<code>{}</code>", self.scrub.text(value)),
            ));
        }
        for (name, value) in rows {
            let _ = write!(self.html, "<tr><th>{name}</th><td>{value}</td></tr>");
        }
        self.html.push_str("</table>\n<h3>Inputs</h3>\n");
        if run.inputs.is_empty() {
            self.html.push_str("<p>Standard input.</p>\n");
        } else {
            self.html.push_str("<ul>");
            for input in &run.inputs {
                let _ = write!(
                    self.html,
                    "<li><code>{}</code></li>",
                    self.scrub.html(&name_shown(input))
                );
            }
            self.html.push_str("</ul>\n");
        }
        if !run.input_hashes.is_empty() {
            self.html.push_str("<h3>SHA-256 of every input file</h3>\n<div class=\"scroll\"><table class=\"hashes\"><tr><th>file</th><th>SHA-256</th></tr>\n");
            for hash in &run.input_hashes {
                let digest = match &hash.sha256 {
                    Ok(hex) => format!("<code>{}</code>", escape(hex)),
                    Err(why) => format!("not hashed: {}", self.scrub.text(why)),
                };
                let _ = writeln!(
                    self.html,
                    "<tr><td><code>{}</code></td><td>{digest}</td></tr>",
                    self.scrub.html(&hash.input)
                );
            }
            self.html.push_str("</table></div>\n");
        }
        if !run.problems.is_empty() {
            self.html
                .push_str("<h3>Inputs that could not be read</h3>\n<ul>");
            for problem in &run.problems {
                let _ = write!(self.html, "<li>{}</li>", self.scrub.text(problem));
            }
            self.html.push_str("</ul>\n");
        }
        self.html.push_str("</section>\n");
    }
}

/// `hour`, `6 hours`, `day`, `week`, `2 weeks`.
fn width_words(hours: i64) -> String {
    match hours {
        1 => "hour".into(),
        24 => "day".into(),
        168 => "week".into(),
        h if h % 168 == 0 => format!("{} weeks", h / 168),
        h if h % 24 == 0 => format!("{} days", h / 24),
        h => format!("{h} hours"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn column_widths_read_as_words() {
        assert_eq!(width_words(1), "hour");
        assert_eq!(width_words(6), "6 hours");
        assert_eq!(width_words(48), "2 days");
        assert_eq!(width_words(336), "2 weeks");
    }

    #[test]
    fn actions_follow_the_kind_and_expiry() {
        let mut summary = Summary::default();
        summary
            .add_value(&json!({
                "rule": "generic-session", "kind": "session", "severity": "high", "file": "a.log",
                "line": 1, "column": 1, "field": "cookie", "secret": "…x",
                "fingerprint": "00000000000000aa", "status": 200,
                "details": {"expired_now": true, "note": "<b>x</b>"},
            }))
            .unwrap();
        let s = summary.sorted()[0];
        let list = actions(s, &Scrubber::new([s]));
        assert!(list[0].starts_with("End the session"), "{list:?}");
        assert!(list[0].contains("it has expired"), "{list:?}");
        assert!(
            list.iter().any(|a| a == "Note: &lt;b&gt;x&lt;/b&gt;"),
            "{list:?}"
        );
        assert!(list.iter().any(|a| a.contains("accepted")), "{list:?}");
        assert!(list.last().unwrap().contains("logleaks redact"));
    }
}
