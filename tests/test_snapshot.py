"""Behaviour lock: score/restore output on fixed texts matches tests/data/snapshot.json.

Speed work (caches, precomputed tables, vectorised features) must not change what
despin says. The snapshot holds offsets, probabilities and suggestions (no evidence,
and no text of the third-party ones); floats may move by less than 1e-9. After an
intended behaviour change (new lexicon, retrained model) rewrite it with
`python scripts/snapshot.py write --compact tests/data/snapshot.json` and review the diff.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SHARED = ROOT.parent / "shared"


def _snapshot_module():
    spec = importlib.util.spec_from_file_location("despin_snapshot", ROOT / "scripts/snapshot.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


SNAP = _snapshot_module()
EXPECTED = json.loads((ROOT / "tests/data/snapshot.json").read_text(encoding="utf-8"))
REFRESH = "intended? `python scripts/snapshot.py write --compact tests/data/snapshot.json`"


def _check(shared: Path | None, third_party: bool) -> int:
    texts = {k: v for k, v in SNAP.texts(shared).items() if v[1] == third_party}
    assert texts, "no texts to compare"
    problems = []
    for name, (text, tp) in texts.items():
        assert name in EXPECTED, f"{name} has no snapshot; {REFRESH}"
        problems += SNAP.diff(EXPECTED[name], SNAP.record(text, tp, compact=True), name)
    assert not problems, f"{len(problems)} differences ({REFRESH}):\n" + "\n".join(problems[:20])
    return len(texts)


def test_repo_texts_match_snapshot() -> None:
    assert _check(None, third_party=False) >= 3  # samples and the repo's own fixture


@pytest.mark.shared
def test_shared_texts_match_snapshot() -> None:
    if not (SHARED / "data").is_dir():
        pytest.skip(f"../shared not found at {SHARED}: third-party texts not compared")
    assert _check(SHARED, third_party=True) >= 40


def test_snapshot_diff_sees_changes() -> None:
    old = {"p": 0.5, "spans": [[1, 4, "x"]]}
    assert SNAP.diff(old, {"p": 0.5 + 1e-12, "spans": [[1, 4, "x"]]}) == []
    assert SNAP.diff(old, {"p": 0.5 + 1e-6, "spans": [[1, 4, "x"]]})
    assert SNAP.diff(old, {"p": 0.5, "spans": [[1, 5, "x"]]})
    assert SNAP.diff(old, {"p": 0.5, "spans": []})
