#!/usr/bin/env python3
"""Run a command several times; print wall seconds and peak RSS of each run as JSON.

    python timecmd.py --runs 3 --name NAME --bytes B -- CMD ARGS...

The command's stdout goes to /dev/null, its stderr is kept. Wall time is
time.perf_counter() around fork+exec+wait (the whole process); peak RSS is the
child's ru_maxrss from wait4 (KiB on Linux). Exits non-zero if any run fails.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--name", required=True)
    ap.add_argument("--bytes", type=int, required=True)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    secs, rss, codes = [], [], []
    for _ in range(max(1, a.runs)):
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        secs.append(time.perf_counter() - t0)
        rss.append(ru.ru_maxrss / 1024.0)
        codes.append(os.waitstatus_to_exitcode(status))
    med = statistics.median(secs)
    print(
        json.dumps(
            {
                "tool": a.name,
                "lang": "rust",
                "command": " ".join(cmd),
                "bytes": a.bytes,
                "seconds": secs,
                "median_s": med,
                "mb_s": a.bytes / 1e6 / med,
                "peak_rss_mib": max(rss),
                "exit_codes": codes,
            }
        )
    )
    sys.exit(0 if all(c == 0 for c in codes) else 1)


if __name__ == "__main__":
    main()
