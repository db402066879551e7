"""The tortured-phrase term index of the shipped lexicons, stored in lexicons/derived.sqlite.

`tortured.build_index` over the science lexicon and the 44,000 multiword WordNet terms
is a third of a second of Python, most of a cold start; `scripts/build_derived.py` runs
it once and stores what it returns. The small tables (word swaps and counts) are read
whole; the terms are looked up one first word at a time (`despin.store`), so a short
text reads a few rows. The file records a fingerprint of everything the index depends
on (the science lexicon, the synonym table the terms come from, the word statistics,
and despin/tortured.py itself): when any of them differs, the stored index is not used
and the engine builds the index live, as before.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import cache

from . import store
from .lexicon import LexiconError
from .tortured import MAX_WORDS, TermIndex, _swappable_words

_INPUTS = ("science.tsv", "synonyms.tsv.gz")
# table -> its columns; the build writes them in this order (despin.store reads them).
SCHEMA = {
    "term_swaps": "i INTEGER PRIMARY KEY, k TEXT NOT NULL, v TEXT NOT NULL",
    "term_swap_counts": (
        "i INTEGER PRIMARY KEY, a TEXT NOT NULL, b TEXT NOT NULL, n INTEGER NOT NULL"
    ),
    "term_markers": "i INTEGER PRIMARY KEY, k TEXT NOT NULL, n INTEGER NOT NULL",
    "term_spun_counts": "i INTEGER PRIMARY KEY, k TEXT NOT NULL, n INTEGER NOT NULL",
    "term_clean_counts": "i INTEGER PRIMARY KEY, k TEXT NOT NULL, n INTEGER NOT NULL",
    "term_word_terms": "i INTEGER PRIMARY KEY, k TEXT NOT NULL, n INTEGER NOT NULL",
    "term_swappable": "k TEXT PRIMARY KEY",
    "term_list_terms": "k TEXT PRIMARY KEY",
    "term_listed": "k TEXT PRIMARY KEY",
    "term_keys": "k TEXT PRIMARY KEY",
    "term_starts": "n INTEGER, first TEXT, k TEXT, second TEXT NOT NULL, PRIMARY KEY (n, first, k)",
}


def fingerprint(wordstats: str | None = None) -> str:
    """sha256 over what the shipped index is computed from, and the code computing it.

    `wordstats`: the word statistics' own digest (default: as the shipped file records it).
    """
    stats = wordstats if wordstats is not None else store.meta("wordstats-sha256")
    return store.fingerprint(_INPUTS, ("tortured.py",), f"wordstats {stats or 'missing'}")


def rows(index: TermIndex) -> dict[str, list[tuple]]:
    """The rows of each SCHEMA table that `read` turns back into an equal TermIndex."""
    return {
        "term_swaps": [(i, w, " ".join(o)) for i, (w, o) in enumerate(index.swaps.items())],
        "term_swap_counts": [
            (i, a, b, n) for i, ((a, b), n) in enumerate(index.swap_counts.items())
        ],
        "term_markers": [(i, w, n) for i, (w, n) in enumerate(index.markers.items())],
        "term_spun_counts": [(i, w, n) for i, (w, n) in enumerate(index.spun_n.items())],
        # clean_n's order follows set iteration (hash seeds): sorted, so the file is reproducible.
        "term_clean_counts": [(i, w, n) for i, (w, n) in enumerate(sorted(index.clean_n.items()))],
        "term_word_terms": [(i, w, n) for i, (w, n) in enumerate(sorted(index.term_n.items()))],
        "term_swappable": [(w,) for w in sorted(_swappable_words(index))],
        "term_list_terms": [(t,) for t in sorted(index.list_terms)],
        "term_listed": [(t,) for t in sorted(index.listed)],
        "term_keys": [(t,) for t in sorted(index.terms)],
        "term_starts": sorted(
            (n, first, " ".join(t), second)
            for (n, first), by_second in index.by_start.items()
            for second, terms in by_second.items()
            for t in terms
        ),
    }


@cache
def stored_index() -> TermIndex | None:
    """The stored index of the shipped lexicons; None if missing or built from other inputs."""
    recorded = store.meta("terms-inputs-sha256")  # None when the file is not shipped
    if recorded is None or recorded != fingerprint():
        return None
    return read(store.query, store.LABEL)


def read(query: Callable[[str, tuple], list[tuple]], label: str) -> TermIndex:
    """A TermIndex over the SCHEMA tables that `query(sql, args)` answers from.

    Damage is a LexiconError naming `label`; the terms are read on demand.
    """
    try:
        swaps = {
            w: tuple(o.split(" ")) for w, o in query("SELECT k, v FROM term_swaps ORDER BY i", ())
        }
        counts = {
            (a, b): int(n)
            for a, b, n in query("SELECT a, b, n FROM term_swap_counts ORDER BY i", ())
        }
        markers, spun_n, clean_n, term_n = (
            {w: int(n) for w, n in query(f"SELECT k, n FROM {t} ORDER BY i", ())}  # noqa: S608
            for t in ("term_markers", "term_spun_counts", "term_clean_counts", "term_word_terms")
        )
        swappable = frozenset(k for (k,) in query("SELECT k FROM term_swappable", ()))
        list_terms = frozenset(k for (k,) in query("SELECT k FROM term_list_terms", ()))
    except (sqlite3.Error, LexiconError, ValueError, TypeError, AttributeError) as exc:
        raise LexiconError(f"{label}: damaged term index ({type(exc).__name__}: {exc})") from None

    def grouped(where: str = "", args: tuple = ()) -> dict[tuple[int, str], dict]:
        """(length, first word) -> terms by second word, of the rows `where` selects, in
        sorted term order (as build_index fills them)."""
        sql = f"SELECT n, first, second, k FROM term_starts {where} ORDER BY k"
        found: dict[tuple[int, str], dict[str, list[tuple[str, ...]]]] = {}
        try:
            for length, first, second, term in query(sql, args):
                by_second = found.setdefault((length, first), {})
                by_second.setdefault(second, []).append(tuple(term.split(" ")))
        except (sqlite3.Error, ValueError, AttributeError) as exc:
            raise LexiconError(f"{label}: damaged term index ({exc})") from None
        return {k: {w: tuple(v) for w, v in d.items()} for k, d in found.items()}

    def starts(n: int, first: str) -> dict[str, tuple[tuple[str, ...], ...]] | None:
        return grouped("WHERE n = ? AND first = ?", (n, first)).get((n, first))

    def by_len(n: int) -> store.LazyTable:
        def one(first: str) -> tuple[frozenset[str], dict] | None:
            found = starts(n, first)
            return None if found is None else (frozenset(found), found)

        def every() -> list[tuple[str, tuple[frozenset[str], dict]]]:
            return [(f, (frozenset(d), d)) for (_, f), d in grouped("WHERE n = ?", (n,)).items()]

        return store.LazyTable(one, every)

    def member(table: str) -> store.LazySet:
        sql_one, sql_all = f"SELECT 1 FROM {table} WHERE k = ?", f"SELECT k FROM {table}"  # noqa: S608
        return store.LazySet(
            lambda k: bool(query(sql_one, (k,))), lambda: (k for (k,) in query(sql_all, ()))
        )

    index = TermIndex(
        swaps,
        counts,
        markers,
        spun_n,
        clean_n,
        member("term_keys"),  # type: ignore[arg-type]
        list_terms,
        member("term_listed"),  # type: ignore[arg-type]
        # Scoring reads the terms through by_len; by_start is for builds and tests.
        store.LazyTable(lambda key: starts(*key), lambda: grouped().items(), preload=False),
        term_n,
    )
    index.by_len.update({n: by_len(n) for n in range(2, MAX_WORDS + 1)})
    index.memo["swappable"] = swappable
    return index
