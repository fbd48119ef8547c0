#!/usr/bin/env python3
"""Recompute repatrack's audit hash chain from a CSV export (/audit.csv), with nothing but Python.

Usage: python3 verify_audit_csv.py [--filtered] audit.csv
Exit 0 and one line when every row verifies; exit 1 naming the first broken seq.
An unfiltered export must hold the whole chain: seq 1, 2, 3, ... with no gap, the first entry
following 64 zeros, each entry's prev_hash the hash before it, so a deleted, added or reordered
row is caught. With --filtered (an export of /audit.csv with filters) each row is checked on its
own, and links only where rows are consecutive.

The definition (README, "Audit trail"): hash = SHA-256(prev_hash || canonical(entry)), hex, where
prev_hash is the 64 hex characters of the previous entry's hash (64 zeros for the first) and
canonical(entry) depends on the row's format column. Format 1 is b"repatrack-audit-v1" followed,
for each of seq, at (integer microseconds since the Unix epoch, UTC), actor, action, entity,
entity_id, post, ip, details, by its UTF-8 length as an 8-byte big-endian integer and its UTF-8
bytes. Format 2 is b"repatrack-audit-v2" and the same fields with actor_id (decimal, or empty)
between at and actor. Along an unfiltered chain the format never goes down. Cells that begin with one of
= + - @ TAB CR ' were prefixed with a ' in the export (spreadsheet formula injection); one
leading ' is removed before hashing.
"""
import csv
import hashlib
import struct
import sys
from datetime import datetime, timezone

GENESIS = "0" * 64
FORMATS = {
    "1": (b"repatrack-audit-v1", ["seq", "at", "actor", "action", "entity", "entity_id", "post", "ip", "details"]),
    "2": (b"repatrack-audit-v2", ["seq", "at", "actor_id", "actor", "action", "entity", "entity_id", "post", "ip", "details"]),
}


def unprotect(cell):
    return cell[1:] if cell.startswith("'") else cell


def micros(at_utc):
    # e.g. 2024-12-18T09:00:00.123456Z
    parsed = datetime.strptime(at_utc, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    delta = parsed - epoch
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def entry_hash(prev_hash, row):
    # Exports made before the format column existed hold format 1 entries only.
    tag, fields = FORMATS[row.get("format") or "1"]
    values = {name: unprotect(row[name]) for name in ["seq", "actor", "action", "entity", "entity_id", "post", "ip", "details"]}
    values["actor_id"] = row.get("actor_id") or ""
    values["at"] = str(micros(row["at_utc"]))
    data = bytearray(tag)
    for name in fields:
        encoded = values[name].encode("utf-8")
        data += struct.pack(">Q", len(encoded)) + encoded
    return hashlib.sha256(prev_hash.encode("ascii") + bytes(data)).hexdigest()


def main(path, filtered):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    previous = None
    format_before = "1"
    for row in rows:
        seq = int(row["seq"])
        fmt = row.get("format") or "1"
        if fmt not in FORMATS:
            print(f"broken at seq {seq}: unknown format {fmt}")
            return 1
        if not filtered and int(fmt) < int(format_before):
            print(f"broken at seq {seq}: the format is older than the entry before")
            return 1
        format_before = fmt
        expected = 1 if previous is None else previous[0] + 1
        if not filtered and seq != expected:
            print(f"broken at seq {expected}: entry {expected} is missing (found {seq})")
            return 1
        expected_prev = GENESIS if previous is None else previous[1]
        if (not filtered or seq == expected) and (previous is not None or seq == 1) and row["prev_hash"] != expected_prev:
            print(f"broken at seq {seq}: prev_hash does not match the entry before")
            return 1
        if entry_hash(row["prev_hash"], row) != row["hash"]:
            print(f"broken at seq {seq}: contents do not match the hash")
            return 1
        previous = (seq, row["hash"])
    last = f", last hash {previous[1]}" if previous else ""
    print(f"{len(rows)} entries verify{last}")
    return 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--filtered"]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[2])
        sys.exit(2)
    sys.exit(main(args[0], "--filtered" in sys.argv[1:]))
