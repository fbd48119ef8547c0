#!/usr/bin/env python3
"""Measures the events pages and the CSV export at a million events, side by side in one run
(absolute times on a shared 2-core machine are noise; ratios in one run are not).

Usage: python3 scripts/bench_events.py target/release/repatrack [EVENTS]

It makes a scratch SQLite database, fills crossing_events with EVENTS synthetic arrivals at three
posts over a year (default 1,000,000; one in 500 awaiting verification, as a backlog would, the
rest verified) and derives the ledger from them, both straight through SQL; starts the release binary on it, signs in as an administrator and measures:

1. GET /events.csv (all events, streamed) against `sqlite3 -csv` selecting the same columns
   from the same file, in alternating rounds: time to the first byte, total time, the ratio
   export / sqlite3 (goal <= 1.0), and the server's peak resident memory growth during the
   export (goal < 32 MB).
2. The pages at 1,000,000 events against the same pages on a 10-event database: /events (first
   page), /events?post=QAIM&direction=outbound (a filter matching nothing: the worst case for
   a keyset scan), /posts/QAIM, /.
"""
import http.cookiejar
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_events_csv  # noqa: E402  (beside this script)

BINARY = sys.argv[1] if len(sys.argv) > 1 else "target/release/repatrack"
EVENTS = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
PASSWORD = "amber river stone lantern"
ROUNDS = 3

SQLITE_SELECT = """SELECT e.id, e.reference, p.code, e.occurred_at, e.occurred_at, e.direction, e.category,
  e.headcount, e.officers, e.wounded, '', e.source, e.source_reference, e.notes, e.status, u.username,
  e.recorded_at, '', e.verified_at, e.void_reason, ''
  FROM crossing_events e JOIN border_posts p ON p.id = e.post_id JOIN users u ON u.id = e.recorded_by
  ORDER BY e.occurred_at, e.id"""


def fill(db, events):
    env = dict(os.environ, DATABASE_URL=db, RUST_LOG="warn", REPATRACK_PASSWORD=PASSWORD)
    subprocess.run([BINARY, "demo", "--empty"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([BINARY, "user", "add", "bench", "--role", "officer", "--all-posts"], env=env, check=True, stdout=subprocess.DEVNULL)
    con = sqlite3.connect(db)
    con.execute(
        """INSERT INTO crossing_events (post_id, reference, ref_year, ref_number, occurred_at, local_day, direction,
                 category, headcount, officers, wounded, source, source_reference, notes, status, recorded_by,
                 recorded_at, updated_at, version, form_key)
           WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?)
           SELECT 1 + x % 3, 'B' || (1 + x % 3) || '-2024-' || x, 2024, x,
                  strftime('%Y-%m-%d %H:%M:%S', '2024-01-01', '+' || (x * 31536 / ?) || ' seconds'),
                  date('2024-01-01', '+' || (x * 31536 / ? / 86400) || ' days'),
                  'inbound', CASE WHEN x % 4 = 0 THEN 'civilian' ELSE 'military' END, 1 + x % 7, NULL, NULL,
                  'Gate log, north lane', 'INA-2024/' || x, CASE WHEN x % 10 = 0 THEN 'وصلوا مع أسلحتهم الخفيفة' ELSE '' END,
                  CASE WHEN x % 500 = 0 THEN 'pending' ELSE 'verified' END, 1,
                  '2024-12-18 09:00:00', '2024-12-18 09:00:00', 1, 'bench-' || x
           FROM n""",
        (events, events // 1000 or 1, events // 1000 or 1),
    )
    con.execute(
        """INSERT INTO post_days (post_id, day, category, inbound, outbound, closing, low)
           SELECT post_id, local_day, category, SUM(headcount), 0,
                  SUM(SUM(headcount)) OVER (PARTITION BY post_id, category ORDER BY local_day),
                  SUM(SUM(headcount)) OVER (PARTITION BY post_id, category ORDER BY local_day) - SUM(headcount)
           FROM crossing_events GROUP BY post_id, local_day, category"""
    )
    con.commit()
    con.close()


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Server:
    def __init__(self, db, port):
        env = dict(os.environ, DATABASE_URL=db, RUST_LOG="warn", BIND=f"127.0.0.1:{port}")
        self.process = subprocess.Popen([BINARY], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(self.base + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.opener.open(self.base + "/login").read().decode()
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, "username": "bench", "password": PASSWORD}).encode()
        self.opener.open(self.base + "/login", body)

    def get(self, path):
        started = time.perf_counter()
        body = self.opener.open(self.base + path).read()
        return time.perf_counter() - started, body

    def stop(self):
        self.process.terminate()
        self.process.wait()


def export_round(server):
    """One streamed export: (seconds to first byte, total seconds, bytes, peak RSS growth kB)."""
    base_rss = rss_kb(server.process.pid)
    peak = [base_rss]
    done = threading.Event()

    def watch():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kb(server.process.pid))
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    # curl reads the response, as a client would; Python's own HTTP reader would be the
    # bottleneck at 180 MB.
    cookies = "; ".join(f"{c.name}={c.value}" for c in server.jar)
    out = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-b", cookies, "-w", "%{time_starttransfer} %{time_total} %{size_download}",
         server.base + "/events.csv"],
        check=True, stdout=subprocess.PIPE, text=True,
    ).stdout.split()
    done.set()
    watcher.join()
    return float(out[0]), float(out[1]), int(out[2]), peak[0] - base_rss


def sqlite_round(db):
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        subprocess.run(["sqlite3", "-csv", db, SQLITE_SELECT], check=True, stdout=sink)
    size = int(subprocess.run(["sh", "-c", f"sqlite3 -csv '{db}' \"{SQLITE_SELECT}\" | wc -c"], check=True,
                              stdout=subprocess.PIPE, text=True).stdout) if not hasattr(sqlite_round, "size") else sqlite_round.size
    sqlite_round.size = size
    return time.perf_counter() - started, size


def main():
    work = tempfile.mkdtemp()
    try:
        big, small = os.path.join(work, "big.db"), os.path.join(work, "small.db")
        started = time.time()
        fill(big, EVENTS)
        fill(small, 10)
        print(f"filled {EVENTS:,} events (and a 10-event database) in {time.time() - started:.1f} s")
        server = Server(big, 18091)
        try:
            export_round(server)  # warm the page cache
            sqlite_round(big)
            exports, sqlites = [], []
            for _ in range(ROUNDS):
                exports.append(export_round(server))
                sqlites.append(sqlite_round(big))
            first = statistics.median(e[0] for e in exports)
            total = statistics.median(e[1] for e in exports)
            growth = max(e[3] for e in exports)
            reference = statistics.median(s[0] for s in sqlites)
            print(f"/events.csv: {exports[0][2]:,} bytes; first byte after {first * 1000:.0f} ms (median), "
                  f"all after {total:.2f} s; sqlite3 -csv {sqlites[0][1]:,} bytes in {reference:.2f} s; "
                  f"ratio export / sqlite3 = {total / reference:.2f}; peak server RSS growth {growth / 1024:.1f} MB")
            # The bytes, not only their speed: the command line writes what the page sends an
            # administrator; an independent Python writer must produce the same file.
            env = dict(os.environ, DATABASE_URL=big, RUST_LOG="warn")
            exported = subprocess.run([BINARY, "export", "events"], env=env, check=True, stdout=subprocess.PIPE).stdout
            ok, message = check_events_csv.check(big, exported)
            print(f"bytes against an independent writer ({'scripts/check_events_csv.py'}): {message}")
            if not ok:
                sys.exit(1)
            small_server = Server(small, 18092)
            try:
                pages = ["/events", "/events?post=QAIM&direction=outbound", "/posts/QAIM", "/"]
                for path in pages:
                    server.get(path), small_server.get(path)
                for path in pages:
                    big_times, small_times = [], []
                    for _ in range(10):
                        big_times.append(server.get(path)[0])
                        small_times.append(small_server.get(path)[0])
                    b, s = statistics.median(big_times), statistics.median(small_times)
                    print(f"{path:40} {EVENTS:,} events {b * 1000:7.1f} ms   10 events {s * 1000:6.1f} ms   ratio {b / s:5.2f}")
            finally:
                small_server.stop()
        finally:
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
