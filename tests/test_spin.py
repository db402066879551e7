"""The synthetic spinner: deterministic, lossless gold, realistic swap kinds."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from despin.cli import app
from despin.evaluate import load_docs
from despin.spin import NUMBER_WORDS, SpinResult, _phrase_swaps, spin

TEXT = (
    "The two towns agreed last week to build a new road along the river. "
    "It's a long project, the mayor said on Monday, and workers don't expect to finish soon. "
    "Residents gathered in Market Square to hear the plan."
)


def unspin(result: SpinResult) -> str:
    """Put every reported original back, right to left."""
    text = result.text
    for s in sorted(result.swaps, key=lambda s: s.start, reverse=True):
        assert text[s.start : s.end] == s.spun
        text = text[: s.start] + s.original + text[s.end :]
    return text


def test_same_seed_same_spin_and_seeds_differ() -> None:
    assert spin(TEXT, seed=5) == spin(TEXT, seed=5)
    assert len({spin(TEXT, seed=s, rate=0.5).text for s in range(5)}) > 1


def test_swaps_replay_to_the_input() -> None:
    for seed in range(10):
        result = spin(TEXT, seed=seed, rate=0.6)
        assert result.swaps
        assert unspin(result) == TEXT


def test_rate_zero_changes_nothing() -> None:
    result = spin(TEXT, seed=1, rate=0.0)
    assert result.text == TEXT and result.swaps == ()


def test_rate_out_of_range_is_an_error() -> None:
    import pytest

    with pytest.raises(ValueError):
        spin(TEXT, rate=1.5)


def test_number_words_become_digits_and_contractions_expand() -> None:
    result = spin("I think two of them don't know.", seed=0, rate=1.0)
    by_orig = {s.original: s for s in result.swaps}
    assert by_orig["two"].spun == NUMBER_WORDS["two"]  # the news lexicon knows it too
    assert by_orig["don't"].spun == "do not" and by_orig["don't"].kind == "contraction"


def test_known_news_spinner_phrases_are_used() -> None:
    phrases = _phrase_swaps()
    original = next(o for o in sorted(phrases) if " " in o and o.isascii())
    text = f"We saw that {original} is here."
    swaps = [s for s in spin(text, seed=0, rate=1.0).swaps if s.kind == "lexicon"]
    assert any(s.original.lower() == original and s.spun in phrases[original][0] for s in swaps)


def test_case_pattern_is_kept() -> None:
    result = spin("Leaders met. LEADERS MET.", seed=0, rate=1.0)
    for s in result.swaps:
        if s.original[:1].isupper():
            assert s.spun[:1].isupper(), s


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcdeilnorst AT.,'’\n\u00a0")), max_size=120),
       st.integers(0, 2**16))  # fmt: skip
def test_any_text_replays(text: str, seed: int) -> None:
    assert unspin(spin(text, seed=seed, rate=0.7)) == text


def test_cli_writes_gold_that_eval_reads(tmp_path) -> None:
    src = tmp_path / "clean.txt"
    src.write_text(TEXT, encoding="utf-8")
    out, gold = tmp_path / "spun.txt", tmp_path / "gold" / "spun.json"
    gold.parent.mkdir()
    runner = CliRunner()
    args = ["spin", str(src), "-o", str(out), "--gold", str(gold), "--seed", "2", "--rate", "0.5"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    data = json.loads(gold.read_text("utf-8"))
    assert data["spans"] and data["generator"]["seed"] == 2
    (doc,) = load_docs([gold])
    assert doc.text == out.read_text("utf-8") and doc.family == "synthetic"
    assert doc.gold_spans is not None and len(doc.gold_spans) == len(data["spans"])
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "exists" in again.output


def test_cli_gold_needs_output(tmp_path) -> None:
    src = tmp_path / "clean.txt"
    src.write_text(TEXT, encoding="utf-8")
    res = CliRunner().invoke(app, ["spin", str(src), "--gold", str(tmp_path / "g.json")])
    assert res.exit_code == 2 and "--output" in res.output
