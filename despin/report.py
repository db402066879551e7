"""Result types: what `score` and `restore` return.

Plain frozen dataclasses so results are cheap, hashable and serialise to JSON with
`to_dict()`. Offsets are Python `str` indices (code points), half-open.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = "1.1"


@dataclass(frozen=True)
class Suggestion:
    """One candidate original wording for a span, with its probability."""

    text: str
    p: float
    source: str = ""
    """Where the candidate came from, e.g. ``lexicon:news`` or ``lexicon:science``."""
    rule_id: str = ""
    """Stable id of the lexicon entry (``news:international locations>countries``)."""


@dataclass(frozen=True)
class Span:
    """A stretch of text that is likely spun."""

    start: int
    end: int
    text: str
    p_spun: float
    suggestions: tuple[Suggestion, ...] = ()
    family: str = ""
    """Spinner family of the best evidence: ``news-spinner``, ``tortured-science``..."""
    evidence: dict[str, float] = field(default_factory=dict)
    """Feature values behind the decision, for `despin explain`."""

    @property
    def rule_id(self) -> str:
        return self.suggestions[0].rule_id if self.suggestions else ""

    @property
    def source(self) -> str:
        return self.suggestions[0].source if self.suggestions else ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["suggestions"] = [asdict(s) for s in self.suggestions]
        return d


@dataclass(frozen=True)
class Report:
    """Scoring result for one document."""

    score: float
    """Calibrated probability that the document is spun."""
    spans: tuple[Span, ...]
    n_words: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "score": self.score,
            "n_words": self.n_words,
            "spans": [s.to_dict() for s in self.spans],
        }


@dataclass(frozen=True)
class Edit:
    """One replayable change: text[start:end] == old becomes new."""

    start: int
    end: int
    old: str
    new: str
    p: float
    rule_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Restoration:
    """Restored text plus the edits that produced it from the input."""

    text: str
    edits: tuple[Edit, ...]
    report: Report | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "text": self.text,
            "edits": [e.to_dict() for e in self.edits],
        }


def apply_edits(text: str, edits: list[Edit] | tuple[Edit, ...]) -> str:
    """Replay `edits` (offsets into `text`) and return the edited text.

    Raises ValueError when an edit does not match the text or edits overlap, so a
    stale edit list can never silently corrupt a document.
    """
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos or e.end < e.start or e.end > len(text):
            raise ValueError(f"edit {e.start}-{e.end} overlaps or lies outside the text")
        if text[e.start : e.end] != e.old:
            raise ValueError(
                f"edit {e.start}-{e.end} expects {e.old!r} but the text has "
                f"{text[e.start : e.end]!r}"
            )
        out.append(text[pos : e.start])
        out.append(e.new)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)
