#!/usr/bin/env python3
"""Where the time of `precis score` goes, phase by phase, for 1 and 2 threads.

    scripts/phases.py [--runs N] [--dir DIR] [--bin BINARY]

Runs `precis score DIR --format jsonl -q --timings` N times per thread count
(alternating, output to /dev/null), and prints the median of each phase that
`--timings` reports, plus what it cannot see: the wall time around the whole
process (perf_counter around fork, exec and wait) minus its own total, which is
loading the binary and exiting.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time


def run(binary, directory, threads):
    start = time.perf_counter()
    p = subprocess.run(
        [binary, "score", directory, "--format", "jsonl", "-q", "--timings",
         "--threads", str(threads)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    wall = (time.perf_counter() - start) * 1e3
    line = next(l for l in p.stderr.splitlines() if l.startswith("precis: timings (ms): "))
    phases = {}
    for part in line[len("precis: timings (ms): "):].split("; "):
        name, ms = part.rsplit(" ", 1)
        phases[name] = float(ms)
    phases["loading the binary and exiting"] = wall - phases["in all"]
    phases["wall"] = wall
    return phases


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=9)
    p.add_argument("--dir", default="../shared/data/bbc-news-summary/articles")
    p.add_argument("--bin", default="target/release/precis")
    a = p.parse_args()
    if not os.path.isdir(a.dir):
        sys.exit(f"phases.py: {a.dir} is not a folder (pass --dir)")
    runs = {1: [], 2: []}
    for _ in range(a.runs):
        for t in runs:
            runs[t].append(run(a.bin, a.dir, t))
    names = [n for n in runs[1][0] if n not in ("in all", "wall")]
    print(f"median of {a.runs} runs, ms | 1 thread | 2 threads | speedup")
    for name in names + ["wall"]:
        one = statistics.median(r[name] for r in runs[1])
        two = statistics.median(r[name] for r in runs[2])
        speedup = f"{one / two:.2f}x" if two > 0 else ""
        print(f"{name} | {one:.1f} | {two:.1f} | {speedup}")


if __name__ == "__main__":
    main()
