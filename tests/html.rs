//! `--format html`, end to end: the page is well-formed, fetches nothing, gives every secret a
//! section or a table row, draws its charts with marks that match their table views, and its
//! numbers are those of `summary --format json` over the same findings.

mod common;

use std::collections::BTreeMap;

use common::*;
use serde_json::Value;

/// One element of the page: its tag, attributes, and where it starts and ends in the text.
#[derive(Debug)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    /// The byte range of its content (between its tags).
    inner: std::ops::Range<usize>,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }

    fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split(' ').any(|x| x == class))
    }
}

/// Elements that have no end tag.
const VOID: &[&str] = &["meta", "br", "hr", "img", "input", "link", "wbr"];

/// Checks that `text` holds only valid character references.
fn check_references(text: &str, at: usize) -> Result<(), String> {
    for (i, _) in text.match_indices('&') {
        let rest = &text[i + 1..];
        let end = rest.find(';').ok_or(format!("bare & at byte {}", at + i))?;
        let name = &rest[..end];
        let known = matches!(name, "amp" | "lt" | "gt" | "quot")
            || name
                .strip_prefix('#')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if !known {
            return Err(format!(
                "unknown character reference &{name}; at byte {}",
                at + i
            ));
        }
    }
    Ok(())
}

/// A strict parser for the HTML logleaks writes: every element closed (or void or `/>`), in
/// order; attributes double-quoted; text and attribute values with no raw `<` and only known
/// character references. Returns every element, in document order.
fn parse(html: &str) -> Result<Vec<Element>, String> {
    let rest = html
        .strip_prefix("<!DOCTYPE html>\n")
        .ok_or("no <!DOCTYPE html> first")?;
    let base = html.len() - rest.len();
    let bytes = html.as_bytes();
    let mut elements: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut pos = base;
    while pos < html.len() {
        let Some(lt) = html[pos..].find('<').map(|i| pos + i) else {
            check_references(&html[pos..], pos)?;
            if html[pos..].trim().is_empty() {
                break;
            }
            return Err("text after the last element".into());
        };
        check_references(&html[pos..lt], pos)?;
        if let Some(&top) = open.last() {
            if elements[top].name == "style" && !html[lt..].starts_with("</style>") {
                return Err("a < inside <style>".into());
            }
        }
        let gt = html[lt..]
            .find('>')
            .map(|i| lt + i)
            .ok_or(format!("unclosed tag at byte {lt}"))?;
        let tag = &html[lt + 1..gt];
        if let Some(name) = tag.strip_prefix('/') {
            let top = open.pop().ok_or(format!("</{name}> closes nothing"))?;
            if elements[top].name != name {
                return Err(format!(
                    "</{name}> at byte {lt} closes <{}>",
                    elements[top].name
                ));
            }
            elements[top].inner.end = lt;
        } else {
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let name_end = tag.find([' ', '\n']).unwrap_or(tag.len());
            let name = &tag[..name_end];
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(format!("bad tag name {name:?} at byte {lt}"));
            }
            let mut attrs = BTreeMap::new();
            let mut a = tag[name_end..].trim_start();
            while !a.is_empty() {
                let eq = a
                    .find("=\"")
                    .ok_or(format!("attribute without =\" in <{name}> at byte {lt}"))?;
                let key = &a[..eq];
                if !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                    return Err(format!("bad attribute name {key:?} at byte {lt}"));
                }
                let value_end = a[eq + 2..].find('"').ok_or("unterminated attribute")? + eq + 2;
                let value = &a[eq + 2..value_end];
                check_references(value, lt)?;
                if attrs.insert(key.to_string(), value.to_string()).is_some() {
                    return Err(format!("attribute {key} twice at byte {lt}"));
                }
                a = a[value_end + 1..].trim_start();
            }
            elements.push(Element {
                name: name.to_string(),
                attrs,
                inner: gt + 1..gt + 1,
            });
            if !self_closing && !VOID.contains(&name) {
                open.push(elements.len() - 1);
            }
        }
        pos = gt + 1;
        let _ = bytes;
    }
    if let Some(&top) = open.last() {
        return Err(format!("<{}> is never closed", elements[top].name));
    }
    Ok(elements)
}

/// The text of `html[range]` without its tags.
fn text_of(html: &str, range: &std::ops::Range<usize>) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html[range.clone()].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// The summary of the same findings, by fingerprint.
fn summary_of(jsonl: &[u8]) -> BTreeMap<String, Value> {
    let dir = tempdir();
    write(dir.path(), "f.jsonl", jsonl);
    let out = run(logleaks()
        .current_dir(dir.path())
        .args(["summary", "--format", "json", "f.jsonl"]));
    out.assert_code(0);
    let object: Value = serde_json::from_slice(&out.stdout).unwrap();
    object["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["fingerprint"].as_str().unwrap().to_string(), s.clone()))
        .collect()
}

/// Checks everything a page must be, against the summary of its findings; returns its elements.
fn check_page(html: &str, summary: &BTreeMap<String, Value>, top: usize) -> Vec<Element> {
    let elements = parse(html).unwrap_or_else(|e| panic!("not well-formed: {e}"));
    // A policy that forbids every fetch, first thing in the head.
    let csp = elements
        .iter()
        .find(|e| e.name == "meta" && e.attr("http-equiv") == Some("Content-Security-Policy"))
        .expect("a Content-Security-Policy meta tag");
    let policy = csp.attr("content").unwrap();
    assert!(policy.starts_with("default-src 'none';"), "{policy}");
    assert!(!policy.contains("script-src"), "{policy}");
    // Nothing is fetched and no link leaves the page.
    for e in &elements {
        assert!(
            !["script", "link", "img", "iframe", "object", "embed", "base", "form"]
                .contains(&e.name.as_str()),
            "<{}> in the page",
            e.name
        );
        for (key, value) in &e.attrs {
            if key == "src" || key == "href" || key == "action" || key.starts_with("on") {
                assert!(
                    key == "href" && value.starts_with('#'),
                    "<{} {key}=\"{value}\">",
                    e.name
                );
            }
            if value.contains("://") {
                assert_eq!(
                    (key.as_str(), value.as_str()),
                    ("xmlns", "http://www.w3.org/2000/svg"),
                    "an external URL in <{}>",
                    e.name
                );
            }
        }
    }
    let style = elements.iter().find(|e| e.name == "style").unwrap();
    let css = &html[style.inner.clone()];
    assert!(
        !css.contains("url(") && !css.contains("@import"),
        "the style fetches"
    );
    assert!(css.contains("prefers-color-scheme: dark") && css.contains("@media print"));
    // Every internal link has its target.
    let ids: std::collections::BTreeSet<&str> =
        elements.iter().filter_map(|e| e.attr("id")).collect();
    for e in &elements {
        if let Some(target) = e.attr("href").and_then(|h| h.strip_prefix('#')) {
            assert!(ids.contains(target), "link to #{target} goes nowhere");
        }
    }
    // The headline counts the secrets.
    let count = elements
        .iter()
        .find(|e| e.attr("id") == Some("secret-count"))
        .map(|e| text_of(html, &e.inner));
    if summary.is_empty() {
        assert!(html.contains("No leaked credential was found."));
    } else {
        let s = if summary.len() == 1 { "" } else { "s" };
        assert_eq!(
            count.unwrap(),
            format!("{} distinct secret{s}", summary.len())
        );
    }
    // Every secret has its section (the top ones) or its row (the others), with its numbers.
    let mut sections = 0;
    for (fp, secret) in summary {
        let e = elements
            .iter()
            .find(|e| e.attr("id") == Some(&format!("s-{fp}")))
            .unwrap_or_else(|| panic!("no section or row for {fp}"));
        let text = text_of(html, &e.inner);
        let count = secret["count"].as_u64().unwrap();
        let shown = secret["secret"].as_str().unwrap();
        assert!(text.contains(shown), "{fp}: {shown} not in {text}");
        match e.name.as_str() {
            "article" => {
                sections += 1;
                let clients = secret["clients"].as_object().unwrap().len();
                assert!(text.contains(&format!("requests{count}")), "{fp}: {text}");
                if let Some(first) = secret["first_seen"].as_str() {
                    assert!(text.contains(&format!("first seen{first}")), "{text}");
                }
                // The files, each with the first line the secret is on there.
                for (file, line) in secret["first_lines"].as_object().unwrap() {
                    assert!(text.contains(&format!("{file} (line {line})")), "{text}");
                }
                assert!(text.contains(&format!("clients ({clients})")), "{text}");
                // Its chart, when it has times, has marks adding up to its timed uses.
                let timed: u64 = secret["hourly"]
                    .as_object()
                    .unwrap()
                    .values()
                    .flat_map(|c| c.as_object().unwrap().values())
                    .map(|n| n.as_u64().unwrap())
                    .sum();
                let chart = elements
                    .iter()
                    .find(|c| c.attr("id") == Some(&format!("s-{fp}-chart-t")));
                assert_eq!(chart.is_some(), timed > 0, "{fp}: chart");
                check_clients_over_time(html, &elements, fp, secret);
                // Its requests by client: one bar per client shown (at most ten).
                let bars = elements.iter().find(|c| {
                    c.name == "svg"
                        && c.attr("aria-labelledby")
                            .is_some_and(|l| l.starts_with(&format!("s-{fp}-clients-t")))
                });
                match bars {
                    Some(svg) => {
                        let n = elements
                            .iter()
                            .filter(|m| {
                                m.has_class("kbar")
                                    && m.inner.start > svg.inner.start
                                    && m.inner.end <= svg.inner.end
                            })
                            .count();
                        assert_eq!(n, clients.min(10), "{fp}: client bars");
                    }
                    None => assert_eq!(clients, 0, "{fp}: no client chart"),
                }
            }
            "tr" => {
                let cells: Vec<&Element> = elements
                    .iter()
                    .filter(|c| {
                        c.name == "td"
                            && c.inner.start >= e.inner.start
                            && c.inner.end <= e.inner.end
                    })
                    .collect();
                assert_eq!(text_of(html, &cells[1].inner), shown);
                assert_eq!(text_of(html, &cells[2].inner), *fp);
                assert_eq!(text_of(html, &cells[8].inner), count.to_string());
            }
            other => panic!("{fp} is in a <{other}>"),
        }
    }
    assert_eq!(
        sections,
        top.min(summary.len()),
        "sections for the top secrets"
    );
    // Charts are accessible and every chart has marks.
    for svg in elements.iter().filter(|e| e.name == "svg") {
        let labels = svg.attr("aria-labelledby").expect("aria-labelledby");
        for id in labels.split(' ') {
            assert!(ids.contains(id), "{id}");
        }
        assert_eq!(svg.attr("role"), Some("img"));
        let marks = elements
            .iter()
            .filter(|m| {
                m.has_class("mark")
                    && m.inner.start > svg.inner.start
                    && m.inner.end <= svg.inner.end
            })
            .count();
        assert!(marks > 0, "a chart without marks");
    }
    elements
}

/// The elements inside `outer`, in document order.
fn inside<'e>(elements: &'e [Element], outer: &Element) -> impl Iterator<Item = &'e Element> {
    let range = outer.inner.clone();
    elements
        .iter()
        .filter(move |e| e.inner.start > range.start && e.inner.end <= range.end)
}

/// A secret's requests over time by client: a row for each of its five clients with the most
/// timed uses and one for the others, with marks adding up to its `client_hourly` counts, and
/// a table view with the same numbers; or, when the summary does not know them, a note.
fn check_clients_over_time(html: &str, elements: &[Element], fp: &str, secret: &Value) {
    let id = |suffix: &str| format!("s-{fp}-clienttime{suffix}");
    let note = elements.iter().find(|e| e.attr("id") == Some(&id("-na")));
    let svg = elements.iter().find(|e| {
        e.name == "svg" && e.attr("aria-labelledby") == Some(&format!("{} {}", id("-t"), id("-d")))
    });
    let Some(by_client) = secret["client_hourly"].as_object() else {
        assert!(svg.is_none(), "{fp}: a chart from unknown counts");
        let has_clients = !secret["clients"].as_object().unwrap().is_empty();
        let timed = !secret["hourly"].as_object().unwrap().is_empty();
        assert_eq!(note.is_some(), has_clients && timed, "{fp}: the note");
        if let Some(note) = note {
            assert!(text_of(html, &note.inner).contains("not available"));
        }
        return;
    };
    assert!(note.is_none(), "{fp}: a note although the counts are known");
    let mut totals: Vec<(String, u64)> = by_client
        .iter()
        .map(|(client, hours)| {
            let n = hours
                .as_object()
                .unwrap()
                .values()
                .map(|n| n.as_u64().unwrap())
                .sum();
            (client.clone(), n)
        })
        .collect();
    let timed: u64 = totals.iter().map(|(_, n)| n).sum();
    let Some(svg) = svg else {
        assert_eq!(timed, 0, "{fp}: no chart of requests over time by client");
        return;
    };
    totals.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut expected: Vec<String> = totals.iter().take(5).map(|(c, _)| c.clone()).collect();
    if totals.len() > 5 {
        expected.push(format!("other clients ({})", totals.len() - 5));
    }
    let labels: Vec<String> = inside(elements, svg)
        .filter(|e| e.name == "text" && e.has_class("lane"))
        .map(|e| text_of(html, &e.inner))
        .collect();
    assert_eq!(labels, expected, "{fp}: rows");
    // Each mark's title ends with its count; together they are every timed use by a client.
    let marked: u64 = inside(elements, svg)
        .filter(|e| e.name == "rect" && e.has_class("mark"))
        .map(|m| {
            let title = text_of(html, &m.inner);
            title.rsplit(": ").next().unwrap().parse::<u64>().unwrap()
        })
        .sum();
    assert_eq!(marked, timed, "{fp}: marks");
    // The table view right after the chart holds the same counts.
    let table = elements
        .iter()
        .find(|e| e.name == "table" && e.inner.start > svg.inner.end)
        .unwrap();
    let tabled: u64 = inside(elements, table)
        .filter(|e| e.name == "td" && e.has_class("n"))
        .map(|c| text_of(html, &c.inner).parse::<u64>().unwrap())
        .sum();
    assert_eq!(tabled, timed, "{fp}: table view");
}

/// The timeline's marks: one per used column of each lane, as many as rows of its table view.
fn check_timeline(html: &str, elements: &[Element]) -> usize {
    let svg = elements
        .iter()
        .find(|e| e.name == "svg" && e.has_class("timeline"))
        .expect("an incident timeline");
    let marks = elements
        .iter()
        .filter(|m| {
            m.name == "rect"
                && m.has_class("mark")
                && m.inner.start > svg.inner.start
                && m.inner.end <= svg.inner.end
        })
        .count();
    let table = elements
        .iter()
        .find(|e| e.name == "table" && e.has_class("chart-table") && e.inner.start > svg.inner.end)
        .expect("a table view of the timeline");
    let rows = elements
        .iter()
        .filter(|r| {
            r.name == "tr" && r.inner.start > table.inner.start && r.inner.end <= table.inner.end
        })
        .count();
    assert_eq!(
        marks,
        rows - 1,
        "marks against table rows (less the header)"
    );
    let _ = html;
    marks
}

#[test]
fn the_report_of_the_fixtures_is_complete_and_self_contained() {
    let findings = scan(["--format", "jsonl", "--now", "2026-12-01", "fixtures/"]);
    findings.assert_code(1);
    let summary = summary_of(&findings.stdout);
    assert!(summary.len() > 5, "{}", summary.len());
    let page = scan([
        "--format",
        "html",
        "--top",
        "5",
        "--now",
        "2026-12-01",
        "fixtures/",
    ]);
    page.assert_code(1).assert_no_panic();
    let html = page.out();
    let elements = check_page(&html, &summary, 5);
    check_timeline(&html, &elements);
    // The scan's parameters, so that it can be reproduced.
    let params = elements
        .iter()
        .find(|e| e.attr("id") == Some("parameters"))
        .unwrap();
    let text = text_of(&html, &params.inner);
    for fact in [
        concat!("logleaks version", env!("CARGO_PKG_VERSION")),
        "fingerprint key idnone",
        "now2026-12-01",
        "fixtures/",
    ] {
        assert!(text.contains(fact), "{fact} not in {text}");
    }
    assert!(!text.contains("SHA-256"), "hashes only when asked");
    // The page of `summary` over the same findings has the same secrets and numbers.
    let dir = tempdir();
    write(dir.path(), "f.jsonl", &findings.stdout);
    let from_summary = run(logleaks()
        .current_dir(dir.path())
        .args(["summary", "--format", "html", "--top", "50", "f.jsonl"]));
    from_summary.assert_code(0);
    check_page(&from_summary.out(), &summary, 50);
}

#[test]
fn hash_inputs_records_the_sha256_of_every_input_file() {
    let dir = tempdir();
    let log = combined_line("/api?api_key=f91b83a50bfee4ad5285a7e99c14539e");
    let a = write(dir.path(), "logs/a.log", &log);
    let b = write(dir.path(), "logs/b.log.gz", gzip(log.as_bytes()));
    let page = run(logleaks().current_dir(dir.path()).args([
        "scan",
        "--format",
        "html",
        "--hash-inputs",
        "logs",
    ]));
    page.assert_code(1);
    let html = page.out();
    parse(&html).unwrap();
    use sha2::{Digest, Sha256};
    for (name, path) in [("logs/a.log", a), ("logs/b.log.gz", b)] {
        let digest: String = Sha256::digest(std::fs::read(path).unwrap())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(
            html.contains(&format!(
                "<tr><td><code>{name}</code></td><td><code>{digest}</code></td></tr>"
            )),
            "no hash of {name}"
        );
    }
    // Only the HTML report has a place for them.
    let refused = run(logleaks().current_dir(dir.path()).args([
        "scan",
        "--format",
        "json",
        "--hash-inputs",
        "logs",
    ]));
    refused.assert_code(2);
    assert!(
        refused.stderr.contains("--format html"),
        "{}",
        refused.stderr
    );
}

#[test]
fn a_generated_incident_folds_its_uses_into_a_timeline() {
    // 30 keys used over ten days by several clients with every status class, some only in
    // referers.
    let mut rng = Rng::new(18);
    let keys: Vec<String> = (0..30).map(|_| rng.hex32()).collect();
    let mut log = String::new();
    for i in 0..3000u64 {
        let key = &keys[(rng.next() % 30) as usize];
        let day = 1 + (i * 10 / 3000);
        let hour = rng.next() % 24;
        let status = [200, 302, 403, 500][(rng.next() % 4) as usize];
        let client = format!("192.0.2.{}", rng.next() % 7);
        let line = if i % 10 == 0 {
            format!("{client} - - [{day:02}/Nov/2025:{hour:02}:00:00 +0000] \"GET /pricing HTTP/1.1\" {status} 1 \"https://app{}.example/p?api_key={key}\" \"curl/8\"\n", i % 3)
        } else {
            format!("{client} - - [{day:02}/Nov/2025:{hour:02}:00:00 +0000] \"GET /v1/x?api_key={key} HTTP/1.1\" {status} 1 \"-\" \"curl/8\"\n")
        };
        log.push_str(&line);
    }
    let dir = tempdir();
    write(dir.path(), "access.log", &log);
    let findings =
        run(logleaks()
            .current_dir(dir.path())
            .args(["scan", "--format", "jsonl", "access.log"]));
    let summary = summary_of(&findings.stdout);
    assert_eq!(summary.len(), 30);
    let page = run(logleaks().current_dir(dir.path()).args([
        "scan",
        "--format",
        "html",
        "--top",
        "12",
        "access.log",
    ]));
    page.assert_code(1);
    let html = page.out();
    let elements = check_page(&html, &summary, 12);
    let marks = check_timeline(&html, &elements);
    // Ten days in hourly columns would be 240; the axis folds them to at most 120 columns, and
    // 12 lanes have at most 12 × 120 marks.
    assert!(marks > 12 && marks <= 12 * 120, "{marks}");
    assert!(
        html.contains("one mark per 2 hours"),
        "columns of two hours"
    );
    // Referer hosts reach the sections; seven clients are five rows and the others.
    assert!(html.contains("referer hosts"), "no referer hosts");
    assert_eq!(
        html.matches(r#"-clienttime-t">"#).count(),
        12,
        "a chart of requests over time by client per section"
    );
    assert!(
        html.contains("other clients (2)"),
        "no row of the other clients"
    );
    for key in &keys {
        assert!(!html.contains(key.as_str()), "a key leaked");
    }
}

#[test]
fn summaries_without_per_client_times_say_the_chart_is_not_available() {
    // Two clients of one key over three hours, and a third client of it on another machine.
    let dir = tempdir();
    let key = "f91b83a50bfee4ad5285a7e99c14539e";
    let line = |client: &str, hour: u32| {
        format!("{client} - - [27/Nov/2025:{hour:02}:10:00 +0000] \"GET /v1/x?api_key={key} HTTP/1.1\" 200 1 \"-\" \"curl/8\"\n")
    };
    let a: String = [("192.0.2.1", 8), ("192.0.2.1", 9), ("192.0.2.2", 10)]
        .iter()
        .map(|(c, h)| line(c, *h))
        .collect();
    write(dir.path(), "a.log", a);
    write(dir.path(), "b.log", line("198.51.100.7", 9));
    let summary_json = |log: &str| {
        let findings = run(logleaks()
            .current_dir(dir.path())
            .args(["scan", "--format", "jsonl", log]));
        write(dir.path(), &format!("{log}.jsonl"), &findings.stdout);
        let out = run(logleaks().current_dir(dir.path()).args([
            "summary",
            "--format",
            "json",
            &format!("{log}.jsonl"),
        ]));
        out.assert_code(0);
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let new = summary_json("b.log");
    // A summary of a.log as logleaks wrote it before it kept per-client times.
    let mut old = summary_json("a.log");
    old["secrets"][0]
        .as_object_mut()
        .unwrap()
        .remove("client_hourly")
        .expect("client_hourly in the summary");
    // (both as bare arrays, the form of the earliest summaries, which `summary` still reads)
    write(dir.path(), "old.json", old["secrets"].to_string());
    write(dir.path(), "new.json", new["secrets"].to_string());
    let page = |inputs: &[&str]| {
        let out = run(logleaks()
            .current_dir(dir.path())
            .args(["summary", "--format", "html"])
            .args(inputs));
        out.assert_code(0);
        out.out()
    };
    let fp = new["secrets"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    for inputs in [
        &["old.json"][..],
        &["new.json", "old.json"],
        &["old.json", "new.json"],
    ] {
        let html = page(inputs);
        parse(&html).unwrap();
        assert!(
            html.contains(&format!(
                "id=\"s-{fp}-clienttime-na\">Requests over time by client: not available"
            )),
            "{inputs:?}"
        );
        assert!(!html.contains("-clienttime-t"), "{inputs:?}: a chart");
    }
    // From the findings themselves, the chart is there with all three clients.
    let html = page(&["a.log.jsonl", "b.log.jsonl"]);
    let summary = summary_of(
        &[
            std::fs::read(dir.path().join("a.log.jsonl")).unwrap(),
            std::fs::read(dir.path().join("b.log.jsonl")).unwrap(),
        ]
        .concat(),
    );
    check_page(&html, &summary, 50);
    assert!(html.contains(&format!("s-{fp}-clienttime-t")), "no chart");
    assert!(html.contains("192.0.2.1: 2025-11-27 08:00Z: 1"), "{html}");
    assert!(!html.contains("not available"));
}

#[test]
fn an_empty_scan_still_makes_a_page() {
    let dir = tempdir();
    write(dir.path(), "clean.log", combined_line("/index.html"));
    let page =
        run(logleaks()
            .current_dir(dir.path())
            .args(["scan", "--format", "html", "clean.log"]));
    page.assert_code(0);
    check_page(&page.out(), &BTreeMap::new(), 50);
}

#[test]
fn the_parser_of_this_test_refuses_what_it_must() {
    let ok = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body><p>a &amp; b</p><svg><rect x=\"1\"/></svg></body></html>\n";
    assert!(parse(ok).is_ok(), "{:?}", parse(ok));
    for bad in [
        "<html></html>",
        "<!DOCTYPE html>\n<html><p></html>",
        "<!DOCTYPE html>\n<html><p>a & b</p></html>",
        "<!DOCTYPE html>\n<html><p class=x>a</p></html>",
        "<!DOCTYPE html>\n<html><p>a</b></html>",
        "<!DOCTYPE html>\n<html><p>&nbsp;</p></html>",
    ] {
        assert!(parse(bad).is_err(), "{bad}");
    }
}

/// Runs headless Chromium (`LOGLEAKS_CHROMIUM`) on `args` with a fresh profile; returns stdout
/// and stderr.
fn chromium(args: &[&str]) -> (String, String) {
    let binary = std::env::var("LOGLEAKS_CHROMIUM")
        .expect("LOGLEAKS_CHROMIUM names the chromium binary (see .ci/run)");
    let profile = tempdir();
    let output = std::process::Command::new(binary)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .output()
        .expect("chromium runs");
    assert!(output.status.success(), "chromium failed: {output:?}");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The number of distinct pixel rows of a PNG (8-bit RGB or RGBA, not interlaced): a blank page
/// has one or two, a page with text and charts hundreds.
fn distinct_rows(png: &[u8]) -> usize {
    use std::io::Read;
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let mut pos = 8;
    let (mut width, mut bpp) = (0usize, 0usize);
    let mut data = Vec::new();
    while pos + 8 <= png.len() {
        let len = u32::from_be_bytes(png[pos..pos + 4].try_into().unwrap()) as usize;
        let kind = &png[pos + 4..pos + 8];
        let body = &png[pos + 8..pos + 8 + len];
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(body[..4].try_into().unwrap()) as usize;
                assert_eq!(body[8], 8, "8-bit samples");
                bpp = match body[9] {
                    2 => 3,
                    6 => 4,
                    other => panic!("colour type {other}"),
                };
                assert_eq!(body[12], 0, "not interlaced");
            }
            b"IDAT" => data.extend_from_slice(body),
            _ => {}
        }
        pos += 12 + len;
    }
    let mut pixels = Vec::new();
    flate2::read::ZlibDecoder::new(&data[..])
        .read_to_end(&mut pixels)
        .unwrap();
    // Undo the filters row by row (only what is needed to compare rows exactly).
    let stride = width * bpp;
    let mut rows: Vec<Vec<u8>> = Vec::new();
    let mut prev = vec![0u8; stride];
    for line in pixels.chunks(stride + 1) {
        let (filter, raw) = (line[0], &line[1..]);
        let mut row = vec![0u8; stride];
        for i in 0..stride {
            let a = if i >= bpp { row[i - bpp] } else { 0 };
            let b = prev[i];
            let c = if i >= bpp { prev[i - bpp] } else { 0 };
            let predicted = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => {
                    let p = i16::from(a) + i16::from(b) - i16::from(c);
                    let (pa, pb, pc) = (
                        (p - i16::from(a)).abs(),
                        (p - i16::from(b)).abs(),
                        (p - i16::from(c)).abs(),
                    );
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                other => panic!("filter {other}"),
            };
            row[i] = raw[i].wrapping_add(predicted);
        }
        prev = row.clone();
        rows.push(row);
    }
    rows.sort();
    rows.dedup();
    rows.len()
}

/// Renders the reports of the fixtures and of a generated incident in headless Chromium: the
/// DOM it builds has every secret and every chart mark, the page loads nothing (no request and
/// no Content-Security-Policy refusal in its log), and its screenshot is not blank. Needs
/// Chromium: `.ci/run` installs it and runs this with `LOGLEAKS_CHROMIUM`.
#[test]
#[ignore]
fn the_report_renders_in_headless_chromium() {
    let dir = tempdir();
    // The fixtures, and 30 keys over ten days.
    let fixtures = scan(["--format", "jsonl", "--now", "2026-12-01", "fixtures/"]);
    let mut rng = Rng::new(7);
    let keys: Vec<String> = (0..30).map(|_| rng.hex32()).collect();
    let mut log = String::new();
    for i in 0..600u64 {
        let key = &keys[(rng.next() % 30) as usize];
        let status = [200, 302, 403, 500][(rng.next() % 4) as usize];
        log.push_str(&format!(
            "192.0.2.{} - - [{:02}/Nov/2025:{:02}:00:00 +0000] \"GET /v1/x?api_key={key} HTTP/1.1\" {status} 1 \"-\" \"curl/8\"\n",
            rng.next() % 9,
            1 + i / 60,
            rng.next() % 24
        ));
    }
    write(dir.path(), "access.log", &log);
    let incident =
        run(logleaks()
            .current_dir(dir.path())
            .args(["scan", "--format", "jsonl", "access.log"]));
    for (name, findings) in [
        ("fixtures", &fixtures.stdout),
        ("incident", &incident.stdout),
    ] {
        let summary = summary_of(findings);
        assert!(!summary.is_empty());
        let jsonl = write(dir.path(), &format!("{name}.jsonl"), findings);
        let page = run(logleaks()
            .args(["summary", "--format", "html", "--top", "8"])
            .arg(&jsonl));
        page.assert_code(0);
        let html = page.out();
        let path = write(dir.path(), &format!("{name}.html"), &html);
        let url = format!("file://{}", path.display());
        let (dom, log) = chromium(&["--dump-dom", &url]);
        assert!(
            dom.contains("<section id=\"timeline\">"),
            "{name}: no timeline in the DOM"
        );
        for fp in summary.keys() {
            assert!(
                dom.contains(&format!("id=\"s-{fp}\"")),
                "{name}: {fp} not in the DOM"
            );
        }
        let marks = html.matches("class=\"mark").count();
        assert!(marks > 0);
        assert_eq!(
            dom.matches("class=\"mark").count(),
            marks,
            "{name}: chart marks"
        );
        assert!(
            !log.contains("Refused to"),
            "{name}: the policy refused a fetch:\n{log}"
        );
        let shot = dir.path().join(format!("{name}.png"));
        chromium(&[
            "--window-size=1200,1600",
            &format!("--screenshot={}", shot.display()),
            &url,
        ]);
        let rows = distinct_rows(&std::fs::read(&shot).unwrap());
        assert!(
            rows > 100,
            "{name}: the screenshot looks blank ({rows} distinct rows)"
        );
    }
}
