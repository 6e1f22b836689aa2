//! `scan --format summary`: the findings of a scan aggregated per secret (by
//! [`crate::summary`]), written as the summary table when the scan ends.

use std::io::{self, Write};

use super::{JsonFinding, Report, ReportOptions};
use crate::finding::Finding;
use crate::summary::{write_table, Summary};

/// Adds `finding` to `summary` as the JSON value `--format jsonl` writes for it, so that a
/// scan's summary and `logleaks summary` over its findings add up identically.
pub(super) fn add_finding(
    summary: &mut Summary,
    finding: &Finding,
    options: &ReportOptions,
) -> io::Result<()> {
    let value = serde_json::to_value(JsonFinding::new(finding, options))?;
    summary
        .add_value(&value)
        .map_err(|message| io::Error::other(format!("internal error: {message}")))
}

/// `scan --format summary`: findings aggregated per secret, written as the summary table when
/// the scan ends.
pub struct SummaryReport<'w> {
    out: Box<dyn Write + 'w>,
    options: ReportOptions,
    summary: Summary,
}

impl<'w> SummaryReport<'w> {
    /// A report writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>, options: ReportOptions) -> Self {
        SummaryReport {
            out,
            options,
            summary: Summary::default(),
        }
    }
}

impl Report for SummaryReport<'_> {
    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        add_finding(&mut self.summary, finding, &self.options)
    }

    fn finish(&mut self) -> io::Result<()> {
        write_table(&self.summary, &mut self.out, self.options.color)?;
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        // Nothing is written before the scan ends.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Details, FieldName, Kind, RecordFacts, Secret, Severity};
    use crate::input::DisplayPath;

    fn finding(secret: &str, field: FieldName, status: u16, time: &str) -> Finding {
        Finding {
            rule: "generic-credential-param",
            kind: Kind::Credential,
            severity: Severity::Medium,
            confidence: crate::finding::Confidence::Medium,
            file: DisplayPath::new("access.log"),
            line: 1,
            column: 10,
            field,
            param: Some(b"api_key".to_vec()),
            secret: Secret::new(secret.as_bytes().to_vec()),
            prefix: None,
            record: RecordFacts {
                format: Some("combined"),
                timestamp: Some(time.to_string()),
                client: Some(b"203.0.113.9".to_vec()),
                method: Some(b"GET".to_vec()),
                status: Some(status),
                user_agent: Some(b"curl/8.5.0".to_vec()),
                ..RecordFacts::default()
            },
            details: Details::default(),
            cwe: &["CWE-598"],
        }
    }

    #[test]
    fn scan_summary_is_the_table_of_the_jsonl_findings() {
        let key = "f91b83a50bfee4ad5285a7e99c14539e";
        let findings = [
            finding(
                key,
                FieldName::RequestQuery,
                200,
                "2025-11-27T10:00:00+01:00",
            ),
            finding(key, FieldName::Referer, 302, "2025-11-27T08:00:00+01:00"),
        ];
        let options = ReportOptions {
            label: Some("m1".into()),
            ..ReportOptions::default()
        };
        let mut table = Vec::new();
        let mut report = SummaryReport::new(Box::new(&mut table), options.clone());
        let mut summary = Summary::default();
        for f in &findings {
            report.finding(f).unwrap();
            let line = serde_json::to_string(&JsonFinding::new(f, &options)).unwrap();
            summary
                .add_value(&serde_json::from_str(&line).unwrap())
                .unwrap();
        }
        report.finish().unwrap();
        drop(report);
        let mut expected = Vec::new();
        write_table(&summary, &mut expected, false).unwrap();
        assert_eq!(
            String::from_utf8(table).unwrap(),
            String::from_utf8(expected).unwrap()
        );

        let mut json = Vec::new();
        summary.write_json(&mut json).unwrap();
        let json = String::from_utf8(json).unwrap();
        assert!(!json.contains(key), "the secret leaked: {json}");
        assert!(json.contains(r#""secret":"…539e""#), "{json}");
        assert!(
            json.contains(r#""statuses":{"200":1},"referer_statuses":{"302":1}"#),
            "{json}"
        );
        assert!(
            json.contains(r#""first_seen":"2025-11-27T08:00:00+01:00""#),
            "{json}"
        );
        assert!(json.contains(r#""sources":["m1"]"#), "{json}");
    }
}
