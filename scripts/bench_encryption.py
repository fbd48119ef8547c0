#!/usr/bin/env python3
"""What encryption at rest costs: the events export and event recording on a plain SQLite file
against the same database encrypted with SQLCipher, side by side in one run (absolute times on
a shared 2-core machine are noise; ratios in one run are not).

Usage: python3 scripts/bench_encryption.py target/release/repatrack [EVENTS] [ROUNDS]

It fills a plain database with EVENTS synthetic arrivals (default 1,000,000, as
scripts/bench_events.py does), copies it and encrypts the copy with `repatrack encrypt` under a
raw 256-bit key, starts one server on each, signs in as an officer of every post on both, and
alternates ROUNDS rounds (default 5) of:

1. GET /events.csv (every event, streamed, read by curl): seconds on each file;
2. recording: 400 event POSTs (the form, CSRF, the balance check, the ledger, the audit entry;
   synchronous=FULL) from 8 concurrent clients: events/s and p99 latency on each file.

It prints each round and the median of the per-round ratios encrypted / plain.
"""
import http.cookiejar
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_events  # noqa: E402  (beside this script: the same synthetic events)

BINARY = sys.argv[1] if len(sys.argv) > 1 else "target/release/repatrack"
EVENTS = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 5
KEY = secrets.token_hex(32)
PASSWORD = bench_events.PASSWORD
CLIENTS = 8
POSTS_PER_ROUND = 400


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Session:
    """One signed-in browser: its cookie and its CSRF token."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.token = self.csrf("/login")
        self.post("/login", {"username": "benchoff", "password": PASSWORD})
        self.token = self.csrf("/posts/QAIM/events/new")

    def csrf(self, path):
        page = self.opener.open(self.base + path).read().decode()
        return re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)

    def post(self, path, fields):
        body = urllib.parse.urlencode(dict(fields, csrf_token=self.token)).encode()
        try:
            response = self.opener.open(self.base + path, body)
            return response.status
        except urllib.error.HTTPError as e:
            return e.code

    def cookie_header(self):
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


class Server:
    def __init__(self, db, port, key):
        env = dict(os.environ, DATABASE_URL=db, RUST_LOG="warn", BIND=f"127.0.0.1:{port}")
        env.pop("REPATRACK_DB_KEY", None)
        if key:
            env["REPATRACK_DB_KEY"] = key
        self.process = subprocess.Popen([BINARY, "serve"], env=env, stdout=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(self.base + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        self.sessions = [Session(self.base) for _ in range(CLIENTS)]

    def stop(self):
        self.process.terminate()
        self.process.wait()


def export_seconds(server):
    out = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-b", server.sessions[0].cookie_header(), "-w", "%{http_code} %{time_total}",
         server.base + "/events.csv"],
        check=True, stdout=subprocess.PIPE, text=True,
    ).stdout.split()
    assert out[0] == "200", out
    return float(out[1])


def record_round(server, day):
    """POSTS_PER_ROUND events from CLIENTS threads: (events per second, p99 seconds)."""
    latencies, failures = [], []
    per_client = POSTS_PER_ROUND // CLIENTS

    def client(session, n):
        for i in range(per_client):
            fields = {
                "occurred_at": f"{day}T{(n * 3 + i // 20) % 24:02d}:{i % 60:02d}", "direction": "inbound",
                "category": "civilian", "headcount": "2", "officers": "", "wounded": "", "agreement_id": "",
                "source": "Gate log", "reference": "BENCH", "notes": "", "form_key": secrets.token_hex(16),
            }
            started = time.perf_counter()
            status = session.post("/posts/QAIM/events", fields)
            latencies.append(time.perf_counter() - started)
            if status != 303:
                failures.append(status)

    threads = [threading.Thread(target=client, args=(s, n)) for n, s in enumerate(server.sessions)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    assert not failures, f"{len(failures)} POSTs failed: {failures[:5]}"
    latencies.sort()
    return len(latencies) / elapsed, latencies[int(len(latencies) * 0.99) - 1]


def main():
    bench_events.BINARY = BINARY
    work = tempfile.mkdtemp(prefix="repatrack-bench-enc-")
    try:
        plain, encrypted = os.path.join(work, "plain.db"), os.path.join(work, "encrypted.db")
        started = time.perf_counter()
        bench_events.fill(plain, EVENTS)
        env = dict(os.environ, DATABASE_URL=plain, RUST_LOG="warn", REPATRACK_PASSWORD=PASSWORD)
        env.pop("REPATRACK_DB_KEY", None)
        subprocess.run([BINARY, "user", "add", "benchoff", "--role", "officer", "--all-posts"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        for suffix in ("", ".audit-key"):
            shutil.copyfile(plain + suffix, encrypted + suffix)
        done = subprocess.run([BINARY, "encrypt"], env=dict(env, DATABASE_URL=encrypted, REPATRACK_DB_KEY=KEY),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            sys.exit(f"repatrack encrypt failed: {done.stderr}")
        print(f"filled {EVENTS:,} events and encrypted a copy in {time.perf_counter() - started:.1f} s; "
              f"files {os.path.getsize(plain):,} and {os.path.getsize(encrypted):,} bytes")
        servers = {"plain": Server(plain, 18181, None), "encrypted": Server(encrypted, 18182, KEY)}
        try:
            for server in servers.values():  # warm-up: caches, connections
                export_seconds(server)
                record_round(server, "2025-01-01")
            export_ratios, record_ratios = [], []
            for n in range(ROUNDS):
                day = f"2025-02-{n + 1:02d}"
                exports = {name: export_seconds(s) for name, s in servers.items()}
                records = {name: record_round(s, day) for name, s in servers.items()}
                export_ratios.append(exports["encrypted"] / exports["plain"])
                record_ratios.append(records["encrypted"][0] / records["plain"][0])
                print(f"round {n + 1}: export plain {exports['plain']:.2f} s, encrypted {exports['encrypted']:.2f} s "
                      f"(ratio {export_ratios[-1]:.2f}); recording plain {records['plain'][0]:.0f} events/s "
                      f"p99 {records['plain'][1] * 1000:.0f} ms, encrypted {records['encrypted'][0]:.0f} events/s "
                      f"p99 {records['encrypted'][1] * 1000:.0f} ms (ratio {record_ratios[-1]:.2f})")
            print(f"median of per-round ratios, encrypted / plain: export time {statistics.median(export_ratios):.2f}, "
                  f"recording throughput {statistics.median(record_ratios):.2f}")
        finally:
            for server in servers.values():
                server.stop()
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
