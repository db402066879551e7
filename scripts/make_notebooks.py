#!/usr/bin/env python3
"""Write notebooks/*.ipynb from the cell sources below (outputs stripped).

The notebooks are committed; this script is their source so that a change is a
readable diff. `python scripts/make_notebooks.py --check` exits 1 when a committed
notebook differs from what this script writes (tests/test_notebooks.py runs it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

OUT = Path(__file__).resolve().parents[1] / "notebooks"

SETUP = """\
import os
from pathlib import Path

# ../shared beside the repository, or the folder in DESPIN_SHARED; else the bundled sample.
REPO = Path.cwd().parent if Path.cwd().name == "notebooks" else Path.cwd()
SHARED = Path(os.environ.get("DESPIN_SHARED", REPO.parent / "shared"))
HAVE_SHARED = (SHARED / "data" / "real_spun_dev.jsonl").is_file()
OWN_TEXTS = REPO / "notebooks" / "own_texts.txt"  # news paragraphs written for despin


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\\n\\n") if p.strip()]


print("data:", SHARED if HAVE_SHARED else "bundled sample and own_texts.txt (no ../shared)")"""

SPIN_PATTERNS = [
    (
        "md",
        """\
# Spin patterns

What do spinners swap, how often, where in a document, and which sites use which
spinner? This notebook scores the texts of `../shared` with despin (or, when that
folder is absent, the bundled sample article and paragraphs written for despin, spun
by `despin spin`) and plots:

1. the document scores of spun and clean texts,
2. the most frequent swaps per spinner family,
3. where in a document the spans fall and how they cluster,
4. one article with its spans highlighted and the evidence behind each.

Texts of `../shared` are read at run time only; nothing from them is stored here.""",
    ),
    ("code", SETUP),
    (
        "code",
        """\
import json
from urllib.parse import urlparse

import despin
import despin.samples
from despin.evaluate import EvalDoc, load_docs
from despin.spin import spin

SAMPLES = Path(despin.samples.__file__).parent
docs = load_docs([SAMPLES / "sample_gold.json", SAMPLES / "sample_original.txt"])
sites = {}
if HAVE_SHARED:
    docs += load_docs([SHARED / "gold", SHARED / "data" / "real_spun_dev.jsonl"])
    for line in (SHARED / "data" / "real_spun_dev.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            sites[row["id"]] = urlparse(row["source"]).netloc or row["source"].split()[0]
else:
    own = paragraphs(OWN_TEXTS.read_text("utf-8"))
    docs += [EvalDoc(f"own{i}", "clean", t, False, []) for i, t in enumerate(own)]
    docs += [
        EvalDoc(f"own{i}:spun", "synthetic", spin(t, seed=i, rate=0.3).text, True)
        for i, t in enumerate(own)
    ]
print(len(docs), "documents:", sum(d.is_spun for d in docs), "spun,",
      sum(not d.is_spun for d in docs), "clean")""",
    ),
    (
        "md",
        "Score every document once. `Engine` compiles the lexicons and loads the model on "
        "first use (a few seconds); later calls are fast.",
    ),
    (
        "code",
        """\
engine = despin.Engine()
reports = {d.id: engine.score(d.text) for d in docs}""",
    ),
    (
        "md",
        """\
## 1. Document scores

The score is a calibrated probability that a document is spun. Spun texts of families
that no lexicon covers (`other-rewriter`) overlap the clean ones.""",
    ),
    (
        "code",
        """\
from collections import Counter, defaultdict

import matplotlib.pyplot as plt

from despin.evaluate import roc_auc

spun = [reports[d.id].score for d in docs if d.is_spun]
clean = [reports[d.id].score for d in docs if not d.is_spun]
fig, ax = plt.subplots(figsize=(7, 3))
ax.hist([clean, spun], bins=[i / 20 for i in range(21)], label=["clean", "spun"],
        color=["tab:blue", "tab:red"])
ax.set(xlabel="document score", ylabel="documents",
       title=f"spun vs clean: ROC AUC {roc_auc(spun, clean):.2f}")
ax.legend()
plt.show()

by_family = defaultdict(list)
for d in docs:
    by_family[d.family].append(d)
print(f"{'family':18} {'docs':>5} {'mean score':>11} {'spans/100 words':>16}")
for fam, ds in sorted(by_family.items()):
    words = sum(reports[d.id].n_words for d in ds)
    n_spans = sum(len(reports[d.id].spans) for d in ds)
    mean = sum(reports[d.id].score for d in ds) / len(ds)
    print(f"{fam:18} {len(ds):5} {mean:11.2f} {100 * n_spans / max(words, 1):16.2f}")""",
    ),
    (
        "md",
        """\
## 2. The most frequent swaps per family

Each flagged span with its best restoration, counted per family of the spun document
(the family the data gives, not the lexicon that matched).""",
    ),
    (
        "code",
        """\
swaps = defaultdict(Counter)
for d in docs:
    if d.is_spun:
        swaps[d.family].update(
            f"{s.text.lower()} → {s.suggestions[0].text.lower()}"
            for s in reports[d.id].spans if s.suggestions
        )
families = sorted(f for f, c in swaps.items() if c)
fig, axes = plt.subplots(1, len(families), figsize=(4.5 * len(families), 3.5), squeeze=False)
for ax, fam in zip(axes[0], families):
    top = swaps[fam].most_common(10)[::-1]
    ax.barh([k for k, _ in top], [n for _, n in top], color="tab:red")
    ax.set(title=fam, xlabel="spans")
fig.tight_layout()
plt.show()""",
    ),
    (
        "md",
        """\
## 3. Where spans fall and how they cluster

Left: position of each span in its document (0 = first word, 1 = last). Right: words
from one span to the next, against the same number of spans placed at random in the
same documents (20 draws). Observed gaps shorter than random ones mean the swaps
come in bursts.""",
    ),
    (
        "code",
        """\
import bisect
import random
import statistics

from despin.tokens import tokenize

rng = random.Random(0)
positions, gaps, random_gaps = [], [], []
for d in docs:
    spans = reports[d.id].spans
    if not d.is_spun or not spans:
        continue
    starts = [t.start for t in tokenize(d.text) if t.is_word]
    idx = sorted({bisect.bisect_right(starts, s.start) - 1 for s in spans})
    positions += [i / max(len(starts) - 1, 1) for i in idx]
    gaps += [b - a for a, b in zip(idx, idx[1:])]
    for _ in range(20):
        r = sorted(rng.sample(range(len(starts)), len(idx)))
        random_gaps += [b - a for a, b in zip(r, r[1:])]

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3))
left.hist(positions, bins=10, range=(0, 1), color="tab:red")
left.set(xlabel="position in document", ylabel="spans")
right.hist([gaps, random_gaps], bins=range(0, 61, 3), density=True,
           label=["observed", "random placement"], color=["tab:red", "tab:gray"])
right.set(xlabel="words to the next span", ylabel="share")
right.legend()
plt.show()
if gaps:
    print(f"median gap: observed {statistics.median(gaps)} words, "
          f"random {statistics.median(random_gaps)} words")""",
    ),
    (
        "md",
        "Which sites use which spinner (`../shared` only): each passage's site, the family "
        "the data gives it, despin's score and its most frequent flagged swap.",
    ),
    (
        "code",
        """\
if not sites:
    print("no site information without ../shared")
for d in docs:
    if d.id in sites:
        top = Counter(s.text.lower() for s in reports[d.id].spans).most_common(1)
        print(f"{sites[d.id][:32]:32} {d.family:16} {reports[d.id].score:5.2f} "
              f"{top[0][0] if top else '':20}")""",
    ),
    (
        "md",
        """\
## 4. One article, span by span

The spun article with the most flagged spans. Darker marks are more probable spins;
hover over a mark for its best restoration. Below, the evidence (the detector's
feature values, see `docs/how-it-works.md`) of each lexicon span, scaled per feature;
`despin explain` prints the same for any text.""",
    ),
    (
        "code",
        """\
from html import escape

from IPython.display import HTML, display

article = max((d for d in docs if d.is_spun), key=lambda d: len(reports[d.id].spans))
report = reports[article.id]


def highlight(text, spans):
    out, pos = [], 0
    for s in spans:
        if s.start < pos:
            continue
        best = s.suggestions[0].text if s.suggestions else "?"
        tip = escape(f"p={s.p_spun:.2f} -> {best} ({s.family})", quote=True)
        alpha = 0.2 + 0.6 * s.p_spun
        out += [escape(text[pos:s.start]),
                f'<mark style="background: rgba(230,60,60,{alpha:.2f})" title="{tip}">'
                f"{escape(s.text)}</mark>"]
        pos = s.end
    out.append(escape(text[pos:]))
    return '<div style="white-space: pre-wrap; line-height: 1.5">' + "".join(out) + "</div>"


print(f"{article.id} ({article.family}): score {report.score:.2f}, {len(report.spans)} spans")
display(HTML(highlight(article.text, report.spans)))
for s in report.spans[:25]:
    best = s.suggestions[0] if s.suggestions else None
    print(f"{s.start:6} {s.text[:30]:30} p={s.p_spun:.2f} -> {best.text if best else '':24} "
          f"{s.rule_id or s.family}")
if len(report.spans) > 25:
    print(f"... and {len(report.spans) - 25} more")""",
    ),
    (
        "code",
        """\
import numpy as np

lexicon_spans = [s for s in report.spans if s.source.startswith("lexicon:")][:20]
if lexicon_spans:
    names = list(lexicon_spans[0].evidence)
    x = np.array([[s.evidence[n] for n in names] for s in lexicon_spans])
    z = (x - x.mean(axis=0)) / np.where(x.std(axis=0) > 1e-9, x.std(axis=0), 1)
    fig, ax = plt.subplots(figsize=(0.45 * len(names) + 3, 0.3 * len(lexicon_spans) + 1.5))
    im = ax.imshow(z, cmap="coolwarm", vmin=-2.5, vmax=2.5, aspect="auto")
    ax.set_xticks(range(len(names)), names, rotation=90)
    ax.set_yticks(range(len(lexicon_spans)),
                  [f"{s.text[:24]} (p={s.p_spun:.2f})" for s in lexicon_spans])
    fig.colorbar(im, label="feature value, standardised over these spans")
    plt.show()
else:
    print("no lexicon spans in this article")""",
    ),
]

BUILD_LEXICON = [
    (
        "md",
        """\
# Build your own lexicon

Spinners are consistent: one site's spinner swaps the same words the same way in every
article. Given a few of its articles next to their originals, despin can mine those
swaps into a lexicon file and find them in articles it has not seen.

This notebook

1. takes pairs of spun and original texts: the news-spinner passages of `../shared`
   or, without it, paragraphs written for despin (`own_texts.txt`) spun by a toy
   fixed-table spinner defined below. Put your own pairs in `pairs` instead;
2. mines swaps from half of the pairs (`despin.mining.mine_swaps`) and writes them as a
   lexicon in the [TSV format](../docs/lexicon-format.md);
3. measures the gain with `despin eval` on the *other* half, with and without the new
   lexicon.

The shipped news lexicon was mined from the passages of `../shared`, so both runs leave it
out (`--family science --family open-vocabulary`): the measurement is what your lexicon
adds for a spinner despin has not met. The context model was trained on those passages
too, so with `../shared` the figures are somewhat optimistic.""",
    ),
    ("code", SETUP),
    (
        "code",
        """\
import json
import re

# A toy site spinner: one fixed thesaurus for every article, as spinner plugins work.
TABLE = {
    "said": "stated", "officials": "officers", "new": "brand new", "year": "12 months",
    "people": "folks", "police": "law enforcement", "city": "metropolis",
    "team": "crew", "players": "gamers", "fire": "blaze", "building": "constructing",
    "government": "authorities", "company": "agency", "children": "youngsters",
    "help": "assist", "warned": "cautioned", "discovered": "uncovered",
    "found": "located", "started": "commenced", "start": "commence",
    "week": "7 days", "two": "2", "three": "3", "month": "thirty days",
    "expected": "anticipated", "old": "outdated", "main": "principal",
}
_WORD = re.compile(r"\\b(" + "|".join(map(re.escape, TABLE)) + r")\\b")


def site_spinner(text: str) -> str:
    return _WORD.sub(lambda m: TABLE[m.group(0)], text)


if HAVE_SHARED:
    rows = [json.loads(line) for line in
            (SHARED / "data" / "real_spun_dev.jsonl").read_text("utf-8").splitlines()
            if line.strip()]
    pairs = [(r["spun"], r["original"]) for r in rows
             if r["family"] == "news-spinner" and r["original"]]
else:
    pairs = [(site_spinner(t), t) for t in paragraphs(OWN_TEXTS.read_text("utf-8"))]

train, test = pairs[::2], pairs[1::2]  # mine on one half, measure on the other
print(f"{len(pairs)} pairs: {len(train)} to mine, {len(test)} to measure")""",
    ),
    (
        "md",
        "Mine the swaps. Each is a (spun, original) pair with how often it was seen; "
        "`n_clean` counts how often the spun phrase occurs unspun in the originals.",
    ),
    (
        "code",
        """\
import tempfile

from despin.lexicon import load_lexicon, phrase_key
from despin.mining import count_clean, format_lexicon, mine_swaps

swaps = mine_swaps(train)
print(len(swaps), "swaps; the most frequent:")
for (spun, original), n in swaps.most_common(12):
    print(f"  {n:3}  {spun} -> {original}")

HEADER = \"\"\"# despin-lexicon: 1
# name: mine
# family: my-site
# description: Swaps mined from my own spun/original pairs.
# source: notebooks/02_build_your_lexicon.ipynb
\"\"\"
clean = count_clean((phrase_key(s) for s, _ in swaps), [o for _, o in train])
OUT = Path(tempfile.mkdtemp(prefix="despin-lexicon-"))
lexicon_file = OUT / "mine.tsv"
lexicon_file.write_text(format_lexicon(HEADER, swaps, clean), encoding="utf-8")
lexicon = load_lexicon(lexicon_file)  # validates the file as despin will read it
print(f"\\n{lexicon_file}: {len(swaps)} rows, {len(lexicon.entries)} entries loaded")
print("\\n".join(lexicon_file.read_text("utf-8").splitlines()[:10]))""",
    ),
    (
        "md",
        """\
## The gain, measured with `despin eval`

The held-out pairs go into a passage file (the JSONL format of `../shared/GOLD_FORMAT.md`:
`id`, `family`, `spun`, `original`); `despin eval` aligns each spun text with its original,
scores the spans, restores, and also scores the originals as clean text.""",
    ),
    (
        "code",
        """\
import shlex
import subprocess
import sys

held_out = OUT / "held_out_pairs.jsonl"
held_out.write_text("".join(
    json.dumps({"id": f"pair{i}", "family": "my-site", "spun": s, "original": o}) + "\\n"
    for i, (s, o) in enumerate(test)), encoding="utf-8")

WITHOUT = ["--family", "science", "--family", "open-vocabulary"]
WITH = [*WITHOUT, "--family", "mine", "--lexicon", str(lexicon_file)]


def despin_eval(options):
    args = ["eval", "--format", "json", *options, str(held_out)]
    print("$ despin", shlex.join(args))
    return subprocess.Popen([sys.executable, "-m", "despin", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def families(run):
    out, err = run.communicate()
    if run.returncode:
        raise RuntimeError(err)
    return json.loads(out)["families"]


runs = [despin_eval(WITHOUT), despin_eval(WITH)]  # both at once
before, after = (families(r) for r in runs)
METRICS = {"precision": "span P", "recall": "span R", "f1": "span F1",
           "wer_gain": "WER gain", "auc": "doc AUC"}


def fmt(x):
    return "–" if x is None else f"{x:.2f}"


print(f"\\n{'':24} {'without':>8} {'with':>8}")
for key, label in METRICS.items():
    print(f"{label:24} {fmt(before['my-site'][key]):>8} {fmt(after['my-site'][key]):>8}")
print(f"{'edits/1k clean words':24} {fmt(before['clean']['edits_per_1k']):>8} "
      f"{fmt(after['clean']['edits_per_1k']):>8}")""",
    ),
    (
        "code",
        """\
import matplotlib.pyplot as plt

keys = list(METRICS)
fig, ax = plt.subplots(figsize=(7, 3))
xs = range(len(keys))
ax.bar([x - 0.2 for x in xs], [before["my-site"][k] or 0 for k in keys], 0.4,
       label="without your lexicon", color="tab:gray")
ax.bar([x + 0.2 for x in xs], [after["my-site"][k] or 0 for k in keys], 0.4,
       label="with your lexicon", color="tab:red")
ax.set_xticks(list(xs), [METRICS[k] for k in keys])
ax.set(ylim=(0, 1.05), title=f"{len(test)} held-out pairs")
ax.legend()
plt.show()""",
    ),
    (
        "md",
        """\
## Use it

From the command line, pass the file to any command: `despin score --lexicon mine.tsv
article.txt`. From Python, `despin.Engine(lexicon_paths=["mine.tsv"])`; the shipped
lexicons stay on unless `families` picks some. Copy the file somewhere lasting (it was
written to a temporary folder) and add `# example: SPUN => ORIGINAL` lines to its
header: despin's test suite checks such examples for the shipped lexicons.""",
    ),
]


def build(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    nb = new_notebook(
        cells=[new_markdown_cell(s) if kind == "md" else new_code_cell(s) for kind, s in cells],
        metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"  # stable ids: regenerating gives the same file
    return nb


NOTEBOOKS = {
    "01_spin_patterns.ipynb": SPIN_PATTERNS,
    "02_build_your_lexicon.ipynb": BUILD_LEXICON,
}


def render(cells: list[tuple[str, str]]) -> str:
    return nbformat.writes(build(cells)) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only compare with the committed files")
    args = ap.parse_args()
    stale = []
    for name, cells in NOTEBOOKS.items():
        path = OUT / name
        text = render(cells)
        if args.check:
            if not path.exists() or path.read_text("utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}", file=sys.stderr)
    if stale:
        print(f"stale: {', '.join(stale)}; run python scripts/make_notebooks.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
