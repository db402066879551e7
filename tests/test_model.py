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


def test_inference_does_not_import_sklearn_or_scipy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, despin; despin.restore('The 2 international locations met.');"
        "print('sklearn' in sys.modules or 'scipy' in sys.modules)"
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


@pytest.mark.parametrize("balanced", [False, True])
def test_fit_is_scikit_learns_logistic_regression_with_optional_signs(balanced: bool) -> None:
    """Unconstrained, the L-BFGS-B fit finds scikit-learn's optimum (same C, class
    weights, unpenalised intercept); with signs, the weights keep them."""
    from sklearn.linear_model import LogisticRegression

    from despin.train import fit_logistic

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 6))
    x[:, 1] = 0.9 * x[:, 0] + 0.1 * x[:, 1]  # collinear: the kind of pair that flips a sign
    y = (x @ np.array([1.0, 0.2, -0.5, 0.0, 0.8, 0.3]) + rng.normal(size=400) > 0.7).astype(int)
    lr = LogisticRegression(
        C=0.5, tol=1e-10, max_iter=5000, class_weight="balanced" if balanced else None
    ).fit(x, y)
    coef, intercept = fit_logistic(x, y, 0.5, balanced)
    assert np.allclose(coef, lr.coef_[0], atol=1e-5) and abs(intercept - lr.intercept_[0]) < 1e-5
    signs = [1, 1, 1, -1, -1, 0]
    coef, _ = fit_logistic(x, y, 0.5, balanced, signs)
    assert all(c * s >= 0 for c, s in zip(coef, signs, strict=True))
    assert coef[4] == 0.0  # its unconstrained weight is positive: held at the bound


def test_shipped_detector_weights_have_the_signs_their_features_mean() -> None:
    """Seen spun more often (n_spun, specificity, enrichment), strong spin nearby: never
    evidence against spin; seen clean more often: never evidence for it."""
    from despin.train import SIGNS_DETECTOR, SIGNS_DOCUMENT

    m = shipped_models()
    for model, signs in ((m.detectors["default"], SIGNS_DETECTOR), (m.document, SIGNS_DOCUMENT)):
        for name, sign in signs.items():
            assert model.coef[model.features.index(name)] * sign >= 0, name


def test_a_higher_count_in_a_users_lexicon_never_lowers_p(tmp_path: Path) -> None:
    """The same two swaps listed with counts 1, 5, 20 and 100: no span's p goes down (the
    unconstrained fit gave the six "mentioned" spans a mean p of 0.57 at a count of 1,
    0.48 at 5 and 0.39 at 20)."""
    from importlib.resources import files

    from despin import Engine

    text = files("despin").joinpath("samples/sample_spun.txt").read_text("utf-8")
    seen = []
    for n in (1, 5, 20, 100):
        lex = tmp_path / f"mini{n}.tsv"
        lex.write_text(
            "# despin-lexicon: 1\n# name: mini\n# family: mini\nspun\toriginal\tn_spun\tn_clean\n"
            f"mentioned\tsaid\t{n}\t0\ninternational locations\tcountries\t{n}\t0\n"
        )
        spans = Engine(lexicon_paths=[lex], families=["mini"]).score(text, 0.0).spans
        seen.append([(s.start, s.p_spun) for s in spans])
    assert len(seen[0]) == 10
    for lo, hi in zip(seen, seen[1:], strict=False):
        assert [s for s, _ in lo] == [s for s, _ in hi]
        assert all(b >= a - 1e-12 for (_, a), (_, b) in zip(lo, hi, strict=True))
