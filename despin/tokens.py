"""Tokenisation with offsets: the first step of the pipeline.

Words keep inner apostrophes and hyphens ("don't", "decades-long"), a possessive
"'s" is split off ("chief's" -> "chief", "'s"); every other
non-space character is its own token, so "Sq." is ["Sq", "."]. Offsets are code
point indices into the original string, so nothing downstream ever has to guess
where a token came from.
"""

from __future__ import annotations

import re
from itertools import accumulate, repeat
from typing import NamedTuple

# A possessive "'s" is its own token so that "chief's" matches the lexicon's "chief".
# Words are tried first (the usual token) and matched possessively: a word match never
# needs to give characters back, and not remembering where it could saves a fifth of
# the split's time (the same tokens: no other alternative begins with a word character).
_TOKEN_RE = re.compile(
    r"[^\W_]++(?:(?:-|['’](?![sS]\b))[^\W_]++)*+|['’][sS]\b|[^\w\s]|_", re.UNICODE
)
# The same pattern as one group: split() then gives gap, token, gap, ..., gap (no match
# is empty), so offsets are running sums of the parts' lengths.
_SPLIT_RE = re.compile(f"({_TOKEN_RE.pattern})", re.UNICODE)


class Token(NamedTuple):
    """A token and its code point offsets (a named tuple: built at C speed, see tokenize)."""

    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return normalize(self.text)

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()


def normalize(word: str) -> str:
    """Lower-case and fold typographic apostrophes, for matching only."""
    return word.lower().replace("’", "'")


def tokenize(text: str) -> list[Token]:
    """Split `text` into word and punctuation tokens with their offsets."""
    return build_tokens(*token_columns(text))


def build_tokens(starts: list[int], ends: list[int], texts: list[str]) -> list[Token]:
    """Tokens from `token_columns`: tuple.__new__ builds each without a Python-level call."""
    return list(map(_NEW, repeat(Token), zip(starts, ends, texts, strict=True)))


_NEW = tuple.__new__


def token_columns(text: str) -> tuple[list[int], list[int], list[str]]:
    """Starts, ends and texts of `tokenize(text)` as three lists, at C speed."""
    parts = _SPLIT_RE.split(text)
    bounds = list(accumulate(map(len, parts)))
    return bounds[0:-1:2], bounds[1::2], parts[1::2]


def token_texts(text: str) -> list[str]:
    """The texts of `tokenize(text)`, without building tokens (the regex has no groups)."""
    return _TOKEN_RE.findall(text)


def words(text: str) -> list[str]:
    """Lower-cased word tokens only: the unit for WER and per-1,000-word rates."""
    return [normalize(t.text) for t in tokenize(text) if t.is_word]


def count_words(text: str) -> int:
    return sum(1 for t in tokenize(text) if t.is_word)
