#!/usr/bin/env python3
"""Run a command several times; print wall seconds and peak RSS of each run as JSON.

    python timecmd.py --runs 3 --name NAME --bytes B -- CMD ARGS...

The command's stdout goes to /dev/null, its stderr is kept. Wall time is
time.perf_counter() around fork+exec+wait (the whole process); peak RSS is the
child's ru_maxrss from wait4 (KiB on Linux). Exits non-zero if any run fails.

With --floor-cmd CMD, CMD (a `precis bench DIR --floor-only --format json`) runs
before every timed run and once after the last, and the JSON gets each floor it
measured and their median: the floor taken at the same moments as the runs, so a
slow or fast spell of a shared machine moves both alike. It also gets
`paired_of_floor`: over the rounds, the median of (this run's MB/s / the floor
measured just before it), a ratio whose two sides were measured moments apart.

With --also-name NAME2 --also-cmd CMD2, CMD2 runs right after CMD in every round
(so the two alternate) and a second JSON line reports it, with
`paired_speedup`: the median over rounds of CMD's seconds / CMD2's seconds in the
same round, and `speedup_of_medians`: CMD's median / CMD2's median. This is how
the 2-thread speedup is measured against the 1-thread run.

With --twice-name NAME3 --twice-cmd CMD3, two copies of CMD3 start together in
every round, `{cpu}` in it replaced by 0 in one and 1 in the other (say
`taskset -c {cpu} precis score DIR --threads 1`), and a third JSON line reports
the wall time until both have exited, with `parallel_ceiling`: the median over
rounds of 2 x CMD's seconds / this pair's seconds. It is the speedup two
independent one-thread processes get on this machine, sharing its memory, caches
and host: what a two-thread run could reach if its threads shared no work at all.
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


def timed(cmd):
    """(wall seconds, peak RSS MiB, exit code) of one run of `cmd`."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    return time.perf_counter() - t0, ru.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def timed_twice(cmd):
    """(wall seconds until both exit, peak RSS MiB of either, worst exit code) of
    two copies of `cmd` (a string with `{cpu}`) started together."""
    t0 = time.perf_counter()
    procs = [subprocess.Popen(shlex.split(cmd.replace("{cpu}", str(c))), stdout=subprocess.DEVNULL)
             for c in (0, 1)]
    rss, code = 0.0, 0
    for p in procs:
        _, status, ru = os.wait4(p.pid, 0)
        rss = max(rss, ru.ru_maxrss / 1024.0)
        code = code or os.waitstatus_to_exitcode(status)
    return time.perf_counter() - t0, rss, code


def record(name, cmd, nbytes, runs, **extra):
    secs = [s for s, _, _ in runs]
    med = statistics.median(secs)
    return {
        "tool": name,
        "lang": "rust",
        "command": " ".join(cmd),
        "bytes": nbytes,
        "seconds": secs,
        "median_s": med,
        "mb_s": nbytes / 1e6 / med,
        "peak_rss_mib": max(r for _, r, _ in runs),
        "exit_codes": [c for _, _, c in runs],
        **extra,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--name", required=True)
    ap.add_argument("--bytes", type=int, required=True)
    ap.add_argument("--floor-cmd", default=None, help="command printing a floor JSON, run between runs")
    ap.add_argument("--also-name", default=None, help="name of a second command timed in the same rounds")
    ap.add_argument("--also-cmd", default=None, help="a second command, run right after the first each round")
    ap.add_argument("--twice-name", default=None, help="name of a command run twice at once each round")
    ap.add_argument("--twice-cmd", default=None, help="a command with {cpu}, two copies started together")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if (a.also_name is None) != (a.also_cmd is None):
        sys.exit("timecmd.py: --also-name and --also-cmd go together")
    if (a.twice_name is None) != (a.twice_cmd is None):
        sys.exit("timecmd.py: --twice-name and --twice-cmd go together")
    floor_cmd = shlex.split(a.floor_cmd) if a.floor_cmd else None
    also_cmd = shlex.split(a.also_cmd) if a.also_cmd else None
    mb = a.bytes / 1e6
    first, second, twice, floors = [], [], [], []
    for _ in range(max(1, a.runs)):
        if floor_cmd:
            floors.append(floor_of(floor_cmd))
        first.append(timed(cmd))
        if also_cmd:
            second.append(timed(also_cmd))
        if a.twice_cmd:
            twice.append(timed_twice(a.twice_cmd))
    if floor_cmd:
        floors.append(floor_of(floor_cmd))
    extra = {}
    if floors:
        extra = {
            "floor_mb_s_runs": floors,
            "floor_mb_s": statistics.median(floors),
            "paired_of_floor": statistics.median(mb / s / f for (s, _, _), f in zip(first, floors)),
        }
    lines = [record(a.name, cmd, a.bytes, first, **extra)]
    if also_cmd:
        lines.append(record(
            a.also_name, also_cmd, a.bytes, second,
            paired_speedup=statistics.median(s1 / s2 for (s1, _, _), (s2, _, _) in zip(first, second)),
            speedup_of_medians=statistics.median(s for s, _, _ in first) / statistics.median(s for s, _, _ in second),
        ))
    if a.twice_cmd:
        lines.append(record(
            a.twice_name, shlex.split(a.twice_cmd), 2 * a.bytes, twice,
            parallel_ceiling=statistics.median(2 * s1 / s2 for (s1, _, _), (s2, _, _) in zip(first, twice)),
        ))
    for line in lines:
        print(json.dumps(line))
    sys.exit(0 if all(c == 0 for _, _, c in first + second + twice) else 1)


if __name__ == "__main__":
    main()
