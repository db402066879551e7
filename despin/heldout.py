"""Held-out builds: score each document with lexicons and models that never saw it.

An in-sample figure says how well despin memorised its training data; the held-out
figure says how it does on a spun article it has never met, which is what users see.
For every evaluated document the news lexicon is mined and the models are trained
with that document (and its original) left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .pipeline import DEFAULT_THRESHOLD, Engine
from .report import Report, Restoration


class RoutingEngine:
    """Sends each text to the engine built without it (falls back to `default`)."""

    def __init__(self, by_text: dict[str, Engine], default: Engine) -> None:
        self.by_text = by_text
        self.default = default

    def _pick(self, text: str) -> Engine:
        return self.by_text.get(text, self.default)

    def score(self, text: str, threshold: float = DEFAULT_THRESHOLD) -> Report:
        return self._pick(text).score(text, threshold)

    def restore(self, text: str, threshold: float = DEFAULT_THRESHOLD) -> Restoration:
        return self._pick(text).restore(text, threshold)


def heldout_engine(shared: Path, exclude: Iterable[str]) -> Engine:
    """An engine whose news lexicon and models were built without `exclude`."""
    from .train import _news_lexicon, fit, science_lexicon

    ex = frozenset(exclude)
    return Engine(
        lexicons=[_news_lexicon(str(shared), ex), science_lexicon()], models=fit(shared, ex)
    )


def heldout_router(shared: Path, texts_by_group: dict[str, list[str]]) -> RoutingEngine:
    """One held-out engine per group id (a passage id and its original share a group)."""
    by_text: dict[str, Engine] = {}
    for group, texts in sorted(texts_by_group.items()):
        eng = heldout_engine(shared, {group})
        for t in texts:
            by_text[t] = eng
    return RoutingEngine(by_text, Engine())
