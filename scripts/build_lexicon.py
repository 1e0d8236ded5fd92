#!/usr/bin/env python3
"""Build lexicons/tone.tsv, precis's diplomatic-tone lexicon.

Inputs (relative to the repository root):
  lexicons/src/general.txt        general evaluative words written or re-weighted here
  lexicons/src/diplomacy.txt      the diplomatic axis (single words)
  lexicons/src/phrases.txt        multi-word phrases
  lexicons/src/vader_exclude.txt  words whose VADER stem groups are not imported
  ../shared/data/reference-lexicons/vader/vader_lexicon.txt  (optional) VADER figures

Source line format: "@category" sets the category of the lines below it;
"term weight [g:CODE]" is one entry (the term may contain spaces; g:CODE says
the weight was informed by the Goldstein score of a CAMEO event code). A weight
of 0 marks a neutral blocker (category "neutral"). '#' starts a comment line.

VADER import: VADER's single words are grouped by Snowball (Porter2) stem, the
same stems precis matches on. A group is skipped when vader_exclude.txt or a
hand-written single word has the same stem (hand-written weights win). Otherwise
the group becomes one entry: its shortest member, weighted by the mean rating
of the members that are at most three letters longer (inflections), shrunk by
0.7 when the raters disagreed (mean sd > 1.5), rounded to one decimal, and
kept only if |weight| >= 0.5.

Without ../shared the VADER part cannot be rebuilt: the script then only checks
the shipped lexicons/tone.tsv. Needs the `snowballstemmer` package
(pip install snowballstemmer) to rebuild.

Usage: python3 scripts/build_lexicon.py [--check] [--verbose]
"""
import re
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "lexicons" / "src"
OUT = ROOT / "lexicons" / "tone.tsv"
README = ROOT / "lexicons" / "README.md"
VADER = ROOT.parent / "shared" / "data" / "reference-lexicons" / "vader" / "vader_lexicon.txt"

CATEGORIES = {
    "general": "general evaluative vocabulary (good/bad, gains/losses, hope/fear)",
    "praise": "praise, approval, warmth and thanks",
    "criticism": "criticism, accusation, blame, condemnation, wrongdoing",
    "cooperation": "cooperation, partnership, goodwill, reconciliation, normalisation",
    "dialogue": "talks, negotiation, visits, contacts, mediation, resumption",
    "agreement": "agreements, treaties, deals, breakthroughs, progress, commitments",
    "peace": "peace, ceasefires, de-escalation, disarmament, stability, rights",
    "aid": "aid, relief, rescue, release of hostages, recovery, support",
    "impasse": "stalls, deadlock, standoffs, delays, cancellations, refusals, differences",
    "failure": "failure, collapse, breakdown, setbacks, losses",
    "distrust": "mistrust, suspicion, hostility, tension, rivalry, deceit",
    "threat": "threats, ultimatums, provocations, escalation, weapons tests, fear",
    "sanction": "sanctions, embargoes, bans, tariffs, expulsions, severed ties",
    "conflict": "war, attacks, clashes, invasion, killing, terrorism, coups, repression",
    "crisis": "crises, disasters, famine, poverty, economic trouble, crime",
    "neutral": "weight 0: blockers that stop a misleading word or stem from scoring",
}
POSITIVE = {"praise", "cooperation", "dialogue", "agreement", "peace", "aid"}
NEGATIVE = {"criticism", "impasse", "failure", "distrust", "threat", "sanction", "conflict", "crisis"}
MIN_ENTRIES, MIN_PHRASES = 2400, 250
SCALE = 4.0
SD_SHRINK_ABOVE, SD_SHRINK = 1.5, 0.7
VADER_MIN_ABS = 0.5
# Modifiers live in the lead's modifiers file; none may be a single-word entry here.
MODIFIERS = set("""not no never without nor none nothing nobody n't cannot isn't aren't wasn't weren't
don't doesn't didn't won't wouldn't can't couldn't shouldn't very extremely highly really quite so too
most more less least slightly somewhat barely hardly scarcely rather fairly pretty kind sort but however
although though despite yet may might could would should must perhaps maybe possibly probably""".split())
TERM_RE = re.compile(r"^[a-z0-9\u00c0-\u024f][a-z0-9\u00c0-\u024f'\-]*( [a-z0-9\u00c0-\u024f'\-]+)*$")


class Entry:
    __slots__ = ("term", "weight", "category", "source", "note", "where", "comment")

    def __init__(self, term, weight, category, source, note="", where="", comment=""):
        self.term, self.weight, self.category = term, weight, category
        self.source, self.note, self.where = source, note, where
        self.comment = comment


def fail(msg):
    sys.exit(f"build_lexicon: error: {msg}")


def parse_source(path):
    entries, category, comment = [], None, ""
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        where = f"{path.relative_to(ROOT)}:{n}"
        # A "# news sense" comment belongs to the next entry and is shipped with it.
        if line.startswith("# news sense"):
            comment = line
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            category = line[1:]
            if category not in CATEGORIES:
                fail(f"{where}: unknown category {category!r}")
            continue
        fields = line.split()
        note = fields.pop() if fields[-1].startswith("g:") else ""
        if len(fields) < 2:
            fail(f"{where}: expected 'term weight', got {line!r}")
        try:
            weight = float(fields[-1])
        except ValueError:
            fail(f"{where}: weight {fields[-1]!r} is not a number")
        term = " ".join(fields[:-1])
        if category is None:
            fail(f"{where}: entry before any @category line")
        cat = "neutral" if weight == 0 else category
        entries.append(Entry(term, abs(weight) and weight or 0.0, cat, "hand", note, where, comment))
        comment = ""
    return entries


def read_excludes(path):
    words = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.lstrip().startswith("#"):
            words.extend(raw.split())
    return words


def import_vader(stem, blocked_stems):
    groups = defaultdict(list)
    for raw in VADER.read_text(encoding="utf-8").splitlines():
        token, mean, sd = raw.split("\t")[:3]
        if re.fullmatch(r"[a-z][a-z'-]*", token):
            groups[stem(token)].append((token, float(mean), float(sd)))
    entries = []
    for key, members in groups.items():
        if key in blocked_stems:
            continue
        members.sort(key=lambda m: (len(m[0]), m[0]))
        rep = members[0][0]
        core = [m for m in members if len(m[0]) <= len(rep) + 3]
        weight = statistics.mean(m[1] for m in core)
        if statistics.mean(m[2] for m in core) > SD_SHRINK_ABOVE:
            weight *= SD_SHRINK
        weight = round(weight, 1)
        if abs(weight) >= VADER_MIN_ABS:
            entries.append(Entry(rep, weight, "general", "vader", where=f"vader:{rep}"))
    return entries


def check(entries, stem=None):
    seen = {}
    for e in entries:
        if e.term in seen:
            fail(f"duplicate term {e.term!r} ({seen[e.term]} and {e.where})")
        seen[e.term] = e.where
        if not TERM_RE.match(e.term):
            fail(f"{e.where}: bad term {e.term!r} (lowercase words separated by single spaces)")
        if not -SCALE <= e.weight <= SCALE:
            fail(f"{e.where}: weight {e.weight} outside -{SCALE}..{SCALE}")
        if e.category not in CATEGORIES:
            fail(f"{e.where}: unknown category {e.category!r}")
        if (e.weight == 0) != (e.category == "neutral"):
            fail(f"{e.where}: weight 0 and category neutral go together")
        if (e.category in POSITIVE and e.weight < 0) or (e.category in NEGATIVE and e.weight > 0):
            fail(f"{e.where}: weight {e.weight} contradicts category {e.category!r}")
        if " " not in e.term and e.term in MODIFIERS:
            fail(f"{e.where}: {e.term!r} is a modifier, not a lexicon entry")
    phrases = sum(" " in e.term for e in entries)
    if len(entries) < MIN_ENTRIES or phrases < MIN_PHRASES:
        fail(f"{len(entries)} entries / {phrases} phrases, need {MIN_ENTRIES} / {MIN_PHRASES}")


def stem_groups(entries, stem):
    groups = defaultdict(list)
    for e in entries:
        if " " not in e.term:
            groups[stem(e.term)].append(e)
    return {k: v for k, v in groups.items() if len(v) > 1}


def fallback(group):
    """The entry whose weight a stem-only match gets: the shortest term, then alphabetical."""
    return min(group, key=lambda e: (len(e.term), e.term))


def stats(entries):
    by_cat = Counter(e.category for e in entries)
    return {
        "entries": len(entries),
        "phrases": sum(" " in e.term for e in entries),
        "words": sum(" " not in e.term for e in entries),
        "vader": sum(e.source == "vader" for e in entries),
        "hand": sum(e.source == "hand" for e in entries),
        "goldstein": sum(bool(e.note) for e in entries),
        "by_cat": [(c, by_cat[c]) for c in CATEGORIES],
    }


def write_tsv(entries, s):
    lines = [
        "# precis tone lexicon: how warm/cooperative (+) or hostile/failing (-) news language is.",
        "# Generated by scripts/build_lexicon.py from lexicons/src/ and VADER; see lexicons/README.md",
        "# (format, categories, matching rules, sources and licences). Edit the sources, not this file.",
        "# Format: term<TAB>weight<TAB>category; '#' comment lines; blank lines ignored.",
        "# term: lowercase word or phrase (single spaces), matched on Snowball stems; an exact",
        "#   surface match beats a stem match; a phrase consumes its tokens.",
        "# weight: -4.0..+4.0 (VADER scale: 0.5 faint, 1 mild, 2 clear, 3 strong, 4 extreme);",
        "#   0.0 = neutral blocker.",
        f"# {s['entries']} entries: {s['words']} words, {s['phrases']} phrases; "
        f"{s['vader']} figures from VADER (MIT, (c) 2016 C.J. Hutto), {s['hand']} written here.",
        "# per category: " + ", ".join(f"{c} {n}" for c, n in s["by_cat"]),
        "",
    ]
    for e in sorted(entries, key=lambda e: (e.category, e.term)):
        if e.comment:
            lines.append(e.comment)
        lines.append(f"{e.term}\t{e.weight:.1f}\t{e.category}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


def update_readme(s):
    start, end = "<!-- counts:start -->", "<!-- counts:end -->"
    if not README.exists():
        return
    text = README.read_text(encoding="utf-8")
    if start not in text or end not in text:
        return
    rows = "\n".join(f"| `{c}` | {n} |" for c, n in s["by_cat"])
    block = (
        f"{start}\n"
        f"- **{s['entries']} entries**: {s['words']} single words and {s['phrases']} multi-word phrases.\n"
        f"- **{s['vader']} weights are VADER figures** (mean human ratings, grouped by stem as described above);\n"
        f"  **{s['hand']} were written here** (including VADER words re-weighted for their news sense),\n"
        f"  {s['goldstein']} of them informed by CAMEO/Goldstein scores.\n\n"
        f"| category | entries |\n| --- | --- |\n{rows}\n{end}"
    )
    head, rest = text.split(start, 1)
    README.write_text(head + block + rest.split(end, 1)[1], encoding="utf-8")


def read_shipped():
    entries = []
    for n, raw in enumerate(OUT.read_text(encoding="utf-8").splitlines(), 1):
        if raw.strip() and not raw.startswith("#"):
            term, weight, category = raw.split("\t")
            entries.append(Entry(term, float(weight), category, "shipped", where=f"tone.tsv:{n}"))
    return entries


def main(argv):
    verbose = "--verbose" in argv
    if "--check" in argv or not VADER.exists():
        if not VADER.exists():
            print(f"build_lexicon: {VADER} not found; checking the shipped {OUT.name} only")
        entries = read_shipped()
        check(entries)
        print(f"build_lexicon: {OUT.relative_to(ROOT)} ok ({len(entries)} entries)")
        return
    try:
        import snowballstemmer
    except ImportError:
        fail("rebuilding needs the snowballstemmer package: pip install snowballstemmer")
    stem = snowballstemmer.stemmer("english").stemWord

    hand = []
    for name in ("general.txt", "diplomacy.txt", "phrases.txt"):
        hand += parse_source(SRC / name)
    blocked = {stem(w) for w in read_excludes(SRC / "vader_exclude.txt")}
    blocked |= {stem(e.term) for e in hand if " " not in e.term}
    entries = hand + import_vader(stem, blocked)

    # A neutral blocker must block something: one of its words must share a stem
    # with a scoring single-word entry.
    scoring = {stem(e.term) for e in entries if " " not in e.term and e.weight != 0}
    for e in [e for e in entries if e.weight == 0]:
        if not any(stem(w) in scoring for w in e.term.split()):
            if verbose:
                print(f"build_lexicon: dropping neutral {e.term!r} ({e.where}): blocks nothing")
            entries.remove(e)

    check(entries, stem)
    for key, group in sorted(stem_groups(entries, stem).items()):
        ws = [e.weight for e in group]
        if verbose or (max(ws) - min(ws) > 1.5 and fallback(group).weight != 0):
            desc = ", ".join(f"{e.term} {e.weight}" for e in group)
            print(f"build_lexicon: stem {key!r}: {desc}; stem-only matches get {fallback(group).term!r}")

    s = stats(entries)
    write_tsv(entries, s)
    update_readme(s)
    print(f"build_lexicon: wrote {OUT.relative_to(ROOT)}: {s['entries']} entries, {s['phrases']} phrases, "
          f"{s['vader']} from VADER, {s['hand']} written here")
    print("build_lexicon: " + ", ".join(f"{c} {n}" for c, n in s["by_cat"]))


if __name__ == "__main__":
    main(sys.argv[1:])
