#!/usr/bin/env python3
"""How much of a multi-threaded `precis score` run its threads actually run at once.

    scripts/sched_overlap.py [--runs N] [--threads T] [--dir DIR] [--binary B]

Each run of `B score DIR --format jsonl --threads T -q` is recorded with
`perf sched record` and read back with `perf sched timehist --state`. For each run
it prints, in milliseconds:

- wall: from the first scheduling event of a precis thread to its last;
- all on CPU: the time all T threads were on a CPU at once;
- ready, waiting: time a precis thread could have run but was not on a CPU
  (preempted, or woken and not yet running), summed over its threads;
- others: time other tasks (kernel threads, other processes) held a CPU during
  the run;
- until all: from the first event until all T threads first ran at once.

then the median of each over the runs. A thread that is ready but waits while
another task holds the other CPU is time the program cannot win back: on a VM the
"other task" can be the host running something else on that vCPU, which the guest
sees as a kernel thread that ran for milliseconds. This is how docs/BENCHMARKS.md
shows why two threads stay below the 1.8x goal here.

Needs `perf` with the sched tracepoints (root, or perf_event_paranoid <= -1).
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections import namedtuple

# One stretch of a task on a CPU. `state` is the task's state when it left the
# CPU (R: preempted, still ready); `wait` is how long it was off the CPU before
# this stretch and `delay` how long of that it was woken and ready; times are
# whole microseconds.
Run = namedtuple("Run", "start end mine tid wait delay state idle name")


def parse(data, binary_name):
    """Every run of a task on a CPU, from `perf sched timehist --state`."""
    out = subprocess.run(
        ["perf", "sched", "timehist", "-i", data, "--state"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    runs = []
    line_re = re.compile(
        r"^\s*(\d+\.\d+)\s+\[(\d+)\]\s+(.*?)\s+(\d+\.\d+)\s+(\d+\.\d+)\s+(\d+\.\d+)\s+(\S+)\s*$"
    )
    for line in out.splitlines():
        m = line_re.match(line)
        if not m:
            continue
        # Whole microseconds, as perf prints them, so that a run that starts
        # as another ends on the same CPU does not overlap it by a rounding.
        end = round(float(m.group(1)) * 1e6)
        name = m.group(3)
        wait, delay, run = (round(float(m.group(i)) * 1000) for i in (4, 5, 6))
        state = m.group(7)
        tid = re.search(r"\[(\d+)", name)
        runs.append(
            Run(
                start=end - run,
                end=end,
                mine=name.startswith(binary_name + "["),
                tid=tid.group(1) if tid else name,
                wait=wait,
                delay=delay,
                state=state,
                idle=name.startswith("<idle>"),
                name=re.sub(r"\[.*", "", name),
            )
        )
    return runs


def measure(runs, threads):
    mine = [r for r in runs if r.mine]
    if not mine:
        return None
    t0 = min(r.start for r in mine)
    t1 = max(r.end for r in mine)
    # Sweep the precis runs: time with all `threads` on a CPU at once.
    edges = sorted([(r.start, 1) for r in mine] + [(r.end, -1) for r in mine])
    on, last, together, first_all = 0, t0, 0, None
    for t, d in edges:
        if on >= threads:
            together += t - last
        on += d
        last = t
        if on >= threads and first_all is None:
            first_all = t
    # Ready but not running: the wait before a run that follows a preemption
    # (state R), and the scheduling delay after a wake-up.
    waiting = 0
    by_thread = {}
    for r in sorted(mine, key=lambda r: r.end):
        by_thread.setdefault(r.tid, []).append(r)
    for seq in by_thread.values():
        for prev, cur in zip(seq, seq[1:]):
            waiting += cur.wait if prev.state == "R" else cur.delay
    by_task = {}
    for r in runs:
        if r.mine or r.idle or r.name.startswith("perf") or r.end <= t0 or r.start >= t1:
            continue
        by_task[r.name] = by_task.get(r.name, 0) + min(r.end, t1) - max(r.start, t0)
    others = sum(by_task.values())
    figures = {
        "wall": t1 - t0,
        "all on CPU": together,
        "ready, waiting": waiting,
        "others": others,
        "until all": (first_all - t0) if first_all is not None else t1 - t0,
    }
    return {k: v / 1000.0 for k, v in figures.items()}, by_task


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--dir", default="../shared/data/bbc-news-summary/articles")
    p.add_argument("--binary", default="target/release/precis")
    a = p.parse_args()
    if not os.path.exists(a.dir):
        sys.exit(f"sched_overlap: {a.dir} not found (give --dir)")
    name = os.path.basename(a.binary)[:15]
    rows = []
    tasks = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "sched.data")
        cmd = [a.binary, "score", a.dir, "--format", "jsonl", "--threads", str(a.threads), "-q"]
        for i in range(a.runs):
            rec = subprocess.run(
                ["perf", "sched", "record", "-o", data, "--"] + cmd,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            if rec.returncode != 0:
                sys.exit(f"sched_overlap: perf sched record failed:\n{rec.stderr}")
            got = measure(parse(data, name), a.threads)
            if got is None:
                sys.exit("sched_overlap: no scheduling events of precis were recorded")
            m, by_task = got
            rows.append(m)
            for task, us in by_task.items():
                tasks[task] = tasks.get(task, 0) + us
            print(f"run {i + 1:2}: " + "  ".join(f"{k} {v:6.1f}" for k, v in m.items()))
    print(f"median ({a.runs} runs, {a.threads} threads, ms):")
    for k in rows[0]:
        print(f"  {k:15} {statistics.median(r[k] for r in rows):6.1f}")
    share = statistics.median(r["all on CPU"] / r["wall"] for r in rows)
    print(f"  all on CPU, share of wall {share:.2f}")
    print("other tasks on a CPU during the runs (ms a run, mean):")
    for task, us in sorted(tasks.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {task:20} {us / 1000.0 / a.runs:6.2f}")


if __name__ == "__main__":
    main()
