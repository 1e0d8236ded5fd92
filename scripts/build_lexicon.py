#!/usr/bin/env python3
"""Build lexicons/tone.tsv, precis's diplomatic-tone lexicon.

Inputs (relative to the repository root):
  lexicons/src/general.txt        general evaluative words written or re-weighted here
  lexicons/src/evaluative.txt     more evaluative words of news prose and opinion writing
  lexicons/src/diplomacy.txt      the diplomatic axis (single words)
  lexicons/src/phrases.txt        multi-word phrases
  lexicons/src/vader_exclude.txt  words whose VADER stem groups are not imported
  ../shared/data/reference-lexicons/vader/vader_lexicon.txt  (optional) VADER figures

Source line format: "@category" sets the category of the lines below it;
"term weight [g:CODE]" is one entry (the term may contain spaces; g:CODE says
the weight was informed by the Goldstein score of a CAMEO event code). A weight
of 0 marks a neutral blocker (category "neutral"). The weight "v" takes VADER's
figure for exactly that surface form (same shrinking and rounding as the import;
counted and attributed as a VADER figure): it lets a VADER word come back on
its own when its stem group is excluded, e.g. "boring v" next to the blocker
"bore 0". The weight "~" marks a derived form that precis's inflection matching
does not reach ("exploitation" of "exploit"): it gets the weight and category
of its stem group (the hand-written fallback entry, else the imported VADER
figure) and does not block the VADER import. '#' starts a comment line.

VADER import: VADER's single words are grouped by Snowball (Porter2) stem, the
same stems precis matches on. A group is skipped when vader_exclude.txt or a
hand-written single word has the same stem (hand-written weights win). Otherwise
the group becomes one entry: its shortest member, weighted by the mean rating
of the members that are at most three letters longer (inflections), shrunk by
0.7 when the raters disagreed (mean sd > 1.5), rounded to one decimal, and
kept only if |weight| >= 0.5. precis matches a one-word entry on its surface
form and regular inflections only (src/tone/forms.rs), so the other VADER words
of a group that no entry reaches are then listed on their own with the group's
weight (expand_forms).

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
        term = " ".join(fields[:-1])
        if category is None:
            fail(f"{where}: entry before any @category line")
        if fields[-1] == "~":
            entries.append(Entry(term, None, category, "form", note, where, comment))
            comment = ""
            continue
        if fields[-1] == "v":
            figure = vader_figure(term)
            if figure is None:
                fail(f"{where}: {term!r} has no VADER figure (weight 'v')")
            entries.append(Entry(term, figure, category, "vader", note, where, comment))
            comment = ""
            continue
        try:
            weight = float(fields[-1])
        except ValueError:
            fail(f"{where}: weight {fields[-1]!r} is not a number")
        cat = "neutral" if weight == 0 else category
        entries.append(Entry(term, abs(weight) and weight or 0.0, cat, "hand", note, where, comment))
        comment = ""
    return entries


def shrink(mean, sd):
    """VADER's mean rating as a weight: shrunk when the raters disagreed, one decimal."""
    return round(mean * SD_SHRINK if sd > SD_SHRINK_ABOVE else mean, 1)


_VADER_WORDS = None


def vader_figure(term):
    """The weight of one VADER word (the "v" weight of a source line), or None."""
    global _VADER_WORDS
    if _VADER_WORDS is None:
        _VADER_WORDS = {}
        for raw in VADER.read_text(encoding="utf-8").splitlines():
            token, mean, sd = raw.split("\t")[:3]
            _VADER_WORDS[token] = (float(mean), float(sd))
    if term not in _VADER_WORDS:
        return None
    return shrink(*_VADER_WORDS[term])


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


def inflections(word):
    """Regular inflections and base forms of a word, as precis generates them
    (src/tone/forms.rs, kept in step by hand): precis matches a one-word entry
    on its surface form and on those of these forms that share its stem."""
    bases = [word]
    for suffix, replacements in (("ies", ("y",)), ("ied", ("y",)), ("ing", ("", "e")),
                                 ("ed", ("", "e")), ("es", ("",)), ("s", ("",))):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            bases += [word[: -len(suffix)] + r for r in replacements]
    out = set()
    for b in bases:
        out.add(b)
        out.update(b + x for x in ("s", "es", "ed", "d", "ing", "er", "est", "ly"))
        if b.endswith("e"):
            out.update(b[:-1] + x for x in ("ing", "ed", "er", "est"))
        if b.endswith("y"):
            out.update(b[:-1] + x for x in ("ies", "ied", "ier", "iest", "ily"))
        last = b[-1]
        if last.isascii() and last.isalpha() and last not in "aeiouywx":
            out.update(b + last + x for x in ("ed", "ing", "er", "est"))
    out.discard(word)
    return out


def reached(entries, stem):
    """Every word form some one-word entry matches in precis."""
    forms = set()
    for e in entries:
        if " " not in e.term:
            forms.add(e.term)
            key = stem(e.term)
            forms.update(f for f in inflections(e.term) if stem(f) == key)
    return forms


def resolve_forms(forms, entries, stem):
    """Weights of the "~" lines: those of their stem group (see the docstring)."""
    hand_groups, vader_groups = defaultdict(list), {}
    for e in entries:
        if " " not in e.term:
            if e.source == "vader" and e.where.startswith("vader:"):
                vader_groups[stem(e.term)] = e
            else:
                hand_groups[stem(e.term)].append(e)
    for f in forms:
        key = stem(f.term)
        if key in hand_groups:
            base, f.source = fallback(hand_groups[key]), "hand"
        elif key in vader_groups:
            base, f.source = vader_groups[key], "vader"
        else:
            fail(f"{f.where}: {f.term!r} ('~') has no stem group to take a weight from")
        if base.weight == 0:
            fail(f"{f.where}: {f.term!r} ('~') would take the neutral weight of {base.term!r}")
        f.weight, f.category, f.where = base.weight, base.category, f"{f.where} (form of {base.term})"
    return forms


def expand_forms(entries, excluded_stems, stem):
    """Derived forms of the stem groups, listed on their own.

    precis matches a word on its surface form and its regular inflections
    only, so one entry per stem group no longer covers the group's other
    derivations (delighted -> delightful, happy -> happiness, confident ->
    confidence). Each VADER word that no entry reaches and whose stem group is
    not excluded is listed with the weight its group has here: the weight of
    the group's hand-written fallback entry (its shortest term), or else the
    imported VADER group figure. Skipped: groups whose fallback is a neutral
    blocker, words whose VADER rating has the other sign (another sense), and
    groups that were not imported (|figure| < 0.5).
    """
    covered = reached(entries, stem)
    hand_groups = defaultdict(list)
    vader_groups = {}
    for e in entries:
        if " " in e.term:
            continue
        if e.source == "vader" and e.where.startswith("vader:"):
            vader_groups[stem(e.term)] = e
        else:
            hand_groups[stem(e.term)].append(e)
    added = []
    for raw in VADER.read_text(encoding="utf-8").splitlines():
        token, mean, sd = raw.split("\t")[:3]
        if not re.fullmatch(r"[a-z][a-z'-]*", token) or token in covered:
            continue
        key = stem(token)
        if key in excluded_stems:
            continue
        own = shrink(float(mean), float(sd))
        if abs(own) < VADER_MIN_ABS:
            continue
        if key in hand_groups:
            base = fallback(hand_groups[key])
            if base.weight == 0 or base.weight * own < 0:
                continue
            added.append(Entry(token, base.weight, base.category, "hand", where=f"form of {base.term}"))
        elif key in vader_groups:
            base = vader_groups[key]
            if base.weight * own < 0:
                continue
            added.append(Entry(token, base.weight, "general", "vader", where=f"vader:{base.term} (form)"))
    return added


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
    for name in ("general.txt", "evaluative.txt", "diplomacy.txt", "phrases.txt"):
        hand += parse_source(SRC / name)
    blocked = {stem(w) for w in read_excludes(SRC / "vader_exclude.txt")}
    forms = [e for e in hand if e.source == "form"]
    hand = [e for e in hand if e.source != "form"]
    blocked |= {stem(e.term) for e in hand if " " not in e.term}
    excluded = {stem(w) for w in read_excludes(SRC / "vader_exclude.txt")}
    entries = hand + import_vader(stem, blocked)
    entries += resolve_forms(forms, entries, stem)
    entries += expand_forms(entries, excluded, stem)

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
            print(f"build_lexicon: stem {key!r}: {desc}; derived forms take {fallback(group).term!r}")

    s = stats(entries)
    write_tsv(entries, s)
    update_readme(s)
    print(f"build_lexicon: wrote {OUT.relative_to(ROOT)}: {s['entries']} entries, {s['phrases']} phrases, "
          f"{s['vader']} from VADER, {s['hand']} written here")
    print("build_lexicon: " + ", ".join(f"{c} {n}" for c, n in s["by_cat"]))


if __name__ == "__main__":
    main(sys.argv[1:])
