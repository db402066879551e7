"""Fast paths give exactly what the plain code they replace gives."""

from __future__ import annotations

import random

from despin.pipeline import _normalize_all
from despin.tokens import Token, normalize, tokenize

# Final and medial sigma, dotted capital I, combining accent, soft hyphen (case-ignorable),
# typographic apostrophe, German sharp s, a titlecase digraph.
CHARS = "aAΣσςİIıß’'- .ǅΟ\u0301\u00ad2"


def test_normalize_all_matches_per_token_normalize() -> None:
    rng = random.Random(7)
    for _ in range(5000):
        text = "".join(rng.choice(CHARS) for _ in range(rng.randint(1, 14)))
        texts = [t.text for t in tokenize(text)]
        assert _normalize_all(texts) == [normalize(t) for t in texts], repr(text)


def test_normalize_all_with_nul_tokens() -> None:
    texts = [t.text for t in tokenize("A\x00B ΟΔΟΣ\x00x")]
    assert "\x00" in texts
    assert _normalize_all(texts) == [normalize(t) for t in texts]


def test_tokens_built_through_slots_are_ordinary_tokens() -> None:
    toks = tokenize("Officers mentioned the chief’s plan.")
    assert toks[0] == Token(0, 8, "Officers") and hash(toks[0]) == hash(Token(0, 8, "Officers"))
    assert [t.text for t in toks][-3:] == ["’s", "plan", "."]
    assert repr(toks[0]) == "Token(start=0, end=8, text='Officers')"


def _quote_state_plain(tokens: list[Token], text: str) -> list[bool]:
    """The token-by-token definition that features._quote_state computes by events."""
    inside = straight = False
    out = []
    for idx, tok in enumerate(tokens):
        if idx and "\n" in text[tokens[idx - 1].end : tok.start]:
            inside = straight = False
        t = tok.text
        if t in {"“", "‘", "«"}:
            inside = True
        elif t in {"”", "»"}:
            inside = False
        elif t == '"':
            straight = not straight
        out.append(inside or straight)
    return out


def test_quote_state_matches_token_by_token_definition() -> None:
    from despin.features import _quote_state

    parts = ["a", "b", " ", "\n", "“", "”", "‘", "’", "«", "»", '"', "'", "s", ".", "x’s", "\r\n"]
    rng = random.Random(11)
    for _ in range(5000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(0, 20)))
        toks = tokenize(text)
        assert _quote_state(toks, text) == _quote_state_plain(toks, text), repr(text)
