#!/usr/bin/env python3
"""Writes a logleaks summary (`summary --format json`, schema 2) of a large made-up incident to
stdout, for scripts/html-report-bench.sh: SECRETS secrets (default 10,000) whose counts add up to
exactly FINDINGS findings (default 10,000,000), used over two weeks from up to 50 clients each, on
40 machines, with every status class, referer hosts, first lines and expiry facts, and per-client
hourly counts that add up to both the clients' and the hours' counts (clients take turns: each
is active over a run of consecutive hours, as when scanners come and go). Deterministic (seeded)."""

import json
import random
import sys

secrets = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
findings = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
rng = random.Random(18)

# Zipf-like weights: a few secrets carry most of the uses, every secret at least one.
weights = [1.0 / (i + 1) ** 0.9 for i in range(secrets)]
scale = (findings - secrets) / sum(weights)
counts = [1 + int(w * scale) for w in weights]
counts[0] += findings - sum(counts)

rules = [
    ("github-pat", "access_token", "critical", "ghp_"),
    ("stripe-secret-key", "api_key", "critical", "sk_live_"),
    ("aws-access-key-id", "api_key", "critical", "AKIA"),
    ("slack-token", "access_token", "high", "xoxb-"),
    ("jwt", "access_token", "high", "eyJ"),
    ("generic-credential-param", "credential", "medium", ""),
    ("generic-session", "session", "medium", ""),
    ("password-param", "password", "high", ""),
]
start_hour = 488_000  # 2025-09-02T08:00Z, in hours since the epoch
span_hours = 14 * 24


def hour_text(hour):
    import datetime

    t = datetime.datetime.fromtimestamp(hour * 3600, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:00:00Z")


out = sys.stdout
out.write('{"schema_version":2,"meta":{"fingerprint_key":"none","logleaks_version":"bench"},"secrets":[\n')
for i, count in enumerate(counts):
    rule, kind, severity, prefix = rules[i % len(rules)]
    first = start_hour + rng.randrange(span_hours)
    active = min(span_hours - (first - start_hour), 1 + rng.randrange(200))
    hours = sorted(rng.sample(range(first, first + active), min(active, max(1, min(count, 1 + rng.randrange(120))))))
    hourly = {}
    per_hour = []
    left = count
    for j, h in enumerate(hours):
        n = left if j == len(hours) - 1 else max(1, left // (len(hours) - j))
        n = min(n, left - (len(hours) - j - 1))
        left -= n
        split = [0, 0, 0, 0, 0]
        for _ in range(min(n, 4)):
            split[rng.randrange(5)] += 1
        split[rng.randrange(5)] += n - sum(split)
        per_hour.append(n)
        hourly[hour_text(h)] = {c: v for c, v in zip(["2xx", "3xx", "4xx", "5xx", "none"], split) if v}
    nclients = min(count, 1 + rng.randrange(50))
    clients = {}
    left = count
    for c in range(nclients):
        n = left if c == nclients - 1 else max(1, left // (2 * (nclients - c)))
        n = min(n, left - (nclients - c - 1))
        left -= n
        clients[f"10.{c // 250}.{c % 250}.{i % 250}"] = n
    # Clients in turn over the hours: each client's uses fill the hours left from the previous
    # ones, so that every row and every column adds up.
    client_hourly = {}
    hour_left = list(per_hour)
    j = 0
    for client, n in clients.items():
        row = {}
        while n > 0:
            while hour_left[j] == 0:
                j += 1
            take = min(n, hour_left[j])
            row[hour_text(hours[j])] = row.get(hour_text(hours[j]), 0) + take
            hour_left[j] -= take
            n -= take
        client_hourly[client] = row
    machine = i % 40
    details = {}
    if kind == "access_token" and i % 3 == 0:
        details = {"expires_at": hour_text(hours[-1] + 2), "expired_when_logged": False, "expired_now": i % 2 == 0}
    obj = {
        "fingerprint": f"{i:016x}",
        "rule": rule,
        "kind": kind,
        "severity": severity,
        "secret": f"{prefix}…{i % 10000:04d}",
        "count": count,
        "first_seen": hour_text(hours[0]),
        "last_seen": hour_text(hours[-1]),
        "files": [f"m{machine:02d}/var/log/nginx/access.log", f"m{machine:02d}/var/log/nginx/access.log.{1 + i % 7}.gz"],
        "sources": [f"m{machine:02d}"],
        "clients": clients,
        "statuses": {"200": max(1, count // 2), "302": max(1, count // 4)},
        "referer_statuses": {"200": 1} if i % 5 == 0 else {},
        "user_agents": {"curl/8.5.0": count},
        "hourly": hourly,
        "client_hourly": client_hourly,
        "referer_hosts": {f"portal{i % 9}.example": 1} if i % 5 == 0 else {},
        "first_lines": {
            f"m{machine:02d}/var/log/nginx/access.log": 1 + rng.randrange(5_000_000),
            f"m{machine:02d}/var/log/nginx/access.log.{1 + i % 7}.gz": 1 + rng.randrange(5_000_000),
        },
        "details": details,
    }
    out.write(("," if i else "") + json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
out.write("]}\n")
