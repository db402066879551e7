"""Fast paths give exactly what the plain code they replace gives."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

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


def test_tokens_built_at_c_speed_are_ordinary_tokens() -> None:
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


def test_find_pruned_is_prune_of_find() -> None:
    """The fused open-vocabulary pass keeps exactly the candidates prune(find()) keeps."""
    from despin import openvocab
    from despin.pipeline import OPEN_LIST_P, Engine, _Initial, select_hits

    root = Path(__file__).parents[1]
    files = [*(root / "despin/samples").glob("*.txt"), *(root / "tests/fixtures").glob("*.txt")]
    engine = Engine()
    detector = engine.models.open_detector
    assert detector is not None
    n_checked = n_dropped = 0
    for path in files:
        a = engine.analyze(path.read_text(encoding="utf-8"))
        p = engine.models.detector_proba(a.detector_x, [h.entries[0].family for h in a.hits])
        chosen = select_hits(a, p)
        covered = np.zeros(len(a.tokens), dtype=bool)
        for h in a.hits:
            covered[h.i : h.j] = True
        assert a.words is not None and a.quotes is not None
        doc_words = {w for w in a.words if w is not None}
        spans = [(a.hits[k].i, a.hits[k].j) for k in chosen]
        args = (a.quotes, doc_words, p[chosen], spans, a.n_words, detector, OPEN_LIST_P)
        initial = _Initial(a.tokens, a.text)
        found = openvocab.find(a.tokens, covered, initial)
        slow = openvocab.prune(a.tokens, found, *args, words=a.words)
        fast = openvocab.find_pruned(a.tokens, covered, initial, *args, a.words)
        assert fast == slow
        n_checked += len(found)
        # A higher floor for words whose closest candidate is no synonym.
        slow_far = openvocab.prune(a.tokens, found, *args, words=a.words, min_p_far=0.6)
        fast_far = openvocab.find_pruned(a.tokens, covered, initial, *args, a.words, min_p_far=0.6)
        assert fast_far == slow_far
        assert set(slow_far) <= set(slow)
        assert not any(openvocab.is_close(h.relations) for h in set(slow) - set(slow_far))
        n_dropped += len(slow) - len(slow_far)
    assert n_checked > 100
    assert n_dropped > 0  # the far floor did leave some out


def test_scoring_from_threads_gives_the_sequential_results() -> None:
    """The caches kept across documents stay consistent when threads score at once."""
    from concurrent.futures import ThreadPoolExecutor

    from despin import openvocab
    from despin.pipeline import Engine

    root = Path(__file__).parents[1]
    files = [*(root / "despin/samples").glob("*.txt"), *(root / "tests/fixtures").glob("*.txt")]
    texts = [p.read_text(encoding="utf-8") for p in files] * 3
    engine = Engine()
    want = [engine.score(t).to_dict() for t in texts]
    openvocab._SEEN.__init__()  # every text met anew, from several threads at once
    engine = Engine()
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda t: engine.score(t).to_dict(), texts))
    assert got == want
