//! Micro-benchmarks of the hot paths: the block fast path, one candidate line end to end,
//! value decoding and access-log parsing. Whole-scan figures come from `scripts/bench.sh`.
//!
//!     cargo bench --bench hot

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use logleaks::decode::{decode_value, Context, Decoded, Text};
use logleaks::detect::{lowercase_into, Detector};
use logleaks::logformat::{self, LogType};

const CLEAN: &str = r#"203.0.113.9 - - [27/Nov/2026:10:00:00 +0000] "GET /static/app.3f9a1c2e.js?v=3f9a1c2e7b4d HTTP/2.0" 200 5120 "https://www.example.com/products?page=2&utm_source=news" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36""#;
const LEAKY: &str = r#"203.0.113.9 - - [27/Nov/2026:10:00:01 +0000] "GET /api/v2/export?format=csv&api_key=d4d3fd81b6ee7b3bb1c863e2601a7462&page_token=CAUQAA2kZXJ0eXVpb3Bs&return_to=https%3A%2F%2Fapi.example.com%2Fcb%3Fx%3D1 HTTP/1.1" 200 512 "https://www.example.com/account?tab=keys" "curl/8.4.0""#;

/// A block of mostly clean lines with a leaky one every 50 lines.
fn block() -> Vec<u8> {
    let mut block = Vec::new();
    for i in 0..5000 {
        block.extend_from_slice(if i % 50 == 7 { LEAKY } else { CLEAN }.as_bytes());
        block.push(b'\n');
    }
    block
}

fn fast_path(c: &mut Criterion) {
    let detector = Detector::builtin();
    let block = block();
    let mut lower = Vec::new();
    let mut group = c.benchmark_group("fast_path");
    group.throughput(Throughput::Bytes(block.len() as u64));
    group.bench_function("candidates_in_block", |b| {
        b.iter(|| {
            lowercase_into(black_box(&block), &mut lower);
            let mut candidates = detector.prefilter().candidates(&block, &lower);
            let (mut pos, mut n) = (0, 0);
            while let Some(hit) = candidates.next_from(pos) {
                n += 1;
                pos = memchr::memchr(b'\n', &block[hit..]).map_or(block.len(), |p| hit + p + 1);
            }
            n
        })
    });
    group.finish();
}

fn candidate_line(c: &mut Criterion) {
    let detector = Detector::builtin();
    let mut out = Vec::new();
    c.bench_function("scan_line/leaky_combined", |b| {
        b.iter(|| {
            out.clear();
            detector.scan_line(black_box(LEAKY.as_bytes()), LogType::Combined, &mut out)
        })
    });
}

fn decoding(c: &mut Criterion) {
    let raw = "https%3A%2F%2Fapi.example.com%2Fcb%3Faccess_token%3Dd4d3fd81b6ee7b3bb1c863e2601a7462%26x%3D1+y";
    let (mut out, mut spare) = (Decoded::default(), Decoded::default());
    c.bench_function("decode_value/nested_url", |b| {
        b.iter(|| {
            decode_value(
                Text::raw(black_box(raw.as_bytes()), 0),
                Context::Query,
                &mut out,
                &mut spare,
            )
        })
    });
}

fn parsing(c: &mut Criterion) {
    c.bench_function("parse/combined", |b| {
        b.iter(|| logformat::parse(LogType::Combined, black_box(CLEAN.as_bytes())).is_some())
    });
}

criterion_group!(benches, fast_path, candidate_line, decoding, parsing);
criterion_main!(benches);
