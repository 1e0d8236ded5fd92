#!/usr/bin/env bash
# Linear scaling and streaming memory of `precis score` (issue 6).
#
#   scripts/scale.sh [ARTICLES_DIR] [STREAM_MB]
#
# 1. Makes a JSONL of the articles (1x) and of ten copies with new ids (10x),
#    times `precis score` on each with one thread (RUNS alternating runs of
#    each, default 7), and prints the ratios of the median wall and CPU
#    times: linear scaling means at most 10.5.
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

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# RUNS alternating runs of each size (so that the machine's drift affects
# both alike); wall seconds and CPU seconds (user + system) of each run.
runs=${RUNS:-7}
: > "$out/times"
for _ in $(seq "$runs"); do
    for x in x1 x10; do
        /usr/bin/time -f "$x %e %U %S" -a -o "$out/times" \
            "$bin" score "$out/$x.jsonl" --threads 1 -q > /dev/null
    done
done
wall() { awk -v x="$1" '$1 == x {print $2}' "$out/times" | median; }
cpu() { awk -v x="$1" '$1 == x {print $3 + $4}' "$out/times" | median; }
t1=$(wall x1)
t10=$(wall x10)
c1=$(cpu x1)
c10=$(cpu x10)
b1=$(stat -c %s "$out/x1.jsonl")
echo "1x:  $(awk "BEGIN{printf \"%.2f\", $b1/1e6}") MB in ${t1}s wall, ${c1}s CPU (medians of $runs)"
echo "10x: $(awk "BEGIN{printf \"%.2f\", 10*$b1/1e6}") MB in ${t10}s wall, ${c10}s CPU"
echo "ratio 10x/1x in CPU time: $(awk "BEGIN{printf \"%.2f\", $c10/$c1}")"
echo "ratio 10x/1x in wall time: $(awk "BEGIN{printf \"%.2f\", $t10/$t1}") (linear: <= 10.5)"

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
