#!/usr/bin/env python3
"""What compression costs on the events export and saves on pages, side by side in one run.

Usage: python3 scripts/bench_compression.py target/release/repatrack [EVENTS]

Fills a scratch database as scripts/bench_events.py does (default 200,000 events), starts the
release binary, and measures, in alternating rounds (medians of 3):
1. GET /events.csv as sent plain, gzip and brotli: bytes on the wire and total time, the ratio
   of each compressed time to the plain one;
2. the pages /posts/QAIM, /events and / : bytes plain, gzip and brotli.
curl reads every response without decoding it (bytes as sent), as a client on a slow link
would receive them.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_events  # noqa: E402  (beside this script)

EVENTS = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
bench_events.BINARY = sys.argv[1] if len(sys.argv) > 1 else "target/release/repatrack"
ROUNDS = 3


def fetch(server, path, encoding):
    cookies = "; ".join(f"{c.name}={c.value}" for c in server.jar)
    headers = ["-H", f"Accept-Encoding: {encoding}"] if encoding else []
    out = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-b", cookies, *headers, "-w", "%{time_total} %{size_download}",
         server.base + path],
        check=True, stdout=subprocess.PIPE, text=True,
    ).stdout.split()
    return float(out[0]), int(out[1])


def main():
    work = tempfile.mkdtemp()
    try:
        db = os.path.join(work, "big.db")
        bench_events.fill(db, EVENTS)
        server = bench_events.Server(db, 18093)
        try:
            encodings = [("plain", None), ("gzip", "gzip"), ("brotli", "br")]
            fetch(server, "/events.csv", None)  # warm the page cache
            times = {name: [] for name, _ in encodings}
            sizes = {}
            for _ in range(ROUNDS):
                for name, encoding in encodings:
                    seconds, size = fetch(server, "/events.csv", encoding)
                    times[name].append(seconds)
                    sizes[name] = size
            plain = statistics.median(times["plain"])
            print(f"/events.csv, {EVENTS:,} events (medians of {ROUNDS}):")
            for name, _ in encodings:
                t = statistics.median(times[name])
                print(f"  {name:7} {sizes[name]:>12,} bytes  {t:6.2f} s  time x{t / plain:4.2f}  bytes x{sizes[name] / sizes['plain']:4.2f}")
            for path in ["/posts/QAIM", "/events", "/"]:
                line = []
                for name, encoding in encodings:
                    _, size = fetch(server, path, encoding)
                    line.append(f"{name} {size:,}")
                print(f"{path:12} " + "  ".join(line) + " bytes")
        finally:
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
