"""Acceptance figures of issue 2 on ../shared (skipped, with the reason, when it is absent).

These run the shipped lexicons and model (built from all of ../shared), so they are
in-sample figures; the held-out figures come from `make eval-heldout` (see README).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from despin.evaluate import evaluate, load_docs
from despin.pipeline import default_engine

SHARED = Path(__file__).resolve().parents[2] / "shared"
pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def shared() -> Path:
    if not (SHARED / "gold").is_dir():
        pytest.skip(f"../shared not found at {SHARED}: acceptance figures not measured")
    return SHARED


def test_seed_000_span_f1_and_wer_gain(shared: Path) -> None:
    docs = load_docs([shared / "gold" / "000_0d86604bd71b6e9d.json"])
    f = evaluate(docs, default_engine()).families["all"]
    assert f.f1 >= 0.90, f.to_dict()
    assert f.wer_gain >= 0.80, f.to_dict()


def test_clean_text_is_left_alone(shared: Path) -> None:
    docs = load_docs(
        [shared / "gold" / "003_e33991b7a49c87c3.json", shared / "data" / "real_spun_dev.jsonl"]
    )
    clean = [d for d in docs if not d.is_spun]
    assert len(clean) >= 10
    f = evaluate(clean, default_engine()).families["all"]
    assert f.edits_per_1k <= 1.0, f.to_dict()
    assert f.flags_per_1k <= 2.0, f.to_dict()


def test_news_spinner_documents_outscore_clean_ones(shared: Path) -> None:
    docs = load_docs([shared / "gold", shared / "data" / "real_spun_dev.jsonl"])
    res = evaluate(docs, default_engine())
    assert res.families["news-spinner"].auc >= 0.99
