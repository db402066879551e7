"""The shipped lexicons, parsed and inflected once at build time (lexicons/derived.sqlite).

Parsing news.tsv and science.tsv (a matching key per phrase, 6,400 rows) and adding the
inflected variants of their swaps is a tenth of a second of Python at every start, a
fifth of a cold start. `scripts/build_derived.py` stores what `parse_lexicon` and
`expand_inflections` return for them, and `despin.lexicon.shipped_lexicons` reads the
rows back. The file records a fingerprint of everything that result depends on (the
lexicon files, the inflection table, the code that parses and tokenises): when any of
them differs, the stored rows are not used and the files are parsed, as before.
"""

from __future__ import annotations

import importlib.resources
import json
import sqlite3

from . import store
from .lexicon import Entry, Lexicon, LexiconError, expand_inflections

# table -> its columns (scripts/build_derived.py writes them; shipped_lexicons reads them).
SCHEMA = {
    "lexicon_files": "i INTEGER PRIMARY KEY, path TEXT NOT NULL, name TEXT NOT NULL,"
    " family TEXT NOT NULL, meta TEXT NOT NULL, examples TEXT NOT NULL",
    "lexicon_entries": "lexicon INTEGER, i INTEGER, key TEXT NOT NULL, spun TEXT NOT NULL,"
    " original TEXT NOT NULL, n_spun INTEGER NOT NULL, n_clean INTEGER NOT NULL,"
    " name TEXT NOT NULL, family TEXT NOT NULL, inflected INTEGER NOT NULL,"
    " PRIMARY KEY (lexicon, i)",
}
_CODE = ("lexicon.py", "tokens.py")
_DATA = ("inflections.tsv.gz",)


def _names() -> list[str]:
    """The shipped lexicon files (lexicons/*.tsv), in name order."""
    root = importlib.resources.files("despin.lexicons")
    return sorted(f.name for f in root.iterdir() if f.name.endswith(".tsv"))


def shipped_files() -> list[tuple[str, str]]:
    """(label, text) of each shipped lexicon file, in name order."""
    root = importlib.resources.files("despin.lexicons")
    return [(f"lexicons/{n}", (root / n).read_text(encoding="utf-8")) for n in _names()]


def fingerprint() -> str:
    """sha256 over the shipped lexicon files, the inflection table and the parsing code."""
    return store.fingerprint([*_names(), *_DATA], _CODE)


def rows(lexicons: tuple[Lexicon, ...]) -> dict[str, list[tuple]]:
    """The rows of each SCHEMA table for `lexicons`: their entries, then the inflected ones."""
    files, entries = [], []
    for n, lx in enumerate(lexicons):
        files.append((n, lx.path, lx.name, lx.family, json.dumps(lx.meta), json.dumps(lx.examples)))
        for i, e in enumerate(expand_inflections(lx.entries)):
            entries.append(
                (n, i, e.key, e.spun, e.original, e.n_spun, e.n_clean, e.lexicon, e.family,
                 int(e.inflected))
            )  # fmt: skip
    return {"lexicon_files": files, "lexicon_entries": entries}


def stored() -> tuple[tuple[Lexicon, ...], tuple[tuple[Entry, ...], ...]] | None:
    """The shipped lexicons and their inflected expansions; None if missing or stale."""
    recorded = store.meta("lexicons-sha256")  # None when the file is not shipped
    if recorded is None or recorded != fingerprint():
        return None
    try:
        sql = "SELECT path, name, family, meta, examples FROM lexicon_files ORDER BY i"
        files = store.query(sql)
        lexicons, expanded = [], []
        for n, (path, name, family, meta, examples) in enumerate(files):
            sql = "SELECT key, spun, original, n_spun, n_clean, name, family, inflected FROM"
            found = store.query(f"{sql} lexicon_entries WHERE lexicon = ? ORDER BY i", (n,))
            all_entries = tuple(
                Entry(k, s, o, ns, nc, lx, fam, bool(inf))
                for k, s, o, ns, nc, lx, fam, inf in found
            )
            own = tuple(e for e in all_entries if not e.inflected)
            pairs = tuple(tuple(p) for p in json.loads(examples))
            lexicons.append(Lexicon(name, family, own, json.loads(meta), pairs, path))  # type: ignore[arg-type]
            expanded.append(all_entries)
    except (sqlite3.Error, ValueError, TypeError) as exc:
        msg = f"{store.LABEL}: damaged lexicon rows ({exc}); reinstall despin"
        raise LexiconError(msg) from None
    return tuple(lexicons), tuple(expanded)
