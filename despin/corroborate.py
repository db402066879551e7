"""Does other evidence back a tortured phrase the generator rebuilt? Asked of long texts.

A tortured paper holds many tortured phrases, most of them on the list. Ordinary
technical prose that reads as science (`despin.register`) holds words the list shows
swapped in, used in their own sense ("arbitrary precision", "the locale", "edit the
file"), one word a few times, and now and then a term rebuilt from a common pair
("naming scheme" -> "recognition system"). In 241 README files of a Debian system (164k
words, no spin) the generator made 88 spans, every one wrong. So in a page or more
(LONE_WORDS), a rebuilt term stands only beside a listed tortured phrase or beside
rebuilt terms of LONE_BACKING other sets of words; without backing it is kept, but
under the default threshold (LONE_P). A shorter text (a sentence, an abstract) may
hold a single tortured phrase and is left as it is.

Unlike the register gate, this holds under `despin score --family science` too: a paper
is science, but one tortured-looking term in a page of it is still weak evidence (on the
same READMEs scored with the science family alone, 106 spans without the rule, 31 with
it).
"""

from __future__ import annotations

from .tortured import Generated

LONE_WORDS = 300
"""Texts this long (about a page) are looked at; an abstract (150 to 250 words) is not."""
LONE_BAR = 0.5
"""A span this likely counts as evidence, and a rebuilt term this likely needs backing."""
LONE_P = 0.45
"""What a rebuilt term without backing is worth (under LONE_BAR and the default threshold)."""
LONE_BACKING = 2
"""Other sets of rebuilt words that back a rebuilt term where no listed phrase does."""


def changed_words(g: Generated) -> frozenset[str]:
    """The written words a rebuilt term replaces ("irregular" in "irregular forest" ->
    "random forest"); all its words when it replaces none of them."""
    kept = set(g.term.split())
    return frozenset(w for w in g.observed.split() if w not in kept) or frozenset(
        g.observed.split()
    )


def corroborate(
    rebuilt: list[tuple[Generated, float]], listed: list[frozenset[str]]
) -> list[tuple[Generated, float]]:
    """`rebuilt` (term, p) of a long text, each p at most LONE_P unless backed: by a
    listed tortured phrase with other words (`listed`: the words of each listed phrase
    at LONE_BAR or more), or by rebuilt terms (at LONE_BAR or more) of LONE_BACKING
    other sets of words ("locale" rebuilt three times is one set)."""
    keys = [changed_words(g) if p >= LONE_BAR else None for g, p in rebuilt]
    others = {k for k in keys if k is not None}
    out = []
    for (g, p), key in zip(rebuilt, keys, strict=True):
        if key is not None and not (
            any(key.isdisjoint(e) for e in listed)
            or sum(key.isdisjoint(e) for e in others) >= LONE_BACKING
        ):
            p = min(p, LONE_P)
        out.append((g, p))
    return out
