"""Tokenisation with offsets: the first step of the pipeline.

Words keep inner apostrophes and hyphens ("don't", "decades-long"), a possessive
"'s" is split off ("chief's" -> "chief", "'s"); every other
non-space character is its own token, so "Sq." is ["Sq", "."]. Offsets are code
point indices into the original string, so nothing downstream ever has to guess
where a token came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import accumulate, repeat
from typing import NamedTuple, overload

# A possessive "'s" is its own token so that "chief's" matches the lexicon's "chief".
# Words are tried first (the usual token) and matched possessively: a word match never
# needs to give characters back, and not remembering where it could saves a fifth of
# the split's time (the same tokens: no other alternative begins with a word character).
_WORD = r"[^\W_]++(?:(?:-|['’](?![sS]\b))[^\W_]++)*+"
_TOKEN_RE = re.compile(rf"{_WORD}|['’][sS]\b|[^\w\s]|_", re.UNICODE)
# The same pattern as one group: split() then gives gap, token, gap, ..., gap (no match
# is empty), so offsets are running sums of the parts' lengths.
_SPLIT_RE = re.compile(f"({_TOKEN_RE.pattern})", re.UNICODE)
# And with the word alternative as a group of its own: gap, token, word or None, gap, ...
# (a token is a word exactly when the first alternative matched it: \w is isalnum() or _).
_SPLIT_WORDS_RE = re.compile(rf"(({_WORD})|['’][sS]\b|[^\w\s]|_)", re.UNICODE)


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


def token_columns_words(text: str) -> tuple[list[int], list[int], list[str], list[int]]:
    """`token_columns(text)` and the positions of the tokens that are no word (not
    `Token.is_word`: punctuation, "'s"), from one split at C speed."""
    parts = _SPLIT_WORDS_RE.split(text)
    found = parts[2::3]  # the word, or None
    del parts[2::3]
    bounds = list(accumulate(map(len, parts)))
    others = []
    k = -1
    try:  # list.index finds them at C speed: most tokens are words
        while True:
            k = found.index(None, k + 1)
            others.append(k)
    except ValueError:
        pass
    return bounds[0:-1:2], bounds[1::2], parts[1::2], others


class Tokens(Sequence[Token]):
    """A text's tokens as three columns (starts, ends, texts): a `Token` is built only
    when one is asked for. Scoring reads the columns; building a tuple for each of a
    page's hundreds of tokens, to read a few dozen, was a twentieth of its time."""

    __slots__ = ("starts", "ends", "texts")

    def __init__(self, starts: list[int], ends: list[int], texts: list[str]) -> None:
        self.starts, self.ends, self.texts = starts, ends, texts

    def __len__(self) -> int:
        return len(self.texts)

    @overload
    def __getitem__(self, k: int) -> Token: ...
    @overload
    def __getitem__(self, k: slice) -> list[Token]: ...
    def __getitem__(self, k: int | slice) -> Token | list[Token]:
        if isinstance(k, slice):
            return build_tokens(self.starts[k], self.ends[k], self.texts[k])
        return _NEW(Token, (self.starts[k], self.ends[k], self.texts[k]))

    def __iter__(self) -> Iterator[Token]:
        return map(_NEW, repeat(Token), zip(self.starts, self.ends, self.texts, strict=True))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Tokens):
            return (self.starts, self.ends, self.texts) == (other.starts, other.ends, other.texts)
        return isinstance(other, list) and list(self) == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Tokens({list(self)!r})"


def token_texts(text: str) -> list[str]:
    """The texts of `tokenize(text)`, without building tokens (the regex has no groups)."""
    return _TOKEN_RE.findall(text)


def words(text: str) -> list[str]:
    """Lower-cased word tokens only: the unit for WER and per-1,000-word rates."""
    return [normalize(t.text) for t in tokenize(text) if t.is_word]


def count_words(text: str) -> int:
    return sum(1 for t in tokenize(text) if t.is_word)
