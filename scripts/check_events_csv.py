#!/usr/bin/env python3
"""Checks an events export byte for byte against an independent writer.

Usage: python3 scripts/check_events_csv.py repatrack.db events.csv

Rebuilds the export of every event (no filters, as an administrator sees it) from the SQLite file
with Python's own `sqlite3`, `zoneinfo` and `csv` modules, following the column list and rules in
the README (oldest first; instants to the second, UTC with `Z` and post-local with the offset;
the formula guard; the `no_agreement_cited` flag; CRLF), and compares it with the file. Prints
`equal: N bytes, sha256 …` and exits 0, or names the first differing line and exits 1.
"""

import csv
import datetime
import hashlib
import io
import sqlite3
import sys
import zoneinfo

COLUMNS = ("event_id,reference,post,occurred_at_utc,occurred_at_local,direction,category,headcount,officers,"
           "wounded,agreement,source,source_reference,notes,status,recorded_by,recorded_at_utc,verified_by,"
           "verified_at_utc,void_reason,flags").split(",")


def utc(text):
    return f"{text[:10]}T{text[11:19]}Z" if text else ""


def local(text, zone):
    at = datetime.datetime.strptime(text[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    there = at.astimezone(zone)
    offset = there.strftime("%z")
    return there.strftime("%Y-%m-%dT%H:%M:%S") + offset[:3] + ":" + offset[3:]


def safe(text):
    return "'" + text if text and text[0] in "=+-@\t\r'" else text


def expected(db):
    con = sqlite3.connect(db)
    posts = {i: (code, zoneinfo.ZoneInfo(tz)) for i, code, tz in con.execute("SELECT id, code, timezone FROM border_posts")}
    users = dict(con.execute("SELECT id, username FROM users"))
    agreements = dict(con.execute("SELECT id, reference FROM agreements"))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    rows = con.execute(
        """SELECT id, reference, post_id, occurred_at, direction, category, headcount, officers, wounded, agreement_id,
                  source, source_reference, notes, status, recorded_by, recorded_at, verified_by, verified_at, void_reason
           FROM crossing_events ORDER BY occurred_at, id""")
    for (id_, reference, post, at, direction, category, headcount, officers, wounded, agreement, source, source_ref,
         notes, status, recorded_by, recorded_at, verified_by, verified_at, void_reason) in rows:
        code, zone = posts[post]
        uncited = direction == "outbound" and category == "military" and agreement is None and status != "voided"
        writer.writerow([
            id_, safe(reference), safe(code), utc(at), local(at, zone), direction, category, headcount,
            "" if officers is None else officers, "" if wounded is None else wounded,
            safe(agreements.get(agreement, "")), safe(source), safe(source_ref), safe(notes), status,
            safe(users[recorded_by]), utc(recorded_at), safe(users.get(verified_by, "")), utc(verified_at),
            safe(void_reason or ""), "no_agreement_cited" if uncited else "",
        ])
    return out.getvalue().encode()


def check(db, got):
    """(True, message) when `got` equals the independent writer's bytes."""
    want = expected(db)
    if want == got:
        return True, f"equal: {len(got):,} bytes, sha256 {hashlib.sha256(got).hexdigest()}"
    for number, (a, b) in enumerate(zip(want.split(b"\r\n"), got.split(b"\r\n")), start=1):
        if a != b:
            return False, f"line {number} differs:\n  expected {a!r}\n  exported {b!r}"
    return False, f"lengths differ: expected {len(want):,} bytes, exported {len(got):,}"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[2], "rb") as f:
        ok, message = check(sys.argv[1], f.read())
    print(message)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
