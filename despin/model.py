"""The shipped models: logistic regressions stored as JSON, run with numpy.

No pickle and no scikit-learn at inference: a model file is data (feature names,
scaling, weights) that is validated on load, so a tampered file can fail but cannot
execute anything.
"""

from __future__ import annotations

import importlib.resources
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from .features import DETECTOR_FEATURES, RANKER_FEATURES
from .openvocab import OPEN_DETECTOR_FEATURES, OPEN_RANKER_FEATURES

MODEL_FORMAT = "despin-model"
MODEL_VERSION = 1
DOCUMENT_FEATURES = ("p_sum_per100", "p_max", "n_strong_per100", "log_words")


class ModelError(ValueError):
    """A model file that cannot be used."""


@dataclass(frozen=True)
class Linear:
    """Standardise, dot, sigmoid: all a logistic regression needs at inference."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def __post_init__(self) -> None:
        # Standardising folded into the weights once: x @ w + b is what
        # ((x - mean) / scale) @ coef + intercept computes (to the last bits), in one
        # product instead of two temporaries per call (a document makes dozens of calls).
        w = self.coef / self.scale
        object.__setattr__(self, "_w", w)
        object.__setattr__(self, "_b", float(self.intercept - (self.mean / self.scale) @ self.coef))

    def logit(self, x: np.ndarray) -> np.ndarray:
        return x @ self._w + self._b  # type: ignore[attr-defined]

    def proba(self, x: np.ndarray) -> np.ndarray:
        # np.minimum/np.maximum: what np.clip computes, without its Python-level wrapper
        # (a document scores a few small arrays: the wrapper cost more than the work).
        return 1.0 / (1.0 + np.exp(-np.minimum(np.maximum(self.logit(x), -40), 40)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": float(self.intercept),
        }


@dataclass(frozen=True)
class Models:
    detectors: dict[str, Linear]
    """Span detectors by spinner family; "default" serves every other family."""
    ranker: Linear
    document: Linear
    meta: dict[str, Any]
    open_detector: Linear | None = None
    """P(spun) of a word no lexicon lists (open-vocabulary candidates); None: off."""
    open_ranker: Linear | None = None

    def detector_proba(self, x: np.ndarray, families: list[str]) -> np.ndarray:
        """P(spun) per hit, each from the detector of its family."""
        fams = set(families)
        if len(fams) == 1:  # one family (most texts): no rows to pick out
            fam = fams.pop()
            return self.detectors.get(fam, self.detectors["default"]).proba(x)
        out = np.empty(len(families))
        for fam in fams:
            # The rows of this family, in order (what a boolean mask selects).
            rows = [k for k, f in enumerate(families) if f == fam]
            model = self.detectors.get(fam, self.detectors["default"])
            out[rows] = model.proba(x[rows])
        return out


def lexicon_only_models(base: Models) -> Models:
    """`base` with its span models replaced by rules, for ablation.

    Every lexicon hit seen spun more often than clean gets p ~ 1 (p = 0.5 when the
    counts tie), candidates rank by how often each was the original, and open
    vocabulary is off. The document model stays.
    """

    def one_hot(names: tuple[str, ...], name: str, weight: float) -> Linear:
        coef = np.array([weight if n == name else 0.0 for n in names])
        return Linear(names, np.zeros(len(names)), np.ones(len(names)), coef, 0.0)

    return Models(
        {"default": one_hot(DETECTOR_FEATURES, "specificity", 20.0)},
        one_hot(RANKER_FEATURES, "share", 10.0),
        base.document,
        {**base.meta, "ablation": "lexicon-only"},
    )


MAX_WEIGHT = 1e6  # trained weights and feature scalings are far smaller: larger is damage
MIN_SCALE = 1e-6


def _finite_number(x: Any) -> bool:
    """JSON numbers only (not booleans), no NaN or Infinity (json.loads accepts them), and
    none so large that a logit overflows (1e308 is finite, and inf after one product)."""
    return (
        isinstance(x, int | float)
        and not isinstance(x, bool)
        and math.isfinite(x)
        and abs(x) <= MAX_WEIGHT
    )


def _linear(d: Any, name: str, expected: tuple[str, ...], label: str) -> Linear:
    if not isinstance(d, dict):
        raise ModelError(f"{label}: '{name}' must be an object")
    feats = d.get("features")
    if feats != list(expected):
        raise ModelError(
            f"{label}: '{name}' features do not match this despin "
            f"({feats!r} != {list(expected)!r}); retrain with `despin train`"
        )
    arrays = []
    for key in ("mean", "scale", "coef"):
        v = d.get(key)
        if (
            not isinstance(v, list)
            or len(v) != len(expected)
            or not all(_finite_number(x) for x in v)
        ):
            raise ModelError(
                f"{label}: '{name}.{key}' must be {len(expected)} finite numbers"
                f" of magnitude at most {MAX_WEIGHT:g}"
            )
        arrays.append(np.asarray(v, dtype=float))
    if np.any(arrays[1] < MIN_SCALE):
        raise ModelError(f"{label}: '{name}.scale' must be at least {MIN_SCALE:g}")
    icpt = d.get("intercept")
    if not _finite_number(icpt):
        raise ModelError(
            f"{label}: '{name}.intercept' must be a finite number of magnitude at most"
            f" {MAX_WEIGHT:g}"
        )
    return Linear(tuple(expected), arrays[0], arrays[1], arrays[2], float(icpt))


def parse_models(data: Any, label: str = "<model>") -> Models:
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise ModelError(f"{label}: not a despin model file (format must be {MODEL_FORMAT!r})")
    if data.get("version") != MODEL_VERSION:
        raise ModelError(
            f"{label}: model version {data.get('version')!r} is not supported "
            f"(this despin reads version {MODEL_VERSION})"
        )
    dets = data.get("detectors")
    if not isinstance(dets, dict) or "default" not in dets:
        raise ModelError(f"{label}: 'detectors' must be an object with a 'default' detector")
    open_det = open_rank = None
    if data.get("open") is not None:
        op = data["open"]
        if not isinstance(op, dict):
            raise ModelError(f"{label}: 'open' must be an object with 'detector' and 'ranker'")
        open_det = _linear(op.get("detector"), "open.detector", OPEN_DETECTOR_FEATURES, label)
        open_rank = _linear(op.get("ranker"), "open.ranker", OPEN_RANKER_FEATURES, label)
    return Models(
        {k: _linear(v, f"detectors.{k}", DETECTOR_FEATURES, label) for k, v in dets.items()},
        _linear(data.get("ranker"), "ranker", RANKER_FEATURES, label),
        _linear(data.get("document"), "document", DOCUMENT_FEATURES, label),
        {k: v for k, v in data.items() if k not in ("detectors", "ranker", "document", "open")},
        open_det,
        open_rank,
    )


def load_models(path: str | Path) -> Models:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"{p}: cannot read model ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{p}: model is not valid JSON ({exc})") from None
    return parse_models(data, str(p))


@cache
def shipped_models() -> Models | None:
    """The bundled model, or None when the package was built without one."""
    f = importlib.resources.files("despin.models") / "despin-model.json"
    if not f.is_file():
        return None
    return parse_models(json.loads(f.read_text(encoding="utf-8")), "models/despin-model.json")
