#!/usr/bin/env python3
"""Collect one run of scripts/peers/run.sh into OUT/results.json and OUT/results.md.

Reads OUT/results.jsonl (timings), OUT/bench.json (precis bench), OUT/rouge/*.json
(precis eval rouge), OUT/rouge/rouge-score-check.json and OUT/logs/time-v.txt; adds
the machine and the versions of everything; prints the markdown tables.
"""

import argparse
import datetime
import json
import os
import re
import subprocess

PEER_NAMES = {
    "sumy-lexrank": "sumy LexRank",
    "sumy-textrank": "sumy TextRank",
    "sumy-luhn": "sumy Luhn",
    "sumy-lsa": "sumy LSA",
    "gensim-textrank": "gensim 3.8 TextRank (BM25)",
    "vader": "VADER (Python), tone only",
    "textblob": "TextBlob, tone only",
    "pithy": "Rust pithy 0.1.7",
    "summary": "Rust summary 0.1.0",
    "vader_sentiment": "Rust vader_sentiment, tone only",
}
SUMMARY_TOOLS = ["sumy-lexrank", "sumy-textrank", "sumy-luhn", "sumy-lsa", "gensim-textrank", "pithy", "summary"]


def sh(cmd, cwd=None):
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine():
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                kb = int(line.split()[1])
                mem = f"{kb / 1024 / 1024:.1f} GiB"
                break
    return {
        "nproc": sh(["nproc"]),
        "cpu": cpu,
        "ram": mem,
        "kernel": sh(["uname", "-sr"]),
    }


def freeze(venv, keep):
    out = {}
    if not os.path.exists(os.path.join(venv, "bin", "pip")):
        return out
    for line in sh([os.path.join(venv, "bin", "pip"), "freeze"]).splitlines():
        name = re.split(r"[=@ ]", line, 1)[0].lower().replace("_", "-")
        if name in keep:
            out[name] = line
    return out


def crate_versions(lock, names):
    out = {}
    if not os.path.exists(lock):
        return out
    text = open(lock).read()
    for m in re.finditer(r'\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"', text):
        if m.group(1) in names:
            out[m.group(1)] = m.group(2)
    return out


def readfirst(path):
    try:
        return " ".join(open(path).read().split()[:3])
    except OSError:
        return None


def f1(scores, key):
    return 100.0 * scores[key]["f1"]


def main():
    ap = argparse.ArgumentParser()
    for k in ["out", "mode", "runs", "cpu", "venv", "gensim-venv", "peers-rust", "root", "articles", "refs", "index"]:
        ap.add_argument("--" + k, required=True)
    a = ap.parse_args()
    out = a.out

    timings = []
    with open(os.path.join(out, "results.jsonl")) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                timings.append(json.loads(line))
    bench = json.load(open(os.path.join(out, "bench.json")))
    rouge = {}
    for name in os.listdir(os.path.join(out, "rouge")):
        if name.endswith(".json") and name != "rouge-score-check.json":
            rouge[name[:-5]] = json.load(open(os.path.join(out, "rouge", name)))
    check = None
    p = os.path.join(out, "rouge", "rouge-score-check.json")
    if os.path.exists(p) and os.path.getsize(p):
        check = json.load(open(p))
    rss_time_v = None
    p = os.path.join(out, "logs", "time-v.txt")
    if os.path.exists(p):
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(p).read())
        if m:
            rss_time_v = int(m.group(1)) / 1024.0

    keep = {"sumy", "nltk", "numpy", "scipy", "vadersentiment", "rouge-score", "textblob", "gensim", "cython",
            "smart-open"}
    versions = {
        "python": sh([os.path.join(a.venv, "bin", "python"), "--version"]),
        "pip_main_venv": freeze(a.venv, keep),
        "pip_gensim_venv": freeze(a.gensim_venv, keep),
        "crates": crate_versions(os.path.join(a.peers_rust, "Cargo.lock"),
                                 {"pithy", "summary", "vader_sentiment", "rayon", "unicode-segmentation",
                                  "rust-stemmers"}),
        "rustc": sh(["rustc", "--version"]),
        "cargo": sh(["cargo", "--version"]),
        "precis": sh([os.path.join(a.root, "target", "release", "precis"), "--version"]),
        "precis_commit": sh(["git", "rev-parse", "--short", "HEAD"], cwd=a.root),
        "precis_tree_modified_files": len(sh(["git", "status", "--porcelain", "--untracked-files=no"],
                                             cwd=a.root).splitlines()),
    }

    floor = bench["floor_mb_per_s"]
    rows = []  # (system, what, mb_s, seconds list, note)
    by_tool = {t["tool"]: t for t in timings}
    for name in ["precis score (1 thread)", "precis score (2 threads)"]:
        t = by_tool.get(name)
        if t:
            rows.append({"system": name, "what": "summary + tone, whole process, JSONL",
                         "mb_s": t["mb_s"], "seconds": t["seconds"], "peak_rss_mib": t.get("peak_rss_mib")})
    for r in bench["rows"]:
        rows.append({"system": f"precis bench ({r['threads']} thread{'s' if r['threads'] > 1 else ''})",
                     "what": "summary + tone, in process", "mb_s": r["mb_per_s"], "seconds": [r["seconds"]]})
    rows.append({"system": "word-walk floor (precis bench)", "what": "unicode word walk, 1 thread",
                 "mb_s": floor, "seconds": []})
    plain = by_tool.get("word-walk", {})
    if plain.get("mb_s"):
        rows.append({"system": "word-walk floor (plain program)",
                     "what": "the same walk in the Rust peers' harness, in process",
                     "mb_s": plain["mb_s"], "seconds": plain["seconds"]})
    errors = []
    order = ["pithy", "summary", "vader_sentiment", "gensim-textrank", "sumy-lexrank", "sumy-textrank",
             "sumy-luhn", "sumy-lsa", "vader", "textblob"]
    for tool in order:
        t = by_tool.get(tool)
        if not t:
            continue
        if "error" in t:
            errors.append({"tool": tool, "error": t["error"]})
            continue
        what = "summary only" if tool in SUMMARY_TOOLS else "tone only"
        rows.append({"system": PEER_NAMES.get(tool, tool), "what": what + ", in process (" + t["lang"] + ")",
                     "mb_s": t["mb_s"], "seconds": t["seconds"], "failures": t.get("failures", 0)})
    p1 = by_tool.get("precis score (1 thread)", {}).get("mb_s")
    # The floor measured between the whole-process runs (timecmd.py --floor-cmd),
    # when there is one; the in-process bench's otherwise.
    run_floor = by_tool.get("precis score (1 thread)", {}).get("floor_mb_s")
    run_floors = by_tool.get("precis score (1 thread)", {}).get("floor_mb_s_runs", [])
    paired_of_floor = by_tool.get("precis score (1 thread)", {}).get("paired_of_floor")
    two = by_tool.get("precis score (2 threads)", {})
    paired_speedup, speedup_of_medians = two.get("paired_speedup"), two.get("speedup_of_medians")
    twice = by_tool.get("two precis score (1 thread) at once", {})
    ceiling = twice.get("parallel_ceiling")
    if run_floor:
        rows.append({"system": "word-walk floor, between the 1-thread runs", "what": "unicode word walk, 1 thread",
                     "mb_s": run_floor, "seconds": []})

    rrows = []
    for m in rouge.get("precis", []):
        s = m["scores"]
        rrows.append({"system": f"precis {m['method']}", "documents": m["documents"],
                      "r1": f1(s, "rouge1"), "r2": f1(s, "rouge2"), "rl": f1(s, "rouge_l"),
                      "rlsum": f1(s, "rouge_lsum")})
    for tool in SUMMARY_TOOLS:
        if tool not in rouge:
            continue
        m = rouge[tool][0]
        s = m["scores"]
        rrows.append({"system": PEER_NAMES.get(tool, tool), "documents": m["documents"],
                      "r1": f1(s, "rouge1"), "r2": f1(s, "rouge2"), "rl": f1(s, "rouge_l"),
                      "rlsum": f1(s, "rouge_lsum")})
    rrows.sort(key=lambda r: -r["r1"])

    result = {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "mode": a.mode,
        "runs": int(a.runs),
        "pinned_cpu": a.cpu,
        "articles_dir": a.articles,
        "refs_dir": a.refs,
        "index": a.index,
        "articles": bench["articles"],
        "bytes": bench["bytes"],
        "machine": machine(),
        "load_avg_start": readfirst(os.path.join(out, "logs", "loadavg-start.txt")),
        "load_avg_end": readfirst(os.path.join(out, "logs", "loadavg-end.txt")),
        "precis_build_failed": os.path.exists(os.path.join(out, "logs", "precis-build-failed")),
        "versions": versions,
        "throughput": rows,
        "floor_mb_s": floor,
        "floor_between_runs_mb_s": run_floor,
        "floor_between_runs_mb_s_each": run_floors,
        "precis_score_1t_of_floor": (p1 / (run_floor or floor)) if p1 else None,
        "precis_score_1t_of_floor_paired": paired_of_floor,
        "plain_walk_mb_s": plain.get("mb_s"),
        "precis_score_1t_of_plain_walk": (p1 / plain["mb_s"]) if p1 and plain.get("mb_s") else None,
        "precis_score_2t_speedup": speedup_of_medians,
        "precis_score_2t_speedup_paired": paired_speedup,
        "precis_parallel_ceiling": ceiling,
        "precis_two_at_once_seconds": twice.get("seconds"),
        "precis_rounds": len(by_tool.get("precis score (1 thread)", {}).get("seconds", [])),
        "precis_bench": bench,
        "peak_rss_mib_time_v": rss_time_v,
        "rouge": rrows,
        "rouge_score_check": check,
        "errors": errors,
    }
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(result, f, indent=2)

    md = []
    rounds = result["precis_rounds"]
    md.append(f"{bench['articles']} articles, {bench['bytes'] / 1e6:.2f} MB; median of {a.runs} runs "
              f"(precis score: {rounds} rounds of the floor, 1 thread, 2 threads, two 1-thread runs at once); "
              f"single-threaded rows pinned with `taskset -c {a.cpu}`.\n")
    md.append("| system | what is timed | MB/s | × precis score (1 thread) | runs (s) |")
    md.append("| --- | --- | ---: | ---: | --- |")
    for r in rows:
        ratio = f"{r['mb_s'] / p1:.3f}" if p1 else ""
        secs = ", ".join(f"{x:.3f}" for x in r["seconds"])
        md.append(f"| {r['system']} | {r['what']} | {r['mb_s']:.2f} | {ratio} | {secs} |")
    md.append("")
    if p1 and run_floor:
        each = ", ".join(f"{x:.1f}" for x in run_floors)
        md.append(f"precis score, 1 thread, whole process: {p1:.1f} MB/s = {p1 / run_floor:.2f} of the word-walk "
                  f"floor measured between its runs ({run_floor:.1f} MB/s, median of {each}); "
                  f"{p1 / floor:.2f} of the in-process bench's floor ({floor:.1f} MB/s). "
                  f"`precis bench` in-process 1 thread: {bench['rows'][0]['of_floor']:.2f} of the floor.")
        if paired_of_floor:
            md.append(f"Paired round by round (each run against the floor measured just before it, median over "
                      f"{rounds} rounds): {paired_of_floor:.3f} of the floor.")
    if p1 and plain.get("mb_s"):
        md.append(f"The same word walk in a plain program (the Rust peers' harness: files read first, the walk "
                  f"alone timed, median of {len(plain['seconds'])}): {plain['mb_s']:.1f} MB/s; precis score, "
                  f"1 thread, whole process, is {p1 / plain['mb_s']:.2f} of it.")
    if not run_floor and p1:
        md.append(f"precis score, 1 thread, whole process: {p1:.1f} MB/s = {p1 / floor:.2f} of the word-walk "
                  f"floor ({floor:.1f} MB/s, measured by `precis bench` in the same run). "
                  f"`precis bench` in-process 1 thread: {bench['rows'][0]['of_floor']:.2f} of the floor.")
    if speedup_of_medians:
        paired = f"; paired round by round (median of the 1-thread run's time / the 2-thread run's right after it): " \
                 f"{paired_speedup:.2f}x" if paired_speedup else ""
        md.append(f"precis score, 2 threads against 1, whole process: {speedup_of_medians:.2f}x (ratio of the "
                  f"medians){paired}.")
    if ceiling:
        each = ", ".join(f"{x:.3f}" for x in twice["seconds"])
        md.append(f"Two 1-thread runs started together, one on each CPU (s): {each}; the machine's parallel "
                  f"ceiling, the median over rounds of 2 x the 1-thread run's time / the pair's: {ceiling:.2f}x.")
    rss = by_tool.get("precis score (1 thread)", {}).get("peak_rss_mib")
    md.append(f"Peak RSS, precis score 1 thread: {rss_time_v if rss_time_v else float('nan'):.1f} MiB "
              f"(`/usr/bin/time -v`), {rss:.1f} MiB (wait4 max over the timed runs); "
              f"precis bench: {bench['peak_rss_mib']:.1f} MiB.\n" if rss else "")
    md.append(f"Load average (1/5/15 min) at start: {result['load_avg_start']}, at end: {result['load_avg_end']}.\n")
    md.append("| system | R1 | R2 | RL | RLsum | docs |")
    md.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in rrows:
        md.append(f"| {r['system']} | {r['r1']:.2f} | {r['r2']:.2f} | {r['rl']:.2f} | {r['rlsum']:.2f} | "
                  f"{r['documents']} |")
    md.append("")
    if check:
        md.append(f"rouge-score cross-check on sumy TextRank ({check['documents']} docs): "
                  f"R1 {100 * check['rouge1_f1']:.2f}, R2 {100 * check['rouge2_f1']:.2f}.")
    for e in errors:
        md.append(f"Not measured: {e['tool']}: {e['error']}")
    text = "\n".join(md) + "\n"
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
