#!/usr/bin/env python3
"""How well the open-vocabulary detector separates spun words from authors' words, held out.

    python scripts/open_figures.py [--shared ../shared]

For every group of ../shared that report_figures evaluates (the news-spinner passages
with originals, seed 000, the clean texts; synthetic spins of the clean texts, seeds
101-103), the models are trained and the news lexicon mined without the group
(`despin.heldout`), and every open-vocabulary candidate of its texts is scored by the
held-out open detector in the texts where scoring weighs them (a lexicon span at
OPEN_GATE). The probability is divided by the document gate's factor (a text scoring
d < DOC_GATE raises every bar by DOC_GATE / d), so a bin says which bar a candidate
clears. Per family, closest relation of the word (`synonym`: the first candidate is a
WordNet synonym or a MyThes entry, as for OPEN_MIN_P_CLOSE; else `other`) and bin,
three counts:

- `orig`: a spun word whose candidates hold its original;
- `missed`: a spun word without its original among them (a flag is right, the edit not);
- `author`: a word the author wrote.

Only counts are printed, never text. About two minutes (one build per group).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BINS = (0.5, 0.7, 0.8, 0.9)
SPIN_SEEDS = (101, 102, 103)


def _texts(shared: Path):
    """(group, family, TrainDoc) of every evaluated text, synthetic spins included."""
    from despin.spin import spin
    from despin.train import SEED_DOC, TrainDoc, _label_gold, shared_docs

    docs = shared_docs(shared)
    with_original = {d.group for d in docs if d.family == "clean" and d.id != d.group}
    out = []
    for d in docs:
        if d.family == "news-spinner" and (d.group in with_original or d.id == SEED_DOC):
            out.append((d.group, d.family, d))
        elif d.family == "clean":
            out.append((d.group, d.family, d))
            for seed in SPIN_SEEDS:
                r = spin(d.text, seed=seed)
                s = TrainDoc(f"{d.id}:spin{seed}", d.group, r.text, True, "synthetic")
                _label_gold(s, [{"start": w.start, "end": w.end, "original": w.original}
                                for w in r.swaps])  # fmt: skip
                out.append((d.group, "synthetic", s))
    return out


def measure(shared: Path) -> Counter:
    import numpy as np

    from despin import tortured
    from despin.heldout import heldout_engine
    from despin.pipeline import (
        DOC_GATE,
        OPEN_CLOSE,
        _open_key,
        fluency_veto,
        open_analysis,
        select_hits,
    )

    counts: Counter = Counter()
    by_group: dict[str, list] = {}
    for g, fam, d in _texts(shared):
        by_group.setdefault(g, []).append((fam, d))
    for g, items in sorted(by_group.items()):
        eng = heldout_engine(shared, {g})
        m = eng.models
        for fam, d in items:
            a = eng.analyze(d.text)
            doc = eng._plan(a)[1]
            if not a.hits:
                continue
            fams = [h.entries[0].family for h in a.hits]
            p_hit = fluency_veto(a, m.detector_proba(a.detector_x, fams))
            chosen = select_hits(a, p_hit)
            covered = np.zeros(len(a.tokens), dtype=bool)
            for h in a.hits:
                covered[h.i : h.j] = True
            if eng.tortured_index is not None:  # as Engine._plan: generated spans cover too
                for t in tortured.generate(a.tokens, covered, eng.tortured_index, a.words):
                    covered[t.i : t.j] = True
            oa = open_analysis(a, p_hit, chosen, covered)
            if oa is None:
                continue
            gate = 1.0 if doc >= DOC_GATE else DOC_GATE / max(doc, 1e-9)
            for h, p in zip(oa.hits, m.open_detector.proba(oa.detector_x), strict=True):
                start = a.tokens[h.i].start
                lab = d.labels.get(start, -1)
                if lab == -1:
                    continue
                gold = " ".join(d.originals.get(start, "").lower().split())
                kind = "author" if lab == 0 else ("orig" if gold in h.originals else "missed")
                close = "synonym" if _open_key(h) == OPEN_CLOSE else "other"
                q = float(p) / gate
                for b in reversed(BINS):
                    if q >= b:
                        counts[(fam, close, b, kind)] += 1
                        break
    return counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    if not (args.shared / "gold").is_dir():
        print(f"open_figures: {args.shared} not found", file=sys.stderr)
        return 2
    counts = measure(args.shared)
    tops = [f"{lo:.1f}–{hi:.1f}" for lo, hi in zip(BINS, BINS[1:], strict=False)] + ["≥ 0.9"]
    print("Held-out open candidates, orig / missed / author per bin of p (gate applied):\n")
    print("| family | closest relation | " + " | ".join(tops) + " |")
    print("|---|---|" + "---:|" * len(BINS))
    for fam in ("news-spinner", "synthetic", "clean"):
        for close in ("synonym", "other"):
            cells = [
                "/".join(str(counts[(fam, close, b, k)]) for k in ("orig", "missed", "author"))
                for b in BINS
            ]
            print(f"| {fam} | {close} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
