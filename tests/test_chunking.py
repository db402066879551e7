"""Long texts in paragraph chunks: nothing lost, nothing crosses an edge, merge is defined."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from despin import Engine
from despin.batch import document_parts, score_parts
from despin.chunking import cut_point, iter_chunks, merge
from despin.report import Report, Span

SPUN = "The 2 international locations signed a brand new settlement final 12 months."
CLEAN = "Officials of both countries met in the capital on Monday to discuss the treaty."


@given(
    st.lists(st.text(alphabet="ab \n.\t", max_size=60), max_size=8),
    st.integers(min_value=1, max_value=40),
)
@settings(max_examples=200, deadline=None)
def test_chunks_concatenate_to_the_text(pieces: list[str], max_chars: int) -> None:
    chunks = list(iter_chunks(pieces, max_chars))
    text = "".join(pieces)
    assert "".join(c for _, c in chunks) == text
    assert all(len(c) <= max_chars for _, c in chunks)
    starts = [sum(len(c) for _, c in chunks[:i]) for i in range(len(chunks))]
    assert [o for o, _ in chunks] == starts
    assert len(chunks) >= 1


def test_cut_prefers_paragraph_then_line_then_sentence_then_space() -> None:
    para = "aaaa aaaa.\n\nbbbb bbbb\ncccc. dddd eeee"
    assert para[: cut_point(para, 20)] == "aaaa aaaa.\n\n"
    line = "aaaa aaaa aaaa\nbbbb. cccc dddd eeee"
    assert line[: cut_point(line, 24)].endswith("\n")
    sent = "aaaa aaaa aaaa. bbbb cccc dddd"
    assert sent[: cut_point(sent, 24)] == "aaaa aaaa aaaa. "
    space = "aaaa aaaa aaaa bbbb cccc"
    assert space[: cut_point(space, 22)] == "aaaa aaaa aaaa bbbb "
    assert cut_point("x" * 50, 20) == 20  # no boundary: a hard cut


def test_empty_text_is_one_empty_chunk() -> None:
    assert list(iter_chunks([], 10)) == [(0, "")]
    assert list(iter_chunks(["", ""], 10)) == [(0, "")]


def test_merge_shifts_spans_and_weights_scores_by_words() -> None:
    s = Span(2, 5, "abc", 0.9)
    merged = merge([(0, Report(0.8, (s,), 30)), (100, Report(0.2, (s,), 10))])
    assert [(x.start, x.end) for x in merged.spans] == [(2, 5), (102, 105)]
    assert merged.score == pytest.approx((0.8 * 30 + 0.2 * 10) / 40)
    assert merged.n_words == 40
    one = merge([(0, Report(0.123456789, (), 7))])
    assert one.score == 0.123456789


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def long_text(paragraphs: int) -> str:
    """Spun and clean paragraphs alternating, spun phrases near every paragraph edge."""
    paras = []
    for i in range(paragraphs):
        body = " ".join([SPUN if i % 2 == 0 else CLEAN] * (1 + i % 3))
        paras.append(f"{SPUN} {body} {SPUN}" if i % 2 == 0 else body)
    return "\n\n".join(paras) + "\n"


def test_chunked_scoring_equals_scoring_each_chunk_whole(engine: Engine) -> None:
    text = long_text(40)
    max_chars = 1500
    chunks = list(iter_chunks([text[i : i + 777] for i in range(0, len(text), 777)], max_chars))
    assert len(chunks) > 5
    ((_, merged, n),) = list(score_parts(document_parts("doc", [text], max_chars), 1, 0.75, engine))
    assert n == len(chunks)
    expected, weighted, words = [], 0.0, 0
    for offset, chunk in chunks:
        r = engine.score(chunk)
        expected += [(s.start + offset, s.end + offset, s.text, s.p_spun) for s in r.spans]
        weighted += r.score * r.n_words
        words += r.n_words
    assert [(s.start, s.end, s.text, s.p_spun) for s in merged.spans] == expected
    assert merged.score == pytest.approx(weighted / words)
    assert merged.n_words == words
    for s in merged.spans:
        assert text[s.start : s.end] == s.text
    edges = {o for o, _ in chunks}
    assert not any(s.start < e < s.end for s in merged.spans for e in edges)


def test_no_span_lost_at_chunk_edges(engine: Engine) -> None:
    """Paragraph-aligned chunks find exactly the spans of scoring each paragraph alone."""
    paras = [SPUN, CLEAN, f"{SPUN} {SPUN}", CLEAN, SPUN]
    text = "\n\n".join(paras)
    # Room for about one paragraph per chunk: every chunk edge is a paragraph edge.
    limit = max(len(p) for p in paras) + 2
    chunks = list(iter_chunks([text], limit))
    assert [c.strip() for _, c in chunks] == paras
    ((_, merged, _),) = list(score_parts(document_parts(0, [text], limit), 1, 0.75, engine))
    expected, pos = set(), 0
    for p in paras:
        expected |= {(s.start + pos, s.end + pos) for s in engine.score(p).spans}
        pos += len(p) + 2
    assert len(expected) >= 6 * 4  # every copy of SPUN has its six spans
    assert {(s.start, s.end) for s in merged.spans} == expected
