#!/usr/bin/env python3
"""Measures /audit at a million entries: the newest page against a page deep in the trail and a
filtered page, as ratios measured side by side in one run (absolute times on a shared 2-core
machine are noise; ratios are not).

Usage: python3 scripts/bench_audit_pages.py target/release/repatrack [ENTRIES]
It makes a scratch SQLite database, fills audit_log with ENTRIES synthetic rows (default
1,000,000) straight through SQL — the page reads rows, it does not verify hashes — starts the
release binary on it, signs in and alternates the three requests in rounds.
"""
import http.cookiejar
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

BINARY = sys.argv[1] if len(sys.argv) > 1 else "target/release/repatrack"
ENTRIES = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
PORT = 18089
PASSWORD = "amber river stone lantern"


def main():
    work = tempfile.mkdtemp()
    db = os.path.join(work, "bench.db")
    env = dict(os.environ, DATABASE_URL=db, RUST_LOG="warn", REPATRACK_PASSWORD=PASSWORD, BIND=f"127.0.0.1:{PORT}")
    subprocess.run([BINARY, "user", "add", "bench", "--role", "auditor", "--all-posts"], env=env, check=True, stdout=subprocess.DEVNULL)
    con = sqlite3.connect(db)
    start = time.time()
    con.execute(
        """INSERT INTO audit_log (seq, at, actor_id, actor, action, entity, entity_id, post, ip, details, prev_hash, hash)
           WITH RECURSIVE n(x) AS (SELECT 2 UNION ALL SELECT x + 1 FROM n WHERE x < ?)
           SELECT x, strftime('%Y-%m-%d %H:%M:%f', '2024-12-01', '+' || (x / 10) || ' seconds'), NULL, 'officer' || (x % 50),
                  CASE WHEN x % 100 = 0 THEN 'post.update' ELSE 'auth.login' END,
                  'post', CAST(x % 3 AS TEXT), CASE x % 3 WHEN 0 THEN 'QAIM' WHEN 1 THEN 'RABIA' ELSE 'WALEED' END,
                  '10.0.0.1', '{"changes":{"name_en":{"after":"b","before":"a"}}}',
                  printf('%064d', x - 1), printf('%064d', x)
           FROM n""",
        (ENTRIES,),
    )
    con.execute("UPDATE audit_head SET seq = ?, hash = printf('%064d', ?)", (ENTRIES, ENTRIES))
    con.commit()
    con.close()
    print(f"filled {ENTRIES:,} entries in {time.time() - start:.1f} s")

    server = subprocess.Popen([BINARY], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/login").read().decode()
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, "username": "bench", "password": PASSWORD}).encode()
        opener.open(base + "/login", body)
        deep = ENTRIES // 2
        targets = {
            "newest page": "/audit",
            f"page at seq {deep:,}": f"/audit?before={deep}",
            "filtered (action)": "/audit?action=post.update",
            "filtered + deep": f"/audit?action=post.update&before={deep}",
            "a day (864,000 entries)": "/audit?from=2024-12-01&to=2024-12-01",
            "the next day": "/audit?from=2024-12-02&to=2024-12-02",
            "a post": "/audit?post=RABIA",
        }
        times = {name: [] for name in targets}
        for name, path in targets.items():  # warm up
            assert opener.open(base + path).status == 200, path
        for _ in range(15):
            for name, path in targets.items():
                started = time.perf_counter()
                html = opener.open(base + path).read()
                times[name].append(time.perf_counter() - started)
                assert html.count(b'<tr id="seq-') == 50, (path, html.count(b'<tr id="seq-'))
        reference = statistics.median(times["newest page"])
        for name, samples in times.items():
            median = statistics.median(samples)
            print(f"{name:24} median {median * 1000:7.2f} ms   ratio to newest page {median / reference:5.2f}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
