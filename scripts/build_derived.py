"""Build the derived run-time tables in lexicons/: derived.sqlite and inflections.tsv.gz.

They hold answers despin would otherwise work out at run time, so that scoring never
loads lemminflect, wordfreq or wordsegment (seconds of start-up and ~200 MB). The
tables of derived.sqlite are looked up one key at a time (`despin.store`), so a cold
start reads a few hundred rows, not a million:

- candidates, lemmas, multiword_terms, multiword_term_keys:
  `despin.synonyms.compute_candidates(word)` for every word that has any (every
  synonym-table word and every form lemminflect's dictionary knows), all lemmas of each,
  the multiword terms of the synonym table; keyed to the sha256 of
  lexicons/synonyms.tsv.gz (stale tables are ignored at run time);
- zipf, bigrams, best_left, best_right: wordfreq's English Zipf frequency of every word
  on its list, of the numbers 0 to 9999 and of every phrase of the shipped lexicons,
  synonym table and candidates,
  and the Web 1T bigram counts that ship inside the wordsegment wheel (as log10(1 + n));
- term_*: `despin.tortured.build_index` of the shipped science lexicon and the synonym
  table's multiword terms (what the default engine builds at start-up), keyed to a
  fingerprint of its inputs and of despin/tortured.py (`despin.termstore`);
- inflections.tsv.gz: the inflected variants (`despin.lexicon.compute_inflection_pairs`)
  of every one-word swap that ends a row of the shipped lexicons.

Run after `make synonyms` or a lexicon change: `python scripts/build_derived.py`
(`--only` rebuilds one group and copies the others from the file as it was). The
output is reproducible with the same SQLite library: a fresh file, fixed table order,
sorted rows, VACUUMed.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.metadata
import math
import re
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from despin import lexiconstore, ngrams, store, synonyms, termstore  # noqa: E402
from despin.lexicon import INFLECTIONS_MAGIC, compute_inflection_pairs  # noqa: E402
from despin.synonyms import compute_candidates, relations_table  # noqa: E402

GROUPS = {
    "candidates": synonyms.SCHEMA,
    "wordstats": ngrams.SCHEMA,
    "terms": termstore.SCHEMA,
    "lexicons": lexiconstore.SCHEMA,
}
META_KEYS = {  # what each group records in the meta table
    "candidates": ("synonyms-sha256", "lemminflect"),
    "wordstats": ("wordstats-sha256", "wordfreq", "wordsegment"),
    "terms": ("terms-inputs-sha256",),
    "lexicons": ("lexicons-sha256",),
}
Rows = dict[str, list[tuple]]


def write_sqlite(out: Path, built: dict[str, tuple[Rows, dict[str, str]]]) -> None:
    """A fresh derived.sqlite: the groups in `built` (rows, meta), the others copied from `out`."""
    old = store.connect(out, str(out)) if out.exists() else None
    tables, meta = [], {}
    for group, schema in GROUPS.items():
        if group in built:
            rows, group_meta = built[group]
            meta.update(group_meta)
        elif old is not None and _has(old, schema):
            rows = {t: old.execute(f"SELECT * FROM {t}").fetchall() for t in schema}
            found = old.execute(
                f"SELECT k, v FROM meta WHERE k IN ({','.join('?' * len(META_KEYS[group]))})",
                META_KEYS[group],
            )
            meta.update(found)
        elif group in ("terms", "lexicons"):
            rows = {t: [] for t in schema}  # built next, from the tables written now
        else:
            raise SystemExit(f"{out.name} has no {group} tables yet: build them (no --only)")
        tables += [(t, columns, rows[t]) for t, columns in schema.items()]
    if old is not None:
        old.close()
    store.write(out, tables, meta)


def _has(con: sqlite3.Connection, schema: dict[str, str]) -> bool:
    found = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return set(schema) <= found


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


def build_candidates() -> tuple[Rows, dict[str, str], set[str]]:
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
    meta = {
        "synonyms-sha256": store.shipped_digest("synonyms.tsv.gz") or "missing",
        "lemminflect": importlib.metadata.version("lemminflect"),
    }
    tables = {
        "candidates": list(zip(keys, rows, strict=True)),
        "lemmas": list(zip(lemma_words, lemma_rows, strict=True)),
        "multiword_terms": [(t,) for t in sorted(terms)],
        "multiword_term_keys": [(t,) for t in sorted({phrase_key(t) for t in terms})],
    }
    found = {c.replace("_", " ") for r in rows for c in (x.partition("|")[0] for x in r.split())}
    return tables, meta, found


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


def build_wordstats(extra: set[str]) -> tuple[Rows, dict[str, str]]:
    import wordsegment
    from wordfreq import get_frequency_dict, zipf_frequency

    words = set(get_frequency_dict("en", wordlist="best")) | _phrases() | extra
    # Numbers are no plain word, so an unlisted one would send zipf() to wordfreq at run
    # time (0.4 s and 60 MB to import it); up to 9999 (years) they are listed here.
    words |= {str(i) for i in range(10_000)}
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
    zipfs = sorted((w, c / 100) for c, ws in by_value.items() for w in ws)
    best: tuple[dict[str, int], dict[str, int]] = ({}, {})
    for k, v in bigrams:
        for side, w in zip(best, k.split(" ", 1), strict=True):
            side[w] = max(side.get(w, 0), int(v))

    def log(n: float) -> float:  # as despin.ngrams has always computed it
        return math.log10(1.0 + float(n))

    tables = {
        "zipf": zipfs,
        "bigrams": [(k, log(v)) for k, v in bigrams],
        "best_left": sorted((w, log(n)) for w, n in best[0].items()),
        "best_right": sorted((w, log(n)) for w, n in best[1].items()),
    }
    digest = hashlib.sha256(repr(sorted(tables.items())).encode()).hexdigest()
    meta = {
        "wordstats-sha256": digest,
        "wordfreq": f"wordfreq {importlib.metadata.version('wordfreq')} English Zipf frequencies"
        " (Robyn Speer, CC BY-SA 4.0 data, https://github.com/rspeer/wordfreq)",
        "wordsegment": f"Web 1T 5-gram subset shipped in wordsegment"
        f" {importlib.metadata.version('wordsegment')} (Grant Jenks, Apache 2.0; counts from"
        " Google's Web 1T, as redistributed by Peter Norvig's ngrams data)",
    }
    return tables, meta


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


def build_terms(wordstats_digest: str) -> tuple[Rows, dict[str, str]]:
    """The term index as the default engine would build it, from the tables now in lexicons/."""
    from despin import tortured
    from despin.lexicon import shipped_lexicons

    lexicons = shipped_lexicons()
    science = [e for lx in lexicons if lx.family == "tortured-science" for e in lx.entries]
    index = tortured.build_index(science, extra_keys=tortured.wordnet_term_keys())
    return termstore.rows(index), {"terms-inputs-sha256": termstore.fingerprint(wordstats_digest)}


def build_lexicons() -> tuple[Rows, dict[str, str]]:
    """The shipped lexicons parsed from their files and inflected (what shipped_lexicons reads)."""
    from despin.lexicon import parse_lexicon

    _reset_caches()
    parsed = tuple(parse_lexicon(text, label) for label, text in lexiconstore.shipped_files())
    return lexiconstore.rows(parsed), {"lexicons-sha256": lexiconstore.fingerprint()}


def _reset_caches() -> None:
    """Forget tables read before this run rewrote the file."""
    from despin import lexicon, tortured

    lexicon._EXPANDED_BY_ID.clear()
    store.shipped_digest.cache_clear()
    for f in (
        lexicon.shipped_lexicons, lexicon._stored_pairs, lexicon._expand_inflections,
        synonyms._derived, synonyms.multiword_term_keys, synonyms.multiword_terms,
        ngrams._stored, ngrams._zipfs, ngrams._log_bigrams, ngrams._bigrams,
        ngrams.best_neighbours, tortured._content, tortured.wordnet_terms,
        termstore.stored_index,
    ):  # fmt: skip
        f.cache_clear()
    store.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "lexicons")
    ap.add_argument(
        "--only", choices=("candidates", "wordstats", "inflections", "terms", "lexicons")
    )
    args = ap.parse_args(argv)
    t = time.perf_counter()
    if args.only in (None, "inflections"):
        n = build_inflections(args.out / "inflections.tsv.gz")
        print(f"inflections: {n} word pairs ({time.perf_counter() - t:.0f} s)")
    db = args.out / store.FILE
    built: dict[str, tuple[Rows, dict[str, str]]] = {}
    if args.only in (None, "candidates", "wordstats"):
        rows, meta, extra = build_candidates()
        built["candidates"] = (rows, meta)
        print(f"candidates: {len(rows['candidates'])} words ({time.perf_counter() - t:.0f} s)")
        if args.only in (None, "wordstats"):
            built["wordstats"] = build_wordstats(extra)
            n_z, n_b = (len(built["wordstats"][0][k]) for k in ("zipf", "bigrams"))
            print(f"wordstats: {n_z} Zipf values, {n_b} bigrams ({time.perf_counter() - t:.0f} s)")
        write_sqlite(db, built)  # the term index is built from the tables as now written
        _reset_caches()
    # The parsed lexicons are rebuilt on every run (a second): they depend on the
    # inflection table and the lexicon files, which any of the steps above may follow.
    built = {"lexicons": build_lexicons()}
    if args.only in (None, "terms"):
        old = store.connect(db, str(db))
        digest = dict(old.execute("SELECT k, v FROM meta"))["wordstats-sha256"]
        old.close()
        built["terms"] = build_terms(digest)
        n = len(built["terms"][0]["term_keys"])
        print(f"terms: {n} known terms ({time.perf_counter() - t:.0f} s)")
    write_sqlite(db, built)
    _reset_caches()
    n = len(built["lexicons"][0]["lexicon_entries"])
    print(f"lexicons: {n} entries with inflections ({time.perf_counter() - t:.0f} s)")
    print(f"{db.name}: {db.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
