#!/usr/bin/env python3
"""Mean ROUGE-1/ROUGE-2 F1 of a folder of system summaries with Google's rouge-score.

A cross-check of `precis eval rouge` on one peer (R1 and R2 only: rouge-score's LCS in
pure Python is slow on 2,225 long summaries, and its ROUGE-Lsum depends on how the
references are split into lines, which precis does itself).

    python rouge_check.py --refs DIR --system DIR     # prints JSON
"""

import argparse
import json
import os

from rouge_score import rouge_scorer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--refs", required=True)
    ap.add_argument("--system", required=True)
    a = ap.parse_args()
    sc = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    tot = {"rouge1": 0.0, "rouge2": 0.0}
    n = 0
    for name in sorted(os.listdir(a.system)):
        if not name.endswith(".txt"):
            continue
        ref_path = os.path.join(a.refs, name)
        if not os.path.exists(ref_path):
            continue
        with open(ref_path, encoding="utf-8", errors="replace") as f:
            ref = f.read()
        with open(os.path.join(a.system, name), encoding="utf-8", errors="replace") as f:
            hyp = f.read()
        s = sc.score(ref, hyp)
        for k in tot:
            tot[k] += s[k].fmeasure
        n += 1
    print(json.dumps({"system": a.system, "documents": n,
                      "rouge1_f1": tot["rouge1"] / max(n, 1), "rouge2_f1": tot["rouge2"] / max(n, 1)}))


if __name__ == "__main__":
    main()
