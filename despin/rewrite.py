"""Turn a chosen original wording into an edit that reads right in place.

Keeps the spun text's case pattern ("Sq." -> "Square", "CRIMSON" -> "RED"), fixes the
indefinite article in front when the new word needs the other one ("a settlement"
-> "an agreement"), and keeps a sentence-final period that an abbreviation ate.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .report import Edit

_VOWEL_SOUND_EXCEPTIONS = ("hour", "honest", "honor", "honour", "heir")
_CONSONANT_SOUND_EXCEPTIONS = ("uni", "use", "usu", "uti", "eu", "one", "once", "ubiq", "ura")
_NEXT_SENTENCE = re.compile(r"\s+[\"“‘(\[]?[A-Z0-9]|\s*$|\s*\n")


@lru_cache(maxsize=100_000)
def surface_form(spun: str, original: str) -> str:
    """`original` written with the case pattern of `spun` (cached: pairs recur)."""
    letters = [c for c in spun if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return original.upper()
    words = spun.split()
    if len(words) > 1 and all(w[:1].isupper() for w in words if w[:1].isalpha()):
        return _capitalise_words(original)
    if spun[:1].isupper():
        return original[:1].upper() + original[1:]
    return original


def _capitalise_words(phrase: str) -> str:
    """Each word's first letter upper-cased, the rest of the word left as it is."""
    return " ".join(w[:1].upper() + w[1:] for w in phrase.split())


def wants_an(word: str) -> bool:
    """Whether `word` takes "an" (by spelling: a good-enough proxy for sound)."""
    w = word.lower()
    if w.startswith(_VOWEL_SOUND_EXCEPTIONS):
        return True
    if w.startswith(_CONSONANT_SOUND_EXCEPTIONS):
        return False
    return w[:1] in "aeiou" and w[:1] != ""


_ARTICLE_BEFORE = re.compile(r"\b([Aa]n?)(\s+)$")
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’.-]*)[\s\"“‘(\[]*$")
_WORD_AFTER = re.compile(r"[\s\"”’)\]]*([^\W\d_][\w'’-]*)")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n)[\s\"“‘(\[]*$")


def _caseless_form(text: str, start: int, end: int, new: str) -> str:
    """Case for a wording that replaces one with no letters ("2" -> "two").

    It takes the case of its place: capitalised at a sentence start, upper case
    between upper-case words (a shouted headline), capitalised between capitalised
    words (a title-case headline).
    """
    if _SENTENCE_START.search(text, 0, start):
        return new[:1].upper() + new[1:]
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    after = _WORD_AFTER.match(text, end)
    if before is None or after is None:
        return new
    b, a = before.group(1), after.group(1)
    if len(b) > 1 and len(a) > 1 and b.isupper() and a.isupper():
        return new.upper()
    if b[:1].isupper() and a[:1].isupper():
        return _capitalise_words(new)
    return new


def plan_edit(text: str, start: int, end: int, new: str, p: float, rule_id: str) -> Edit | None:
    """The edit that puts `new` in place of text[start:end], or None if nothing changes."""
    old = text[start:end]
    if not any(c.isalpha() for c in old) and new[:1].islower():
        new = _caseless_form(text, start, end, new)
    if old.endswith(".") and not new.endswith(".") and _NEXT_SENTENCE.match(text, end):
        end -= 1
        old = old[:-1]
    m = _ARTICLE_BEFORE.search(text, max(0, start - 4), start)
    first = new.split()[0] if new.split() else ""
    if m and first[:1].isalpha():
        article, gap = m.group(1), m.group(2)
        right = "an" if wants_an(first) else "a"
        if article.lower() != right:
            right = right.capitalize() if article[0].isupper() else right
            start = m.start(1)
            old = text[start:end]
            new = f"{right}{gap}{new}"
    if old == new:
        return None
    return Edit(start, end, old, new, p, rule_id)
