"""Result types and replayable edits."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from despin.report import Edit, Report, Span, Suggestion, apply_edits


def test_apply_edits_replays_in_any_order() -> None:
    text = "the 2 international locations met"
    edits = [Edit(20, 29, "locations", "x", 0.9), Edit(4, 5, "2", "two", 0.9)]
    assert apply_edits(text, edits) == "the two international x met"


def test_apply_edits_refuses_stale_or_overlapping_edits() -> None:
    with pytest.raises(ValueError, match="expects 'abc'"):
        apply_edits("xyz", [Edit(0, 3, "abc", "d", 1.0)])
    with pytest.raises(ValueError, match="overlaps"):
        apply_edits("abcdef", [Edit(0, 3, "abc", "x", 1), Edit(2, 4, "cd", "y", 1)])
    with pytest.raises(ValueError, match="outside"):
        apply_edits("abc", [Edit(2, 9, "c", "x", 1)])


def test_report_to_dict_is_json_with_schema_version() -> None:
    span = Span(0, 5, "chief", 0.9, (Suggestion("leader", 0.8, "lexicon:news", "news:c>l"),))
    d = Report(0.7, (span,), 3).to_dict()
    assert json.loads(json.dumps(d))["spans"][0]["suggestions"][0]["text"] == "leader"
    assert d["schema_version"] and span.rule_id == "news:c>l" and span.source == "lexicon:news"


@given(st.text(), st.data())
def test_apply_edits_leaves_everything_outside_edits_alone(text: str, data) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6)))
    edits = [
        Edit(a, b, text[a:b], data.draw(st.text(max_size=3)), 0.5)
        for a, b in zip(cuts[::2], cuts[1::2], strict=False)
    ]
    out = apply_edits(text, edits)
    # Undo: the edits' own new texts, placed back, give the input again.
    pos, rebuilt, shift = 0, [], 0
    for e in edits:
        rebuilt.append(out[pos : e.start + shift])
        rebuilt.append(e.old)
        pos = e.start + shift + len(e.new)
        shift += len(e.new) - (e.end - e.start)
    rebuilt.append(out[pos:])
    assert "".join(rebuilt) == text
