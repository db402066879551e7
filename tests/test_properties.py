"""Invariants under random text (hypothesis): nothing raises, offsets are valid, restore
changes only what its edits say, apply_edits replays it, results are deterministic."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from despin import Engine, apply_edits, score_many
from despin.lexicon import shipped_lexicons

_ENGINE = Engine()
_PHRASES = sorted({e.spun for lx in shipped_lexicons() for e in lx.entries})[::7]
_WORDS = ["the", "The", "a", "an", "of", "and", "said", "year", "countries", "new", "A", "I"]
_ODD = [
    " ", "  ", "\n", "\n\n", "\t", "\r\n", ".", ",", "!", "?", "'", "’", '"', "“", "”", "(", ")",
    "-", "—", "'s", "’s", "2", "12", "1,000", "\u00a0", "\u200b", "\ufeff", "é", "e\u0301",
    "😀", "中文", "שלום", "\x0b", "\u2028", "Sq.", "Dr.", "U.S.", "don't", "_", "#", "\\",
]  # fmt: skip

fragments = st.one_of(
    st.sampled_from(_PHRASES),
    st.sampled_from(_WORDS),
    st.sampled_from(_ODD),
    st.text(max_size=3),
)
texts = st.lists(fragments, max_size=40).map(
    lambda parts: "".join(p if i == 0 else " " + p if i % 3 else p for i, p in enumerate(parts))
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(texts)
@SETTINGS
def test_score_spans_are_valid_and_deterministic(text: str) -> None:
    r = _ENGINE.score(text)
    assert 0.0 <= r.score <= 1.0 and math.isfinite(r.score)
    prev_end = 0
    for s in r.spans:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text
        assert s.start >= prev_end  # sorted, non-overlapping
        prev_end = s.end
        assert 0.0 <= s.p_spun <= 1.0
        assert all(0.0 <= sg.p <= 1.0 for sg in s.suggestions)
    again = _ENGINE.score(text)
    assert again == r


@given(texts, st.sampled_from([0.0, 0.5, 0.75]))
@SETTINGS
def test_restore_changes_only_its_edits(text: str, threshold: float) -> None:
    res = _ENGINE.restore(text, threshold)
    assert apply_edits(text, res.edits) == res.text
    # Independently of apply_edits: the output is the input with each edit swapped in.
    out, pos = [], 0
    for e in res.edits:
        assert pos <= e.start <= e.end <= len(text)
        assert text[e.start : e.end] == e.old and e.old != e.new
        out += [text[pos : e.start], e.new]
        pos = e.end
    assert "".join(out) + text[pos:] == res.text
    assert _ENGINE.restore(text, threshold) == res


@given(st.lists(texts, max_size=6), st.integers(min_value=200, max_value=2000))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_score_many_chunked_offsets_are_valid(docs: list[str], max_chars: int) -> None:
    reports = list(score_many(docs, engine=_ENGINE, max_chars=max_chars))
    assert len(reports) == len(docs)
    for text, r in zip(docs, reports, strict=True):
        assert 0.0 <= r.score <= 1.0
        assert all(text[s.start : s.end] == s.text for s in r.spans)


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n\n", "\ufeff", ".", "'s", "’", "\x00", "a" * 5000, "2 " * 2000, "Sq. Sq."],
)
def test_edge_texts_do_not_raise(text: str) -> None:
    res = _ENGINE.restore(text)
    assert apply_edits(text, res.edits) == res.text
    if not text.strip():
        assert res.report is not None and res.report.score == 0.0 and not res.report.spans
