#!/usr/bin/env python3
"""Print the README's accuracy tables: shipped and held-out builds, ablation, reliability.

    python scripts/report_figures.py [--shared ../shared] [--no-held-out]

"Shipped" scores with the lexicons and model in the package (built from all of
../shared, so in-sample for ../shared texts). "Held-out" scores every ../shared
document with a lexicon mined and models trained without it (one build per document,
about ten minutes). The bundled sample article was never used for building either
way. "Synthetic" texts are the clean texts spun by `despin spin` (three seeds each);
held out, each is scored by the build that never saw its clean source.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SPIN_SEEDS = (101, 102, 103)


def _ablation(engine):
    """The same build three ways: lexicon rules only, + context model, + open vocabulary."""
    from despin.model import lexicon_only_models
    from despin.pipeline import Engine

    m = engine.models
    return {
        "lexicon only (no model)": Engine(
            lexicons=engine.lexicons, models=lexicon_only_models(m), open_vocab=False
        ),
        "+ context model": Engine(lexicons=engine.lexicons, models=m, open_vocab=False),
        "+ open-vocabulary candidates": Engine(lexicons=engine.lexicons, models=m),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--no-held-out", action="store_true")
    args = ap.parse_args()
    if not (args.shared / "gold").is_dir():
        print(f"report_figures: {args.shared} not found", file=sys.stderr)
        return 2
    from despin.evaluate import EvalDoc, evaluate, load_docs, reliability
    from despin.heldout import RoutingEngine, heldout_engine
    from despin.pipeline import DEFAULT_THRESHOLD, default_engine
    from despin.spin import spin

    samples = REPO / "despin" / "samples"
    docs = load_docs(
        [
            args.shared / "gold",
            args.shared / "data" / "real_spun_dev.jsonl",
            samples / "sample_gold.json",
            samples / "sample_original.txt",
        ]
    )
    for d in [d for d in docs if not d.is_spun]:
        for seed in SPIN_SEEDS:
            r = spin(d.text, seed=seed)
            gold = [(w.start, w.end, w.original, False) for w in r.swaps]
            docs.append(EvalDoc(f"{d.id}:spin{seed}", "synthetic", r.text, True, gold, d.text))
    group = {d.text: d.id.split(":")[0] for d in docs}
    with_original = {d.id.split(":")[0] for d in docs if d.id.endswith(":original")}
    subsets = {
        "seed 000 (gold spans)": [d for d in docs if d.id == "000_0d86604bd71b6e9d"],
        "news-spinner passages with originals": [
            d for d in docs if d.family == "news-spinner" and d.id in with_original
        ],
        "bundled sample (never trained on)": [d for d in docs if d.id == "sample_gold"],
        "synthetic spins of the clean texts": [d for d in docs if d.family == "synthetic"],
        "clean texts (seed 003, originals, sample original)": [d for d in docs if not d.is_spun],
    }
    shipped = default_engine()
    builds = {"shipped": _ablation(shipped)}
    if not args.no_held_out:
        t = time.time()
        per_group = {
            g: _ablation(heldout_engine(args.shared, {g}))
            for g in sorted(set(group.values()))
            if not g.startswith("sample_")  # never in the build: the shipped one serves
        }
        print(f"(held-out builds: {time.time() - t:.0f} s)", file=sys.stderr)
        builds["held-out"] = {
            level: RoutingEngine(
                {text: per_group[g][level] for text, g in group.items() if g in per_group},
                builds["shipped"][level],
            )
            for level in builds["shipped"]
        }
    full = "+ open-vocabulary candidates"

    print(f"Threshold {DEFAULT_THRESHOLD}.\n")
    print("| subset | build | docs | span P | span R | span F1 | WER gain | edits/1k | flags/1k |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    results = {b: {lv: evaluate(docs, e) for lv, e in lv_e.items()} for b, lv_e in builds.items()}
    for name, subset in subsets.items():
        for build, levels in builds.items():
            f = evaluate(subset, levels[full]).families["all"]
            cells = [f.precision, f.recall, f.f1, f.wer_gain, f.edits_per_1k, f.flags_per_1k]
            text = " | ".join("–" if c != c else f"{c:.2f}" for c in cells)
            print(f"| {name} | {build} | {f.n_docs} | {text} |")

    print("\nDocument ROC AUC (each spun family against all clean texts):\n")
    print("| family | " + " | ".join(builds) + " |")
    print("|---|" + "---:|" * len(builds))
    for fam in ("news-spinner", "synthetic", "tortured-science", "other-rewriter", "all"):
        row = [results[b][full].families[fam].auc for b in builds]
        print(f"| {fam} | " + " | ".join(f"{x:.3f}" for x in row) + " |")

    last = list(builds)[-1]
    print(
        f"\nAblation ({last} builds; news = news-spinner passages with originals and seed 000):\n"
    )
    print("| configuration | news F1 | news WER gain | synthetic F1 | synthetic WER gain "
          "| clean edits/1k | clean flags/1k |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|")
    news = subsets["seed 000 (gold spans)"] + subsets["news-spinner passages with originals"]
    synth = subsets["synthetic spins of the clean texts"]
    clean = subsets["clean texts (seed 003, originals, sample original)"]
    for level, engine in builds[last].items():
        n = evaluate(news, engine).families["all"]
        s = evaluate(synth, engine).families["all"]
        c = evaluate(clean, engine).families["all"]
        cells = [n.f1, n.wer_gain, s.f1, s.wer_gain, c.edits_per_1k, c.flags_per_1k]
        print(f"| {level} | " + " | ".join(f"{x:.2f}" for x in cells) + " |")

    print(f"\nReliability of the document score ({last} builds, all documents):\n")
    print("| score bin | docs | mean score | share spun |")
    print("|---|---:|---:|---:|")
    scores = [(s, spun) for _, _, spun, s in results[last][full].scores]
    for lo, hi, n, mean, share in reliability(scores):
        print(f"| {lo:.1f}–{hi:.1f} | {n} | {mean:.2f} | {share:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
