#!/usr/bin/env python3
"""Compares builds of precis by alternating whole-process runs of `precis score`.

    scripts/ab.py [--rounds N] [--threads T] [--dir DIR] BINARY...

Round after round, each BINARY runs `score DIR --format jsonl --threads T -q` with
its output to /dev/null (pinned to CPU 1 with `taskset` when T is 1), so that a
machine that speeds up or slows down affects every build alike. Prints each build's
median, lower quartile and minimum wall time, median CPU time (user + system, from
wait4), and the median over rounds of its wall time divided by the first build's in
the same round (a paired ratio: a slow spell that spans a round cancels out).

To compare two commits, build each and keep its binary:

    git checkout OLD && cargo build --release && cp target/release/precis /tmp/old
    git checkout NEW && cargo build --release && cp target/release/precis /tmp/new
    scripts/ab.py --rounds 25 /tmp/old /tmp/new

This is how the before/after figures of issue 6 in docs/BENCHMARKS.md were taken
(the VM is noisy: differences under 2% are not resolved by 25 rounds).

Back-to-back runs reuse the memory the previous process freed. With `--pause 3`
each run starts after a rest, long enough for this VM (Firecracker, free page
reporting) to hand freed memory back to its host, so fresh pages cost a host fault
each, as they do for a user's first run in a while.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("binaries", nargs="+")
    p.add_argument("--rounds", type=int, default=15)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument(
        "--pause",
        type=float,
        default=0.0,
        help="seconds to wait before each run (a rest lets the VM hand freed memory back to its host, as between a user's runs)",
    )
    p.add_argument("--dir", default="../shared/data/bbc-news-summary/articles", help="folder or JSONL file to score")
    a = p.parse_args()
    if not os.path.exists(a.dir):
        sys.exit(f"ab.py: {a.dir} does not exist (pass --dir: a folder or a JSONL file)")
    runs = {b: [] for b in a.binaries}
    for _ in range(a.rounds):
        for b in a.binaries:
            cmd = [b, "score", a.dir, "--format", "jsonl", "--threads", str(a.threads), "-q"]
            if a.threads == 1:
                cmd = ["taskset", "-c", "1"] + cmd
            if a.pause:
                time.sleep(a.pause)
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            if status != 0:
                sys.exit(f"ab.py: {' '.join(cmd)} failed (status {status})")
            runs[b].append((wall * 1e3, (usage.ru_utime + usage.ru_stime) * 1e3))
    width = max(len(b) for b in a.binaries)
    first = [w for w, _ in runs[a.binaries[0]]]
    for b, r in runs.items():
        walls = [w for w, _ in r]
        cpus = [c for _, c in r]
        paired = statistics.median(w / f for w, f in zip(walls, first))
        q1 = sorted(walls)[len(walls) // 4]
        print(
            f"{b:{width}}  wall median {statistics.median(walls):6.1f} ms"
            f"  q1 {q1:6.1f}  min {min(walls):6.1f}  cpu median {statistics.median(cpus):6.1f} ms"
            f"  paired {paired:.3f}"
            f"  ({a.rounds} rounds, {a.threads} thread{'s' if a.threads > 1 else ''})"
        )


if __name__ == "__main__":
    main()
