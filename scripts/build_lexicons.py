#!/usr/bin/env python3
"""Build lexicons/news.tsv and lexicons/science.tsv from the shared data folder.

python scripts/build_lexicons.py [--shared ../shared] [--out lexicons] [--exclude ID ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description="Mine the news lexicon and clean the science one.")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--out", type=Path, default=REPO / "lexicons")
    ap.add_argument("--exclude", action="append", default=[], help="document id to leave out")
    args = ap.parse_args()
    if not (args.shared / "data" / "real_spun_dev.jsonl").exists():
        print(f"build_lexicons: {args.shared} is not the shared data folder", file=sys.stderr)
        return 2
    from despin.mining import build_news_lexicon, build_science_lexicon

    args.out.mkdir(parents=True, exist_ok=True)
    news = build_news_lexicon(args.shared, args.exclude)
    (args.out / "news.tsv").write_text(news, encoding="utf-8")
    sci = build_science_lexicon(args.shared / "data" / "pps_tortured_phrases.json")
    (args.out / "science.tsv").write_text(sci, encoding="utf-8")
    for name, text in (("news", news), ("science", sci)):
        rows = text.count("\n") - sum(1 for x in text.splitlines() if x.startswith("#")) - 1
        print(f"wrote {args.out / (name + '.tsv')}: {rows} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
