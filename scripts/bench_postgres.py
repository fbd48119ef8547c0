#!/usr/bin/env python3
"""repatrack on PostgreSQL beside PostgreSQL's own references, in one run on one machine
(issue 19, point 2: recording and the export on PostgreSQL, two instances on one PostgreSQL).

Usage:
  python3 scripts/bench_postgres.py [--quick] [--binary target/release/repatrack] [--events N] [--rounds R]

The server is reached as postgres://postgres@127.0.0.1:5432 unless BENCH_POSTGRES_URL names
another (a user allowed to CREATE DATABASE; superuser makes the fill faster). Python's standard
library and the `psql` client only. Every database the script makes is named
`repatrack_bench_*` and dropped at the end, and every process it starts is stopped, whatever
happens.

It fills a fresh database with the synthetic events of scripts/bench_events.py (three posts,
arrivals spread over 2024, one in 500 pending, the ledger derived from them; straight through
SQL: a million in about half a minute), adds an officer of every post (`benchoff`) and one more
post, BENCHK, with no events (for the invariant), copies the database for the reference inserter,
starts two repatrack servers on it (the second one only for the two-instance figures), signs in
16 clients on each, and alternates rounds of:

1. Recording: POSTS_PER_ROUND event POSTs (form, CSRF, balance check, ledger, audit entry) from
   16 concurrent clients to one server (scripts/bench_encryption.py's record_round), against a
   reference: one `psql` process fed a script of `BEGIN; INSERT` (one event row) `; INSERT` (one
   audit row) `; COMMIT;` per event, into the copy of the same database, same server, same
   durability (synchronous_commit as the server has it: on; repatrack refuses to start
   otherwise): events/s, p99, the ratio, the POSTs that did not answer 303, and the lines of the
   servers' logs about serialization failures, deadlocks or retries. Each recording run has a
   day of its own, later than every day recorded before it (a back-dated day would also shift
   the ledger rows of the days after it).
2. Two instances on one PostgreSQL: the same recording with the 16 clients split 8 and 8 over
   the two servers, against the one-instance figure of the same round (issue 19's goal: >= 1.6;
   the two runs take turns going first). Pages: `wrk` at 64 connections on /healthz (the
   ceiling) and the events list on one instance, then the list with 32 connections on each
   instance at once: req/s, p50, p99, the list's share of the ceiling, and two against one.
   Then the invariant: BENCHK gets K = 10 military arrivals, and 20 returns of 1 each are sent at
   the same instant (threads behind a barrier), 10 to each instance: exactly 10 must be recorded
   (303) and 10 refused with the balance message (422), and the headcount report must then show
   0 military present. Anything else is a failure.
3. Export: GET /events.csv (every event, read by curl) against
   `psql -c "COPY (SELECT <the export's columns, joined and formatted the same way>) TO STDOUT
   WITH CSV HEADER"` read to its end: seconds, bytes, the ratio, and the server's peak resident
   memory growth during the export.

Nothing is pinned to a CPU: PostgreSQL's backends need the cores as much as the servers do (and
the Python clients run on them too). Every recording POST goes to QAIM, as record_round sends
them, so writers queue on that post's row lock, held from the first read to the commit, and on
the audit chain head's, whichever instance they reach. Absolute figures on a shared machine are
noise; ratios in one round are not.

--quick (CI, on the debug binary): 10,000 events, one round, short runs; nothing asserted but
that every measurement ran and nothing failed.

From scripts/bench.py (import it after bench_events and bench_encryption, as bench.py does):

    import bench_postgres
    pg = bench_postgres.Bench(binary, events, posts_per_round, indent="  ")
    with pg:                       # fill, reference copy, two servers, 32 sign-ins, warm-up
        for n in range(rounds):
            pg.round(n)            # prints the round's "postgres ..." lines, returns its figures
    pg.print_medians()             # the medians' lines (also fine after the with block)
    pg.medians()                   # the same as a dict
    pg.failures                    # what went wrong, as strings; empty when all went well

The pieces are usable alone too: fill, create_database, drop_database, Server, Clients, record,
reference_inserts, export_round, copy_round, invariant_round, cleanup.
"""
import argparse
import atexit
import datetime
import os
import re
import secrets
import shutil
import signal
import socket
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

# bench_events and bench_encryption read sys.argv when first imported (their BINARY and EVENTS);
# this module sets what it uses itself, so they are imported with no arguments.
_argv, sys.argv = sys.argv, sys.argv[:1]
try:
    import bench_encryption  # noqa: E402  (beside this script: the signed-in session, record_round)
    import bench_events  # noqa: E402  (beside this script: export_round, rss_kb, the password)
finally:
    sys.argv = _argv

BINARY = "target/release/repatrack"
ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PASSWORD = bench_events.PASSWORD
CLIENTS = 16
POSTS_PER_ROUND = 800
INVARIANT_POST = "BENCHK"
INVARIANT_PRESENT = 10
INVARIANT_RETURNS = 20
# One signing key for every process on the database (README: instances sharing one PostgreSQL
# must be given the same key); otherwise each would write repatrack-audit.key in its directory.
AUDIT_KEY = secrets.token_hex(32)
# Lines of a server's log that say a write transaction collided (db::write_tx logs "write
# transaction not serializable; trying again" before each new attempt).
PROBLEM = re.compile(r"could not serialize|not serializable|deadlock|retry|trying again", re.I)
REFUSED = "would leave but only"  # the balance refusal's message (locales/en/main.ftl)

# The export's columns (src/export/events.rs), joined and formatted as the export does:
# instants as ISO 8601 UTC with Z, the local time with its offset in the post's zone, the flag
# of a military return citing no agreement; empty text as NULL, which COPY writes as an empty
# cell (an empty string it would quote). On the synthetic events the rows are the export's, byte
# for byte, but for the line ends: the export ends lines with CRLF (RFC 4180), COPY with LF, one
# byte fewer per row. (The export's guard against spreadsheet formulas, a quote before a cell
# starting with = + - @, is not done: no synthetic cell needs it.)
COPY_SELECT = """SELECT e.id AS event_id, e.reference, p.code AS post,
  to_char(e.occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS occurred_at_utc,
  to_char(l.t, 'YYYY-MM-DD"T"HH24:MI:SS') || CASE WHEN l.t < e.occurred_at
      THEN '-' || to_char(e.occurred_at - l.t, 'HH24:MI') ELSE '+' || to_char(l.t - e.occurred_at, 'HH24:MI') END
    AS occurred_at_local,
  e.direction, e.category, e.headcount, e.officers, e.wounded, a.reference AS agreement, NULLIF(e.source, '') AS source,
  NULLIF(e.source_reference, '') AS source_reference, NULLIF(e.notes, '') AS notes, e.status,
  r.username AS recorded_by, to_char(e.recorded_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS recorded_at_utc,
  v.username AS verified_by, to_char(e.verified_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS verified_at_utc,
  NULLIF(e.void_reason, '') AS void_reason,
  CASE WHEN e.direction = 'outbound' AND e.category = 'military' AND e.agreement_id IS NULL AND e.status <> 'voided'
       THEN 'no_agreement_cited' END AS flags
FROM crossing_events e
  JOIN border_posts p ON p.id = e.post_id
  CROSS JOIN LATERAL (SELECT (e.occurred_at AT TIME ZONE 'UTC') AT TIME ZONE p.timezone AS t) l
  JOIN users r ON r.id = e.recorded_by
  LEFT JOIN users v ON v.id = e.verified_by
  LEFT JOIN agreements a ON a.id = e.agreement_id
ORDER BY e.occurred_at, e.id"""

# bench_events.fill's events in PostgreSQL's SQL: the same posts, references, instants, days,
# categories, headcounts, notes and statuses for every x. The table's secondary indexes are
# dropped and rebuilt around the insert (their definitions read from the catalogue, so they come
# back exactly as the migrations made them), and a superuser skips the foreign-key triggers
# (every key points at a post or user that exists): a million rows in ~25 s instead of ~60 s.
FILL_SQL = """BEGIN;
{replica}SET LOCAL maintenance_work_mem = '256MB';
CREATE TEMP TABLE saved_indexes ON COMMIT DROP AS
  SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
  FROM pg_index i WHERE i.indrelid = 'crossing_events'::regclass
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid);
DO $$ DECLARE r record; BEGIN FOR r IN SELECT name FROM saved_indexes LOOP EXECUTE 'DROP INDEX ' || r.name; END LOOP; END $$;
INSERT INTO crossing_events (post_id, reference, ref_year, ref_number, occurred_at, local_day, direction,
       category, headcount, officers, wounded, source, source_reference, notes, status, recorded_by,
       recorded_at, updated_at, version, form_key)
SELECT 1 + x % 3, 'B' || (1 + x % 3) || '-2024-' || x, 2024, x,
       timestamp '2024-01-01' + (x * 31536 / {per}) * interval '1 second',
       date '2024-01-01' + (x * 31536 / {per} / 86400)::int,
       'inbound', CASE WHEN x % 4 = 0 THEN 'civilian' ELSE 'military' END, 1 + x % 7, NULL, NULL,
       'Gate log, north lane', 'INA-2024/' || x, CASE WHEN x % 10 = 0 THEN 'وصلوا مع أسلحتهم الخفيفة' ELSE '' END,
       CASE WHEN x % 500 = 0 THEN 'pending' ELSE 'verified' END, 1,
       timestamp '2024-12-18 09:00:00', timestamp '2024-12-18 09:00:00', 1, 'bench-' || x
FROM generate_series(1::bigint, {events}::bigint) AS x;
DO $$ DECLARE r record; BEGIN FOR r IN SELECT def FROM saved_indexes LOOP EXECUTE r.def; END LOOP; END $$;
INSERT INTO post_days (post_id, day, category, inbound, outbound, closing, low)
SELECT post_id, local_day, category, SUM(headcount), 0,
       SUM(SUM(headcount)) OVER w, SUM(SUM(headcount)) OVER w - SUM(headcount)
FROM crossing_events GROUP BY post_id, local_day, category
WINDOW w AS (PARTITION BY post_id, category ORDER BY local_day);
INSERT INTO border_posts (code, name_en, name_ar, country, neighbour_country, governorate, counterpart_name,
       timezone, active, created_at, updated_at)
VALUES ('{post}', 'Benchmark post', 'منفذ القياس', 'IQ', 'SY', 'Anbar', 'Albu Kamal', 'Asia/Baghdad', TRUE,
        timestamp '2024-12-18 09:00:00', timestamp '2024-12-18 09:00:00');
COMMIT;
VACUUM ANALYZE crossing_events;
VACUUM ANALYZE post_days;
"""

FAILURES = []
_WORK = []


def workdir():
    """A scratch directory for logs, scripts and the processes' working directory (removed by
    cleanup(), which Bench calls and which also runs at exit)."""
    if not _WORK:
        _WORK.append(tempfile.mkdtemp(prefix="repatrack-bench-pg-"))
    return _WORK[0]


@atexit.register
def cleanup():
    while _WORK:
        shutil.rmtree(_WORK.pop(), ignore_errors=True)


def url(db):
    """The URL of database `db` on the benchmark's PostgreSQL."""
    parts = urllib.parse.urlsplit(ADMIN_URL)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + db, parts.query, ""))


def psql(db, sql=None, file=None):
    """Runs `sql` (or the script `file`) with psql on `db`; returns its standard output
    (unaligned, rows only)."""
    command = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url(db)]
    command += ["-f", file] if file else ["-c", sql]
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"psql on {db} failed: {done.stderr.strip()}")
    return done.stdout


def create_database(db, template=None):
    assert db.startswith("repatrack_bench_"), db
    drop_database(db)
    psql("postgres", f'CREATE DATABASE "{db}"' + (f' TEMPLATE "{template}"' if template else ""))


def drop_database(db):
    assert db.startswith("repatrack_bench_"), db
    psql("postgres", f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def repatrack_env(db, **extra):
    env = dict(os.environ, DATABASE_URL=url(db), RUST_LOG="warn", AUDIT_SIGNING_KEY=AUDIT_KEY, **extra)
    env.pop("REPATRACK_DB_KEY", None)
    env.pop("REPATRACK_DB_KEY_FILE", None)
    return env


def repatrack(db, *args, binary=None):
    done = subprocess.run([binary or BINARY, *args], env=repatrack_env(db, REPATRACK_PASSWORD=PASSWORD),
                          cwd=workdir(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"repatrack {' '.join(args)} failed: {done.stderr.strip()}")


def fill(db, events, binary=None):
    """A fresh database `db` holding bench_events.fill's `events` synthetic events and their
    ledger, the demo posts and users, `benchoff` (an officer of every post) and the empty post
    INVARIANT_POST."""
    create_database(db)
    for args in (["migrate"], ["demo", "--empty"], ["user", "add", "benchoff", "--role", "officer", "--all-posts"]):
        repatrack(db, *args, binary=binary)
    superuser = psql(db, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").strip() == "t"
    script = os.path.join(workdir(), "fill.sql")
    with open(script, "w") as f:
        f.write(FILL_SQL.format(replica="SET LOCAL session_replication_role = replica;\n" if superuser else "",
                                per=events // 1000 or 1, events=events, post=INVARIANT_POST))
    psql(db, file=script)


def rss_kb(pid):
    return bench_events.rss_kb(pid)


class Server:
    """One repatrack server on PostgreSQL database `db`, with CLIENTS signed-in sessions
    (bench_encryption.Session: `benchoff` and a CSRF token) and its log kept."""

    def __init__(self, db, port, binary=None, clients=CLIENTS):
        self.log = os.path.join(workdir(), f"server-{port}.log")
        self.base = f"http://127.0.0.1:{port}"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise RuntimeError(f"port {port} is taken: another process would answer in the server's place")
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([binary or BINARY, "serve"], env=repatrack_env(db, BIND=f"127.0.0.1:{port}"),
                                            cwd=workdir(), stdout=subprocess.DEVNULL, stderr=log)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(self.base + "/healthz", timeout=5)
                    break
                except OSError:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"the server on port {port} did not start: {self.log_tail()}")
                    time.sleep(0.1)
            time.sleep(0.3)
            self.idle_kb = rss_kb(self.process.pid)
            self.sessions = [bench_encryption.Session(self.base) for _ in range(clients)]
            self.jar = self.sessions[0].jar  # bench_events.export_round reads the cookie from it
        except BaseException:
            self.stop()
            raise

    def log_lines(self):
        with open(self.log, errors="replace") as f:
            return f.readlines()

    def log_tail(self, n=5):
        return " | ".join(line.strip() for line in self.log_lines()[-n:])

    def problem_lines(self):
        """Lines of the log about serialization failures, deadlocks or retries."""
        return [line.strip() for line in self.log_lines() if PROBLEM.search(line)]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Clients:
    """`per_server` sessions of each server, as one client group for bench_encryption.record_round."""

    def __init__(self, servers, per_server):
        self.sessions = [s for server in servers for s in server.sessions[:per_server]]


def record(server, day, posts=None):
    """`posts` event POSTs at QAIM on `day` from the sessions of `server` (a Server or Clients),
    through bench_encryption.record_round: (events/s, p99 ms, POSTs that did not answer 303)."""
    saved = bench_encryption.POSTS_PER_ROUND, bench_encryption.CLIENTS
    bench_encryption.POSTS_PER_ROUND = posts or POSTS_PER_ROUND
    bench_encryption.CLIENTS = len(server.sessions)
    try:
        rate, p99 = bench_encryption.record_round(server, day)
        return rate, p99 * 1000, 0
    except AssertionError as e:  # "N POSTs failed: [statuses]"
        FAILURES.append(f"recording on {day}: {e}")
        m = re.match(r"(\d+) POSTs failed", str(e))
        return 0.0, 0.0, int(m.group(1)) if m else 1
    finally:
        bench_encryption.POSTS_PER_ROUND, bench_encryption.CLIENTS = saved


def reference_inserts(db, n):
    """One event row and one audit row per transaction (bench.py's reference_inserts, same
    columns), from one psql process on one connection, synchronous_commit as the server has it:
    (transactions/s over the whole run, p99 ms of one transaction as psql's \\timing reports it)."""
    seq, number = (int(v) for v in psql(
        db, "SELECT (SELECT COALESCE(MAX(seq), 0) FROM audit_log), "
            "(SELECT COALESCE(MAX(ref_number), 0) FROM crossing_events WHERE ref_year = 2031)").strip().split("|"))
    script = os.path.join(workdir(), "reference.sql")
    with open(script, "w") as f:
        f.write("\\timing on\n")
        for i in range(number + 1, number + n + 1):
            key = secrets.token_hex(16)
            seq += 1
            f.write(
                "BEGIN;\n"
                "INSERT INTO crossing_events (post_id, reference, ref_year, ref_number, occurred_at, local_day, direction, "
                "category, headcount, source, source_reference, notes, status, recorded_by, recorded_at, updated_at, "
                f"version, form_key) VALUES (1, 'REF-2031-{key}', 2031, {i}, '2031-01-01 10:00:00', '2031-01-01', "
                "'inbound', 'civilian', 2, 'Gate log', 'REF', '', 'pending', 1, '2031-01-01 10:00:00', "
                f"'2031-01-01 10:00:00', 1, '{key}');\n"
                "INSERT INTO audit_log (seq, at, actor_id, actor, action, entity, entity_id, post, ip, details, prev_hash, "
                f"hash, format) VALUES ({seq}, '2031-01-01 10:00:00', 1, 'bench', 'event.create', 'event', '{i}', 'QAIM', "
                f"'127.0.0.1', '{{\"headcount\":2}}', '{'0' * 64}', '{secrets.token_hex(32)}', 2);\n"
                "COMMIT;\n"
            )
    started = time.perf_counter()
    out = psql(db, file=script)
    elapsed = time.perf_counter() - started
    times = [float(t) for t in re.findall(r"^Time: ([\d.]+) ms", out, re.M)]
    if len(times) != 4 * n:
        raise RuntimeError(f"the reference printed {len(times)} timings for {n} transactions")
    latencies = sorted(sum(times[k:k + 4]) for k in range(0, len(times), 4))
    return n / elapsed, latencies[int(len(latencies) * 0.99) - 1]


def export_round(server):
    """bench_events.export_round: (seconds to first byte, seconds, bytes, peak RSS growth kB)."""
    return bench_events.export_round(server)


def copy_round(db):
    """psql's COPY of the export's columns, read to its end: (seconds, bytes)."""
    command = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url(db),
               "-c", f"COPY ({COPY_SELECT}) TO STDOUT WITH CSV HEADER"]
    size = 0
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as p:
        while chunk := p.stdout.read1(1 << 20):
            size += len(chunk)
        error = p.stderr.read()
    elapsed = time.perf_counter() - started
    if p.returncode != 0:
        raise RuntimeError(f"psql COPY failed: {error.decode(errors='replace').strip()}")
    return elapsed, size


def _post(session, path, fields):
    """A POST with the session's token: (status, body)."""
    body = urllib.parse.urlencode(dict(fields, csrf_token=session.token)).encode()
    try:
        with session.opener.open(session.base + path, body) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def _event(when, direction, headcount):
    return {"occurred_at": when, "direction": direction, "category": "military", "headcount": str(headcount),
            "officers": "", "wounded": "", "agreement_id": "", "source": "Gate log", "reference": "BENCH-K",
            "notes": "", "form_key": secrets.token_hex(16)}


def present(session, db, post, day):
    """Military present at the end of `day` at `post`: (as the headcount report says, as the
    ledger table holds)."""
    query = urllib.parse.urlencode({"post": post, "from": day, "to": day, "category": "military"})
    with session.opener.open(f"{session.base}/reports/headcount.csv?{query}") as response:
        lines = response.read().decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","))) for line in lines[1:]]
    reported = [int(r["present_end_of_day"]) for r in rows if r.get("date") == day]
    ledger = psql(db, "SELECT closing FROM post_days d JOIN border_posts p ON p.id = d.post_id "
                      f"WHERE p.code = '{post}' AND d.category = 'military' ORDER BY d.day DESC LIMIT 1").strip()
    return (reported[-1] if reported else None), (int(ledger) if ledger else None)


def invariant_round(one, two, db, day, k=INVARIANT_PRESENT, returns=INVARIANT_RETURNS, post=INVARIANT_POST):
    """`k` military arrive at `post` on `day` (through `one`); then `returns` returns of 1 each
    are sent at one instant, half to each server. Returns a dict: accepted (303), refused (422
    with the balance message), other (anything else, with statuses), present_before,
    present_after (report, ledger), held (exactly k accepted, the rest refused, 0 present)."""
    status, body = _post(one.sessions[0], f"/posts/{post}/events", _event(f"{day}T08:00", "inbound", k))
    if status != 303:
        raise RuntimeError(f"the arrival of {k} at {post} answered {status}: {re.sub(r'<[^>]+>', ' ', body)[:300]}")
    before = present(one.sessions[0], db, post, day)
    clients = one.sessions[:returns // 2] + two.sessions[:returns - returns // 2]
    if len(clients) < returns:
        raise RuntimeError(f"{returns} returns need {returns // 2} sessions on each server")
    barrier = threading.Barrier(returns)
    outcomes = [None] * returns

    def send(n, session):
        fields = _event(f"{day}T12:00", "outbound", 1)
        barrier.wait()
        outcomes[n] = _post(session, f"/posts/{post}/events", fields)

    threads = [threading.Thread(target=send, args=(n, s)) for n, s in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    accepted = sum(1 for s, _ in outcomes if s == 303)
    refused = sum(1 for s, b in outcomes if s == 422 and REFUSED in b)
    other = [s for s, b in outcomes if not (s == 303 or (s == 422 and REFUSED in b))]
    after = present(one.sessions[0], db, post, day)
    recorded = int(psql(db, "SELECT count(*) FROM crossing_events e JOIN border_posts p ON p.id = e.post_id "
                            f"WHERE p.code = '{post}' AND e.local_day = '{day}' AND e.direction = 'outbound'"))
    held = (before == (k, k) and accepted == k and refused == returns - k and not other
            and after == (0, 0) and recorded == k)
    result = {"accepted": accepted, "refused": refused, "other": other, "present_before": before,
              "present_after": after, "outbound_rows": recorded, "held": held}
    if not held:
        FAILURES.append(f"invariant on {day}: {result}")
    return result


def _wrk_command(server, path, connections, seconds):
    return ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--latency",
            "-H", f"Cookie: {server.sessions[0].cookie_header()}", server.base + path]


def wrk_figures(out):
    """(req/s, p50 ms, p99 ms, responses not 2xx/3xx) from wrk's --latency output."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, percentile(50), percentile(99), int(bad.group(1)) if bad else 0


def pages(servers, path, seconds, connections=64):
    """`path` under `connections` connections split evenly over `servers` at once, signed in on
    each: (summed req/s, worst p50 ms, worst p99 ms, responses not 2xx/3xx)."""
    each = connections // len(servers)
    runs = [subprocess.Popen(_wrk_command(s, path, each, seconds), stdout=subprocess.PIPE, text=True)
            for s in servers]
    figures = [wrk_figures(run.communicate()[0]) for run in runs]
    return (sum(f[0] for f in figures), max(f[1] for f in figures), max(f[2] for f in figures),
            sum(f[3] for f in figures))


class Bench:
    """The PostgreSQL side of the benchmark: `with Bench(...) as pg:` fills the database and
    starts the two servers; `pg.round(n)` runs round n (0-based) and prints it; after the rounds
    `pg.print_medians()`; `pg.failures` lists what went wrong. Everything is stopped and dropped
    when the block ends."""

    def __init__(self, binary=None, events=1_000_000, posts_per_round=None, port=18381, out=print, indent=""):
        global BINARY
        if binary:
            BINARY = binary
        self.events, self.port, self.out, self.indent = events, port, out, indent
        self.posts = posts_per_round or POSTS_PER_ROUND
        self.db = f"repatrack_bench_{os.getpid()}"
        self.reference_db = self.db + "_ref"
        self.servers = []
        self.failures = FAILURES
        self.rounds = []

    def say(self, text):
        self.out(self.indent + text)

    def __enter__(self):
        try:
            started = time.perf_counter()
            fill(self.db, self.events)
            create_database(self.reference_db, template=self.db)
            version = psql(self.db, "SHOW server_version").strip()
            durability = psql(self.db, "SHOW synchronous_commit").strip()
            filled = time.perf_counter() - started
            self.one = Server(self.db, self.port)
            self.servers.append(self.one)
            self.two = Server(self.db, self.port + 1)
            self.servers.append(self.two)
            # Warm-up: each server's connection pool and the day's first rows.
            record(self.one, "2025-02-27", 2 * CLIENTS)
            record(Clients(self.servers, CLIENTS // 2), "2025-02-28", 2 * CLIENTS)
            self.say(f"PostgreSQL {version.split()[0]} (synchronous_commit {durability}): filled {self.events:,} events "
                     f"and copied the database for the reference in {filled:.1f} s; servers idle at "
                     f"{self.one.idle_kb / 1024:.1f} and {self.two.idle_kb / 1024:.1f} MB")
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        try:
            self.problem_count()  # read the logs before they go
        except OSError:
            pass
        for server in self.servers:
            server.stop()
        self.servers = []
        for db in (self.reference_db, self.db):
            try:
                drop_database(db)
            except Exception as e:  # noqa: BLE001 (keep dropping the rest)
                print(f"could not drop {db}: {e}", file=sys.stderr)
        cleanup()

    def round(self, n):
        one, two = self.one, self.two
        r = {}
        # Each recording run gets a day of its own at QAIM, after every day recorded before (a
        # back-dated day would also shift the ledger rows of the days after it), after the
        # synthetic year and before today; one and two instances take turns going first.
        first_day = datetime.date(2025, 3, 1) + datetime.timedelta(days=2 * n)
        days = [first_day.isoformat(), (first_day + datetime.timedelta(days=1)).isoformat()]
        for which, day in zip(("one", "two") if n % 2 == 0 else ("two", "one"), days):
            if which == "one":
                r["rate"], r["p99"], r["failed"] = record(one, day, self.posts)
                r["ref_rate"], r["ref_p99"] = reference_inserts(self.reference_db, self.posts)
            else:
                r["two_rate"], r["two_p99"], r["two_failed"] = record(Clients(self.servers, CLIENTS // 2), day, self.posts)
        r["ratio"] = r["rate"] / r["ref_rate"]
        self.say(f"postgres recording: {r['rate']:.0f} events/s p99 {r['p99']:.0f} ms ({r['failed']} failed); "
                 f"reference (psql) {r['ref_rate']:.0f} txn/s p99 {r['ref_p99']:.1f} ms; ratio {r['ratio']:.3f}")
        r["two_ratio"] = r["two_rate"] / r["rate"] if r["rate"] else 0.0
        self.say(f"postgres two instances ({CLIENTS // 2}+{CLIENTS // 2} clients): {r['two_rate']:.0f} events/s "
                 f"p99 {r['two_p99']:.0f} ms ({r['two_failed']} failed); {r['two_ratio']:.2f} x one instance")
        # Pages: the ceiling and the events list on one instance, then the list with the 64
        # connections split 32 and 32 over both instances at once.
        seconds = 2 if self.events <= 10_000 else 6
        ceiling = pages([one], "/healthz", seconds)
        listed = pages([one], "/events?post=QAIM", seconds)
        both = pages([one, two], "/events?post=QAIM", seconds)
        for name, figures in (("/healthz", ceiling), ("/events", listed), ("/events on two", both)):
            if figures[3]:
                self.failures.append(f"postgres {name}: {figures[3]} responses not 2xx/3xx")
        r["list_share"], r["two_pages_ratio"] = listed[0] / ceiling[0], both[0] / listed[0]
        self.say(f"postgres pages: /healthz {ceiling[0]:.0f} req/s p99 {ceiling[2]:.1f} ms; /events?post=QAIM "
                 f"{listed[0]:.0f} req/s p50 {listed[1]:.1f} ms p99 {listed[2]:.1f} ms ({r['list_share']:.1%} of the "
                 f"ceiling); on two instances (32+32) {both[0]:.0f} req/s p99 {both[2]:.1f} ms; "
                 f"{r['two_pages_ratio']:.2f} x one instance")
        inv = invariant_round(one, two, self.db, (datetime.date(2025, 5, 1) + datetime.timedelta(days=n)).isoformat())
        r["invariant"] = inv
        self.say(f"postgres invariant: {INVARIANT_PRESENT} present at {INVARIANT_POST}, {INVARIANT_RETURNS} returns of 1 at once "
                 f"({INVARIANT_RETURNS // 2} per instance): {inv['accepted']} recorded, {inv['refused']} refused "
                 f"(422, balance), {len(inv['other'])} other{' ' + str(inv['other']) if inv['other'] else ''}; "
                 f"present after: report {inv['present_after'][0]}, ledger {inv['present_after'][1]}: "
                 f"{'held' if inv['held'] else 'BROKEN'}")
        first, total, size, growth = export_round(one)
        copy_seconds, copy_size = copy_round(self.db)
        r.update(export=total, export_first=first, export_bytes=size, export_growth=growth, copy=copy_seconds,
                 copy_bytes=copy_size, export_ratio=total / copy_seconds)
        self.say(f"postgres export: {size:,} bytes in {total:.2f} s (first byte {first * 1000:.0f} ms); psql COPY "
                 f"{copy_size:,} bytes in {copy_seconds:.2f} s; ratio {r['export_ratio']:.2f}; "
                 f"memory growth {growth / 1024:.1f} MB")
        self.rounds.append(r)
        return r

    def medians(self):
        rs = self.rounds
        rated = [r for r in rs if r["rate"] and r["two_rate"]]
        return {
            "recording_ratio": statistics.median(r["ratio"] for r in rs) if rs else None,
            "recording_p99_ms": statistics.median(r["p99"] for r in rs) if rs else None,
            "two_instance_ratio": statistics.median(r["two_ratio"] for r in rated) if rated else None,
            "list_share": statistics.median(r["list_share"] for r in rs) if rs else None,
            "two_pages_ratio": statistics.median(r["two_pages_ratio"] for r in rs) if rs else None,
            "export_ratio": statistics.median(r["export_ratio"] for r in rs) if rs else None,
            "export_growth_kb": max(r["export_growth"] for r in rs) if rs else None,
            "invariant_held": sum(1 for r in rs if r["invariant"]["held"]),
            "failed_posts": sum(r["failed"] + r["two_failed"] for r in rs),
            "problem_lines": self.problem_count(),
        }

    def problem_count(self):
        if self.servers:
            self.problems = sum(len(s.problem_lines()) for s in self.servers)
            self.problem_examples = [line for s in self.servers for line in s.problem_lines()][:3]
        return getattr(self, "problems", 0)

    def print_medians(self):
        m = self.medians()
        if m["recording_ratio"] is None:
            return
        self.say(f"postgres recording: {m['recording_ratio']:.3f} of the reference insert rate (psql), "
                 f"p99 {m['recording_p99_ms']:.0f} ms")
        if m["two_instance_ratio"] is not None:
            self.say(f"postgres two instances: {m['two_instance_ratio']:.2f} x one instance's recording throughput; "
                     f"invariant held in {m['invariant_held']} of {len(self.rounds)} round(s)")
        self.say(f"postgres pages: /events?post=QAIM {m['list_share']:.1%} of the ceiling's req/s on one instance; "
                 f"{m['two_pages_ratio']:.2f} x that on two instances")
        self.say(f"postgres export: {m['export_ratio']:.2f} x psql COPY; peak memory growth "
                 f"{m['export_growth_kb'] / 1024:.1f} MB")
        self.say(f"postgres: failed POSTs {m['failed_posts']}; serialization/deadlock/retry lines in the servers' "
                 f"logs {m['problem_lines']}" + "".join(f"\n{self.indent}    {line}"
                                                         for line in getattr(self, 'problem_examples', [])))


def main():
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("--quick", action="store_true", help="10,000 events, one round (CI)")
    args.add_argument("--binary", default="target/release/repatrack")
    args.add_argument("--events", type=int, default=None, help="default 1,000,000 (10,000 with --quick)")
    args.add_argument("--rounds", type=int, default=None, help="default 5 (1 with --quick)")
    opts = args.parse_args()
    # A stop from outside still stops the servers and drops the databases (the with block's exit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    events = opts.events or (10_000 if opts.quick else 1_000_000)
    rounds = opts.rounds or (1 if opts.quick else 5)
    posts = 160 if opts.quick else 800
    if not shutil.which("psql") or not shutil.which("curl"):
        sys.exit("psql and curl are needed")
    started = time.perf_counter()
    # Absolute: the servers run from a directory of their own (`workdir`).
    bench = Bench(os.path.abspath(opts.binary), events, posts)
    with bench:
        print(f"{rounds} round(s), {posts} event POSTs per recording run, {CLIENTS} clients")
        for n in range(rounds):
            print(f"round {n + 1}:")
            bench.indent = "  "
            bench.round(n)
            bench.indent = ""
        print("\nmedians of per-round ratios:")
        bench.indent = "  "
        bench.print_medians()
    print(f"failures: {len(bench.failures)}; {time.perf_counter() - started:.0f} s in all")
    for f in bench.failures:
        print(f"  {f}")
    if bench.failures or bench.problem_count():
        sys.exit(1)


if __name__ == "__main__":
    main()
