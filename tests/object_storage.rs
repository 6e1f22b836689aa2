//! `s3://` inputs against a real S3-protocol server: moto's standalone server (`moto_server`,
//! from PyPI), started by each test on a free port of 127.0.0.1. The tests are ignored unless
//! `LOGLEAKS_MOTO_SERVER` names the `moto_server` program (`.ci/run` installs it into a virtual
//! environment and sets it).
//!
//! A generated tree of logs in several formats (gzip and zstd included) is uploaded, scanned by
//! URL, and compared with the scan of the same tree on disk.
#![cfg(feature = "object-storage")]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use object_store::ObjectStoreExt;
use serde_json::Value;

/// A moto server for the length of a test.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    /// Starts `moto_server` on a free port and waits until it answers.
    fn start() -> Moto {
        let program = std::env::var("LOGLEAKS_MOTO_SERVER")
            .expect("LOGLEAKS_MOTO_SERVER names the moto_server program (see .ci/run)");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let moto = Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while http(&moto.endpoint, "GET", "/").is_none() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "moto_server did not answer within 60 s"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        moto
    }

    /// Creates a bucket (moto accepts unsigned requests that create buckets).
    fn bucket(&self, name: &str) {
        assert_eq!(http(&self.endpoint, "PUT", &format!("/{name}")), Some(200));
    }

    /// A signed client of `bucket`.
    fn client(&self, bucket: &str) -> object_store::aws::AmazonS3 {
        object_store::aws::AmazonS3Builder::new()
            .with_endpoint(&self.endpoint)
            .with_allow_http(true)
            .with_bucket_name(bucket)
            .with_region("us-east-1")
            .with_access_key_id("testing")
            .with_secret_access_key("testing")
            .build()
            .expect("S3 client")
    }

    /// Uploads every file below `dir` to `bucket` under `prefix`.
    fn upload(&self, bucket: &str, prefix: &str, dir: &Path) {
        let client = self.client(bucket);
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        for entry in walkdir::WalkDir::new(dir) {
            let entry = entry.expect("walk");
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry.path().strip_prefix(dir).unwrap();
            let key = format!("{prefix}{}", relative.display());
            let bytes = std::fs::read(entry.path()).unwrap();
            runtime
                .block_on(client.put(&key.as_str().into(), bytes.into()))
                .expect("upload");
        }
    }

    /// `logleaks scan` with this server as the S3 endpoint and test credentials.
    fn scan(&self, args: &[&str]) -> Run {
        run(logleaks()
            .args([
                "scan",
                "--format",
                "jsonl",
                "--show-secrets",
                "--endpoint-url",
            ])
            .arg(&self.endpoint)
            .args(args)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env_remove("AWS_ENDPOINT_URL")
            .env_remove("AWS_PROFILE"))
    }
}

/// One plain HTTP/1.1 request without a body; the status, or `None` when nothing answers.
fn http(endpoint: &str, method: &str, path: &str) -> Option<u16> {
    let host = endpoint.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

/// A tree of logs in several formats and compressions, each leaking credentials.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut rng = Rng::new(11);
    let mut files = Vec::new();
    for host in 0..3 {
        let mut combined = String::new();
        for i in 0..30 {
            let target = match i % 4 {
                0 => format!("/pay?api_key={}", rng.stripe_key()),
                1 => format!("/s3?AWSAccessKeyId={}&x=1", rng.aws_key_id()),
                _ => format!("/static/app.js?v={i}"),
            };
            combined.push_str(&(combined_line(&target) + "\n"));
        }
        files.push(write(dir, &format!("web{host}/access.log"), &combined));
        files.push(write(
            dir,
            &format!("web{host}/access.log.1.gz"),
            gzip(combined.as_bytes()),
        ));
    }
    let mut alb = String::new();
    for i in 0..10 {
        alb.push_str(&format!(
            "https 2026-11-27T10:00:0{}.186641Z app/shop/490d68edf04676fe 192.0.2.10:44740 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 \"GET https://shop.example:443/cb?access_token={} HTTP/1.1\" \"curl/8.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/t/73e2d6bc24d8a067 \"Root=1-58337281-1d84f3d73c47ec4e58577259\" \"shop.example\" \"-\" 1 2026-11-27T10:00:00.100000Z \"forward\" \"-\" \"-\" \"10.0.0.1:80\" \"200\" \"-\" \"-\"\n",
            i % 10,
            rng.stripe_key()
        ));
    }
    files.push(write(
        dir,
        "AWSLogs/123456789012/elasticloadbalancing/us-east-2/2026/11/27/alb.log.gz",
        gzip(alb.as_bytes()),
    ));
    let json: String = (0..10)
        .map(|i| {
            format!(
                "{{\"time\":\"2026-11-27T10:00:0{i}Z\",\"remote_addr\":\"192.0.2.{i}\",\"request\":\"GET /v1?token={} HTTP/1.1\",\"status\":200}}\n",
                rng.stripe_key()
            )
        })
        .collect();
    files.push(write(
        dir,
        "app/events.json.zst",
        zstd::encode_all(json.as_bytes(), 3).unwrap(),
    ));
    files
}

/// A finding with its file name as given, for comparing a local scan with a scan by URL.
fn renamed(findings: &[Value], from: &str, to: &str) -> Vec<Key> {
    let mut keys: Vec<Key> = findings
        .iter()
        .map(|f| {
            let mut key = key_of(f);
            key.0 = key.0.replacen(from, to, 1);
            key
        })
        .collect();
    keys.sort();
    keys
}

#[test]
#[ignore = "needs moto_server: set LOGLEAKS_MOTO_SERVER (see .ci/run)"]
fn a_bucket_scans_like_the_same_files_on_disk() {
    let moto = Moto::start();
    let dir = tempdir();
    let root = dir.path().join("logs");
    tree(&root);
    moto.bucket("weblogs");
    moto.upload("weblogs", "prod/", &root);

    let local = scan_shown([root.to_str().unwrap()]);
    local.assert_code(1);
    let expected = renamed(&local.findings(), &format!("{}/", root.display()), "");
    assert!(expected.len() > 50, "{}", local.stderr);

    let remote = moto.scan(&["s3://weblogs/prod/"]);
    remote.assert_no_panic().assert_code(1);
    let findings = remote.findings();
    assert_eq!(renamed(&findings, "s3://weblogs/prod/", ""), expected);
    // Objects are read in key order, each finding named by its URL with its exact line.
    let files: Vec<String> = findings.iter().map(|f| s(f, "file").to_string()).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert!(
        files.iter().all(|f| f.starts_with("s3://weblogs/prod/")),
        "{files:?}"
    );
    assert!(
        remote.summary_line().contains(" in 8 files"),
        "{}",
        remote.summary_line()
    );

    // One object named exactly; globs and excludes apply to keys below the prefix.
    let one = moto.scan(&["s3://weblogs/prod/web1/access.log.1.gz"]);
    one.assert_code(1);
    assert!(one
        .findings()
        .iter()
        .all(|f| s(f, "file") == "s3://weblogs/prod/web1/access.log.1.gz"));
    assert_eq!(one.findings().len(), 16);
    let globbed = moto.scan(&["s3://weblogs/prod", "--glob", "*.gz", "--exclude", "web2"]);
    globbed.assert_code(1);
    let names: std::collections::BTreeSet<String> = globbed
        .findings()
        .iter()
        .map(|f| s(f, "file").to_string())
        .collect();
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        [
            "s3://weblogs/prod/AWSLogs/123456789012/elasticloadbalancing/us-east-2/2026/11/27/alb.log.gz",
            "s3://weblogs/prod/web0/access.log.1.gz",
            "s3://weblogs/prod/web1/access.log.1.gz",
        ]
    );

    // The same inputs by --files-from, and in shards.
    let list = write(
        dir.path(),
        "list.txt",
        "s3://weblogs/prod/web0/\ns3://weblogs/prod/app/\n",
    );
    let listed = moto.scan(&["--files-from", list.to_str().unwrap()]);
    listed.assert_code(1);
    assert_eq!(listed.findings().len(), 16 + 16 + 10);
    let mut union = Vec::new();
    for shard in ["0/2", "1/2"] {
        union.extend(
            moto.scan(&["s3://weblogs/prod/", "--shard", shard])
                .findings(),
        );
    }
    assert_eq!(renamed(&union, "s3://weblogs/prod/", ""), expected);
}

#[test]
#[ignore = "needs moto_server: set LOGLEAKS_MOTO_SERVER (see .ci/run)"]
fn missing_buckets_objects_and_denied_reads_are_named() {
    let moto = Moto::start();
    let dir = tempdir();
    tree(&dir.path().join("logs"));
    moto.bucket("private");
    moto.upload("private", "", &dir.path().join("logs"));
    let errors = dir.path().join("errors.jsonl");
    let errors_arg = errors.to_str().unwrap();

    let run = moto.scan(&[
        "s3://no-such-bucket/logs/",
        "s3://private/web0/access.log",
        "--errors-json",
        errors_arg,
    ]);
    run.assert_no_panic().assert_code(2);
    assert!(
        run.stderr
            .contains("logleaks: s3://no-such-bucket/logs/: not found:"),
        "{}",
        run.stderr
    );
    assert_eq!(run.findings().len(), 16, "the readable object was scanned");
    let problems = parse_jsonl(&std::fs::read(&errors).unwrap());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["input"], "s3://no-such-bucket/logs/");
    assert_eq!(problems[0]["kind"], "not_found");

    let run = moto.scan(&["s3://private/web0/gone.log"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains(
            "s3://private/web0/gone.log: nothing to scan: no such object, and no object below it"
        ),
        "{}",
        run.stderr
    );

    // Without credentials (--no-sign-request) the private bucket refuses to be read.
    let run = moto.scan(&[
        "s3://private/web0/",
        "--no-sign-request",
        "--errors-json",
        errors_arg,
    ]);
    run.assert_no_panic().assert_code(2);
    assert!(run.stderr.contains("access denied"), "{}", run.stderr);
    let problems = parse_jsonl(&std::fs::read(&errors).unwrap());
    assert!(!problems.is_empty());
    assert!(
        problems.iter().all(|p| p["kind"] == "permission_denied"),
        "{problems:?}"
    );
}

#[test]
#[ignore = "needs moto_server: set LOGLEAKS_MOTO_SERVER (see .ci/run)"]
fn since_and_until_skip_date_partitions_before_they_are_read() {
    let moto = Moto::start();
    let dir = tempdir();
    let root = dir.path().join("lake");
    let alb = "AWSLogs/123456789012/elasticloadbalancing/eu-west-1";
    let mut rng = Rng::new(3);
    let line = |day: u8, rng: &mut Rng| {
        combined_line(&format!("/pay?api_key={}", rng.stripe_key()))
            .replace("27/Nov/2025", &format!("{day:02}/Nov/2026"))
            + "\n"
    };
    write(
        &root,
        &format!("{alb}/2026/11/20/in.log"),
        line(20, &mut rng),
    );
    // Delivered late into the next day's partition: within the default slack of a day.
    write(
        &root,
        &format!("{alb}/2026/11/23/late.log"),
        line(22, &mut rng),
    );
    // Far outside the window: never listed or read, so its damage is never seen.
    let mut broken = gzip(line(1, &mut rng).as_bytes());
    broken.truncate(20);
    write(&root, &format!("{alb}/2026/10/01/old.log.gz"), &broken);
    write(&root, &format!("{alb}/2025/11/20/old.log.gz"), &broken);
    write(
        &root,
        "cf/E2K2LNL5N3WR51.2026-11-20-11.a1b2c3d4.gz",
        gzip(line(20, &mut rng).as_bytes()),
    );
    write(
        &root,
        "cf/E2K2LNL5N3WR51.2026-11-12-11.a1b2c3d4.gz",
        &broken,
    );
    moto.bucket("lake");
    moto.upload("lake", "", &root);

    let window = ["--since", "2026-11-19", "--until", "2026-11-23"];
    let run = moto.scan(&[&["s3://lake/"][..], &window].concat());
    run.assert_no_panic().assert_code(1);
    let mut files: Vec<String> = run
        .findings()
        .iter()
        .map(|f| s(f, "file").to_string())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            format!("s3://lake/{alb}/2026/11/20/in.log"),
            format!("s3://lake/{alb}/2026/11/23/late.log"),
            "s3://lake/cf/E2K2LNL5N3WR51.2026-11-20-11.a1b2c3d4.gz".to_string(),
        ]
    );
    assert!(
        run.summary_line().contains(" in 3 files"),
        "{}",
        run.summary_line()
    );

    // Without slack the late partition is skipped too; without a window everything is read,
    // the damaged old files included.
    let run = moto.scan(&[&["s3://lake/", "--partition-slack", "0s"][..], &window].concat());
    assert!(
        run.summary_line().contains(" in 2 files"),
        "{}",
        run.summary_line()
    );
    let run = moto.scan(&["s3://lake/"]);
    run.assert_code(2);
    assert_eq!(
        run.stderr.matches("truncated or corrupt gzip").count(),
        3,
        "{}",
        run.stderr
    );
}
