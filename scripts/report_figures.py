#!/usr/bin/env python3
"""Print the README's accuracy tables: shipped build and held-out builds, per subset.

    python scripts/report_figures.py [--shared ../shared] [--no-held-out]

"Shipped" scores with the lexicons and model in the package (built from all of
../shared, so in-sample for ../shared texts). "Held-out" scores every ../shared
document with a lexicon mined and models trained without it (one build per document,
a few minutes). The bundled sample article was never used for building either way.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--no-held-out", action="store_true")
    args = ap.parse_args()
    if not (args.shared / "gold").is_dir():
        print(f"report_figures: {args.shared} not found", file=sys.stderr)
        return 2
    from despin.evaluate import evaluate, load_docs
    from despin.heldout import heldout_router
    from despin.pipeline import DEFAULT_THRESHOLD, default_engine

    samples = REPO / "despin" / "samples"
    docs = load_docs(
        [
            args.shared / "gold",
            args.shared / "data" / "real_spun_dev.jsonl",
            samples / "sample_gold.json",
            samples / "sample_original.txt",
        ]
    )
    with_original = {d.id.split(":")[0] for d in docs if d.id.endswith(":original")}
    subsets = {
        "seed 000 (gold spans)": [d for d in docs if d.id == "000_0d86604bd71b6e9d"],
        "news-spinner passages with originals": [
            d for d in docs if d.family == "news-spinner" and d.id in with_original
        ],
        "bundled sample (never trained on)": [d for d in docs if d.id == "sample_gold"],
        "clean texts (seed 003, originals, sample original)": [d for d in docs if not d.is_spun],
    }
    engines = {"shipped": default_engine()}
    if not args.no_held_out:
        t = time.time()
        groups: dict[str, list[str]] = {}
        for d in docs:
            groups.setdefault(d.id.split(":")[0], []).append(d.text)
        engines["held-out"] = heldout_router(args.shared, groups)
        print(f"(held-out builds: {time.time() - t:.0f} s)", file=sys.stderr)

    print(f"Threshold {DEFAULT_THRESHOLD}.\n")
    print("| subset | build | docs | span P | span R | span F1 | WER gain | edits/1k | flags/1k |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, subset in subsets.items():
        for build, engine in engines.items():
            f = evaluate(subset, engine).families["all"]
            cells = [f.precision, f.recall, f.f1, f.wer_gain, f.edits_per_1k, f.flags_per_1k]
            text = " | ".join("–" if c != c else f"{c:.2f}" for c in cells)
            print(f"| {name} | {build} | {f.n_docs} | {text} |")
    print("\nDocument ROC AUC (each spun family against all clean texts):\n")
    print("| family | " + " | ".join(engines) + " |")
    print("|---|" + "---:|" * len(engines))
    results = {b: evaluate(docs, e) for b, e in engines.items()}
    for fam in ("news-spinner", "tortured-science", "other-rewriter", "all"):
        row = [results[b].families[fam].auc for b in engines]
        print(f"| {fam} | " + " | ".join(f"{x:.3f}" for x in row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
