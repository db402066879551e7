"""The JSON wire format of `despin score`/`restore` (docs/wire-schema.md).

Shaped like LanguageTool matches so that tools which already read those can read
despin: offset, length, message, replacements with confidence, rule id.
"""

from __future__ import annotations

from typing import Any

from .report import SCHEMA_VERSION, Report, Restoration, Span


def span_message(span: Span) -> str:
    if span.suggestions:
        return f"Possibly spun ({span.family}); original may be {span.suggestions[0].text!r}."
    return f"Possibly spun ({span.family})."


def match(span: Span) -> dict[str, Any]:
    return {
        "offset": span.start,
        "length": span.end - span.start,
        "text": span.text,
        "message": span_message(span),
        "p_spun": round(span.p_spun, 4),
        "family": span.family,
        "replacements": [{"value": s.text, "confidence": round(s.p, 4)} for s in span.suggestions],
        "rule": {"id": span.rule_id, "source": span.source},
        "evidence": {k: round(v, 4) for k, v in span.evidence.items()},
    }


def report_document(
    report: Report, path: str, chunks: int = 1, extracted: str | None = None
) -> dict[str, Any]:
    """One scored document. `extracted`: the text pulled out of HTML that offsets refer to."""
    doc = {
        "schema_version": SCHEMA_VERSION,
        "path": path,
        "score": round(report.score, 4),
        "n_words": report.n_words,
        "chunks": chunks,
        "offsets_refer_to": "input" if extracted is None else "extracted-text",
        "matches": [match(s) for s in report.spans],
    }
    if extracted is not None:
        doc["extracted_text"] = extracted
    return doc


def restoration_document(r: Restoration, path: str) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "path": path,
        **{k: v for k, v in r.to_dict().items() if k != "schema_version"},
    }
