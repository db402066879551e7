"""The tortured-phrase term index of the shipped lexicons, stored (lexicons/terms.tsv.gz).

`tortured.build_index` over the science lexicon and the 44,000 multiword WordNet terms
is a third of a second of Python, most of a cold start; `scripts/build_derived.py` runs
it once and stores what it returns. The file records a fingerprint of everything that
result depends on (the science lexicon, the synonym table the terms come from, the word
frequencies, and despin/tortured.py itself): when any of them differs, the stored index
is not used and the engine builds the index live, as before.
"""

from __future__ import annotations

import hashlib
import importlib.resources
from functools import cache
from pathlib import Path

from .lexicon import LexiconError, read_derived
from .tortured import TermIndex

TERMS_MAGIC = "# despin-terms: 1"
FILE = "terms.tsv.gz"
_INPUTS = ("science.tsv", "synonyms.tsv.gz", "wordstats.tsv.gz")


def fingerprint() -> str:
    """sha256 over the files the shipped index is computed from, and the code computing it."""
    digest = hashlib.sha256()
    root = importlib.resources.files("despin.lexicons")
    for name in _INPUTS:
        f = root / name
        digest.update(name.encode() + b"\0")
        digest.update(f.read_bytes() if f.is_file() else b"missing")
    digest.update(Path(__file__).with_name("tortured.py").read_bytes())
    return digest.hexdigest()


def dump(index: TermIndex) -> dict[str, list[str]]:
    """The sections that `stored_index` reads back into an equal TermIndex."""
    return {
        "swaps": [f"{w}\t{' '.join(o)}" for w, o in index.swaps.items()],
        "swap counts": [f"{a}\t{b}\t{n}" for (a, b), n in index.swap_counts.items()],
        "markers": [f"{w}\t{n}" for w, n in index.markers.items()],
        "spun counts": [f"{w}\t{n}" for w, n in index.spun_n.items()],
        "clean counts": [f"{w}\t{n}" for w, n in index.clean_n.items()],
        "terms": sorted(index.terms),
        "list terms": sorted(index.list_terms),
        "listed": sorted(index.listed),
    }


@cache
def stored_index() -> TermIndex | None:
    """The stored index of the shipped lexicons; None if missing or built from other inputs."""
    found = read_derived(FILE, TERMS_MAGIC)
    if found is None or f"# inputs-sha256: {fingerprint()}" not in found[0]:
        return None
    return parse(found[1], f"lexicons/{FILE}")


def parse(sec: dict[str, str], label: str) -> TermIndex:
    """A TermIndex from the sections of `dump`; damage is a LexiconError naming `label`."""
    try:
        swaps = {w: tuple(o.split(" ")) for w, o in _rows(sec["swaps"], 2)}
        counts = {(a, b): int(n) for a, b, n in _rows(sec["swap counts"], 3)}
        markers = {w: int(n) for w, n in _rows(sec["markers"], 2)}
        spun_n = {w: int(n) for w, n in _rows(sec["spun counts"], 2)}
        clean_n = {w: int(n) for w, n in _rows(sec["clean counts"], 2)}
        terms = _lines(sec["terms"])
        # build_index fills by_start in sorted term order: so does this.
        by_start: dict[tuple[int, str], dict[str, list[tuple[str, ...]]]] = {}
        for t in terms:
            words = tuple(t.split(" "))
            by_start.setdefault((len(words), words[0]), {}).setdefault(words[1], []).append(words)
        return TermIndex(
            swaps,
            counts,
            markers,
            spun_n,
            clean_n,
            frozenset(terms),
            frozenset(_lines(sec["list terms"])),
            frozenset(_lines(sec["listed"])),
            {k: {w: tuple(v) for w, v in d.items()} for k, d in by_start.items()},
        )
    except (KeyError, ValueError, IndexError) as exc:
        raise LexiconError(f"{label}: damaged term index ({type(exc).__name__}: {exc})") from None


def _lines(body: str) -> list[str]:
    return body.split("\n") if body else []


def _rows(body: str, n: int) -> list[list[str]]:
    rows = [r.split("\t") for r in _lines(body)]
    if any(len(r) != n for r in rows):
        raise ValueError(f"rows of {n} tab-separated fields expected")
    return rows
