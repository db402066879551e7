"""Find lexicon hits in a token stream with one Aho-Corasick pass.

Tokens are normalised and joined by single spaces, so a phrase matches across line
breaks and runs of spaces, and a hit is kept only when it starts and ends on token
boundaries (whole words).
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate
from operator import itemgetter
from typing import NamedTuple

import ahocorasick

from .lexicon import Entry, Lexicon, expand_inflections
from .tokens import Token


class Hit(NamedTuple):
    """Tokens [i, j) match a lexicon key; `entries` are its candidate originals.

    A named tuple: built and sorted at C speed (a document has dozens)."""

    i: int
    j: int
    key: str
    entries: tuple[Entry, ...]


class Matcher:
    """Compiled multi-pattern matcher over one or more lexicons."""

    def __init__(self, lexicons: tuple[Lexicon, ...] | list[Lexicon]) -> None:
        by_key: dict[str, list[Entry]] = {}
        for lex in lexicons:
            for e in expand_inflections(lex.entries):
                by_key.setdefault(e.key, []).append(e)
        self.entries = {k: tuple(v) for k, v in by_key.items()}
        self._auto = ahocorasick.Automaton()
        for key in self.entries:
            self._auto.add_word(f" {key} ", key)
        if self.entries:
            self._auto.make_automaton()

    def __len__(self) -> int:
        return len(self.entries)

    def find(
        self, tokens: list[Token], lowers: list[str] | None = None, hay: str | None = None
    ) -> list[Hit]:
        """All (possibly overlapping) hits, ordered by start token.

        `lowers`: the tokens' normalised forms, when the caller has them already;
        `hay`: `haystack(lowers)`, likewise.
        """
        if not self.entries or not tokens:
            return []
        if lowers is None:
            lowers = [tok.lower for tok in tokens]
        if hay is None:
            hay = haystack(lowers)
        # The space before token k sits at bounds[k]; the one after it at bounds[k + 1].
        bounds = list(accumulate(map((1).__add__, map(len, lowers)), initial=0))
        last = len(lowers)
        entries = self.entries
        hits = []
        for end_pos, key in self._auto.iter(hay):
            begin = end_pos - len(key) - 1
            i = bisect_left(bounds, begin)  # a few matches a document: no index of all bounds
            j = bisect_left(bounds, end_pos, i)
            if j > last or bounds[i] != begin or bounds[j] != end_pos or i >= last or j < 1:
                continue
            hits.append(_NEW(Hit, (i, j, key, entries[key])))
        # By start, longer first: sort by end descending, then stably by start.
        hits.sort(key=_END, reverse=True)
        hits.sort(key=_START)
        return hits


def haystack(lowers: list[str]) -> str:
    """Normalised tokens joined by single spaces, with a space at either end."""
    return " " + " ".join(lowers) + " "


_NEW = tuple.__new__
_START, _END = itemgetter(0), itemgetter(1)
