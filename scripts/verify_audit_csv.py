#!/usr/bin/env python3
"""Recompute repatrack's audit hash chain from a CSV export (/audit.csv), with nothing but Python.

Usage: python3 verify_audit_csv.py audit.csv
Exit 0 and one line when every row verifies; exit 1 naming the first broken seq.

The definition (README, "Audit trail"): hash = SHA-256(prev_hash || canonical(entry)), hex, where
prev_hash is the 64 hex characters of the previous entry's hash (64 zeros for the first) and
canonical(entry) is b"repatrack-audit-v1" followed, for each of seq, at (integer microseconds
since the Unix epoch, UTC), actor, action, entity, entity_id, post, ip, details, by its UTF-8
length as an 8-byte big-endian integer and its UTF-8 bytes. Cells that begin with one of
= + - @ TAB CR ' were prefixed with a ' in the export (spreadsheet formula injection); one
leading ' is removed before hashing.
"""
import csv
import hashlib
import struct
import sys
from datetime import datetime, timezone

GENESIS = "0" * 64
TAG = b"repatrack-audit-v1"
FIELDS = ["seq", "at", "actor", "action", "entity", "entity_id", "post", "ip", "details"]


def unprotect(cell):
    return cell[1:] if cell.startswith("'") else cell


def micros(at_utc):
    # e.g. 2024-12-18T09:00:00.123456Z
    parsed = datetime.strptime(at_utc, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    delta = parsed - epoch
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def entry_hash(prev_hash, row):
    values = {name: unprotect(row[name]) for name in ["seq", "actor", "action", "entity", "entity_id", "post", "ip", "details"]}
    values["at"] = str(micros(row["at_utc"]))
    data = bytearray(TAG)
    for name in FIELDS:
        encoded = values[name].encode("utf-8")
        data += struct.pack(">Q", len(encoded)) + encoded
    return hashlib.sha256(prev_hash.encode("ascii") + bytes(data)).hexdigest()


def main(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    previous = None
    for row in rows:
        seq = int(row["seq"])
        if previous is None and seq == 1 and row["prev_hash"] != GENESIS:
            print(f"broken at seq {seq}: the first entry must follow 64 zeros")
            return 1
        if previous is not None and seq == previous[0] + 1 and row["prev_hash"] != previous[1]:
            print(f"broken at seq {seq}: prev_hash does not match entry {previous[0]}")
            return 1
        if entry_hash(row["prev_hash"], row) != row["hash"]:
            print(f"broken at seq {seq}: contents do not match the hash")
            return 1
        previous = (seq, row["hash"])
    last = f", last hash {previous[1]}" if previous else ""
    print(f"{len(rows)} entries verify{last}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2])
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
