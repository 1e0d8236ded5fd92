#!/usr/bin/env python3
"""Run a command several times; print wall seconds and peak RSS of each run as JSON.

    python timecmd.py --runs 3 --name NAME --bytes B -- CMD ARGS...

The command's stdout goes to /dev/null, its stderr is kept. Wall time is
time.perf_counter() around fork+exec+wait (the whole process); peak RSS is the
child's ru_maxrss from wait4 (KiB on Linux). Exits non-zero if any run fails.

With --floor-cmd CMD, CMD (a `precis bench DIR --floor-only --format json`) runs
before every timed run and once after the last, and the JSON gets each floor it
measured and their median: the floor taken at the same moments as the runs, so a
slow or fast spell of a shared machine moves both alike.
"""

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time


def floor_of(cmd):
    """The floor_mb_per_s that a `precis bench --floor-only --format json` prints."""
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)["floor_mb_per_s"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--name", required=True)
    ap.add_argument("--bytes", type=int, required=True)
    ap.add_argument("--floor-cmd", default=None, help="command printing a floor JSON, run between runs")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    floor_cmd = shlex.split(a.floor_cmd) if a.floor_cmd else None
    secs, rss, codes, floors = [], [], [], []
    for _ in range(max(1, a.runs)):
        if floor_cmd:
            floors.append(floor_of(floor_cmd))
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        secs.append(time.perf_counter() - t0)
        rss.append(ru.ru_maxrss / 1024.0)
        codes.append(os.waitstatus_to_exitcode(status))
    if floor_cmd:
        floors.append(floor_of(floor_cmd))
    med = statistics.median(secs)
    extra = {"floor_mb_s_runs": floors, "floor_mb_s": statistics.median(floors)} if floors else {}
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
                **extra,
            }
        )
    )
    sys.exit(0 if all(c == 0 for c in codes) else 1)


if __name__ == "__main__":
    main()
