"""Does a text read as science? The gate in front of the tortured-phrase generator.

The generator rebuilds known terms from words a spinner may have put in. In news a
spinner went through, those words are mostly the news spinner's ("inexperienced" for
"green"), and the terms rebuilt from them are wrong ("inexperienced Square" -> "green
square"): on the corpus of `make bench`, 205 such spans, nearly all wrong, at about a
third of the scoring time. A text's register tells the two apart. Technical words (in
at least REGISTER_TERMS expected phrases of the tortured-phrase list and rarer than
REGISTER_ZIPF in English: "regression", "spectral", "method") number about 4 per 100
words in news, spun or clean (90% of the benchmark's news under 6, none over 9.4), and
12 to 33 in scientific prose, clean or tortured; spinning lowers the count, as it
swaps technical words too (a spun machine-learning README: about 8). So a text of
REGISTER_WORDS words or more with fewer than REGISTER_MIN per 100 is not looked at. A
sentence or two is too short to tell, so a short text always is.

With the science family alone (`despin score --family science`) there is no gate.
"""

from __future__ import annotations

from .tortured import TermIndex

REGISTER_WORDS = 120
"""Texts shorter than this (in words) always meet the generator."""
REGISTER_MIN = 6.0
"""Technical words per 100 at and above which a longer text reads as science."""
REGISTER_TERMS = 2
"""A technical word is in at least this many expected phrases of the list ..."""
REGISTER_ZIPF = 5.0
"""... and rarer than this in English (wordfreq's Zipf scale: "data" 5.3, "model" 5.1)."""

_LISTED = "register:listed"  # TermIndex.memo key
_RARE: dict[str, bool] = {}
"""Word -> rarer than REGISTER_ZIPF, for words of expected phrases only (so bounded by the
list's vocabulary)."""


def technical_rate(words: list[str | None], index: TermIndex) -> float:
    """Technical words per 100 `words` (None: not a word, not counted)."""
    n_words = len(words) - words.count(None)
    if not n_words:
        return 0.0
    return 100.0 * _technical_count(words, index) / n_words


def scientific(words: list[str | None], n_words: int, index: TermIndex) -> bool:
    """Whether the generator should look at a text of `n_words` words (`words`: per token
    its normalised form, None for no word): True when it is short or reads as science."""
    if n_words < REGISTER_WORDS:
        return True
    return _technical_count(words, index) * 100 >= REGISTER_MIN * n_words


def _technical_count(words: list[str | None], index: TermIndex) -> int:
    listed = index.memo.get(_LISTED)
    if listed is None:  # words of at least REGISTER_TERMS expected phrases
        listed = index.memo[_LISTED] = frozenset(
            w for w, n in index.clean_n.items() if n >= REGISTER_TERMS
        )
    # Those words first, then the Zipf test, remembered per word (at most once for each
    # word of the list): both at C speed once the words were met.
    found = list(filter(listed.__contains__, words))
    rare = list(map(_RARE.get, found))
    if None in rare:
        from .ngrams import zipf

        for k, w in enumerate(found):
            if rare[k] is None:
                r = _RARE.get(w)  # met earlier in this text
                rare[k] = _RARE[w] = zipf(w) < REGISTER_ZIPF if r is None else r  # type: ignore[index]
    return rare.count(True)
