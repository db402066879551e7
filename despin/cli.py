"""The `despin` command line: score, restore, explain, spin, eval, train.

Data goes to stdout, messages to stderr. Exit codes: 0 ok, 1 a document scored above
--fail-above, 2 usage or input error (one line, no traceback), 4 internal error.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Find synonym-spun text and put the original wording back.",
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
_STATE = {"debug": False}

EXIT_OK, EXIT_FLAGGED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 4


class ScoreFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


class RestoreFormat(StrEnum):
    text = "text"
    json = "json"
    diff = "diff"


class Errors(StrEnum):
    strict = "strict"
    replace = "replace"


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    err.print(f"despin: {escape(message)}", style="red")
    return typer.Exit(code)


@contextmanager
def guard() -> Iterator[None]:
    """Turn every failure into one line and an exit code (tracebacks only with --debug)."""
    from .io import InputError
    from .lexicon import LexiconError
    from .model import ModelError

    try:
        yield
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except (InputError, LexiconError, ModelError, ValueError, OSError) as exc:
        if _STATE["debug"]:
            raise
        if isinstance(exc, OSError) and exc.filename and exc.strerror:
            raise _fail(f"{exc.filename}: {exc.strerror}") from None
        raise _fail(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - last line of defence for users
        if _STATE["debug"]:
            raise
        raise _fail(
            f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
            EXIT_INTERNAL,
        ) from None


def _version(value: bool) -> None:
    if value:
        out.print(f"despin {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    _STATE["debug"] = debug


def _expand(paths: list[str]) -> list[str]:
    """Files and '-' as given; folders become their files (sorted, hidden ones skipped)."""
    found: list[str] = []
    for p in paths:
        path = Path(p)
        if p != "-" and path.is_dir():
            found.extend(
                str(f)
                for f in sorted(path.rglob("*"))
                if f.is_file() and not any(part.startswith(".") for part in f.parts)
            )
        else:
            found.append(p)
    return found


def _no_piped_input() -> bool:
    return sys.stdin is None or sys.stdin.isatty()


def _inputs(paths: list[str] | None) -> list[str]:
    if not paths:
        if _no_piped_input():
            raise _fail("no input: give file paths or '-' for standard input")
        return ["-"]
    return _expand(paths)


def _one_input(path: str) -> None:
    """Refuse '-' when nothing is piped in, instead of waiting on a terminal."""
    if path == "-" and _no_piped_input():
        raise _fail("no input: give a file path or pipe text to standard input")


def _engine(lexicons: list[Path] | None, families: list[str] | None = None):
    from .pipeline import Engine

    return Engine(lexicon_paths=lexicons or (), families=families or None)


LexiconOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--lexicon", "-l", help="Extra lexicon file (repeatable); see docs/lexicon-format.md."
    ),
]
FamilyOpt = Annotated[
    list[str] | None,
    typer.Option("--family", help="Only use lexicons of this family or name (repeatable)."),
]
ThresholdOpt = Annotated[
    float | None,
    typer.Option("--threshold", "-t", min=0.0, max=1.0, help="Span probability cut-off."),
]
ErrorsOpt = Annotated[
    Errors, typer.Option("--errors", help="Invalid UTF-8: 'strict' refuses, 'replace' uses U+FFFD.")
]


def _snippet(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"…{escape(left)}[bold red]{escape(text[start:end])}[/]{escape(right)}…"


@app.command()
def score(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files, folders or '-' (stdin).")
    ] = None,
    fmt: Annotated[ScoreFormat, typer.Option("--format", "-f")] = ScoreFormat.text,
    threshold: ThresholdOpt = None,
    fail_above: Annotated[
        float | None,
        typer.Option("--fail-above", min=0.0, max=1.0, help="Exit 1 if a document scores above."),
    ] = None,
    lexicon: LexiconOpt = None,
    family: FamilyOpt = None,
    errors: ErrorsOpt = Errors.strict,
) -> None:
    """Score documents: spin probability and the spans that look spun."""
    from .io import read_text
    from .pipeline import DEFAULT_THRESHOLD
    from .wire import report_document

    th = DEFAULT_THRESHOLD if threshold is None else threshold
    flagged = False
    with guard():
        engine = _engine(lexicon, family)
        docs = []
        for path in _inputs(paths):
            text = read_text(path, errors.value)
            report = engine.score(text, th)
            flagged |= fail_above is not None and report.score > fail_above
            doc = report_document(report, "<stdin>" if path == "-" else path)
            if fmt is ScoreFormat.jsonl:
                out.print(json.dumps(doc, ensure_ascii=False), markup=False)
            elif fmt is ScoreFormat.json:
                docs.append(doc)
            else:
                _print_report(doc, text)
        if fmt is ScoreFormat.json:
            from .report import SCHEMA_VERSION

            out.print(
                json.dumps(
                    {"schema_version": SCHEMA_VERSION, "documents": docs},
                    ensure_ascii=False,
                    indent=1,
                ),
                markup=False,
            )
    if flagged:
        raise typer.Exit(EXIT_FLAGGED)


def _print_report(doc: dict, text: str) -> None:
    verdict = "spun" if doc["score"] >= 0.5 else "clean"
    out.print(
        f"[bold]{escape(doc['path'])}[/]  score [bold]{doc['score']:.3f}[/] ({verdict}), "
        f"{doc['n_words']} words, {len(doc['matches'])} spans"
    )
    for m in doc["matches"]:
        start, end = m["offset"], m["offset"] + m["length"]
        sugg = ", ".join(
            f"{escape(r['value'])} ({r['confidence']:.2f})" for r in m["replacements"][:3]
        )
        fam = escape(f"[{m['family']}]")
        out.print(
            f"  {start:>6}  p={m['p_spun']:.2f}  {fam}  {_snippet(text, start, end)}  → {sugg}"
        )


@app.command()
def restore(
    path: Annotated[str, typer.Argument(help="A file or '-' (stdin).")] = "-",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here, not stdout.")
    ] = None,
    fmt: Annotated[RestoreFormat, typer.Option("--format", "-f")] = RestoreFormat.text,
    threshold: ThresholdOpt = None,
    lexicon: LexiconOpt = None,
    family: FamilyOpt = None,
    errors: ErrorsOpt = Errors.strict,
    force: Annotated[bool, typer.Option("--force", help="Allow overwriting OUTPUT.")] = False,
) -> None:
    """Restore the original wording; prints the text, the edits (json) or a word diff."""
    from .io import read_text
    from .pipeline import DEFAULT_THRESHOLD
    from .wire import restoration_document

    with guard():
        _one_input(path)
        if output is not None and not force:
            if path != "-" and output.exists() and output.resolve() == Path(path).resolve():
                raise _fail(f"{output}: is the input file; use --force to overwrite it")
            if output.exists():
                raise _fail(f"{output}: exists; use --force to overwrite it")
        text = read_text(path, errors.value)
        engine = _engine(lexicon, family)
        result = engine.restore(text, DEFAULT_THRESHOLD if threshold is None else threshold)
        if fmt is RestoreFormat.json:
            body = json.dumps(
                restoration_document(result, "<stdin>" if path == "-" else path),
                ensure_ascii=False,
                indent=1,
            )
        elif fmt is RestoreFormat.diff:
            body = word_diff(text, result.edits, color=output is None and out.is_terminal)
        else:
            body = result.text
        if output is not None:
            output.write_text(body, encoding="utf-8")
        elif fmt is RestoreFormat.diff and out.is_terminal:
            out.print(body, end="")
        else:
            sys.stdout.write(body)
            sys.stdout.flush()
        if fmt is RestoreFormat.diff or output is not None:
            err.print(f"{len(result.edits)} edits")


def word_diff(text: str, edits, color: bool = False) -> str:
    """The text with each edit shown inline as [-old-]{+new+} (colored on a terminal)."""
    parts, pos = [], 0
    for e in edits:
        parts.append(escape(text[pos : e.start]) if color else text[pos : e.start])
        if color:
            parts.append(f"[red strike]{escape(e.old)}[/][green]{escape(e.new)}[/]")
        else:
            parts.append(f"[-{e.old}-]{{+{e.new}+}}")
        pos = e.end
    parts.append(escape(text[pos:]) if color else text[pos:])
    body = "".join(parts)
    return body if body.endswith("\n") else body + "\n"


@app.command()
def explain(
    text: Annotated[str, typer.Argument(help="Text to explain, or '-' for stdin.")],
    fmt: Annotated[ScoreFormat, typer.Option("--format", "-f")] = ScoreFormat.text,
    lexicon: LexiconOpt = None,
    family: FamilyOpt = None,
) -> None:
    """Every candidate span with its probability, suggestions and the features behind them."""
    from .io import read_text
    from .wire import report_document

    with guard():
        if text == "-":
            text = read_text("-")
        report = _engine(lexicon, family).score(text, threshold=0.0)
        doc = report_document(report, "<text>")
        if fmt is not ScoreFormat.text:
            out.print(json.dumps(doc, ensure_ascii=False, indent=1), markup=False)
            return
        out.print(f"document score [bold]{report.score:.3f}[/], {report.n_words} words")
        for m in doc["matches"]:
            title = f"{escape(m['text'])} @ {m['offset']}  p_spun={m['p_spun']:.3f}"
            table = Table(title=f"{title}  ({m['family']})")
            table.add_column("candidate")
            table.add_column("p", justify="right")
            table.add_column("rule")
            for r in m["replacements"]:
                table.add_row(escape(r["value"]), f"{r['confidence']:.3f}", escape(m["rule"]["id"]))
            out.print(table)
            feats = ", ".join(f"{k}={v:g}" for k, v in m["evidence"].items())
            out.print(f"  features: {escape(feats)}")


@app.command()
def spin(
    path: Annotated[str, typer.Argument(help="A clean text file or '-' (stdin).")] = "-",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the spun text here, not stdout.")
    ] = None,
    gold: Annotated[
        Path | None,
        typer.Option("--gold", help="Also write the swaps as gold spans (needs --output)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Same seed, same spin.")] = 0,
    rate: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Share of content words to swap.")
    ] = 0.2,
    errors: ErrorsOpt = Errors.strict,
    force: Annotated[bool, typer.Option("--force", help="Allow overwriting outputs.")] = False,
) -> None:
    """Spin clean text like an article spinner (test data for your own pipeline)."""
    from .io import read_text
    from .spin import spin as spin_text

    with guard():
        _one_input(path)
        if gold is not None and output is None:
            raise _fail("--gold needs --output: gold spans point at the spun text file")
        for target in (output, gold):
            if target is not None and target.exists() and not force:
                raise _fail(f"{target}: exists; use --force to overwrite it")
        result = spin_text(read_text(path, errors.value), seed=seed, rate=rate)
        if output is None:
            sys.stdout.write(result.text)
            sys.stdout.flush()
            return
        output.write_text(result.text, encoding="utf-8")
        if gold is not None:
            rel = os.path.relpath(output.resolve(), gold.resolve().parent)
            gold.write_text(
                json.dumps(result.to_gold(rel), ensure_ascii=False, indent=1), encoding="utf-8"
            )
        err.print(f"{len(result.swaps)} swaps")


@app.command("eval")
def eval_(
    files: Annotated[
        list[Path], typer.Argument(help="Gold JSON, passage JSONL, clean .txt, folders.")
    ],
    fmt: Annotated[ScoreFormat, typer.Option("--format", "-f")] = ScoreFormat.text,
    threshold: ThresholdOpt = None,
    held_out: Annotated[
        Path | None,
        typer.Option(
            "--held-out",
            help="Shared data folder: score each of its documents with lexicons and models "
            "built without it (slow: one build per document).",
        ),
    ] = None,
    lexicon: LexiconOpt = None,
    family: FamilyOpt = None,
) -> None:
    """Span P/R/F1, WER gain, clean-text edits and flags per 1,000 words, document ROC AUC."""
    from .evaluate import evaluate, format_table, load_docs

    with guard():
        docs = load_docs(files)
        engine = _engine(lexicon, family)
        if held_out is not None:
            from .heldout import heldout_router

            groups: dict[str, list[str]] = {}
            for d in docs:
                groups.setdefault(d.id.split(":")[0], []).append(d.text)
            err.print(f"building {len(groups)} held-out engines…")
            engine = heldout_router(held_out, groups)
        result = evaluate(docs, engine, threshold)
        if fmt is ScoreFormat.text:
            out.print(format_table(result), markup=False)
        else:
            out.print(json.dumps(result.to_dict(), indent=1), markup=False)


@app.command()
def train(
    shared: Annotated[Path, typer.Option(help="The shared data folder.")] = Path("../shared"),
    out_dir: Annotated[
        Path, typer.Option("--out", help="Where to write despin-model.json.")
    ] = Path("models"),
    exclude: Annotated[list[str] | None, typer.Option(help="Document id to leave out.")] = None,
) -> None:
    """Train the detector, ranker and document models (needs the `train` extra)."""
    with guard():
        try:
            import sklearn  # noqa: F401
        except ImportError:
            raise _fail("training needs scikit-learn: pip install 'despin[train]'") from None
        from .train import main as train_main

        code = train_main(shared=shared, out=out_dir, exclude=exclude or ())
    raise typer.Exit(code)


def main() -> None:
    """Console entry point."""
    try:
        app()
    except SystemExit:
        raise
    except BaseException as exc:  # pragma: no cover - guard() handles command errors
        if _STATE["debug"]:
            raise
        err.print(f"despin: internal error: {type(exc).__name__}: {exc} (rerun with --debug)")
        sys.exit(EXIT_INTERNAL)
