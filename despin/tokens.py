"""Tokenisation with offsets: the first step of the pipeline.

Words keep inner apostrophes and hyphens ("don't", "decades-long"), a possessive
"'s" is split off ("chief's" -> "chief", "'s"); every other
non-space character is its own token, so "Sq." is ["Sq", "."]. Offsets are code
point indices into the original string, so nothing downstream ever has to guess
where a token came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A possessive "'s" is its own token so that "chief's" matches the lexicon's "chief".
_TOKEN_RE = re.compile(r"['’][sS]\b|[^\W_]+(?:(?:-|['’](?![sS]\b))[^\W_]+)*|[^\w\s]|_", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Token:
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
    return [_token(*m.span(), m[0]) for m in _TOKEN_RE.finditer(text)]


_NEW = object.__new__
_SET_START = Token.start.__set__  # type: ignore[attr-defined]
_SET_END = Token.end.__set__  # type: ignore[attr-defined]
_SET_TEXT = Token.text.__set__  # type: ignore[attr-defined]


def _token(start: int, end: int, text: str) -> Token:
    """Token(start, end, text), built through its slots: the frozen dataclass's __init__
    costs about twice as much, and tokenising is a tenth of scoring."""
    tok = _NEW(Token)
    _SET_START(tok, start)
    _SET_END(tok, end)
    _SET_TEXT(tok, text)
    return tok


def token_texts(text: str) -> list[str]:
    """The texts of `tokenize(text)`, without building tokens (the regex has no groups)."""
    return _TOKEN_RE.findall(text)


def words(text: str) -> list[str]:
    """Lower-cased word tokens only: the unit for WER and per-1,000-word rates."""
    return [normalize(t.text) for t in tokenize(text) if t.is_word]


def count_words(text: str) -> int:
    return sum(1 for t in tokenize(text) if t.is_word)
