"""Evaluation metrics on documents written for despin, with oracle and identity engines."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import pytest

from despin.evaluate import EvalDoc, evaluate, format_table, load_docs, roc_auc
from despin.report import Edit, Report, Restoration, Span, Suggestion, apply_edits

SPUN = "The 2 international locations met final week."
GOLD = [(4, 5, "two", False), (6, 29, "countries", False), (34, 39, "last", False)]
CLEAN = "The two countries met last week."


class Oracle:
    """Flags exactly the gold spans and restores their originals."""

    def __init__(self, spans: dict[str, list[tuple[int, int, str, bool]]], score: float = 1.0):
        self.spans, self.s = spans, score

    def restore(self, text: str, threshold: float = 0.5) -> Restoration:
        gold = self.spans.get(text, [])
        spans = tuple(Span(a, b, text[a:b], 1.0, (Suggestion(o, 1.0),)) for a, b, o, _ in gold)
        edits = tuple(Edit(a, b, text[a:b], o, 1.0) for a, b, o, _ in gold)
        score = self.s if gold else 0.0
        return Restoration(apply_edits(text, edits), edits, Report(score, spans, 0))


class Identity:
    def restore(self, text: str, threshold: float = 0.5) -> Restoration:
        return Restoration(text, (), Report(0.5, (), 0))


def docs() -> list[EvalDoc]:
    return [
        EvalDoc("a", "news-spinner", SPUN, True, GOLD),
        EvalDoc("c", "clean", CLEAN, False, []),
    ]


def test_oracle_is_perfect() -> None:
    res = evaluate(docs(), Oracle({SPUN: GOLD}))
    f = res.families["news-spinner"]
    assert (f.precision, f.recall, f.f1, f.wer_gain) == (1.0, 1.0, 1.0, 1.0)
    assert res.families["all"].auc == 1.0
    assert res.families["clean"].edits_per_1k == 0.0


def test_identity_gains_nothing() -> None:
    f = evaluate(docs(), Identity()).families["news-spinner"]
    assert f.recall == 0.0 and f.wer_gain == 0.0 and math.isnan(f.precision)


def test_half_right_engine_matches_hand_computation() -> None:
    # Flags and fixes "2" only; plus one false flag on "met" (a clean token).
    half = [(4, 5, "two", False), (30, 33, "met", False)]
    f = evaluate(docs(), Oracle({SPUN: half})).families["news-spinner"]
    # Gold tokens: 2, international, locations, final (4); flagged: 2, met.
    assert (f.tp, f.fp, f.fn) == (1, 1, 3)
    assert f.precision == 0.5 and f.recall == 0.25
    # Reference "The two countries met last week." (6 words); spun has 3 errors
    # (2->two, international locations->countries = sub+del, final->last) = 4 edits.
    assert f.err_before == 4 and f.err_after == 3
    assert f.wer_gain == pytest.approx(0.25)


def test_clean_edits_are_counted_per_1000_words() -> None:
    engine = Oracle({CLEAN: [(4, 7, "2", False)]})
    f = evaluate([EvalDoc("c", "clean", CLEAN, False, [])], engine).families["clean"]
    assert f.clean_words == 6 and f.clean_edits == 1
    assert f.edits_per_1k == pytest.approx(1000 / 6)


def test_roc_auc() -> None:
    assert roc_auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert roc_auc([0.1], [0.9]) == 0.0
    assert roc_auc([0.5], [0.5]) == 0.5
    assert math.isnan(roc_auc([], [0.1]))


def test_parallel_passage_scores_only_substitutions(tmp_path: Path) -> None:
    row = {
        "id": "p1",
        "family": "news-spinner",
        "spun": "Officers mentioned the plan on Monday.",
        "original": "Officials said the plan on Monday, adding more detail.",
    }
    p = tmp_path / "passages.jsonl"
    p.write_text(json.dumps(row) + "\n")
    loaded = load_docs([p])
    assert [(d.id, d.is_spun) for d in loaded] == [("p1", True), ("p1:original", False)]
    f = evaluate(loaded[:1], Identity()).families["news-spinner"]
    # Only "Officers mentioned" counts; the appended clause is not a substitution.
    assert (f.tp, f.fn, f.err_before) == (0, 2, 2)


def test_gold_file_loading_and_hash_check(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "seeds" / "x.txt").write_text(SPUN, encoding="utf-8")
    gold = {
        "text_file": "seeds/x.txt",
        "text_sha256": hashlib.sha256(SPUN.encode()).hexdigest(),
        "spans": [{"start": a, "end": b, "spun": SPUN[a:b], "original": o} for a, b, o, _ in GOLD],
    }
    g = tmp_path / "gold" / "x.json"
    g.write_text(json.dumps(gold))
    (d,) = load_docs([g])
    assert d.is_spun and d.gold_spans == GOLD
    gold["text_sha256"] = "0" * 64
    g.write_text(json.dumps(gold))
    with pytest.raises(ValueError, match="sha256"):
        load_docs([g])


def test_malformed_jsonl_names_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": "a", "family": "x", "spun": "t"}\n{oops\n')
    with pytest.raises(ValueError, match=r"bad.jsonl:2"):
        load_docs([p])


def test_table_has_a_row_per_family() -> None:
    table = format_table(evaluate(docs(), Oracle({SPUN: GOLD})))
    assert "| news-spinner | 1 |" in table and "| all | 2 |" in table


def test_reliability_bins_hand_computed() -> None:
    from despin.evaluate import reliability

    scores = [(0.05, False), (0.08, True), (0.95, True), (1.0, True), (0.6, False)]
    rows = reliability(scores)
    assert [(lo, hi, n) for lo, hi, n, _, _ in rows] == [
        (0.0, 0.1, 2),
        (0.5, 0.7, 1),
        (0.9, 1.0, 2),
    ]
    lo_bin, mid_bin, hi_bin = rows
    assert lo_bin[3] == pytest.approx(0.065) and lo_bin[4] == pytest.approx(0.5)
    assert mid_bin[4] == 0.0 and hi_bin[3] == pytest.approx(0.975) and hi_bin[4] == 1.0
