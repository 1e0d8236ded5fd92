#!/usr/bin/env bash
# Linear scaling and streaming memory of `precis score` (issue 6).
#
#   scripts/scale.sh [ARTICLES_DIR] [STREAM_MB]
#
# 1. Makes a JSONL of the articles (1x) and of ten copies with new ids (10x),
#    times `precis score` on each with one thread (RUNS alternating runs of
#    each, default 15: with 7, one run on a noisy VM gave 10.56x), and prints
#    the ratios of the median wall and CPU times, and the median over rounds
#    of each round's 10x/1x wall-time ratio: linear scaling means at most 10.5.
# 2. Streams STREAM_MB (default 1024) of JSONL through `precis score -` and
#    reports the peak RSS (`/usr/bin/time -v`): flat memory means well under
#    150 MiB whatever the size.
# Everything it writes goes under target/scale/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/data/bbc-news-summary/articles}
stream_mb=${2:-1024}
out=target/scale
mkdir -p "$out"
cargo build --release -q
bin=target/release/precis

python3 - "$dir" "$out" <<'PY'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
docs = []
for name in sorted(os.listdir(src)):
    if name.endswith(".txt"):
        with open(os.path.join(src, name), encoding="utf-8") as f:
            docs.append((name, f.read()))
with open(os.path.join(out, "x1.jsonl"), "w") as f:
    for name, text in docs:
        f.write(json.dumps({"id": name, "text": text}) + "\n")
with open(os.path.join(out, "x10.jsonl"), "w") as f:
    for copy in range(10):
        for name, text in docs:
            f.write(json.dumps({"id": f"{copy}/{name}", "text": text}) + "\n")
PY

# RUNS alternating runs of each size (so that the machine's drift affects
# both alike): wall seconds (perf_counter around fork, exec and wait) and CPU
# seconds (user + system from wait4, in microseconds; /usr/bin/time rounds
# to hundredths, which is 8% of a 1x run).
runs=${RUNS:-15}
python3 - "$bin" "$out" "$runs" <<'PY'
import os, statistics, subprocess, sys, time
bin, out, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = {"x1": [], "x10": []}
for _ in range(runs):
    for x in times:
        t0 = time.perf_counter()
        p = subprocess.Popen([bin, "score", f"{out}/{x}.jsonl", "--threads", "1", "-q"],
                             stdout=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"precis score {x}.jsonl failed")
        times[x].append((wall, ru.ru_utime + ru.ru_stime))
med = {x: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
       for x, v in times.items()}
b1 = os.path.getsize(f"{out}/x1.jsonl")
(t1, c1), (t10, c10) = med["x1"], med["x10"]
print(f"1x:  {b1 / 1e6:.2f} MB in {t1:.3f}s wall, {c1:.3f}s CPU (medians of {runs})")
print(f"10x: {10 * b1 / 1e6:.2f} MB in {t10:.3f}s wall, {c10:.3f}s CPU")
print(f"ratio 10x/1x in CPU time: {c10 / c1:.2f}")
print(f"ratio 10x/1x in wall time: {t10 / t1:.2f} (linear: <= 10.5)")
# Each round's 10x run against the 1x run just before it: a slow spell that
# spans a round cancels out, where the medians above may take the 1x figure
# from a quiet moment and the 10x one from a busy one (or the reverse).
paired = statistics.median(w10 / w1 for (w1, _), (w10, _) in zip(times["x1"], times["x10"]))
print(f"paired ratio, median over rounds of 10x/1x wall time: {paired:.2f}")
PY
b1=$(stat -c %s "$out/x1.jsonl")

# The stream: copies of x1.jsonl with fresh ids until STREAM_MB.
copies=$(( (stream_mb * 1000000 + b1 - 1) / b1 ))
python3 - "$out/x1.jsonl" "$copies" > "$out/stream.jsonl" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
out = sys.stdout
for c in range(int(sys.argv[2])):
    prefix = '{"id": "%d/' % c
    for l in lines:
        out.write(prefix + l[len('{"id": "'):] + "\n")
PY
size=$(stat -c %s "$out/stream.jsonl")
echo "stream: $(awk "BEGIN{printf \"%.0f\", $size/1e6}") MB through 'precis score -'"
/usr/bin/time -v "$bin" score - -q < "$out/stream.jsonl" 2> "$out/stream.time" > /dev/null
grep -E "Maximum resident|Elapsed" "$out/stream.time"
rm -f "$out/stream.jsonl"
