#!/usr/bin/env python3
"""Time the Python peers of precis over one folder of articles, single-threaded.

Run by scripts/peers/run.sh inside its venv (NLTK_DATA pointing at a folder with
tokenizers/punkt_tab/english, which sumy's tokenizer needs).

    python peers.py --index INDEX.tsv --articles DIR --out OUT_DIR --runs 3 \
        [--tools sumy-lexrank,sumy-textrank,sumy-luhn,sumy-lsa,vader,textblob,gensim]

Every summarizer picks as many sentences as the reference has (column
n_summary_segments of INDEX.tsv). Tone tools score the whole article text once.
Files are read into memory before timing; each timed run is the library calls over
every article (construction of the summarizer / analyzer is outside the timing,
parsing the text into sentences is inside it). The summaries of the first run are
written to OUT_DIR/<tool>/<id>.txt, one sentence per line, in article order.

Prints one JSON object per tool on stdout:
    {"tool", "lang", "articles", "bytes", "seconds": [...], "median_s", "mb_s",
     "failures", "version"}
"""

import argparse
import csv
import json
import os
import statistics
import sys
import time


def load(index, articles, limit=None):
    out = []
    with open(index, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            path = os.path.join(articles, row["id"] + ".txt")
            if not os.path.exists(path):
                continue
            with open(path, "rb") as g:
                raw = g.read()
            text = raw.decode("utf-8", errors="replace")
            try:
                n = max(1, int(row["n_summary_segments"]))
            except ValueError:
                n = 3
            out.append((row["id"], text, n, len(raw)))
            if limit and len(out) >= limit:
                break
    return out


def clean(s):
    return " ".join(str(s).split())


def write(out_dir, tool, arts, sums):
    d = os.path.join(out_dir, tool)
    os.makedirs(d, exist_ok=True)
    for (aid, _, _, _), sents in zip(arts, sums):
        lines = [clean(s) for s in sents]
        lines = [x for x in lines if x]
        with open(os.path.join(d, aid + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------- tools


def make_sumy(kind):
    from sumy.nlp.stemmers import Stemmer
    from sumy.nlp.tokenizers import Tokenizer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.utils import get_stop_words

    if kind == "lexrank":
        from sumy.summarizers.lex_rank import LexRankSummarizer as S
    elif kind == "textrank":
        from sumy.summarizers.text_rank import TextRankSummarizer as S
    elif kind == "luhn":
        from sumy.summarizers.luhn import LuhnSummarizer as S
    elif kind == "lsa":
        from sumy.summarizers.lsa import LsaSummarizer as S
    else:
        raise ValueError(kind)
    summarizer = S(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = Tokenizer("english")

    def run(text, n):
        doc = PlaintextParser.from_string(text, tokenizer).document
        return [str(s) for s in summarizer(doc, n)]

    return run


def make_gensim():
    # gensim 3.8's TextRank (BM25 weights). summarize() only takes a ratio or a word
    # count, so this is summarize() with the count of sentences instead: the same
    # helpers, in the same order, keeping the n best.
    from gensim.summarization import summarizer as gs

    def run(text, n):
        sentences = gs._clean_text_by_sentences(text)
        if len(sentences) == 0:
            return []
        if len(sentences) == 1:
            return [sentences[0].text]
        corpus = gs._build_corpus(sentences)
        docs = gs.summarize_corpus(corpus, ratio=1)
        if not docs:
            return []
        chosen = gs._extract_important_sentences(sentences, corpus, docs[:n], None)
        chosen.sort(key=lambda s: s.index)
        return [s.text for s in chosen]

    return run


def make_vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()

    def run(text, n):
        return sia.polarity_scores(text)["compound"]

    return run


def make_textblob():
    from textblob import TextBlob

    def run(text, n):
        return TextBlob(text).sentiment.polarity

    return run


TOOLS = {
    "sumy-lexrank": (lambda: make_sumy("lexrank"), True, "sumy"),
    "sumy-textrank": (lambda: make_sumy("textrank"), True, "sumy"),
    "sumy-luhn": (lambda: make_sumy("luhn"), True, "sumy"),
    "sumy-lsa": (lambda: make_sumy("lsa"), True, "sumy"),
    "gensim-textrank": (make_gensim, True, "gensim"),
    "vader": (make_vader, False, "vaderSentiment"),
    "textblob": (make_textblob, False, "textblob"),
}


def version(dist):
    try:
        from importlib.metadata import version as v

        return v(dist)
    except Exception:
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--articles", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--tools", default="sumy-lexrank,sumy-textrank,sumy-luhn,sumy-lsa,vader,textblob")
    a = ap.parse_args()

    arts = load(a.index, a.articles, a.limit)
    total = sum(x[3] for x in arts)
    for tool in [t for t in a.tools.split(",") if t]:
        make, is_summary, dist = TOOLS[tool]
        try:
            fn = make()
        except Exception as e:  # not installed / cannot import
            print(json.dumps({"tool": tool, "lang": "python", "error": f"{type(e).__name__}: {e}"}), flush=True)
            continue
        secs, first, failures = [], None, 0
        for _ in range(max(1, a.runs)):
            results, failures = [], 0
            t0 = time.perf_counter()
            for _aid, text, n, _b in arts:
                try:
                    results.append(fn(text, n))
                except Exception:
                    failures += 1
                    results.append([] if is_summary else 0.0)
            secs.append(time.perf_counter() - t0)
            if first is None:
                first = results
        if is_summary:
            write(a.out, tool, arts, first)
        med = statistics.median(secs)
        print(
            json.dumps(
                {
                    "tool": tool,
                    "lang": "python",
                    "articles": len(arts),
                    "bytes": total,
                    "seconds": secs,
                    "median_s": med,
                    "mb_s": total / 1e6 / med,
                    "failures": failures,
                    "version": version(dist),
                }
            ),
            flush=True,
        )
        print(f"  {tool}: median {med:.2f} s, {total / 1e6 / med:.3f} MB/s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
