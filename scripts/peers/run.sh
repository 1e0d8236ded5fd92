#!/usr/bin/env bash
# Peer comparison for precis: throughput (MB/s, single thread, median of N runs) and
# ROUGE F1 at matched length on the BBC News Summary folder, precis beside sumy,
# gensim, VADER, TextBlob and the Rust crates pithy, summary and vader_sentiment.
#
# usage: scripts/peers/run.sh [--quick [N]] [--runs R] [--no-install] [--no-build]
#   (default)    all 2,225 articles
#   --quick [N]  N articles (default 300), an even spread over the index (every k-th id)
#   --runs R     timed runs per tool (default 3; the median is reported)
#   --precis-runs P  rounds of `precis score` (default 15, about a second each): the
#                floor, 1 thread, 2 threads, and two 1-thread runs at once on CPUs 0
#                and 1 (the machine's parallel ceiling), with ratios paired by round
#
# Needs ../shared/data/bbc-news-summary (or PRECIS_SHARED=DIR holding data/...),
# python3 (3.11 here) with venv, a Rust toolchain, and package-registry access for
# PyPI and crates.io. Everything it installs or writes goes under target/:
#   target/peers-venv          sumy, numpy, vaderSentiment, rouge-score, textblob, nltk
#   target/peers-venv-gensim   gensim 3.8.3 (built from its sdist, see build_gensim.sh)
#   target/peers-rust          throwaway cargo project made from *.tmpl here
#   target/peers/nltk_data     punkt_tab (English) taken from the llama-index-core wheel
#   target/peers/<mode>/       summaries, logs, results.json, results.md
# Timed processes run under `taskset -c ${PEERS_CPU:-1}`, except `precis bench` and
# `precis score --threads 2`, which need both cores.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/scripts/peers"
SHARED=${PRECIS_SHARED:-$ROOT/../shared}
DATA="$SHARED/data/bbc-news-summary"
CPU=${PEERS_CPU:-1}
PY=${PEERS_PYTHON:-python3}

MODE=full
QUICK_N=300
RUNS=3
PRECIS_RUNS=15
INSTALL=1
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --quick)
            MODE=quick
            if [ $# -gt 1 ] && [[ "$2" =~ ^[0-9]+$ ]]; then QUICK_N=$2; shift; fi ;;
        --runs) RUNS=$2; shift ;;
        --precis-runs) PRECIS_RUNS=$2; shift ;;
        --no-install) INSTALL=0 ;;
        --no-build) BUILD=0 ;;
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
    shift
done

[ -d "$DATA/articles" ] || { echo "missing $DATA/articles (set PRECIS_SHARED)" >&2; exit 2; }
command -v taskset >/dev/null || { echo "taskset not found (util-linux)" >&2; exit 2; }
PIN="taskset -c $CPU"

T="$ROOT/target"
VENV="$T/peers-venv"
GVENV="$T/peers-venv-gensim"
WORK="$T/peers"
OUT="$WORK/$MODE"
mkdir -p "$WORK" "$OUT"
rm -rf "$OUT/summaries" "$OUT/rouge" "$OUT/results.jsonl" "$OUT/logs"
mkdir -p "$OUT/summaries" "$OUT/rouge" "$OUT/logs"
RES="$OUT/results.jsonl"
log() { printf '== %s\n' "$*" >&2; }

# ------------------------------------------------------------------ 1. Python peers
if [ "$INSTALL" = 1 ]; then
    log "venv $VENV"
    [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
    "$VENV/bin/pip" install -q "sumy==0.13.0" "nltk==3.10.4" "numpy" "vaderSentiment==3.3.2" \
        "rouge-score==0.1.2" "textblob==0.20.1" > "$OUT/logs/pip.log" 2>&1 \
        || { cat "$OUT/logs/pip.log" >&2; exit 1; }

    # sumy's tokenizer needs NLTK punkt data; the downloader cannot reach its host here,
    # and the punkt_tab folder ships inside the llama-index-core wheel on PyPI.
    if [ ! -f "$WORK/nltk_data/tokenizers/punkt_tab/english/sent_starters.txt" ]; then
        log "punkt_tab from the llama-index-core wheel"
        rm -rf "$WORK/wheels" "$WORK/wx"
        "$VENV/bin/pip" download -q llama-index-core --no-deps -d "$WORK/wheels"
        "$VENV/bin/python" - "$WORK" <<'EOF'
import glob, os, sys, zipfile
work = sys.argv[1]
whl = sorted(glob.glob(os.path.join(work, "wheels", "llama_index_core-*.whl")))[-1]
dest = os.path.join(work, "nltk_data", "tokenizers")
with zipfile.ZipFile(whl) as z:
    for name in z.namelist():
        i = name.find("tokenizers/punkt_tab/")
        if i < 0 or name.endswith("/"):
            continue
        rel = name[i + len("tokenizers/"):]
        if not (rel.startswith("punkt_tab/english/") or rel == "punkt_tab/README"):
            continue
        path = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(z.read(name))
print("punkt_tab from", os.path.basename(whl))
EOF
    fi

    log "gensim 3.8.3 (own venv; log in $OUT/logs/gensim.log)"
    if bash "$HERE/build_gensim.sh" "$GVENV" "$WORK" > "$OUT/logs/gensim.log" 2>&1; then
        :
    else
        echo "gensim 3.8.3 could not be installed; skipped (see $OUT/logs/gensim.log)" >&2
    fi
fi
export NLTK_DATA="$WORK/nltk_data"
HAVE_GENSIM=0
if [ -x "$GVENV/bin/python" ] && "$GVENV/bin/python" -c 'import gensim.summarization' 2>/dev/null; then
    HAVE_GENSIM=1
fi

# ------------------------------------------------------------------ 2. Rust peers, precis
RDIR="$T/peers-rust"
if [ "$BUILD" = 1 ]; then
    log "Rust peers project $RDIR"
    mkdir -p "$RDIR/src"
    cp "$HERE/Cargo.toml.tmpl" "$RDIR/Cargo.toml"
    cp "$HERE/main.rs.tmpl" "$RDIR/src/main.rs"
    (cd "$RDIR" && cargo build --release -q -j 1) > "$OUT/logs/peers-rust-build.log" 2>&1 \
        || { cat "$OUT/logs/peers-rust-build.log" >&2; exit 1; }
    log "precis: cargo build --release"
    if ! (cd "$ROOT" && cargo build --release -q) > "$OUT/logs/precis-build.log" 2>&1; then
        cat "$OUT/logs/precis-build.log" >&2
        [ -x "$ROOT/target/release/precis" ] || exit 1
        echo "WARNING: cargo build --release failed; measuring the existing target/release/precis" >&2
        echo "build-failed" > "$OUT/logs/precis-build-failed"
    fi
fi
PRECIS="$ROOT/target/release/precis"
PEERS_RUST="$RDIR/target/release/peers-rust"

# ------------------------------------------------------------------ 3. the data set
if [ "$MODE" = quick ]; then
    SUB="$OUT/data"
    rm -rf "$SUB"
    mkdir -p "$SUB/articles" "$SUB/summaries_spaced"
    "$VENV/bin/python" - "$DATA" "$SUB" "$QUICK_N" <<'EOF'
import os, shutil, sys
data, sub, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(os.path.join(data, "index.tsv"), encoding="utf-8").read().splitlines()
head, rows = lines[0], lines[1:]
step = max(1, len(rows) // n)
pick = rows[::step][:n]
with open(os.path.join(sub, "index.tsv"), "w", encoding="utf-8") as f:
    f.write("\n".join([head] + pick) + "\n")
for r in pick:
    i = r.split("\t")[0]
    shutil.copy(os.path.join(data, "articles", i + ".txt"), os.path.join(sub, "articles"))
    shutil.copy(os.path.join(data, "summaries_spaced", i + ".txt"), os.path.join(sub, "summaries_spaced"))
EOF
    ARTS="$SUB/articles"; INDEX="$SUB/index.tsv"; REFS="$SUB/summaries_spaced"
else
    ARTS="$DATA/articles"; INDEX="$DATA/index.tsv"; REFS="$DATA/summaries_spaced"
fi
BYTES=$(cat "$ARTS"/*.txt | wc -c)
NART=$(ls "$ARTS" | grep -c '\.txt$')
cat /proc/loadavg > "$OUT/logs/loadavg-start.txt"
ps -eo pcpu,comm --sort=-pcpu | head -6 > "$OUT/logs/top-start.txt"
log "$MODE: $NART articles, $BYTES bytes, $RUNS runs each, pinned to CPU $CPU"

# ------------------------------------------------------------------ 4. timing
log "precis score --threads 1 and --threads 2 (whole process, alternating, $PRECIS_RUNS rounds)"
# Each round measures the floor (on the 1-thread run's CPU), then a 1-thread run,
# then a 2-thread run, then two 1-thread runs started together, one on each CPU
# (what two threads sharing no work reach on this machine: its parallel
# ceiling), and the floor once more after the last: the ratio to the
# floor and the 2-thread speedup are also given round by round (paired), so that
# a slow or fast spell of this shared machine moves both sides of each ratio.
"$VENV/bin/python" "$HERE/timecmd.py" --runs "$PRECIS_RUNS" --name "precis score (1 thread)" --bytes "$BYTES" \
    --floor-cmd "$PIN $PRECIS bench $ARTS --floor-only --runs 3 --format json" \
    --also-name "precis score (2 threads)" \
    --also-cmd "$PRECIS score $ARTS --format jsonl --threads 2 -q" \
    --twice-name "two precis score (1 thread) at once" \
    --twice-cmd "taskset -c {cpu} $PRECIS score $ARTS --format jsonl --threads 1 -q" -- \
    $PIN "$PRECIS" score "$ARTS" --format jsonl --threads 1 -q >> "$RES"
log "/usr/bin/time -v precis score --threads 1"
if [ -x /usr/bin/time ]; then
    /usr/bin/time -v "$PRECIS" score "$ARTS" --format jsonl --threads 1 -q > /dev/null 2> "$OUT/logs/time-v.txt"
fi
log "precis bench --threads 1,2 (median of $RUNS, in process, with the word-walk floor)"
"$PRECIS" bench "$ARTS" --threads 1,2 --runs "$RUNS" --format json > "$OUT/bench.json"
"$PRECIS" bench "$ARTS" --threads 1,2 --runs "$RUNS" > "$OUT/bench.txt" 2>&1 || true

log "Rust peers (pithy, summary, vader_sentiment)"
$PIN "$PEERS_RUST" "$INDEX" "$ARTS" "$OUT/summaries" "$RUNS" >> "$RES"

log "Python peers (sumy x4, VADER, TextBlob)"
$PIN "$VENV/bin/python" "$HERE/peers.py" --index "$INDEX" --articles "$ARTS" --out "$OUT/summaries" \
    --runs "$RUNS" --tools sumy-lexrank,sumy-textrank,sumy-luhn,sumy-lsa,vader,textblob >> "$RES"
if [ "$HAVE_GENSIM" = 1 ]; then
    log "gensim 3.8.3 TextRank"
    $PIN "$GVENV/bin/python" "$HERE/peers.py" --index "$INDEX" --articles "$ARTS" --out "$OUT/summaries" \
        --runs "$RUNS" --tools gensim-textrank >> "$RES" 2> "$OUT/logs/gensim-run.log"
else
    echo '{"tool": "gensim-textrank", "lang": "python", "error": "gensim 3.8.3 not installed"}' >> "$RES"
fi

# ------------------------------------------------------------------ 5. ROUGE
log "ROUGE (precis eval rouge) for every peer's summaries"
for d in "$OUT/summaries"/*/; do
    name=$(basename "$d")
    "$PRECIS" eval rouge --refs "$REFS" --system "$d" --format json > "$OUT/rouge/$name.json"
done
log "ROUGE for precis's own methods"
"$PRECIS" eval rouge --refs "$REFS" --articles "$ARTS" --budget-tsv "$INDEX" --method all \
    --format json > "$OUT/rouge/precis.json"
log "cross-check: R1/R2 of sumy TextRank with Google's rouge-score"
"$VENV/bin/python" "$HERE/rouge_check.py" --refs "$REFS" --system "$OUT/summaries/sumy-textrank" \
    > "$OUT/rouge/rouge-score-check.json"

# ------------------------------------------------------------------ 6. report
cat /proc/loadavg > "$OUT/logs/loadavg-end.txt"
"$VENV/bin/python" "$HERE/report.py" --out "$OUT" --mode "$MODE" --runs "$RUNS" --cpu "$CPU" \
    --venv "$VENV" --gensim-venv "$GVENV" --peers-rust "$RDIR" --root "$ROOT" \
    --articles "$ARTS" --refs "$REFS" --index "$INDEX"
