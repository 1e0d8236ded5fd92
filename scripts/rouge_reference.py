#!/usr/bin/env python3
"""Reference ROUGE figures from Google's rouge-score, for precis's agreement tests.

Made with rouge-score 0.1.2 and nltk 3.10.4 (Python 3.11):

    pip install rouge-score==0.1.2 nltk==3.10.4

Scorer in every mode:
    rouge_scorer.RougeScorer(['rouge1', 'rouge2', 'rougeL', 'rougeLsum'], use_stemmer=True)
(rougeLsum splits both texts into sentences on '\\n').

Modes:

    python3 scripts/rouge_reference.py fixture
        Reads tests/fixtures/rouge/pairs.jsonl ({"id", "reference", "candidate"} a line)
        and writes tests/fixtures/rouge/expected.jsonl: {"id", "rouge1", "rouge2",
        "rougeL", "rougeLsum"}, each {"precision", "recall", "fmeasure"}.

    python3 scripts/rouge_reference.py bbc ../shared/data/bbc-news-summary
        Prints the mean F1 of rouge1/rouge2/rougeL/rougeLsum over the first 200 BBC
        articles sorted by id, candidate = the first three non-empty lines after the
        title (line 1) of articles/<id>.txt, joined by '\\n'; reference =
        summaries_spaced/<id>.txt as is. These are the numbers pinned in
        tests/rouge_agreement.rs.

    python3 scripts/rouge_reference.py stems ../shared/data/bbc-news-summary [OUT.tsv]
        Stems every distinct token of the BBC articles (rouge-score's tokenization
        without stemming: lowercase, runs outside [a-z0-9] are separators) with NLTK's
        PorterStemmer() and prints the figures pinned in tests/rouge_agreement.rs:
        distinct words, words whose stem differs, distinct stems, and the FNV-1a 64-bit
        digest of the lines "word\\tstem\\n" in sorted word order. With OUT.tsv, also
        writes those lines there (for PRECIS_PORTER_TSV, see the test file); keep that
        file outside the repository.

Files are read as UTF-8. Nothing from the BBC data is written into the repository.
"""

import json
import os
import re
import sys

from nltk.stem.porter import PorterStemmer
from rouge_score import rouge_scorer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "rouge")
TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
BBC_DOCUMENTS = 200


def scorer():
    return rouge_scorer.RougeScorer(TYPES, use_stemmer=True)


def fixture():
    s = scorer()
    pairs_path = os.path.join(FIXTURE, "pairs.jsonl")
    with open(pairs_path, encoding="utf-8") as pairs:
        rows = [json.loads(line) for line in pairs if line.strip()]
    with open(os.path.join(FIXTURE, "expected.jsonl"), "w", encoding="utf-8") as out:
        for row in rows:
            scores = s.score(row["reference"], row["candidate"])
            record = {"id": row["id"]}
            for t in TYPES:
                record[t] = {
                    "precision": scores[t].precision,
                    "recall": scores[t].recall,
                    "fmeasure": scores[t].fmeasure,
                }
            out.write(json.dumps(record) + "\n")
    print(f"wrote {len(rows)} rows")


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def bbc(data):
    s = scorer()
    ids = sorted(name[: -len(".txt")] for name in os.listdir(os.path.join(data, "articles")))
    ids = ids[:BBC_DOCUMENTS]
    sums = dict.fromkeys(TYPES, 0.0)
    for doc in ids:
        lines = read(os.path.join(data, "articles", doc + ".txt")).split("\n")
        candidate = "\n".join([line for line in lines[1:] if line != ""][:3])
        reference = read(os.path.join(data, "summaries_spaced", doc + ".txt"))
        scores = s.score(reference, candidate)
        for t in TYPES:
            sums[t] += scores[t].fmeasure
    print(f"documents {len(ids)} ({ids[0]} .. {ids[-1]})")
    for t in TYPES:
        print(f"{t} mean f1 {sums[t] / len(ids)!r}")


def fnv1a64(data, h=0xCBF29CE484222325):
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def stems(data, out_path=None):
    stemmer = PorterStemmer()
    words = set()
    folder = os.path.join(data, "articles")
    for name in sorted(os.listdir(folder)):
        text = read(os.path.join(folder, name)).lower()
        words.update(w for w in re.sub(r"[^a-z0-9]+", " ", text).split(" ") if w)
    lines = [f"{w}\t{stemmer.stem(w)}\n" for w in sorted(words)]
    digest = fnv1a64("".join(lines).encode("ascii"))
    changed = sum(1 for line in lines if line.split("\t")[0] != line.rstrip("\n").split("\t")[1])
    distinct_stems = len({line.rstrip("\n").split("\t")[1] for line in lines})
    print(f"words {len(words)} changed {changed} stems {distinct_stems} digest {digest:#018x}")
    if out_path:
        with open(out_path, "w", encoding="ascii") as out:
            out.writelines(lines)


def main(argv):
    mode = argv[1] if len(argv) > 1 else "fixture"
    if mode == "fixture":
        fixture()
    elif mode == "bbc" and len(argv) == 3:
        bbc(argv[2])
    elif mode == "stems" and len(argv) in (3, 4):
        stems(argv[2], argv[3] if len(argv) == 4 else None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
