"""The `despin` command line: score, restore, explain, spin, eval, train.

Data goes to stdout, messages to stderr. Exit codes: 0 ok, 1 a document scored above
--fail-above, 2 usage or input error (one line, no traceback), 3 done but bad inputs
were skipped (--on-error skip), 4 internal error.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import __version__
from .chunking import MAX_CHARS
from .report import SCHEMA_VERSION

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Find synonym-spun text and put the original wording back.",
    pretty_exceptions_enable=False,
)
EXIT_OK, EXIT_FLAGGED, EXIT_USAGE, EXIT_SKIPPED, EXIT_INTERNAL = 0, 1, 2, 3, 4


def _quiet_stop() -> typer.Exit:
    """The reader went away (`despin score dir | head`): stop quietly, like `cat` in a
    pipeline, and exit 0 so that 1 keeps meaning "a document scored above --fail-above"."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return typer.Exit(EXIT_OK)


class _Stdout(Console):
    """rich's Console, except that a closed pipe ends the run with 0 (rich exits 1)."""

    def on_broken_pipe(self) -> None:
        raise _quiet_stop()


out = _Stdout(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
_STATE = {"debug": False}


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


class OnError(StrEnum):
    stop = "stop"
    skip = "skip"


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
    except BrokenPipeError:
        raise _quiet_stop() from None
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
TextFieldOpt = Annotated[
    str, typer.Option("--text-field", help="JSON Lines: the field holding the text.")
]


def _snippet(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"…{escape(left)}[bold red]{escape(text[start:end])}[/]{escape(right)}…"


class InputFormat(StrEnum):
    auto = "auto"
    text = "text"
    jsonl = "jsonl"
    html = "html"


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
    input_format: Annotated[
        InputFormat,
        typer.Option(
            "--input-format",
            "-i",
            help="auto: by extension (.jsonl/.ndjson JSON Lines, .html/.htm HTML, else text).",
        ),
    ] = InputFormat.auto,
    text_field: TextFieldOpt = "text",
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Worker processes (0: one per core).")
    ] = 1,
    chunk_chars: Annotated[
        int,
        typer.Option(
            "--chunk-chars", min=1000, help="Longer texts are scored in paragraph chunks."
        ),
    ] = MAX_CHARS,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress", help="Progress bar on stderr (default: on a terminal)."
        ),
    ] = None,
    on_error: Annotated[
        OnError,
        typer.Option(
            "--on-error",
            help="A bad file or JSONL record: 'stop' the run (exit 2), or 'skip' it with "
            "one line on stderr and exit 3 at the end.",
        ),
    ] = OnError.stop,
) -> None:
    """Score documents: spin probability and the spans that look spun."""
    from .batch import score_parts
    from .pipeline import DEFAULT_THRESHOLD
    from .sources import all_parts

    th = DEFAULT_THRESHOLD if threshold is None else threshold
    flagged = False
    skipped: list[str] = []

    def skip(exc: Exception) -> None:
        skipped.append(str(exc))
        err.print(f"despin: skipped {escape(str(exc))}", style="yellow")

    with guard():
        inputs = _inputs(paths)
        engine = _engine(lexicon, family)
        printer = _ScorePrinter(fmt, text_field)
        parts = all_parts(
            inputs,
            input_format.value,
            text_field,
            errors.value,
            chunk_chars,
            skip if on_error is OnError.skip else None,
        )
        with _progress(inputs, progress) as tick:

            def on_part(part, report) -> None:
                printer.part(part, report)
                tick(len(part.text.encode("utf-8", "replace")), part.last)

            for doc, report, chunks in score_parts(parts, jobs, th, engine, on_part, False):
                flagged |= fail_above is not None and report.score > fail_above
                printer.document(doc, report, chunks)
        printer.close()
    if skipped:
        err.print(f"despin: {len(skipped)} bad input(s) skipped", style="yellow")
        raise typer.Exit(EXIT_SKIPPED)
    if flagged:
        raise typer.Exit(EXIT_FLAGGED)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _verdict(score: float, n_spans: int) -> str:
    """The word beside the score: "uncertain" when the score is 0.5 or more but no span
    reaches the threshold, as in a text too short to tell (one word scores about 0.5,
    the even prior the score is calibrated for) or one whose evidence is all weak."""
    if score < 0.5:
        return "clean"
    return "spun" if n_spans else "uncertain"


class _ScorePrinter:
    """Writes score results as they come: text, one JSON document, or JSON Lines.

    A document of one chunk is printed whole when done. A longer one streams: its spans
    are written chunk by chunk and its score, known only at the end, comes last (in
    JSON, after "matches"), so memory stays bounded whatever the number of spans.
    """

    def __init__(self, fmt: ScoreFormat, field: str) -> None:
        self.fmt, self.field = fmt, field
        self.pending: list = []
        self.n_spans = 0
        self.first_doc = True
        self.first_match = True

    def part(self, part, report) -> None:
        ms = _matches(report)
        items = (
            [_span_line(m, part.text, part.offset) for m in ms]
            if self.fmt is ScoreFormat.text
            else ms
        )
        if part.offset == 0 and part.last:  # the whole document in one chunk
            self.pending, self.n_spans = items, len(items)
            return
        if part.offset == 0:
            self.n_spans, self.first_match = 0, True
            self._open(part.doc)
        self.n_spans += len(items)
        if self.fmt is ScoreFormat.text:
            for line in items:
                out.print(line)
            return
        for m in items:
            sys.stdout.write(("" if self.first_match else ", ") + json.dumps(m, ensure_ascii=False))
            self.first_match = False

    def _open(self, doc) -> None:
        """Start a streamed (multi-chunk) document."""
        if self.fmt is ScoreFormat.text:
            out.print(f"[bold]{escape(doc.path)}[/]  (long text: spans by chunk, score below)")
            return
        head = {
            "schema_version": SCHEMA_VERSION,
            "path": doc.path,
            "offsets_refer_to": "input" if doc.extracted is None else "extracted-text",
        }
        sys.stdout.write(self._doc_prefix() + self._record_prefix(doc))
        sys.stdout.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "matches": [')

    def document(self, doc, report, chunks: int) -> None:
        from .wire import report_document

        d = report_document(report, doc.path, chunks, doc.extracted)
        if self.fmt is ScoreFormat.text:
            verdict = _verdict(d["score"], self.n_spans)
            note = ", offsets in the extracted text" if doc.extracted is not None else ""
            note += f", {chunks} chunks" if chunks > 1 else ""
            out.print(
                f"[bold]{escape(d['path'])}[/]  score [bold]{d['score']:.3f}[/] ({verdict}), "
                f"{_count(d['n_words'], 'word')}, {_count(self.n_spans, 'span')}{escape(note)}"
            )
            for line in self.pending if chunks == 1 else ():
                out.print(line)
        elif chunks == 1:
            d["matches"] = self.pending
            if doc.record is not None:
                from .jsonl import output_record

                d = output_record(doc.record, self.field, d)
            sys.stdout.write(self._doc_prefix() + json.dumps(d, ensure_ascii=False))
        else:
            tail = {k: d[k] for k in ("score", "n_words", "chunks")}
            if doc.extracted is not None:
                tail["extracted_text"] = doc.extracted
            sys.stdout.write("], " + json.dumps(tail, ensure_ascii=False)[1:])
            if doc.record is not None:
                sys.stdout.write("}")
        if self.fmt is ScoreFormat.jsonl:
            sys.stdout.write("\n")
        self.pending, self.first_doc = [], False
        sys.stdout.flush()

    def _doc_prefix(self) -> str:
        if self.fmt is not ScoreFormat.json:
            return ""
        return _json_head() if self.first_doc else ",\n"

    def _record_prefix(self, doc) -> str:
        """JSONL input: the record's other fields, then the opening of "despin"."""
        if doc.record is None:
            return ""
        rest = {k: v for k, v in doc.record.items() if k != self.field}
        body = json.dumps(rest, ensure_ascii=False)[:-1]
        return body + (", " if rest else "") + '"despin": '

    def close(self) -> None:
        if self.fmt is ScoreFormat.json:
            sys.stdout.write((_json_head() if self.first_doc else "") + "\n]}\n")
            sys.stdout.flush()


def _json_head() -> str:
    return f'{{"schema_version": "{SCHEMA_VERSION}", "documents": [\n'


def _matches(report) -> list[dict]:
    from .wire import match

    return [match(s) for s in report.spans]


def _span_line(m: dict, text: str, base: int) -> str:
    start, end = m["offset"], m["offset"] + m["length"]
    sugg = ", ".join(f"{escape(r['value'])} ({r['confidence']:.2f})" for r in m["replacements"][:3])
    fam = escape(f"[{m['family']}]")
    snippet = _snippet(text, start - base, end - base)
    return f"  {start:>6}  p={m['p_spun']:.2f}  {fam}  {snippet}  → {sugg}"


@contextmanager
def _progress(inputs: list[str], show: bool | None) -> Iterator[Callable[[int, bool], None]]:
    """A rich progress bar on stderr (never stdout); by default only on a terminal."""
    sizes = [Path(p).stat().st_size if p != "-" and Path(p).is_file() else 0 for p in inputs]
    total = sum(sizes) if "-" not in inputs else None
    if show is None:
        show = err.is_terminal and (len(inputs) > 1 or (total or 0) > 1_000_000)
    if not show:
        yield lambda n, last: None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    docs = [0]
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    # No redirect: rich would otherwise route stdout (the data) through the stderr console.
    # No refresh thread either: --jobs forks workers, and forking a threaded process is
    # unsafe (Python 3.12+ warns); the bar is redrawn on every chunk instead.
    bar = Progress(
        *columns, console=err, redirect_stdout=False, redirect_stderr=False, auto_refresh=False
    )
    with bar:
        task = bar.add_task("scoring", total=total)

        def tick(n: int, last: bool) -> None:
            docs[0] += last
            bar.update(task, advance=n, description=f"{docs[0]} docs", refresh=True)

        yield tick
        if total is not None:
            bar.update(task, completed=total, refresh=True)


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
    chunk_chars: Annotated[
        int,
        typer.Option(
            "--chunk-chars", min=1000, help="Longer texts are restored in paragraph chunks."
        ),
    ] = MAX_CHARS,
    input_format: Annotated[
        InputFormat,
        typer.Option(
            "--input-format",
            "-i",
            help="auto: by extension. JSON Lines: each record's text field is restored and "
            "the record kept. HTML: the extracted main text is restored.",
        ),
    ] = InputFormat.auto,
    text_field: TextFieldOpt = "text",
) -> None:
    """Restore the original wording; prints the text, the edits (json) or a word diff."""
    from .chunking import iter_chunks
    from .io import display_name, iter_text
    from .pipeline import DEFAULT_THRESHOLD
    from .sources import html_text
    from .sources import input_format as format_of

    with guard():
        _one_input(path)
        if output is not None and not force:
            if path != "-" and output.exists() and output.resolve() == Path(path).resolve():
                raise _fail(f"{output}: is the input file; use --force to overwrite it")
            if output.exists():
                raise _fail(f"{output}: exists; use --force to overwrite it")
        th = DEFAULT_THRESHOLD if threshold is None else threshold
        color = fmt is RestoreFormat.diff and output is None and out.is_terminal
        kind = format_of(path, input_format.value)
        if kind == "jsonl":
            run = _jsonl_restorer(path, text_field, errors.value, th, fmt)
        else:
            extra = {"offsets_refer_to": "extracted-text"} if kind == "html" else {}
            html = kind == "html"
            pieces = [html_text(path, errors.value)] if html else iter_text(path, errors.value)
            chunks = iter_chunks(pieces, chunk_chars)
            run = _text_restorer(chunks, display_name(path), th, fmt, color, extra)
        engine = _engine(lexicon, family)
        # Written beside OUTPUT and renamed when done: bad input never leaves half a file.
        partial = output.with_name(f".{output.name}.partial") if output is not None else None
        sink = partial.open("w", encoding="utf-8") if partial is not None else sys.stdout
        write = (lambda s: out.print(s, end="")) if color else sink.write
        done = False
        try:
            n_edits = run(engine, write)
            done = True
        finally:
            if partial is not None and output is not None:
                sink.close()
                if done:
                    os.replace(partial, output)
                else:
                    partial.unlink(missing_ok=True)
            else:
                sys.stdout.flush()
        if fmt is RestoreFormat.diff or output is not None:
            err.print(f"{n_edits} edits")


def _text_restorer(chunks, name: str, th: float, fmt, color: bool, extra: dict):
    """A writer of one restored text, whole or (when longer than a chunk) streamed.

    The first two chunks are read here, before any output is opened, so that input
    errors at the start of the text never leave a partial file.
    """
    from .wire import restoration_document

    first = next(chunks)
    second = next(chunks, None)

    def run(engine, write) -> int:
        if second is not None:
            from itertools import chain

            parts = chain([first, second], chunks)
            return _restore_streamed(engine, parts, th, fmt, name, color, write, extra)
        text = first[1]  # the usual case: the whole text at once
        result = engine.restore(text, th)
        if fmt is RestoreFormat.json:
            doc = {**restoration_document(result, name), **extra}
            write(json.dumps(doc, ensure_ascii=False, indent=1))
        elif fmt is RestoreFormat.diff:
            write(word_diff(text, result.edits, color=color))
        else:
            write(result.text)
        return len(result.edits)

    return run


def _jsonl_restorer(path: str, field: str, errors: str, th: float, fmt):
    """A writer of restored JSON Lines: each record with its `field` restored.

    Every output line is the input record with the text restored in place and a
    "despin" field holding the edits (offsets into the record's original text); with
    `--format diff`, a "path:line" header and the word diff instead. Keys and the other
    fields are never touched: restoring the raw file would rewrite them too.
    """
    from .io import display_name
    from .jsonl import read_records

    name = display_name(path)

    def run(engine, write) -> int:
        n = 0
        for lineno, record, text in read_records(path, field, errors):
            r = engine.restore(text, th)
            n += len(r.edits)
            where = f"{name}:{lineno}"
            if fmt is RestoreFormat.diff:
                write(f"{where}\n{word_diff(text, r.edits)}")
                continue
            edits = [e.to_dict() for e in r.edits]
            doc = {"schema_version": SCHEMA_VERSION, "path": where, "edits": edits}
            write(json.dumps({**record, field: r.text, "despin": doc}, ensure_ascii=False) + "\n")
        return n

    return run


def _restore_streamed(
    engine, parts, th: float, fmt, name: str, color: bool, write, extra: dict | None = None
) -> int:
    """Restore a long text chunk by chunk, writing as it goes; returns the edit count.

    JSON keeps its shape (text, then edits with whole-text offsets): the edits wait in
    a temporary file, so memory stays bounded.
    """
    import tempfile
    from dataclasses import replace

    n, last = 0, "\n"
    with tempfile.TemporaryFile("w+", encoding="utf-8") as held:
        if fmt is RestoreFormat.json:
            head = json.dumps(
                {"schema_version": SCHEMA_VERSION, "path": name, **(extra or {})},
                ensure_ascii=False,
            )
            write(head[:-1] + ', "text": "')
        for offset, chunk in parts:
            r = engine.restore(chunk, th)
            if fmt is RestoreFormat.json:
                write(json.dumps(r.text, ensure_ascii=False)[1:-1])
                for e in r.edits:
                    moved = replace(e, start=e.start + offset, end=e.end + offset)
                    held.write(
                        (", " if n else "") + json.dumps(moved.to_dict(), ensure_ascii=False)
                    )
                    n += 1
                continue
            body = _diff_body(chunk, r.edits, color) if fmt is RestoreFormat.diff else r.text
            n += len(r.edits)
            if body:
                write(body)
                last = chunk[-1]
        if fmt is RestoreFormat.json:
            write('", "edits": [')
            held.seek(0)
            while block := held.read(1 << 20):
                write(block)
            write("]}")
        elif fmt is RestoreFormat.diff and last != "\n":
            write("\n")
    return n


def word_diff(text: str, edits, color: bool = False) -> str:
    """The text with each edit shown inline as [-old-]{+new+} (colored on a terminal)."""
    body = _diff_body(text, edits, color)
    return body if body.endswith("\n") else body + "\n"


def _diff_body(text: str, edits, color: bool) -> str:
    parts, pos = [], 0
    for e in edits:
        parts.append(escape(text[pos : e.start]) if color else text[pos : e.start])
        if color:
            parts.append(f"[red strike]{escape(e.old)}[/][green]{escape(e.new)}[/]")
        else:
            parts.append(f"[-{e.old}-]{{+{e.new}+}}")
        pos = e.end
    parts.append(escape(text[pos:]) if color else text[pos:])
    return "".join(parts)


@app.command()
def explain(
    text: Annotated[
        str,
        typer.Argument(
            help="Text to explain, a file to read (an existing path), or '-' for stdin."
        ),
    ],
    fmt: Annotated[ScoreFormat, typer.Option("--format", "-f")] = ScoreFormat.text,
    lexicon: LexiconOpt = None,
    family: FamilyOpt = None,
) -> None:
    """Every candidate span with its probability, suggestions and the features behind them."""
    from .io import read_text
    from .wire import report_document

    with guard():
        name = "<text>"
        if text == "-" or _names_a_file(text):
            name = "<stdin>" if text == "-" else text
            text = read_text(text)
        report = _engine(lexicon, family).score(text, threshold=0.0)
        doc = report_document(report, name)
        if fmt is not ScoreFormat.text:
            indent = 1 if fmt is ScoreFormat.json else None  # jsonl: one line
            out.print(json.dumps(doc, ensure_ascii=False, indent=indent), markup=False)
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


def _names_a_file(text: str) -> bool:
    """`explain`'s argument is a path when one line names an existing file."""
    if "\n" in text or len(text) > 4096:
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


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
            import scipy.optimize  # noqa: F401
        except ImportError:
            raise _fail("training needs scipy: pip install 'despin[train]'") from None
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
    finally:
        # The process ends next: its objects need no cycle collection, and the collections
        # of interpreter shutdown would walk every one of them (a fifth of a cold start).
        # Exit handlers and stream flushing still run.
        import gc

        gc.freeze()
