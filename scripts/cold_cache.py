#!/usr/bin/env python3
"""Times `precis score` with part of a folder evicted from the page cache.

    scripts/cold_cache.py [--rounds N] [--evict FRACTION] [--threads T] DIR BINARY...

Before every run it asks the kernel to drop every k-th file of DIR from the page
cache (`posix_fadvise(POSIX_FADV_DONTNEED)`, k = 1 / FRACTION; 0 evicts nothing),
then runs `BINARY score DIR --threads T -q` with its output to /dev/null. The
binaries take turns, round after round, so a machine that speeds up or slows down
affects them alike; it prints each binary's median, first quartile and minimum
wall time. This is how issue 6's read-ahead figures were measured (a VM whose
page cache is reclaimed within seconds reads some files from disk on every run).
"""

import argparse
import os
import statistics
import subprocess
import time


def evict(folder, fraction):
    if fraction <= 0:
        return 0
    step = max(1, round(1 / fraction))
    names = sorted(os.listdir(folder))
    dropped = 0
    for name in names[::step]:
        fd = os.open(os.path.join(folder, name), os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            dropped += 1
        finally:
            os.close(fd)
    return dropped


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--evict", type=float, default=0.05, help="share of files to evict before each run")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("folder")
    ap.add_argument("binaries", nargs="+")
    a = ap.parse_args()
    times = {b: [] for b in a.binaries}
    for _ in range(a.rounds):
        for b in a.binaries:
            evict(a.folder, a.evict)
            cmd = [b, "score", a.folder, "--threads", str(a.threads), "-q"]
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
            times[b].append(time.perf_counter() - start)
    print(f"{a.rounds} rounds, {a.evict:.0%} of the files evicted before each run, {a.threads} thread(s)")
    for b, t in times.items():
        t.sort()
        print(f"median {statistics.median(t) * 1000:7.1f} ms  q1 {t[len(t) // 4] * 1000:7.1f}  "
              f"min {t[0] * 1000:7.1f}  {b}")


if __name__ == "__main__":
    main()
