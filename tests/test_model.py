"""Model files: validated on load, data only (no pickle), clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from despin.features import DETECTOR_FEATURES
from despin.model import ModelError, load_models, parse_models, shipped_models


def _shipped_json() -> dict:
    path = Path(__file__).parents[1] / "models" / "despin-model.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_shipped_model_loads_and_records_its_data() -> None:
    m = shipped_models()
    assert m is not None and "default" in m.detectors
    data = _shipped_json()
    assert data["format"] == "despin-model" and data["seed"] == 0
    assert all(len(h) == 64 for h in data["data"].values())


def test_linear_model_is_a_sigmoid_of_standardised_features() -> None:
    m = shipped_models()
    det = m.detectors["default"]
    x = np.ones((1, len(DETECTOR_FEATURES)))
    z = ((x - det.mean) / det.scale) @ det.coef + det.intercept
    assert det.proba(x)[0] == pytest.approx(1 / (1 + np.exp(-z[0])))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="pickle"), "not a despin model"),
        (lambda d: d.update(version=99), "version 99 is not supported"),
        (lambda d: d.pop("detectors"), "'detectors' must be an object"),
        (lambda d: d["ranker"].update(coef=[1.0]), "ranker.coef' must be"),
        (lambda d: d["ranker"].update(coef=["x"] * len(d["ranker"]["coef"])), "must be"),
        (lambda d: d["document"].update(features=["a"]), "features do not match"),
        (lambda d: d["document"].update(intercept="0"), "intercept' must be a finite number"),
        (lambda d: d["document"].update(scale=[0.0] * 4), "scale' must be at least"),
    ],
)
def test_malformed_models_fail_clearly(mutate, message: str) -> None:
    data = _shipped_json()
    mutate(data)
    with pytest.raises(ModelError, match=message):
        parse_models(data, "m.json")


def test_truncated_file_is_reported(tmp_path: Path) -> None:
    p = tmp_path / "m.json"
    p.write_text(json.dumps(_shipped_json())[:500], encoding="utf-8")
    with pytest.raises(ModelError, match="not valid JSON"):
        load_models(p)


def test_inference_does_not_import_sklearn() -> None:
    import subprocess
    import sys

    code = (
        "import sys, despin; despin.restore('The 2 international locations met.');"
        "print('sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr


def test_model_records_the_lexicons_it_was_trained_with() -> None:
    import hashlib

    root = Path(__file__).parents[1] / "lexicons"
    data = _shipped_json()["data"]
    for name in ("science.tsv", "synonyms.tsv.gz"):
        digest = hashlib.sha256((root / name).read_bytes()).hexdigest()
        assert data[f"lexicons/{name}"] == digest, f"retrain: lexicons/{name} changed"


@pytest.mark.shared
def test_training_reproduces_the_shipped_model() -> None:
    from despin.train import fit, to_json

    shared = Path(__file__).parents[2] / "shared"
    if not (shared / "data").is_dir():
        pytest.skip(f"../shared not found at {shared}: cannot retrain")
    fresh = json.loads(json.dumps(to_json(fit(shared), shared)))
    shipped = _shipped_json()
    assert fresh["data"] == shipped["data"] and fresh["training"] == shipped["training"]
    for a, b in ((fresh["detectors"], shipped["detectors"]), (fresh["open"], shipped["open"])):
        assert a.keys() == b.keys()
        for k in a:
            assert np.allclose(a[k]["coef"], b[k]["coef"], atol=1e-6), k


def test_ranker_rule_prefers_the_candidate_that_fits_its_neighbours() -> None:
    from despin.features import RANKER_FEATURES
    from despin.train import MIN_RANKER_ROWS, fit_ranker, ranker_rule

    rule = ranker_rule()
    row = dict.fromkeys(RANKER_FEATURES, 0.0)
    seen_more = np.array([[{**row, "n_spun": 1.1, "fit_left": -5.0}[n] for n in RANKER_FEATURES]])
    fits = np.array([[{**row, "n_spun": 0.7, "fit_left": 0.6}[n] for n in RANKER_FEATURES]])
    assert rule.logit(fits)[0] > rule.logit(seen_more)[0]
    # Too few labelled rows: the rule, not a fit; enough rows: a fitted model.
    x = np.random.default_rng(0).normal(size=(MIN_RANKER_ROWS, len(RANKER_FEATURES)))
    y = (x[:, RANKER_FEATURES.index("fit_left")] > 0).astype(int)
    assert fit_ranker(x[:10], y[:10]).coef.tolist() == rule.coef.tolist()
    fitted = fit_ranker(x, y)
    assert fitted.coef[RANKER_FEATURES.index("fit_left")] > 0
