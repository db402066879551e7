"""Build the derived run-time tables in lexicons/: candidates, wordstats, inflections (.tsv.gz).

They hold answers despin would otherwise work out at run time, so that scoring never
loads lemminflect, wordfreq or wordsegment (seconds of start-up and ~200 MB):

- candidates.tsv.gz: `despin.synonyms.compute_candidates(word)` for every word that has
  any (every synonym-table word and every form lemminflect's dictionary knows), keyed
  to the sha256 of lexicons/synonyms.tsv.gz (a stale file is ignored at run time);
- wordstats.tsv.gz: wordfreq's English Zipf frequency of every word on its list and of
  every phrase of the shipped lexicons, synonym table and candidates, and the Web 1T bigram counts
  that ship inside the wordsegment wheel;
- inflections.tsv.gz: the inflected variants (`despin.lexicon.compute_inflection_pairs`)
  of every one-word swap that ends a row of the shipped lexicons;
- terms.tsv.gz: `despin.tortured.build_index` of the shipped science lexicon and the
  synonym table's multiword terms (what the default engine builds at start-up), keyed to
  a fingerprint of its inputs and of despin/tortured.py (`despin.termstore`).

Run after `make synonyms` or a lexicon change: `python scripts/build_derived.py`.
The output is byte-for-byte reproducible (sorted rows, gzip mtime 0).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.metadata
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from despin.lexicon import INFLECTIONS_MAGIC, compute_inflection_pairs  # noqa: E402
from despin.ngrams import WORDSTATS_MAGIC  # noqa: E402
from despin.synonyms import CANDIDATES_MAGIC, compute_candidates, relations_table  # noqa: E402


def _write(path: Path, head: list[str], sections: dict[str, list[str]]) -> None:
    """Header lines, then each section as a '[[name]]' line and its rows (see read_derived)."""
    lines = list(head)
    for name, rows in sections.items():
        for r in rows:
            if "\n" in r or r.startswith("[["):
                raise SystemExit(f"{path.name}: row {r!r} cannot be stored")
        lines += [f"[[{name}]]", *rows]
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))


def build_candidates(out: Path) -> tuple[int, set[str]]:
    from lemminflect.core.Lemmatizer import Lemmatizer

    lem = Lemmatizer()
    words = {w.lower() for w in lem._getLemmaDict()} | {w.lower() for w in lem._getOverridesDict()}
    words |= set(relations_table())
    keys, rows = [], []
    for w in sorted(words):
        if "\t" in w or "\n" in w or not w:
            continue
        cands = compute_candidates(w, limit=10_000)
        if cands:
            keys.append(w)
            rows.append(" ".join(f"{c.replace(' ', '_')}|{r}" for c, r in cands))
    from despin.lexicon import phrase_key

    table = relations_table()
    terms = {k for k in table if " " in k}
    terms |= {c for cands in table.values() for c, _ in cands if " " in c}
    # All lemmas of every word lemminflect knows (tortured._same_word), lower case only:
    # getAllLemmas lower-cases what it is given.
    lemma_words, lemma_rows = [], []
    for w in sorted(words):
        if w != w.lower() or "\t" in w or " " in w:
            continue
        found = {x for v in lem.getAllLemmas(w).values() for x in v}
        if found:
            if any(" " in x or "\t" in x for x in found):
                raise SystemExit(f"lemma of {w!r} cannot be stored: {found!r}")
            lemma_words.append(w)
            lemma_rows.append(" ".join(sorted(found)))
    syn = ROOT / "lexicons" / "synonyms.tsv.gz"
    head = [
        CANDIDATES_MAGIC,
        "# Open-vocabulary candidates of every word that has any: despin.synonyms.candidates",
        "# precomputed from lexicons/synonyms.tsv.gz and lemminflect by scripts/build_derived.py.",
        f"# synonyms-sha256: {hashlib.sha256(syn.read_bytes()).hexdigest()}",
        f"# lemminflect: {importlib.metadata.version('lemminflect')}",
        "# [[words]] and [[candidates]]: parallel rows, 'candidate|relations ...' (_ for spaces)",
        "# [[terms]]: multiword words and candidates of the synonym table (tortured generator)",
        "# [[term keys]]: the same terms as matching keys (despin.lexicon.phrase_key)",
        "# [[lemma words]] and [[lemmas]]: parallel rows, a word and all its lemmas",
    ]
    sections = {
        "words": keys,
        "candidates": rows,
        "terms": sorted(terms),
        "term keys": sorted({phrase_key(t) for t in terms}),
        "lemma words": lemma_words,
        "lemmas": lemma_rows,
    }
    _write(out, head, sections)
    found = {c.replace("_", " ") for r in rows for c in (x.partition("|")[0] for x in r.split())}
    return len(rows), found


def _phrases() -> set[str]:
    """Every word and phrase of the shipped lexicons and synonym table, lower case."""
    from despin.lexicon import expand_inflections, phrase_key, shipped_lexicons

    out: set[str] = set()
    for lx in shipped_lexicons():
        for e in expand_inflections(lx.entries):
            for p in (e.key, phrase_key(e.original), e.original.lower()):
                out.add(p)
                out.update(p.split())
    for w, cands in relations_table().items():
        for p in (w, *(c for c, _ in cands)):
            out.add(p)
            out.update(p.split())
            out.add(phrase_key(p))
            out.update(phrase_key(p).split())
    return out


def build_wordstats(out: Path, extra: set[str]) -> tuple[int, int]:
    import wordsegment
    from wordfreq import get_frequency_dict, zipf_frequency

    words = set(get_frequency_dict("en", wordlist="best")) | _phrases() | extra
    by_value: dict[int, list[str]] = {}
    for w in sorted(words):
        if not w or "\t" in w or "\n" in w:
            continue
        z = zipf_frequency(w, "en")
        if z == 0.0 and re.fullmatch(r"[a-z]+", w):
            continue  # the run-time default for a plain word not listed
        centi = round(z * 100)
        if centi / 100 != z:
            raise SystemExit(f"zipf of {w!r} is {z!r}, not a multiple of 0.01")
        by_value.setdefault(centi, []).append(w)
    wordsegment.load()
    bigrams = sorted(wordsegment.BIGRAMS.items())
    for k, v in bigrams:
        if v != int(v) or "\t" in k or "\n" in k:
            raise SystemExit(f"unexpected bigram row {k!r} {v!r}")
    head = [
        WORDSTATS_MAGIC,
        "# Word statistics despin needs at run time, built by scripts/build_derived.py:",
        f"# zipf: wordfreq {importlib.metadata.version('wordfreq')} English Zipf frequencies"
        " (Robyn Speer, CC BY-SA 4.0 data, https://github.com/rspeer/wordfreq)",
        f"# bigrams: Web 1T 5-gram subset shipped in wordsegment "
        f"{importlib.metadata.version('wordsegment')} (Grant Jenks, Apache 2.0; counts from"
        " Google's Web 1T, as redistributed by Peter Norvig's ngrams data)",
        "# [[zipf]] rows: centi-Zipf TAB words and phrases TAB-separated (plain unlisted words: 0)",
        "# [[bigram keys]] and [[bigram counts]]: parallel rows, 'left right' and its count",
        "# [[best left/right words/counts]]: per word, the largest count of a bigram it begins"
        " / ends",
    ]
    zrows = [f"{v}\t" + "\t".join(ws) for v, ws in sorted(by_value.items())]
    best: tuple[dict[str, int], dict[str, int]] = ({}, {})
    for k, v in bigrams:
        for side, w in zip(best, k.split(" ", 1), strict=True):
            side[w] = max(side.get(w, 0), int(v))
    best_rows = {
        f"best {name} {part}": [str(x) for x in (sorted(side) if part == "words" else
                                                 (side[w] for w in sorted(side)))]
        for name, side in zip(("left", "right"), best, strict=True)
        for part in ("words", "counts")
    }  # fmt: skip
    _write(
        out,
        head,
        {
            "zipf": zrows,
            "bigram keys": [k for k, _ in bigrams],
            "bigram counts": [str(int(v)) for _, v in bigrams],
            **best_rows,
        },
    )
    return sum(len(ws) for ws in by_value.values()), len(bigrams)


def build_inflections(out: Path) -> int:
    """Inflection pairs of every one-word swap at the end of a shipped lexicon row."""
    from despin.lexicon import shipped_lexicons

    pairs = set()
    for lx in shipped_lexicons():
        for e in lx.entries:
            s_words, o_words = e.spun.split(), e.original.split()
            if s_words and o_words and s_words[-1].isalpha() and o_words[-1].isalpha():
                pairs.add((s_words[-1].lower(), o_words[-1]))
    keys, rows = [], []
    for s, o in sorted(pairs):
        found = compute_inflection_pairs(s, o)
        if any(" " in w or "\t" in w for p in found for w in p) or "\t" in s + o:
            raise SystemExit(f"inflection of {s!r}/{o!r} cannot be stored: {found!r}")
        keys.append(f"{s}\t{o}")
        rows.append("\t".join(f"{a} {b}" for a, b in found))
    head = [
        INFLECTIONS_MAGIC,
        "# Inflection pairs of the one-word swaps ending shipped lexicon rows",
        "# (despin.lexicon.compute_inflection_pairs, lemminflect"
        f" {importlib.metadata.version('lemminflect')}), built by scripts/build_derived.py.",
        "# [[pairs]] rows: spun TAB original; [[inflections]] rows: 'spun original' TAB ...",
    ]
    _write(out, head, {"pairs": keys, "inflections": rows})
    return len(keys)


def build_terms(out: Path) -> int:
    """The term index as the default engine would build it, from the tables now in lexicons/."""
    from despin import ngrams, synonyms, termstore, tortured
    from despin.lexicon import shipped_lexicons

    for f in (synonyms._derived, synonyms.multiword_term_keys, ngrams._tables, tortured._content):
        f.cache_clear()  # tables this run may have rewritten
    lexicons = shipped_lexicons()
    science = [e for lx in lexicons if lx.family == "tortured-science" for e in lx.entries]
    index = tortured.build_index(science, extra_keys=tortured.wordnet_term_keys())
    head = [
        termstore.TERMS_MAGIC,
        "# The tortured-phrase term index of the shipped lexicons: despin.tortured.build_index",
        "# stored by scripts/build_derived.py (read by despin.termstore), and the sha256 of",
        "# lexicons/science.tsv, synonyms.tsv.gz, wordstats.tsv.gz and despin/tortured.py:",
        f"# inputs-sha256: {termstore.fingerprint()}",
        "# [[swaps]] word TAB originals; [[swap counts]] spun TAB original TAB n;",
        "# [[markers]] word TAB n; [[terms]], [[list terms]], [[listed]]: one phrase key a line",
    ]
    _write(out, head, termstore.dump(index))
    return len(index.terms)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "lexicons")
    ap.add_argument("--only", choices=("candidates", "wordstats", "inflections", "terms"))
    args = ap.parse_args(argv)
    t = time.perf_counter()
    if args.only in (None, "inflections"):
        n = build_inflections(args.out / "inflections.tsv.gz")
        print(f"inflections: {n} word pairs ({time.perf_counter() - t:.0f} s)")
    extra: set[str] = set()
    if args.only in (None, "candidates", "wordstats"):
        n, extra = build_candidates(args.out / "candidates.tsv.gz")
        print(f"candidates: {n} words ({time.perf_counter() - t:.0f} s)")
    if args.only in (None, "wordstats"):
        n_z, n_b = build_wordstats(args.out / "wordstats.tsv.gz", extra)
        print(f"wordstats: {n_z} Zipf values, {n_b} bigrams ({time.perf_counter() - t:.0f} s)")
    if args.only in (None, "terms"):
        n = build_terms(args.out / "terms.tsv.gz")
        print(f"terms: {n} known terms ({time.perf_counter() - t:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
