#!/usr/bin/env python3
"""One benchmark that puts repatrack beside its references, in one run on one machine (issue 19).

Usage:
  python3 scripts/bench.py [--quick] [--binary target/release/repatrack] [--events N] [--rounds R]

Absolute figures on a shared machine are noise; ratios measured side by side in one run are
not. Each round runs every measurement once, alternating repatrack and its reference, and the
script prints each round and the median of the per-round ratios. SQLite, release build.

1. Pages under load: `wrk` at 64 connections, signed in as an officer of every post, on
   GET /healthz (one database query: the ceiling) and on the events list (50 rows, filtered by
   post), a post's page and the dashboard: req/s, p50, p99, and the ratio to the ceiling's
   req/s. With `taskset`, the server runs on CPU 0 and wrk on CPU 1.
2. Recording: event POSTs (form, CSRF, balance check, ledger, audit entry) from 16 concurrent
   clients against a reference program inserting one event row and one audit row per
   transaction into a copy of the same database with the same durability (Python's sqlite3,
   WAL, synchronous=FULL): events/s, p99, the ratio, and the count of failed POSTs and of
   "database is locked" lines in the server's log (both must be 0).
3. Export: GET /events.csv against `sqlite3 -csv` of the same columns, and the server's peak
   memory growth during it.
4. Memory: the server's resident memory idle after start (before anyone signs in), after the
   16 sign-ins (password hashing), and at its peak under the 64 connections.

--quick (what CI runs, so the benchmark cannot rot): 10,000 events, one round, short runs;
nothing is asserted but that every measurement ran and nothing failed.

5. Open loop: the ceiling and the events list requested at a fixed 1,000 requests a second
   (asyncio, 32 keep-alive connections), latency counted from when each request was due.
6. PostgreSQL (scripts/bench_postgres.py, unless --no-postgres): recording against psql, the
   export against COPY, two instances on one database and the balance invariant across them.

The supervisor (for /queue) signs in with a second factor: the script reads the secret off the
enrolment page and answers with a TOTP code, as an authenticator app would.
"""
import argparse
import asyncio
import base64
import hashlib
import hmac
import struct
import os
import re
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

ARGS = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ARGS.add_argument("--quick", action="store_true", help="10,000 events, one round (CI)")
ARGS.add_argument("--binary", default="target/release/repatrack")
ARGS.add_argument("--events", type=int, default=None, help="default 1,000,000 (10,000 with --quick)")
ARGS.add_argument("--rounds", type=int, default=None, help="default 5 (1 with --quick)")
ARGS.add_argument("--no-postgres", action="store_true",
                  help="SQLite only (by default PostgreSQL at BENCH_POSTGRES_URL or 127.0.0.1:5432 is measured too)")
OPTS = ARGS.parse_args()
# Absolute: the PostgreSQL part runs its servers from a directory of their own.
OPTS.binary = os.path.abspath(OPTS.binary)
EVENTS = OPTS.events or (10_000 if OPTS.quick else 1_000_000)
ROUNDS = OPTS.rounds or (1 if OPTS.quick else 5)
LOAD_SECONDS = 2 if OPTS.quick else 8
POSTS_PER_ROUND = 160 if OPTS.quick else 800
CLIENTS = 16
CONNECTIONS = 64
OPEN_LOOP_RATE = 1000

# bench_events and bench_encryption read sys.argv when imported; give them what they expect.
sys.argv = [sys.argv[0], OPTS.binary, str(EVENTS)]
import bench_encryption  # noqa: E402  (beside this script: the signed-in session)
import bench_events  # noqa: E402  (beside this script: the synthetic events, the export rounds)
import bench_postgres  # noqa: E402  (beside this script: the same on PostgreSQL, two instances)

bench_events.BINARY = bench_encryption.BINARY = OPTS.binary
bench_encryption.CLIENTS = CLIENTS
PASSWORD = bench_events.PASSWORD
TASKSET = shutil.which("taskset")
FAILURES = []


def pinned(cpu, command):
    return ["taskset", "-c", str(cpu)] + command if TASKSET else command


class Server(bench_encryption.Server):
    """The release binary on `db`, pinned to CPU 0, its log kept for counting lock errors."""

    def __init__(self, db, port):
        env = dict(os.environ, DATABASE_URL=db, RUST_LOG="warn", BIND=f"127.0.0.1:{port}")
        env.pop("REPATRACK_DB_KEY", None)
        self.log = tempfile.NamedTemporaryFile(prefix="repatrack-bench-", suffix=".log", delete=False)
        self.process = subprocess.Popen(pinned(0, [OPTS.binary, "serve"]), env=env, stdout=subprocess.DEVNULL,
                                        stderr=self.log)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                bench_encryption.urllib.request.urlopen(self.base + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(0.5)
        self.idle_kb = rss_kb(self.process.pid)  # before anyone signs in (password hashing)
        self.sessions = [bench_encryption.Session(self.base) for _ in range(CLIENTS)]
        self.signed_in_kb = rss_kb(self.process.pid)  # after 16 sign-ins, before any load
        self.jar = self.sessions[0].jar  # bench_events.export_round signs in with it

    def pid(self):
        # With taskset the server is taskset's child process image (taskset execs it).
        return self.process.pid

    def locked_lines(self):
        with open(self.log.name, errors="replace") as f:
            return sum(1 for line in f if "database is locked" in line)


def totp(secret_base32, at=None):
    """RFC 6238: HMAC-SHA-1, six digits, 30-second steps (the server's `auth::second_factor`)."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


class Supervisor(bench_encryption.Session):
    """A supervisor of every post, signed in: a supervisor must enrol a second factor before any
    page, so this session reads the secret off the enrolment page and answers with a code."""

    def __init__(self, base):  # noqa: super().__init__ signs in as the officer; this one differs
        self.base = base
        self.jar = bench_encryption.http.cookiejar.CookieJar()
        self.opener = bench_encryption.urllib.request.build_opener(
            bench_encryption.urllib.request.HTTPCookieProcessor(self.jar), bench_encryption.NoRedirect)
        self.token = self.csrf("/login")
        self.post("/login", {"username": "benchsup", "password": PASSWORD})
        page = self.opener.open(self.base + "/account/two-factor").read().decode()
        secret = re.search(r'id="secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
        self.token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)
        status = self.post("/account/two-factor", {"code": totp(secret)})
        queue = self.opener.open(self.base + "/queue")
        assert status in (200, 303) and queue.status == 200, f"supervisor sign-in: {status}, /queue {queue.status}"


class unpinned:
    """Lets every thread of the server run on every CPU for a while, then pins it back to CPU 0."""

    def __init__(self, server):
        self.pid = server.pid()

    def __enter__(self):
        if TASKSET:
            subprocess.run(["taskset", "-a", "-p", "-c", f"0-{os.cpu_count() - 1}", str(self.pid)], check=True,
                           stdout=subprocess.DEVNULL)

    def __exit__(self, *_):
        if TASKSET:
            subprocess.run(["taskset", "-a", "-p", "-c", "0", str(self.pid)], check=True, stdout=subprocess.DEVNULL)


def rss_kb(pid):
    return bench_events.rss_kb(pid)


def wrk(server, path, session=None):
    """(req/s, p50 ms, p99 ms, non-2xx/3xx responses, peak RSS kB) of `path` under 64 connections,
    signed in as `session` (the officer unless given)."""
    peak = [rss_kb(server.pid())]
    done = threading.Event()

    def watch():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kb(server.pid()))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    out = subprocess.run(
        pinned(1, ["wrk", "-t", "1", "-c", str(CONNECTIONS), "-d", f"{LOAD_SECONDS}s", "--latency",
                   "-H", f"Cookie: {(session or server.sessions[0]).cookie_header()}", server.base + path]),
        check=True, stdout=subprocess.PIPE, text=True,
    ).stdout
    done.set()
    watcher.join()
    # wrk's figures are read as the PostgreSQL part reads them.
    return (*bench_postgres.wrk_figures(out), peak[0])


async def _open_loop(port, path, cookie, rate, seconds, connections):
    loop = asyncio.get_running_loop()
    idle = asyncio.Queue()
    for _ in range(connections):
        idle.put_nowait(await asyncio.open_connection("127.0.0.1", port))
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n\r\n").encode()
    latencies, bad = [], [0]
    start = loop.time() + 0.2

    async def one(i):
        # Open loop: request i is due at start + i / rate whether or not earlier ones have been
        # answered, and its latency runs from when it was due (no coordinated omission).
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - loop.time()))
        reader, writer = await idle.get()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
        await reader.readexactly(length)
        latencies.append(loop.time() - due)
        if not head.startswith(b"HTTP/1.1 200"):
            bad[0] += 1
        idle.put_nowait((reader, writer))

    await asyncio.gather(*(one(i) for i in range(int(rate * seconds))))
    while not idle.empty():
        idle.get_nowait()[1].close()
    latencies.sort()
    return latencies[len(latencies) // 2] * 1000, latencies[int(len(latencies) * 0.99) - 1] * 1000, bad[0]


def open_loop(server, path, session, rate=1000):
    """(p50 ms, p99 ms, non-200 responses) of `path` requested at a fixed `rate` per second."""
    port = int(server.base.rsplit(":", 1)[1])
    return asyncio.run(_open_loop(port, path, session.cookie_header(), rate, LOAD_SECONDS, 32))


REFERENCE_ROWS = [0]


def reference_inserts(db, n):
    """One event row and one audit row per transaction, WAL, synchronous=FULL, one thread:
    (transactions/s, p99 ms)."""
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    seq = con.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_log").fetchone()[0]
    latencies = []
    started = time.perf_counter()
    for _ in range(n):
        REFERENCE_ROWS[0] += 1
        i = REFERENCE_ROWS[0]
        t = time.perf_counter()
        key = secrets.token_hex(16)
        con.execute("BEGIN IMMEDIATE")
        con.execute(
            """INSERT INTO crossing_events (post_id, reference, ref_year, ref_number, occurred_at, local_day,
                 direction, category, headcount, source, source_reference, notes, status, recorded_by, recorded_at,
                 updated_at, version, form_key)
               VALUES (1, ?, 2031, ?, '2031-01-01 10:00:00', '2031-01-01', 'inbound', 'civilian', 2, 'Gate log',
                 'REF', '', 'pending', 1, '2031-01-01 10:00:00', '2031-01-01 10:00:00', 1, ?)""",
            (f"REF-2031-{key}", i, key),
        )
        seq += 1
        con.execute(
            """INSERT INTO audit_log (seq, at, actor_id, actor, action, entity, entity_id, post, ip, details,
                 prev_hash, hash, format)
               VALUES (?, '2031-01-01 10:00:00', 1, 'bench', 'event.create', 'event', ?, 'QAIM', '127.0.0.1',
                 '{"headcount":2}', ?, ?, 2)""",
            (seq, str(i), "0" * 64, secrets.token_hex(32)),
        )
        con.execute("COMMIT")
        latencies.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - started
    con.close()
    latencies.sort()
    return n / elapsed, latencies[int(len(latencies) * 0.99) - 1] * 1000


def record(server, day):
    """POSTS_PER_ROUND event POSTs from 16 clients: (events/s, p99 ms, failed POSTs)."""
    saved = bench_encryption.POSTS_PER_ROUND
    bench_encryption.POSTS_PER_ROUND = POSTS_PER_ROUND
    try:
        rate, p99 = bench_encryption.record_round(server, day)
        return rate, p99 * 1000, 0
    except AssertionError as e:
        FAILURES.append(str(e))
        return 0.0, 0.0, 1
    finally:
        bench_encryption.POSTS_PER_ROUND = saved


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    work = tempfile.mkdtemp(prefix="repatrack-bench-")
    try:
        db, reference_db = os.path.join(work, "bench.db"), os.path.join(work, "reference.db")
        started = time.perf_counter()
        bench_events.fill(db, EVENTS)
        env = dict(os.environ, DATABASE_URL=db, RUST_LOG="warn", REPATRACK_PASSWORD=PASSWORD)
        for name, role in (("benchoff", "officer"), ("benchsup", "supervisor")):
            subprocess.run([OPTS.binary, "user", "add", name, "--role", role, "--all-posts"], env=env,
                           check=True, stdout=subprocess.DEVNULL)
        shutil.copyfile(db, reference_db)
        print(f"filled {EVENTS:,} events in {time.perf_counter() - started:.1f} s; {ROUNDS} round(s); "
              f"taskset {'on' if TASKSET else 'not found: server and load share the cores'}")
        server = Server(db, 18281)
        try:
            idle_kb = server.idle_kb
            supervisor = Supervisor(server.base)
            pages = ["/events?post=QAIM", "/posts/QAIM", "/", "/queue"]
            open_loop_paths = ["/healthz", "/events?post=QAIM"]
            open_p99s = {p: [] for p in open_loop_paths}
            ratios = {p: [] for p in pages}
            p99s = {p: [] for p in pages}
            record_ratios, export_ratios, peak_kb, export_growth = [], [], idle_kb, []
            locked_before = server.locked_lines()
            for n in range(ROUNDS):
                ceiling = wrk(server, "/healthz")
                peak_kb = max(peak_kb, ceiling[4])
                line = [f"round {n + 1}: /healthz {ceiling[0]:.0f} req/s p50 {ceiling[1]:.1f} ms p99 {ceiling[2]:.1f} ms"]
                for path in pages:
                    rate, p50, p99, bad, peak = wrk(server, path, supervisor if path == "/queue" else None)
                    if bad:
                        FAILURES.append(f"{path}: {bad} responses not 2xx/3xx")
                    peak_kb = max(peak_kb, peak)
                    ratios[path].append(rate / ceiling[0])
                    p99s[path].append(p99)
                    line.append(f"{path} {rate:.0f} req/s p50 {p50:.1f} ms p99 {p99:.1f} ms ({rate / ceiling[0]:.1%})")
                for path in open_loop_paths:
                    p50, p99, bad = open_loop(server, path, server.sessions[0], OPEN_LOOP_RATE)
                    if bad:
                        FAILURES.append(f"{path} at {OPEN_LOOP_RATE}/s: {bad} responses not 200")
                    open_p99s[path].append(p99)
                    line.append(f"{path} open loop at {OPEN_LOOP_RATE} req/s: p50 {p50:.1f} ms p99 {p99:.1f} ms")
                print("\n  ".join(line))
                # Days after the synthetic year and before today, one per round.
                events_rate, events_p99, failed = record(server, f"2025-03-{n + 1:02d}")
                reference_rate, reference_p99 = reference_inserts(reference_db, POSTS_PER_ROUND)
                if events_rate:
                    record_ratios.append(events_rate / reference_rate)
                print(f"  recording: {events_rate:.0f} events/s p99 {events_p99:.0f} ms; reference "
                      f"{reference_rate:.0f} txn/s p99 {reference_p99:.1f} ms; ratio {events_rate / reference_rate:.3f}")
                # Both sides of the export may use both cores, as on a deployed server: the
                # export reads the next batch on a second thread while it writes the current one.
                with unpinned(server):
                    first, total, size, growth = bench_events.export_round(server)
                sqlite_seconds, sqlite_size = bench_events.sqlite_round(db)
                export_ratios.append(total / sqlite_seconds)
                export_growth.append(growth)
                print(f"  export: {size:,} bytes in {total:.2f} s (first byte {first * 1000:.0f} ms); sqlite3 -csv "
                      f"{sqlite_size:,} bytes in {sqlite_seconds:.2f} s; ratio {total / sqlite_seconds:.2f}; "
                      f"memory growth {growth / 1024:.1f} MB")
            locked = server.locked_lines() - locked_before
        finally:
            server.stop()
        print("\nmedians of per-round ratios:")
        for path in pages:
            print(f"  {path}: {statistics.median(ratios[path]):.1%} of the ceiling's req/s, "
                  f"p99 {statistics.median(p99s[path]):.1f} ms")
        if record_ratios:
            print(f"  recording: {statistics.median(record_ratios):.3f} of the reference insert rate")
        for path in open_loop_paths:
            print(f"  {path} open loop at {OPEN_LOOP_RATE} req/s: p99 {statistics.median(open_p99s[path]):.1f} ms")
        print(f"  export: {statistics.median(export_ratios):.2f} x sqlite3 -csv; "
              f"peak memory growth {max(export_growth) / 1024:.1f} MB")
        print(f"  memory: {idle_kb / 1024:.1f} MB idle after start, {server.signed_in_kb / 1024:.1f} MB after "
              f"{CLIENTS} sign-ins, {peak_kb / 1024:.1f} MB at most under load")
        print(f"  'database is locked' in the server's log: {locked}; failures: {len(FAILURES)}")
        if not OPTS.no_postgres:
            print("\nPostgreSQL:")
            pg = bench_postgres.Bench(OPTS.binary, EVENTS, POSTS_PER_ROUND, indent="  ")
            with pg:
                for n in range(ROUNDS):
                    pg.round(n)
            print("\nmedians of per-round ratios (PostgreSQL):")
            pg.print_medians()
            FAILURES.extend(pg.failures)
        for f in FAILURES:
            print(f"    {f}")
        if FAILURES or locked:
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
