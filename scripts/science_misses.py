#!/usr/bin/env python3
"""Why held-out tortured phrases are missed or restored wrongly, in classes.

    python scripts/science_misses.py [--shared ../shared] [--folds 5] [--examples N]

The same folds and sentences as scripts/science_figures.py. Every held-out phrase
the generator does not restore is put in one class, first that applies:

- `length`: no expected phrase has as many words as the tortured one;
- `no-swap`: an expected phrase of that length exists, but some word of the tortured
  phrase has no option (list swap or thesaurus synonym) that is the expected word;
  split into `no-swap:unknown-word` (the list never shows the word swapped in) and
  `no-swap:other-originals` (it does, but to other originals);
- `no-term`: every word has its expected option, but the expected phrase is no known
  term (neither an expected phrase of the other folds nor a WordNet term);
- `not-proposed`: reachable, known, yet the generator proposes nothing over it;
- `below`: it proposes the expected phrase, under the threshold;
- `wrong-below` / `wrong-flagged`: it proposes another term (under / over threshold);
- `flagged-not-restored`: flagged, and the rewrite does not hold the expected phrase
  (some other span, or a span of other width).

`--examples N` prints N (tortured -> expected) pairs of each class: PPS list phrases,
no sentence text.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--examples", type=int, default=0)
    ap.add_argument("--false-flags", action="store_true", help="list them")
    ap.add_argument("--threshold", type=float, default=None)
    args = ap.parse_args()
    pps_path = args.shared / "data" / "pps_tortured_phrases.json"
    from despin import tortured
    from despin.lexicon import parse_lexicon, phrase_key, shipped_lexicons
    from despin.mining import build_science_lexicon, science_pairs
    from despin.pipeline import DEFAULT_THRESHOLD, Engine
    from despin.sciencebench import TEMPLATES, _norm, folds

    threshold = args.threshold if args.threshold is not None else DEFAULT_THRESHOLD
    pps = json.loads(pps_path.read_text("utf-8"))
    news = [lx for lx in shipped_lexicons() if lx.family != "tortured-science"]
    fold_list = folds(list(science_pairs(pps)), k=args.folds)
    classes: Counter[str] = Counter()
    false_flags: list[str] = []
    examples: dict[str, list[str]] = defaultdict(list)
    for f, fold in enumerate(fold_list):
        sci = parse_lexicon(build_science_lexicon(pps_path, [t for t, _ in fold]), "fold")
        eng = Engine(lexicons=[*news, sci])
        index = eng.tortured_index
        assert index is not None
        rng = random.Random(f)  # the sentences science_figures.py uses
        for t, expected in fold:
            before, after = rng.choice(TEMPLATES).split("{}")
            text = before + t + after
            start, end = len(before), len(before) + len(t)
            report = eng.score(text, threshold)
            hit = [s for s in report.spans if s.start < end and s.end > start]
            restored = False
            if hit:
                new = text
                for s in sorted(hit, key=lambda s: s.start, reverse=True):
                    if s.suggestions:
                        new = new[: s.start] + s.suggestions[0].text + new[s.end :]
                restored = any(_norm(e) in _norm(new) for e in expected)
            clean = before + expected[0] + after
            for s in eng.score(clean, threshold).spans:
                false_flags.append(
                    f"{s.text!r} in {expected[0]!r} ({s.family}: {s.rule_id}, p={s.p_spun:.2f})"
                )
            if restored:
                classes["restored"] += 1
                continue
            a = eng.analyze(text)
            covered = np.zeros(len(a.tokens), dtype=bool)
            for h in a.hits:
                covered[h.i : h.j] = True
            gens = [
                g
                for g in tortured.generate(a.tokens, covered, index, a.words)
                if a.tokens[g.i].start < end and a.tokens[g.j - 1].end > start
            ]
            tw = phrase_key(t).split()
            exp_keys = [phrase_key(e) for e in expected]
            same = [e.split() for e in exp_keys if len(e.split()) == len(tw)]
            c = _classify(tw, same, exp_keys, gens, hit, index, threshold, tortured)
            classes[c] += 1
            shown = " | ".join(
                f"{g.observed}>{g.term} p={tortured.probability(g):.2f}" for g in gens
            )
            examples[c].append(f"{t} -> {expected[0]}" + (f"   [{shown}]" if shown else ""))
    n = sum(classes.values())
    print(f"{n} held-out phrases")
    for c, k in classes.most_common():
        print(f"  {c:28s} {k:5d}  {k / n:.3f}")
    print(f"false flags in the sentences with the expected phrase: {len(false_flags)}")
    if args.false_flags:
        for x in false_flags:
            print("  ", x)
    if args.examples:
        for c, xs in sorted(examples.items()):
            print(f"\n## {c}")
            for x in random.Random(0).sample(xs, min(args.examples, len(xs))):
                print("  ", x)
    return 0


def _classify(tw, same, exp_keys, gens, hit, index, threshold, tortured) -> str:
    want = [g for g in gens if g.term in exp_keys]
    if hit:
        return "flagged-not-restored" if want or not gens else "wrong-flagged"
    if want:
        return "below"
    if gens:
        return "wrong-below"
    if not same:
        return "length"
    reachable = [
        e for e in same
        if all(a == b or b in tortured._options(a, index) for a, b in zip(tw, e, strict=True))
    ]  # fmt: skip
    if not reachable:
        e = same[0]
        missing = [a for a, b in zip(tw, e, strict=True) if b not in tortured._options(a, index)]
        if any(a not in index.swaps for a in missing):
            return "no-swap:unknown-word"
        return "no-swap:other-originals"
    if not any(" ".join(e) in index.terms for e in reachable):
        return "no-term"
    return "not-proposed"


if __name__ == "__main__":
    sys.exit(main())
