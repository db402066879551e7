"""Behaviour snapshot: what `despin.score` and `despin.restore` say about a fixed set of texts.

Speed work must not change behaviour. `write` records, for every text, the full
`score(text).to_dict()` and the edits of `restore(text)`; `check` recomputes them and
lists every difference (floats may move by less than 1e-9, nothing else may move).

Texts: the bundled samples, the repo's own fixture (tests/fixtures/*.txt) and, when
`--shared` exists, the seeds and the spun/original texts of data/real_spun_dev.jsonl.
Snapshots of third-party texts keep offsets and numbers only (no `text`/`old` fields),
so they can live in the repo without copying the texts.

    python scripts/snapshot.py write /tmp/snap.json    # before a change: everything
    python scripts/snapshot.py check /tmp/snap.json    # after it
    python scripts/snapshot.py write --compact tests/data/snapshot.json  # what tests check
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TOL = 1e-9


def texts(shared: Path | None) -> dict[str, tuple[str, bool]]:
    """name -> (text, third_party). Repo texts first, then ../shared ones when present."""
    out: dict[str, tuple[str, bool]] = {}
    for p in sorted((ROOT / "despin" / "samples").glob("*.txt")):
        out[f"samples/{p.name}"] = (p.read_text(encoding="utf-8"), False)
    for p in sorted((ROOT / "tests" / "fixtures").glob("*.txt")):
        out[f"fixtures/{p.name}"] = (p.read_text(encoding="utf-8"), False)
    if shared is not None and (shared / "data").is_dir():
        for p in sorted((shared / "seeds").glob("*.txt")):
            out[f"shared/seeds/{p.name}"] = (p.read_text(encoding="utf-8"), True)
        jsonl = shared / "data" / "real_spun_dev.jsonl"
        for line in jsonl.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            for field in ("spun", "original"):
                if d.get(field):
                    out[f"shared/dev/{d['id']}/{field}"] = (d[field], True)
    return out


def _strip_text(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _strip_text(v) for k, v in x.items() if k not in ("text", "old")}
    if isinstance(x, list):
        return [_strip_text(v) for v in x]
    return x


def record(text: str, third_party: bool, compact: bool = False) -> dict[str, Any]:
    import despin
    from despin.pipeline import default_engine

    rep = despin.score(text).to_dict()
    eng = default_engine()
    # Every candidate span, below any threshold too (open-vocabulary ones from p 0.5).
    every = [s.to_dict() for s in eng._spans(eng.analyze(text))]
    edits = [
        {"start": e.start, "end": e.end, "old": e.old, "new": e.new, "p": e.p, "rule_id": e.rule_id}
        for e in despin.restore(text).edits
    ]
    out = {"score": rep, "edits": edits, "candidates": every}
    if compact:
        out = {
            "score": rep["score"],
            "n_words": rep["n_words"],
            "spans": [_span(s) for s in rep["spans"]],
            "candidates": [_span(s) for s in every],
            "edits": [[e["start"], e["end"], e["new"], e["p"]] for e in edits],
        }
    return _strip_text(out) if third_party else out


def _span(s: dict[str, Any]) -> list[Any]:
    """A span without its text and evidence: offsets, family, p and the suggestions."""
    sugg = [[g["text"], g["p"], g["rule_id"]] for g in s["suggestions"]]
    return [s["start"], s["end"], s["family"], s["p_spun"], sugg]


def collect(shared: Path | None, compact: bool = False) -> dict[str, Any]:
    return {name: record(t, tp, compact) for name, (t, tp) in texts(shared).items()}


def diff(old: Any, new: Any, where: str = "") -> list[str]:
    """Every difference between two snapshots (floats within TOL are equal)."""
    if (
        isinstance(old, float | int)
        and isinstance(new, float | int)
        and not (isinstance(old, bool) or isinstance(new, bool))
    ):
        if isinstance(old, float) or isinstance(new, float):
            ok = math.isclose(old, new, rel_tol=0.0, abs_tol=TOL)
        else:
            ok = old == new
        return [] if ok else [f"{where}: {old!r} -> {new!r}"]
    if isinstance(old, dict) and isinstance(new, dict):
        out = [f"{where}/{k}: missing now" for k in old.keys() - new.keys()]
        out += [f"{where}/{k}: new" for k in new.keys() - old.keys()]
        for k in old.keys() & new.keys():
            out += diff(old[k], new[k], f"{where}/{k}")
        return out
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return [f"{where}: {len(old)} items -> {len(new)}"]
        return [
            d
            for k, (a, b) in enumerate(zip(old, new, strict=True))
            for d in diff(a, b, f"{where}[{k}]")
        ]
    return [] if old == new else [f"{where}: {old!r} -> {new!r}"]


def dumps(snap: dict[str, Any], compact: bool) -> str:
    """JSON with one text per line when compact (readable diffs), indented otherwise."""
    if not compact:
        return json.dumps(snap, indent=1, ensure_ascii=False) + "\n"
    rows = [f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in snap.items()]
    return "{\n" + ",\n".join(rows) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("write", "check"))
    ap.add_argument("path", type=Path)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument(
        "--compact", action="store_true", help="offsets, p and suggestions only (no evidence)"
    )
    args = ap.parse_args(argv)
    shared = args.shared if (args.shared / "data").is_dir() else None
    snap = collect(shared, args.compact)
    if args.mode == "write":
        args.path.parent.mkdir(parents=True, exist_ok=True)
        args.path.write_text(dumps(snap, args.compact), encoding="utf-8")
        print(f"wrote {len(snap)} texts to {args.path}")
        return 0
    old = json.loads(args.path.read_text(encoding="utf-8"))
    missing = sorted(old.keys() - snap.keys())
    problems = [
        d for name in sorted(old.keys() & snap.keys()) for d in diff(old[name], snap[name], name)
    ]
    for p in problems[:50]:
        print(p)
    print(
        f"{len(old.keys() & snap.keys())} texts compared, {len(problems)} differences"
        f"{f', {len(missing)} texts not available' if missing else ''}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
