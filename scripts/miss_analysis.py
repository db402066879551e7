#!/usr/bin/env python3
"""Which held-out news-spinner swaps get no candidate at all, and why.

    python scripts/miss_analysis.py [--shared ../shared] [--synonyms FILE] [--list] [--json]

For every news-spinner passage of data/real_spun_dev.jsonl that has its original, the
spun text is aligned with the original (despin.align, as evaluation does) and every
substitution is checked against what a held-out build could propose: the hits of a
news lexicon mined without the passage (plus the science lexicon) and the
open-vocabulary candidates of the synonym table (despin.openvocab). A substitution is

- `exact`: a lexicon hit over it or an open candidate of its word proposes the original;
- `wrong`: something is proposed there, but not the original;
- `none`: nothing is proposed.

The substitutions without the original (`wrong` + `none`) are then put in one class
each (number/format, proper noun, multiword, inflection, too common, filtered out,
relation missing from the table). `--synonyms FILE` measures another synonym table
(same format as lexicons/synonyms.tsv.gz; candidates are then worked out live) without
installing it. Only word pairs are printed, never passage text.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_FUNCTION = frozenset(
    "a an the of in on at to for from by with and or but as is are was were be been has have "
    "had it its this that these those their his her he she they we our you your not no".split()
)


def _use_synonyms(path: Path) -> None:
    """Make despin.synonyms read `path` instead of the shipped table (live candidates)."""
    from despin import synonyms

    table = synonyms.parse_relations(gzip.open(path, "rt", encoding="utf-8").read(), str(path))
    synonyms.relations_table = lambda: table  # type: ignore[assignment]
    synonyms.precomputed = lambda: None  # type: ignore[assignment]
    synonyms.candidates.cache_clear()


def _is_num(w: str) -> bool:
    return any(c.isdigit() for c in w)


def classify(spun: str, orig: str, sw: list[str], ow: list[str], initial: bool) -> str:
    """One class for a substitution that gets no candidate proposing its original
    (`initial`: its first word starts a sentence)."""
    from despin.ngrams import zipf
    from despin.openvocab import MAX_ZIPF, MIN_LEN
    from despin.synonyms import all_lemmas, compute_candidates, relations_table

    if any(_is_num(w) for w in sw + ow):
        return "number/format"
    caps = [w for k, w in enumerate(sw) if w[:1].isupper() and (k or not initial)]
    if caps and any(w[:1].isupper() for w in ow):
        return "proper noun damage"  # "Stranger Issues" for "Stranger Things"
    if any(w[:1].isupper() for w in ow) and [w.lower() for w in ow] != [w.lower() for w in sw]:
        # An original word in capitals mid-sentence: a name the spinner damaged.
        if any(w[:1].isupper() and w.lower() not in _FUNCTION for w in ow[1:]) or (
            ow[0][:1].isupper() and not spun[:1].isupper()
        ):
            return "proper noun damage"
    if len(sw) != 1 or len(ow) != 1:
        lo = [w.lower() for w in ow]
        if all(w.lower() in _FUNCTION for w in sw) and all(w in _FUNCTION for w in lo):
            return "function words"
        return f"multiword {len(sw)}->{len(ow)}"
    s, o = sw[0], ow[0].lower()
    low = s.lower()
    if low in _FUNCTION or o in _FUNCTION:
        return "function words"
    if "-" in s or "'" in s or "’" in s or not s.isalpha():
        return "hyphen/apostrophe word"
    if len(s) < MIN_LEN:
        return "too short"
    if zipf(low) >= MAX_ZIPF:
        return "too common (zipf >= MAX_ZIPF)"
    table = relations_table()
    s_lem = all_lemmas(low) | {low}
    o_lem = all_lemmas(o) | {o}
    if o in [c for c, _ in compute_candidates(low, 10_000)]:
        return "beyond candidate limit"
    # Same relation at the lemma level: the pair exists, the inflection does not.
    if any(c in o_lem for lem in s_lem for c, _ in table.get(lem, ())):
        return "inflection problem"
    if s_lem & o_lem:
        return "inflection change only"
    if low not in table and not any(lem in table for lem in s_lem):
        return "spun word not in table"
    return "relation missing from table"


def analyse(shared: Path, synonyms: Path | None = None) -> list[dict]:
    if synonyms is not None:
        _use_synonyms(synonyms)
    import numpy as np

    from despin import openvocab
    from despin.align import align
    from despin.pipeline import Engine, _Initial
    from despin.tokens import normalize
    from despin.train import _news_lexicon, science_lexicon

    rows = []
    for line in (shared / "data" / "real_spun_dev.jsonl").read_text("utf-8").splitlines():
        rec = json.loads(line)
        if rec.get("family") != "news-spinner" or not rec.get("original"):
            continue
        text, original = rec["spun"], rec["original"]
        eng = Engine(
            lexicons=[_news_lexicon(str(shared), frozenset({rec["id"]})), science_lexicon()]
        )
        a = eng.analyze(text)
        covered = np.zeros(len(a.tokens), dtype=bool)
        hits = openvocab.find(a.tokens, covered, _Initial(a.tokens, text))
        open_by_tok = {h.i: h.originals for h in hits}
        for sub in align(text, original):
            toks = [k for k, t in enumerate(a.tokens) if t.start < sub.end and t.end > sub.start]
            toks = [k for k in toks if a.tokens[k].is_word]
            ow = sub.original.split()
            # A block of as many words on both sides is judged word by word (evaluation
            # counts words), others as one unit.
            if len(toks) == len(ow) > 1:
                units = [([k], [o]) for k, o in zip(toks, ow, strict=True)
                         if normalize(a.tokens[k].text) != normalize(o)]  # fmt: skip
            else:
                units = [(toks, ow)]
            for ks, os_ in units:
                rows.append(_judge(rec["id"], a, ks, os_, open_by_tok))
    return rows


def _judge(doc: str, a, ks: list[int], ow: list[str], open_by_tok: dict) -> dict:
    from despin.features import _sentence_initial
    from despin.tokens import normalize

    want = normalize(" ".join(ow)).strip('.,;:()?!"“”')
    want = want[:-2] if want.endswith("'s") else want  # "nation" for "country's": the word
    proposed: list[str] = []
    for h in a.hits:
        if h.i <= ks[-1] and h.j > ks[0]:
            proposed += [normalize(e.original) for e in h.entries]
    by_lexicon = want in proposed
    for k in ks:
        proposed += list(open_by_tok.get(k, ()))
    sw = [a.tokens[k].text for k in ks]
    status = "exact" if want in proposed else ("wrong" if proposed else "none")
    row = {"doc": doc, "spun": " ".join(sw), "original": " ".join(ow), "status": status}
    if status == "exact":
        row["source"] = "lexicon" if by_lexicon else "open-vocabulary"
    if status != "exact":
        initial = _sentence_initial(a.tokens, a.text, ks[0])
        row["class"] = classify(" ".join(sw), " ".join(ow), sw, ow, initial)
        row["proposed"] = sorted(set(proposed))[:6]
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--synonyms", type=Path, help="another synonyms.tsv.gz to measure")
    ap.add_argument("--list", action="store_true", help="print every miss (word pairs)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = analyse(args.shared, args.synonyms)
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    status = Counter(r["status"] for r in rows)
    print(f"substitutions: {len(rows)}  " + "  ".join(f"{k} {v}" for k, v in status.most_common()))
    source = Counter(r["source"] for r in rows if r["status"] == "exact")
    print("exact by: " + "  ".join(f"{k} {v}" for k, v in source.most_common()))
    for st in ("none", "wrong"):
        classes = Counter(r["class"] for r in rows if r["status"] == st)
        print(f"\n{st}: {status[st]}")
        for c, n in classes.most_common():
            print(f"  {n:4d}  {c}")
    if args.list:
        print()
        for r in rows:
            if r["status"] != "exact":
                print(f"{r['doc']}\t{r['status']}\t{r['class']}\t{r['spun']} -> {r['original']}"
                      f"\t{' | '.join(r['proposed'])}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
