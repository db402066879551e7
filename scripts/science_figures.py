#!/usr/bin/env python3
"""Tortured-phrase figures for the README: k-fold over the PPS list, shipped list, prose.

    python scripts/science_figures.py [--shared ../shared] [--folds 5] [--limit N]
                                      [--science-only] [--prose FILE ...]
                                      [--documents FILE ...]

Fold f: the science lexicon is built without fold f's tortured phrases (so are the
word swaps the generator learns), and fold f's phrases are placed in sentences
written for despin (despin.sciencebench). Then: the shipped list in the same
sentences, the clean science paragraphs and the news sentences of despin.sciencebench,
and (--prose) the paragraphs of any clean text files, e.g. Vim's user manual
(/usr/share/vim/vim90/doc/usr_*.txt): what the generator flags in text it never met;
(--documents) clean files scored whole, as a user would score them (gzip read too),
e.g. the README files of a Debian system (/usr/share/doc/*/README*).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_SCI = "tortured-science"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--limit", type=int, default=0, help="phrases per fold (0: all)")
    ap.add_argument(
        "--science-only", action="store_true",
        help="the science lexicon alone in the folds (what `despin score --family science` uses)",
    )  # fmt: skip
    ap.add_argument(
        "--prose", type=Path, nargs="*", default=[],
        help="clean text files: tortured-science spans in their paragraphs of 20+ words",
    )  # fmt: skip
    ap.add_argument(
        "--documents", type=Path, nargs="*", default=[],
        help="clean text files scored whole: their tortured-science spans",
    )  # fmt: skip
    args = ap.parse_args()
    pps_path = args.shared / "data" / "pps_tortured_phrases.json"
    if not pps_path.exists():
        print(f"science_figures: {pps_path} not found", file=sys.stderr)
        return 2
    from despin.lexicon import parse_lexicon, shipped_lexicons
    from despin.mining import build_science_lexicon, science_pairs
    from despin.pipeline import Engine
    from despin.sciencebench import (
        CLEAN_PARAGRAPHS,
        SPINNER_WORDS_IN_NEWS,
        Outcome,
        folds,
        run,
    )
    from despin.tokens import count_words

    pps = json.loads(pps_path.read_text("utf-8"))
    news = [lx for lx in shipped_lexicons() if lx.family != "tortured-science"]
    fold_list = folds(list(science_pairs(pps)), k=args.folds)
    total = Outcome()
    print("| fold | phrases | recall | precision | top-1 restored | false flags / 100 sentences |")
    print("|---|---:|---:|---:|---:|---:|")
    for f, fold in enumerate(fold_list):
        t = time.time()
        fold = fold[: args.limit] if args.limit else fold
        sci = parse_lexicon(build_science_lexicon(pps_path, [t for t, _ in fold]), "science(fold)")
        lexicons = [sci] if args.science_only else [*news, sci]
        o = run(fold, Engine(lexicons=lexicons).score, seed=f)
        total.add(o)
        print(f"| {f + 1} | {o.n_tortured} | {o.recall:.3f} | {o.precision:.3f} | {o.top1:.3f} | "
              f"{o.clean_flags_per_100:.2f} |", flush=True)  # fmt: skip
        print(f"(fold {f + 1}: {time.time() - t:.0f} s)", file=sys.stderr)
    print(f"| all | {total.n_tortured} | {total.recall:.3f} | {total.precision:.3f} | "
          f"{total.top1:.3f} | {total.clean_flags_per_100:.2f} |")  # fmt: skip

    shipped = Engine()
    listed = [(t, (e,)) for fold in fold_list for t, (e, *_) in fold]
    o = run(listed, shipped.score, seed=99)
    print(f"\nShipped list in sentences: recall {o.recall:.3f} ({o.n_tortured - o.flagged} of "
          f"{o.n_tortured} missed), top-1 {o.top1:.3f}, false flags per 100 clean sentences "
          f"{o.clean_flags_per_100:.2f}")  # fmt: skip
    words = sum(count_words(p) for p in CLEAN_PARAGRAPHS)
    flags = [(s.text, s.family) for p in CLEAN_PARAGRAPHS for s in shipped.score(p).spans]
    print(
        f"Clean science paragraphs ({len(CLEAN_PARAGRAPHS)}, {words} words, 9 fields): "
        f"{len(flags)} flagged spans ({1000 * len(flags) / words:.1f} per 1,000 words): {flags}"
    )

    def tortured(texts: list[str]) -> list[str]:
        return [s.text for t in texts for s in shipped.score(t).spans if s.family == _SCI]

    sci = tortured(SPINNER_WORDS_IN_NEWS)
    print(
        f"News sentences using spinner words in their own sense ({len(SPINNER_WORDS_IN_NEWS)}): "
        f"{len(sci)} tortured-science spans: {sci}"
    )
    if args.prose:
        paras = [
            " ".join(p.split())
            for f in args.prose
            for p in re.split(r"\n\s*\n", f.read_text("utf-8", errors="replace"))
            if len(p.split()) >= 20
        ]
        words = sum(len(p.split()) for p in paras)
        sci = tortured(paras)
        print(
            f"Prose of {len(args.prose)} files ({words} words): {len(sci)} tortured-science "
            f"spans ({1000 * len(sci) / max(words, 1):.2f} per 1,000 words)"
        )
    if args.documents:
        docs = [_read(f) for f in args.documents]
        words = sum(len(d.split()) for d in docs)
        reports = [shipped.score(d) for d in docs]
        sci = [s for r in reports for s in r.spans if s.family == _SCI]
        print(
            f"Documents ({len(docs)} files, {words} words), scored whole: {len(sci)} "
            f"tortured-science spans ({1000 * len(sci) / max(words, 1):.2f} per 1,000 words)"
        )
        spans = sum(len(r.spans) for r in reports)
        edits = sum(len(shipped.restore(d).edits) for d in docs)
        print(
            f"  all families: {spans} spans, {edits} restore edits "
            f"({1000 * spans / max(words, 1):.2f} and {1000 * edits / max(words, 1):.2f} per "
            f"1,000 words); {sum(r.score >= 0.5 for r in reports)} documents score 0.5 or more"
        )
        alone = Engine(families=["science"])
        spans = sum(len(alone.score(d).spans) for d in docs)
        print(
            f"  --family science: {spans} spans ({1000 * spans / max(words, 1):.2f} per "
            "1,000 words)"
        )
    return 0


def _read(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        import gzip

        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


if __name__ == "__main__":
    sys.exit(main())
