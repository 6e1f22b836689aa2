#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target (fuzz/corpus/<target>/) from the fixtures.

Run from the checkout with a debug build present (it asks `logleaks inspect` for each fixture's
format). Seeds are named after their content's hash, so running it again changes nothing. After a
long fuzzing run, `cargo fuzz cmin <target>` keeps the corpus small.
"""
import bz2, gzip, hashlib, io, json, lzma, os, re, subprocess, tarfile, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
# The order of LogType::ALL (src/logformat/mod.rs): parse_format picks a type by the first byte.
TYPES = """combined common vhost_combined apache_error nginx_error iis cloudfront aws_alb aws_elb
aws_s3 haproxy squid tomcat envoy ingress_nginx traefik lighttpd varnishncsa json caddy
traefik_json envoy_json gcp_lb cloudflare modsecurity_json modsecurity_audit syslog cri docker
compose raw""".split()


def fixtures():
    out = []
    for top in ("fixtures", "tests/fixtures"):
        for d, _, files in os.walk(os.path.join(ROOT, top)):
            for f in sorted(files):
                if not f.endswith(".md"):
                    out.append(os.path.join(d, f))
    return sorted(out)


def seed(target, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def detected_type(path):
    out = subprocess.run([os.path.join(ROOT, "target/debug/logleaks"), "inspect", "--format",
                          "json", path], capture_output=True, check=True).stdout
    fmt = json.loads(out)[0]["format"] or "raw"
    return fmt.split(" in ")[0]


def main():
    files = fixtures()
    texts = {p: open(p, "rb").read() for p in files}
    targets, urls, values, creds = set(), set(), set(), set()
    for p, data in texts.items():
        seed("detect_format", data)
        seed("scan_lines", data)
        t = detected_type(p)
        seed("parse_format", bytes([TYPES.index(t) if t in TYPES else len(TYPES) - 1]) + data)
        for m in re.finditer(rb'"[A-Z]+ (\S+) HTTP', data):
            targets.add(m.group(1))
        for m in re.finditer(rb'[a-z]+://[^\s"\']+', data):
            urls.add(m.group(0))
        for m in re.finditer(rb'[^\s"&?=]*(?:%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9a-fA-F]{4}|\\")[^\s"&]*', data):
            values.add(m.group(0))
        for m in re.finditer(rb'eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*|(?<=Basic )[A-Za-z0-9+/=]+', data):
            creds.add(m.group(0))
    # The custom formats of fuzzing::parse_format (picked after the log types).
    seed("parse_format", bytes([len(TYPES)]) + b'203.0.113.7 - - [27/Nov/2026:10:00:00 +0000] '
         b'"GET /a?b=c HTTP/1.1" 200 512 "https://ref.example/?t=1" "curl/8" "Bearer abc.def" '
         b'"sid=1; token=2" 1234\n')
    seed("parse_format", bytes([len(TYPES) + 1]) + b'203.0.113.7 [2026-11-27T10:00:00+00:00] '
         b'"POST /login HTTP/1.1" 200 "k-123" "{\\"password\\":\\"x\\"}" 10.0.0.1:8080\n')
    for u in sorted(targets | urls):
        seed("split_url", u)
    for v in sorted(values):
        seed("decode_value", v)
    # Basic credentials as a header carries them (the fixtures hold none of these shapes).
    creds |= {b"YWRtaW46aHVudGVyMg==", b"dXNlcjpwYXNzd29yZA", b"Og==", b"YTo=", b"eyJhIjoxfQ.eyJleHAiOjF9."}
    for c in sorted(creds):
        seed("credentials", c)
    small = [texts[p] for p in files if len(texts[p]) < 2048][:6]
    for i, data in enumerate(small):
        # Block size, line limit and read size (see fuzzing::line_reader).
        seed("line_reader", bytes([(i * 37) % 256, (i * 91) % 256]) + data)
    sample = texts[os.path.join(ROOT, "fixtures/apache/access_common.log")]
    seed("decompress", sample)
    seed("decompress", gzip.compress(sample, 9, mtime=0))
    seed("decompress", gzip.compress(sample[:300], 9, mtime=0) + gzip.compress(sample[300:], 9, mtime=0))
    seed("decompress", bz2.compress(sample))
    seed("decompress", lzma.compress(sample, format=lzma.FORMAT_XZ))
    seed("decompress", subprocess.run(["zstd", "-q", "-c"], input=sample, capture_output=True,
                                      check=True).stdout)
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w", format=tarfile.USTAR_FORMAT) as t:
        info = tarfile.TarInfo("var/log/nginx/access.log")
        info.size, info.mtime = len(sample), 0
        t.addfile(info, io.BytesIO(sample))
    seed("decompress", tar.getvalue())
    seed("decompress", gzip.compress(tar.getvalue(), 9, mtime=0))
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("access.log", (1980, 1, 1, 0, 0, 0)), sample)
    seed("decompress", z.getvalue())


if __name__ == "__main__":
    main()
