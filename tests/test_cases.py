"""Data-driven restore cases from tests/cases/restore.json (known failures: strict xfail)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import despin

CASES = json.loads((Path(__file__).parent / "cases" / "restore.json").read_text("utf-8"))


def _params():
    out = []
    for case in CASES["cases"]:
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_restore_case(case: dict) -> None:
    result = despin.restore(case["text"])
    assert despin.apply_edits(case["text"], result.edits) == result.text
    assert result.text == case["expected"]


def test_cases_file_has_header() -> None:
    assert CASES["format"] == "despin-cases" and CASES["version"] == 1
    ids = [c["id"] for c in CASES["cases"]]
    assert len(ids) == len(set(ids))
