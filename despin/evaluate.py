"""`despin eval`: measure span detection, restoration and document scores on gold data.

Reads the formats of GOLD_FORMAT.md (gold span JSON, parallel-passage JSONL) plus
plain .txt files (clean text). Metrics follow that file: token-level span P/R/F1,
WER gain, restore edits and flagged spans per 1,000 clean words, document ROC AUC.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Protocol

from rapidfuzz.distance import Levenshtein

from .report import Report, Restoration
from .tokens import Token, normalize, tokenize


class Scorer(Protocol):
    def restore(self, text: str, threshold: float = ...) -> Restoration: ...


@dataclass
class EvalDoc:
    """One evaluated text: spun with gold spans or an original, spun without, or clean."""

    id: str
    family: str
    text: str
    is_spun: bool
    gold_spans: list[tuple[int, int, str, bool]] | None = None  # start, end, original, uncertain
    original: str | None = None


@dataclass
class FamilyResult:
    n_docs: int = 0
    n_words: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    err_before: int = 0
    err_after: int = 0
    ref_words: int = 0
    clean_words: int = 0
    clean_edits: int = 0
    clean_flags: int = 0
    auc: float = math.nan

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else math.nan

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else math.nan

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r > 0 else (0.0 if p == p and r == r else math.nan)

    @property
    def wer_gain(self) -> float:
        if not self.err_before:
            return math.nan
        return (self.err_before - self.err_after) / self.err_before

    @property
    def edits_per_1k(self) -> float:
        return 1000 * self.clean_edits / self.clean_words if self.clean_words else math.nan

    @property
    def flags_per_1k(self) -> float:
        return 1000 * self.clean_flags / self.clean_words if self.clean_words else math.nan

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("precision", "recall", "f1", "wer_gain", "edits_per_1k", "flags_per_1k"):
            d[k] = getattr(self, k)
        return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in d.items()}


@dataclass
class EvalResult:
    families: dict[str, FamilyResult] = field(default_factory=dict)
    scores: list[tuple[str, str, bool, float]] = field(default_factory=list)  # id, fam, spun, s

    def to_dict(self) -> dict[str, Any]:
        return {
            "families": {k: v.to_dict() for k, v in self.families.items()},
            "documents": [
                {"id": i, "family": f, "is_spun": s, "score": sc} for i, f, s, sc in self.scores
            ],
        }


# --- loading --------------------------------------------------------------------------------


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _load_gold(path: Path) -> EvalDoc:
    try:
        gold = json.loads(path.read_text("utf-8"))
        rel = gold["text_file"]
        spans = gold["spans"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a gold span file ({exc})") from None
    candidates = [path.parent.parent / rel, path.parent / rel, path.parent / Path(rel).name]
    text_path = next((p for p in candidates if p.is_file()), None)
    if text_path is None:
        raise ValueError(f"{path}: text file {rel!r} not found")
    raw = text_path.read_bytes()
    text = raw.decode("utf-8")
    want = gold.get("text_sha256")
    if want and want not in (_sha256(text), hashlib.sha256(raw).hexdigest()):
        raise ValueError(f"{path}: sha256 of {text_path} does not match text_sha256")
    gs = []
    for i, s in enumerate(spans):
        try:
            gs.append(
                (int(s["start"]), int(s["end"]), str(s["original"]), bool(s.get("uncertain")))
            )
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"{path}: span {i} lacks start/end/original") from None
    fam = gold.get("family") or ("news-spinner" if gs else "clean")
    return EvalDoc(path.stem, fam, text, bool(gs), gs)


def _load_jsonl(path: Path) -> list[EvalDoc]:
    docs = []
    for lineno, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            rid, fam, spun = str(row["id"]), str(row["family"]), str(row["spun"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{lineno}: not a passage row ({exc})") from None
        original = row.get("original")
        docs.append(EvalDoc(rid, fam, spun, True, None, original))
        if original:
            docs.append(EvalDoc(f"{rid}:original", "clean", original, False, []))
    return docs


def load_docs(paths: list[Path]) -> list[EvalDoc]:
    """Evaluation documents from gold JSON, passage JSONL, .txt (clean) files or folders."""
    docs: list[EvalDoc] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            docs.extend(
                load_docs(sorted(x for x in p.rglob("*") if x.suffix in {".json", ".jsonl"}))
            )
        elif not p.exists():
            raise ValueError(f"{p}: no such file")
        elif p.suffix == ".jsonl":
            docs.extend(_load_jsonl(p))
        elif p.suffix == ".json":
            docs.append(_load_gold(p))
        else:
            text = p.read_text("utf-8")
            docs.append(EvalDoc(p.stem, "clean", text, False, []))
    return docs


# --- metrics --------------------------------------------------------------------------------


def _words(text: str) -> list[Token]:
    return [t for t in tokenize(text) if t.is_word]


def _token_labels(doc: EvalDoc) -> tuple[list[Token], list[int], str]:
    """Word tokens, their labels (1 spun, 0 clean, -1 ignored) and the reference text."""
    toks = _words(doc.text)
    if doc.gold_spans is not None:
        labels = [0] * len(toks)
        ref = doc.text
        for start, end, original, uncertain in sorted(doc.gold_spans, key=lambda s: -s[0]):
            if not uncertain:
                ref = ref[:start] + original + ref[end:]
        for i, t in enumerate(toks):
            for start, end, _, uncertain in doc.gold_spans:
                if t.start < end and t.end > start:
                    labels[i] = -1 if uncertain else 1
        return toks, labels, ref
    assert doc.original is not None
    otoks = _words(doc.original)
    sm = SequenceMatcher(None, [t.lower for t in toks], [t.lower for t in otoks], autojunk=False)
    labels = [-1] * len(toks)
    pieces, pos = [], 0
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            labels[i1:i2] = [0] * (i2 - i1)
        elif op == "replace" and i2 - i1 <= 5 and j2 - j1 <= 5:
            labels[i1:i2] = [1] * (i2 - i1)
            start, end = toks[i1].start, toks[i2 - 1].end
            pieces += [doc.text[pos:start], doc.original[otoks[j1].start : otoks[j2 - 1].end]]
            pos = end
    ref = "".join(pieces) + doc.text[pos:]
    return toks, labels, ref


def _wer_errors(hyp: str, ref: str) -> tuple[int, int]:
    r = [normalize(t.text) for t in _words(ref)]
    h = [normalize(t.text) for t in _words(hyp)]
    return Levenshtein.distance(h, r), len(r)


def roc_auc(pos: list[float], neg: list[float]) -> float:
    """Mann-Whitney ROC AUC (ties count half); NaN when a class is empty."""
    if not pos or not neg:
        return math.nan
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def reliability(
    scores: list[tuple[float, bool]], edges: tuple[float, ...] = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)
) -> list[tuple[float, float, int, float, float]]:
    """Reliability table of document scores: per bin (low, high, n, mean score, share spun).

    A calibrated score has its mean close to the share of spun documents in each bin.
    Empty bins are left out; the last bin includes 1.0.
    """
    rows = []
    for k, (lo, hi) in enumerate(zip(edges, edges[1:], strict=False)):
        last = k == len(edges) - 2
        inside = [(p, y) for p, y in scores if lo <= p < hi or (last and p == hi)]
        if inside:
            n = len(inside)
            rows.append((lo, hi, n, sum(p for p, _ in inside) / n, sum(y for _, y in inside) / n))
    return rows


def evaluate(docs: list[EvalDoc], engine: Scorer, threshold: float | None = None) -> EvalResult:
    """Score and restore every doc once; aggregate per family and overall ("all")."""
    res = EvalResult()
    fams: dict[str, FamilyResult] = {}
    for doc in docs:
        r: Restoration = (
            engine.restore(doc.text) if threshold is None else engine.restore(doc.text, threshold)
        )
        rep: Report | None = r.report
        score = rep.score if rep is not None else math.nan
        spans = rep.spans if rep is not None else ()
        res.scores.append((doc.id, doc.family, doc.is_spun, score))
        for key in (doc.family, "all"):
            f = fams.setdefault(key, FamilyResult())
            f.n_docs += 1
            n = len(_words(doc.text))
            f.n_words += n
            if not doc.is_spun:
                f.clean_words += n
                f.clean_edits += len(r.edits)
                f.clean_flags += len(spans)
                continue
            if doc.gold_spans is None and doc.original is None:
                continue
            toks, labels, ref = _token_labels(doc)
            for t, lab in zip(toks, labels, strict=True):
                if lab < 0:
                    continue
                flagged = any(t.start < s.end and t.end > s.start for s in spans)
                f.tp += flagged and lab == 1
                f.fp += flagged and lab == 0
                f.fn += (not flagged) and lab == 1
            before, nref = _wer_errors(doc.text, ref)
            after, _ = _wer_errors(r.text, ref)
            f.err_before += before
            f.err_after += after
            f.ref_words += nref
    clean = [s for _, fam, spun, s in res.scores if not spun]
    for key, f in fams.items():
        pos = [s for _, fam, spun, s in res.scores if spun and (key == "all" or fam == key)]
        f.auc = roc_auc(pos, clean)
    res.families = dict(sorted(fams.items(), key=lambda kv: (kv[0] == "all", kv[0])))
    return res


def _fmt(x: float, pct: bool = False) -> str:
    if x != x:
        return "–"
    return f"{x:.2f}" if not pct else f"{x:.3f}"


def format_table(result: EvalResult) -> str:
    """A Markdown table: one row per family, then "all"."""
    head = (
        "| family | docs | words | span P | span R | span F1 | WER gain | "
        "edits/1k clean | flags/1k clean | doc AUC |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    rows = [
        f"| {k} | {f.n_docs} | {f.n_words} | {_fmt(f.precision)} | {_fmt(f.recall)} | "
        f"{_fmt(f.f1)} | {_fmt(f.wer_gain)} | {_fmt(f.edits_per_1k)} | {_fmt(f.flags_per_1k)} | "
        f"{_fmt(f.auc, True)} |"
        for k, f in result.families.items()
    ]
    return "\n".join([head, *rows])
