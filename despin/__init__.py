"""despin: find synonym-spun text and put the original wording back.

The public API is small on purpose::

    import despin
    report = despin.score(text)        # Report: .score, .spans
    fixed = despin.restore(text)       # Restoration: .text, .edits
    assert despin.apply_edits(text, fixed.edits) == fixed.text
    for report in despin.score_many(texts, jobs=2): ...   # in order, bounded memory
    despin.preload()                   # long runs: read every table whole now (~1 s)
"""

from __future__ import annotations

from .batch import score_many
from .pipeline import Engine, preload, restore, score
from .report import Edit, Report, Restoration, Span, Suggestion, apply_edits

__version__ = "0.1.0"

__all__ = [
    "Edit",
    "Engine",
    "Report",
    "Restoration",
    "Span",
    "Suggestion",
    "__version__",
    "apply_edits",
    "preload",
    "restore",
    "score",
    "score_many",
]
