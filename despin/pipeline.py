"""STUB being replaced: text -> tokens -> candidates -> features -> model -> report."""

from __future__ import annotations

from .report import Report, Restoration
from .tokens import count_words

DEFAULT_THRESHOLD = 0.5


class Engine:
    def __init__(self, lexicon_paths=None, families=None):
        pass

    def score(self, text: str) -> Report:
        return Report(score=0.0, spans=(), n_words=count_words(text))

    def restore(self, text: str, threshold: float = DEFAULT_THRESHOLD) -> Restoration:
        return Restoration(text=text, edits=(), report=self.score(text))


_DEFAULT: Engine | None = None


def default_engine() -> Engine:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Engine()
    return _DEFAULT


def score(text: str) -> Report:
    return default_engine().score(text)


def restore(text: str, threshold: float = DEFAULT_THRESHOLD) -> Restoration:
    return default_engine().restore(text, threshold)
