//! Unit tests of redaction from bytes to bytes.

use super::*;

fn redact_bytes(input: &[u8]) -> (Vec<u8>, Tally) {
    let redactor = Redactor::builtin(Mask::default());
    let mut out = Vec::new();
    let file = DisplayPath::new("t.log");
    match redact_stream(&redactor, &file, Box::new(input), &mut out).unwrap() {
        Streamed::Redacted(tally) => (out, tally),
        other => panic!("{other:?}"),
    }
}

#[test]
fn masks_a_query_parameter_and_nothing_else() {
    let line = b"10.0.0.1 - - [27/Nov/2026:10:00:00 +0000] \"GET /a?api_key=d4d3fd81b6ee7b3bb1c863e2601a0001&x=1 HTTP/1.1\" 200 1 \"-\" \"ua\"\n";
    let (out, tally) = redact_bytes(line);
    assert_eq!(
        String::from_utf8_lossy(&out),
        "10.0.0.1 - - [27/Nov/2026:10:00:00 +0000] \"GET /a?api_key=REDACTED&x=1 HTTP/1.1\" 200 1 \"-\" \"ua\"\n"
    );
    assert_eq!(tally.masked, 1);
    assert_eq!(tally.lines, 1);
}
