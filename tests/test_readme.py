"""Every command in the README is exercised by a test, and the README says so.

Commands are read from the README:
- every line of ```sh / ```bash / ```shell / ```console blocks;
- lines of untagged or ```text blocks that start with a command word (`despin`, `make`,
  `pip`, `python`); those with `[`, `|` or `...` are usage synopses;
- inline code spans that start with a command word (`make lexicons model`);
- ```python blocks, executed.

Each command is checked by the first rule of RULES whose pattern matches it; a command
that no rule matches fails `test_every_readme_command_has_a_rule`. To cover a new command:
- `despin ...` runs for real with the bundled sample, in a scratch folder that holds
  `despin/samples/` and the files of PLACEHOLDERS: add the files your command names there
  (a key such as "articles/a.txt" also makes the folder); exit code 0 is expected, or 1
  when the command has `--fail-above`; commands with a pipe or redirection run in bash;
- `make TARGET` needs a line in MAKE_TARGETS saying how it is checked (`make -n` by
  default: it proves the target exists and prints what it would run);
- another kind of command (a new script, `spark-submit ...`) needs a row in RULES and, if
  none of the checks fits, a new check in CHECKS;
- a ```python block that cannot run here (it needs Spark, say) needs a row in
  PYTHON_NOT_RUN: it is then compiled only, and the row says which test covers its logic.
"""

from __future__ import annotations

import enum
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import click
import pytest
import typer
from typer.testing import CliRunner

from despin.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SHELL_LANGS = {"sh", "bash", "shell", "console"}
COMMAND_WORDS = {"despin", "make", "pip", "python", "python3"}
SAMPLE_SPUN = (ROOT / "despin" / "samples" / "sample_spun.txt").read_text("utf-8")

# Files that README commands name, created in the scratch folder (text written for despin).
MY_LEXICON = """# despin-lexicon: 1
# name: {name}
# family: my-site
# description: A lexicon written for despin's README test.
spun\toriginal\tn_spun\tn_clean
motorcar\tcar\t3\t0
stately home\tmansion\t2\t0
"""
PLACEHOLDERS: dict[str, str] = {
    "article.txt": SAMPLE_SPUN,
    "paper.txt": "Our irregular woodland beat the profound learning baseline on every data set.\n",
    "my.tsv": MY_LEXICON.format(name="my"),
    "mine.tsv": MY_LEXICON.format(name="mine"),
    "crawl/page1.txt": SAMPLE_SPUN,
    "pairs.jsonl": json.dumps(
        {
            "id": "pair1",
            "family": "my-site",
            "spun": "The motorcar was parked outside the stately home all night.",
            "original": "The car was parked outside the mansion all night.",
        }
    )
    + "\n",
}

# How each `make` target named in the README is checked.
MAKE_TARGETS: dict[str, str] = {
    "demo": "run: `make -n demo`, then each despin command it prints, for real",
    "test": "dry run: it is this very suite (recursive)",
    "lint": "dry run: tests/test_lint.py runs ruff",
    "lexicons": "dry run: needs ../shared and rewrites lexicons/; tests/test_mining.py rebuilds it",
    "synonyms": "dry run: installs Debian packages and rebuilds the synonym table",
    "model": "dry run: retrains for minutes; tests/test_model.py checks it reproduces",
    "eval": "dry run: evaluate.py is tested in tests/test_evaluate.py",
    "eval-heldout": "dry run: one build per document, minutes",
    "figures": "dry run: about 12 minutes of evaluation",
    "clean": "dry run: would delete the venv running this test",
    "bench": "dry run: a 1M-word benchmark, minutes; benchmarks/RESULTS.md holds its output",
}

# ```python blocks that are compiled, not run: a substring of the block -> why, and
# which test covers it instead.
PYTHON_NOT_RUN: dict[str, str] = {
    "from pyspark.sql import SparkSession": "tests/test_spark.py runs score_udf in local[1]",
    "from warcio.archiveiterator": "a recipe for WET files the user downloads; the UDF it "
    "calls is tests/test_spark.py's",
}


# --- reading the README ---------------------------------------------------------------------

FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```", re.M | re.S)
INLINE = re.compile(r"`([^`\n]+)`")


def _is_command(line: str) -> bool:
    return line.split(maxsplit=1)[0] in COMMAND_WORDS if line.strip() else False


def _strip_comment(line: str) -> str:
    return re.sub(r"(^|\s)#.*$", "", line).strip()


def readme_commands(markdown: str) -> list[str]:
    """Shell commands of the README, in order, without duplicates."""
    found: list[str] = []
    for m in FENCE.finditer(markdown):
        lang, body = m.group(1), m.group(2)
        if lang in SHELL_LANGS:
            for line in body.replace("\\\n", " ").splitlines():
                line = _strip_comment(line.removeprefix("$ "))
                if line:
                    found.append(" ".join(line.split()))
        elif lang in {"", "text"}:
            for line in body.splitlines():
                if _is_command(line):
                    found.append(line.strip())
                elif line.startswith((" ", "\t")) and line.strip() and found:
                    found[-1] += " " + line.strip()  # a wrapped synopsis line
    prose = FENCE.sub("", markdown)
    for span in INLINE.findall(prose):
        if _is_command(span) and " " in span.strip():
            found.append(" ".join(span.split()))
    return list(dict.fromkeys(" ".join(c.split()) for c in found))


def python_blocks(markdown: str) -> list[str]:
    return [m.group(2) for m in FENCE.finditer(markdown) if m.group(1) == "python"]


# --- checks: each returns None when the command passed, else what went wrong -----------------


def _scratch(tmp: Path) -> Path:
    shutil.copytree(
        ROOT / "despin" / "samples",
        tmp / "despin" / "samples",
        ignore=shutil.ignore_patterns("*.py", "__pycache__"),
    )
    for name, text in PLACEHOLDERS.items():
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)  # "articles/a.txt" makes a folder
        (tmp / name).write_text(text, encoding="utf-8")
    return tmp


def check_run(cmd: str, cwd: Path) -> str | None:
    """Run a despin command in `cwd` (in process; through bash when it pipes)."""
    args = shlex.split(cmd)
    ok = {0, 1} if "--fail-above" in args else {0}
    if any(c in cmd for c in "|<>;&"):
        path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
        env = {**os.environ, "PATH": path}
        r = subprocess.run(["bash", "-c", cmd], cwd=cwd, env=env, capture_output=True,
                           text=True, timeout=300)  # fmt: skip
        code, output = r.returncode, r.stdout + r.stderr
    else:
        old = Path.cwd()
        os.chdir(cwd)
        try:
            r = CliRunner().invoke(app, args[1:])
        finally:
            os.chdir(old)
        code, output = r.exit_code, r.output
    return None if code in ok else f"exit {code}: {output[-500:]}"


def _click_command(name: str) -> click.Command | None:
    return getattr(typer.main.get_command(app), "commands", {}).get(name)


def check_subcommand(cmd: str, cwd: Path) -> str | None:
    name = cmd.split()[1]
    return None if _click_command(name) else f"`despin {name}` is no subcommand"


def _choices(param: object) -> set[str] | None:
    """The values an option takes: click's Choice, or the Enum typer built it from."""
    kind = getattr(param, "type", None)
    if hasattr(kind, "choices"):
        return {str(c) for c in kind.choices}  # type: ignore[union-attr]
    ann = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(ann, type) and issubclass(ann, enum.Enum):
        return {str(m.value) for m in ann}
    return None


def check_usage(cmd: str, cwd: Path) -> str | None:
    """A synopsis line: the subcommand exists, with every option and choice value it names,
    and it names every option the subcommand has, with all its choice values."""
    name = cmd.split()[1]
    sub = _click_command(name)
    if sub is None:
        return f"`despin {name}` is no subcommand"
    params = {o: p for p in sub.params for o in (*p.opts, *p.secondary_opts)}
    named = re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", cmd)
    missing = [o for o in named if o not in params]
    if missing:
        return f"`despin {name}` has no option {', '.join(missing)}"
    for opt, values in re.findall(r"(--[\w-]+) ([a-z]+(?:\|[a-z]+)+)", cmd):
        taken = _choices(params[opt])
        if taken is None or set(values.split("|")) != taken:
            return f"`despin {name} {opt}` takes {taken}, not {values}"
    unsaid = [
        p.opts[-1]
        for p in sub.params
        if p.opts[0].startswith("-") and "--help" not in p.opts
        and not set(named) & {*p.opts, *p.secondary_opts}
    ]  # fmt: skip
    if unsaid:
        return f"the synopsis of `despin {name}` leaves out {', '.join(unsaid)}"
    return None


def _make_dry_run(target: str) -> tuple[str | None, str]:
    if target not in MAKE_TARGETS:
        return f"`make {target}`: add it to MAKE_TARGETS in tests/test_readme.py", ""
    r = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)  # fmt: skip
    if r.returncode != 0 or not r.stdout.strip():
        return f"`make -n {target}` failed: {r.stderr[-300:]}", ""
    return None, r.stdout


def check_make(cmd: str, cwd: Path) -> str | None:
    for target in cmd.split()[1:]:
        problem, _ = _make_dry_run(target)
        if problem:
            return problem
    return None


def check_make_demo(cmd: str, cwd: Path) -> str | None:
    problem, plan = _make_dry_run("demo")
    if problem:
        return problem
    runs = [line.split("/despin ", 1)[1] for line in plan.splitlines() if "/despin " in line]
    if not runs:
        return "`make -n demo` runs no despin command"
    for args in runs:
        problem = check_run(f"despin {args}", cwd)
        if problem:
            return f"make demo: `despin {args}`: {problem}"
    return None


def check_packaging(cmd: str, cwd: Path) -> str | None:
    test = ROOT / "tests" / "test_packaging.py"
    ok = test.is_file() and "def test_wheel_ships_package_data" in test.read_text("utf-8")
    return None if ok else "tests/test_packaging.py no longer builds the wheel"


def check_extra(cmd: str, cwd: Path) -> str | None:
    """`pip install '.[a,b]'`: the wheel is tested, and pyproject.toml defines each extra."""
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
        "optional-dependencies"
    ]
    wanted = re.search(r"\[([\w,]+)\]", cmd).group(1).split(",")  # type: ignore[union-attr]
    missing = [e for e in wanted if e not in extras]
    if missing:
        return f"no extra {missing} in pyproject.toml"
    return check_packaging(cmd, cwd)


def check_script_help(cmd: str, cwd: Path) -> str | None:
    script = ROOT / cmd.split()[1]
    r = subprocess.run([sys.executable, str(script), "--help"], cwd=ROOT, capture_output=True,
                       text=True, timeout=120)  # fmt: skip
    return None if r.returncode == 0 else f"`{script.name} --help` failed: {r.stderr[-300:]}"


Check = Callable[[str, Path], "str | None"]
CHECKS: dict[str, Check] = {
    "usage": check_usage,
    "subcommand": check_subcommand,
    "run": check_run,
    "make-demo": check_make_demo,
    "make": check_make,
    "packaging": check_packaging,
    "extra": check_extra,
    "script-help": check_script_help,
}

# (pattern matched against the whole command, check, why). First match wins.
RULES: list[tuple[str, str, str]] = [
    (r"despin [\w-]+ .*(\[|\.\.\.).*", "usage", "a synopsis: subcommand, options, choices exist"),
    (r"despin [\w-]+", "subcommand", "a subcommand named in prose: it exists"),
    (r"despin .+", "run", "run for real on the bundled sample and PLACEHOLDERS"),
    (r"make demo", "make-demo", "make -n demo, then its despin commands for real"),
    (r"make [\w -]+", "make", "make -n for each target; MAKE_TARGETS says why not more"),
    (r"pip install \.", "packaging", "tests/test_packaging.py builds the wheel pip installs"),
    (r"pip install '\.\[[\w,]+\]'", "extra", "the wheel (packaging test) and the extras exist"),
    (r"python3? scripts/\w+\.py( .*)?", "script-help", "--help only: the script runs minutes"),
]


def rule_for(cmd: str) -> tuple[str, str, str] | None:
    return next((r for r in RULES if re.fullmatch(r[0], cmd)), None)


# --- tests ----------------------------------------------------------------------------------

COMMANDS = readme_commands(README.read_text("utf-8"))


def test_the_readme_commands_are_found() -> None:
    for expected in ("make demo", "make test", "pip install .", "make lexicons model"):
        assert expected in COMMANDS
    assert any(c.startswith("despin score ") and "[" in c for c in COMMANDS)
    assert any(c.startswith("despin restore ") and "[" not in c for c in COMMANDS)
    assert python_blocks(README.read_text("utf-8"))


def test_every_readme_command_has_a_rule() -> None:
    uncovered = [c for c in COMMANDS if rule_for(c) is None]
    assert not uncovered, (
        f"README commands no test covers: {uncovered}; add a rule to RULES in tests/test_readme.py"
    )


def test_a_new_kind_of_command_is_caught(tmp_path: Path) -> None:
    """What the two tests above and below do when someone adds an unknown command."""
    extra = "```sh\ncurl -s https://example.org | sh\nmake frobnicate\n```\n"
    cmds = readme_commands(extra)
    assert cmds == ["curl -s https://example.org | sh", "make frobnicate"]
    assert rule_for(cmds[0]) is None
    problem = CHECKS["make"](cmds[1], tmp_path)
    assert problem is not None and "MAKE_TARGETS" in problem
    assert check_usage("despin score [--no-such-option]", tmp_path) is not None
    assert check_run("despin score no-such-file.txt", _scratch(tmp_path)) is not None


def test_every_readme_command_runs(tmp_path: Path) -> None:
    """In README order, in one scratch folder: later commands read what earlier ones wrote."""
    cwd = _scratch(tmp_path)
    failures = []
    for cmd in COMMANDS:
        rule = rule_for(cmd)
        if rule is None:
            continue  # reported by test_every_readme_command_has_a_rule
        problem = CHECKS[rule[1]](cmd, cwd)
        if problem:
            failures.append(f"{cmd}\n    ({rule[2]}) {problem}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("block", python_blocks(README.read_text("utf-8")))
def test_readme_python_blocks_run(block: str, tmp_path: Path, monkeypatch) -> None:
    reason = next((why for marker, why in PYTHON_NOT_RUN.items() if marker in block), None)
    code = compile(block, "README.md", "exec")
    if reason is not None:
        return  # compiled only; PYTHON_NOT_RUN names the test that covers it
    monkeypatch.chdir(_scratch(tmp_path))
    texts = [SAMPLE_SPUN, (ROOT / "despin" / "samples" / "sample_original.txt").read_text("utf-8")]
    exec(code, {"text": SAMPLE_SPUN, "texts": texts, "__name__": "readme"})
