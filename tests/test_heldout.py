"""Held-out routing: each text goes to the engine built without it."""

from __future__ import annotations

from despin.heldout import RoutingEngine
from despin.report import Report, Restoration


class Fixed:
    def __init__(self, score: float) -> None:
        self.s = score

    def score(self, text: str, threshold: float = 0.5) -> Report:
        return Report(self.s, (), 0)

    def restore(self, text: str, threshold: float = 0.5) -> Restoration:
        return Restoration(text, (), self.score(text))


def test_routing_engine_picks_the_engine_of_each_text() -> None:
    router = RoutingEngine({"a": Fixed(0.1), "b": Fixed(0.2)}, Fixed(0.9))  # type: ignore[dict-item]
    assert router.score("a").score == 0.1
    assert router.restore("b").report.score == 0.2
    assert router.score("unknown").score == 0.9
