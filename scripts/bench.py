"""Throughput benchmark (`make bench`): score/restore speed on one core, the floor, start-up, RSS.

The corpus (>= 1M words) is clean text spun by `despin spin` (despin.spin.spin, the
code behind the command) with many seeds, mixed with the clean text itself: the
bundled sample original, the texts in benchmarks/texts/ (written for despin) and,
when ../shared is present, its clean originals. Everything runs in this one process
pinned to one core, except the spinning of the corpus and the cold-start runs
(child processes, same core).

Figures: words/s and MB/s (UTF-8) of `despin.score` and `despin.restore`; the floor
(one pass of a pyahocorasick automaton holding every key of the shipped lexicons over
the same text: the cost of just finding lexicon hits) and the ratio to it; the wall
time of a whole `despin score` process on a 1 KB file (median of several runs); peak
RSS of this process and of that CLI process. Written to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"score_mb_s": 1.0, "restore_mb_s": 0.5, "cold_start_s": 0.5, "peak_rss_mb": 300.0}


def pin_one_core(core: int | None = None) -> str:
    """Run on a single core (children inherit it); returns what was done."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0)) if core is None else core
        os.sched_setaffinity(0, {core})
        return f"pinned to CPU {core} (sched_setaffinity)"
    return "single process (no CPU pinning on this platform)"


def sources(shared: Path) -> list[str]:
    """Clean texts to spin: bundled and written for despin, plus ../shared originals."""
    texts = [(ROOT / "despin/samples/sample_original.txt").read_text(encoding="utf-8")]
    texts += [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "benchmarks/texts").glob("*.txt"))
    ]
    if (shared / "data").is_dir():
        for line in (shared / "data/real_spun_dev.jsonl").read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            if d.get("original"):
                texts.append(d["original"])
        texts += [
            p.read_text(encoding="utf-8") for p in sorted((shared / "seeds").glob("003_*.txt"))
        ]
    return texts


def build_corpus(texts: list[str], min_words: int) -> tuple[list[str], int, int]:
    """Documents (spun with seed after seed, every other round the clean text too)."""
    from despin.spin import spin
    from despin.tokens import count_words

    counts = [count_words(t) for t in texts]
    docs: list[str] = []
    n_words = n_spun = 0
    rnd = 0
    while n_words < min_words:
        for t, n in zip(texts, counts, strict=True):
            docs.append(spin(t, seed=rnd).text)
            n_words += n
            n_spun += 1
            if rnd % 2 == 0:
                docs.append(t)
                n_words += n
        rnd += 1
    return docs, n_spun, len(docs) - n_spun


def floor_pass(docs: list[str]) -> float:
    """Seconds for one Aho-Corasick pass over every document (automaton built beforehand)."""
    import ahocorasick

    from despin.lexicon import shipped_lexicons
    from despin.matcher import Matcher

    auto = ahocorasick.Automaton()
    for key in Matcher(shipped_lexicons()).entries:
        auto.add_word(key, key)
    auto.make_automaton()
    t = time.process_time()
    n = 0
    for d in docs:
        for _ in auto.iter(d.lower()):
            n += 1
    return time.process_time() - t


def cold_start(runs: int, page: str) -> tuple[float, list[float], float, float]:
    """Median wall time of `despin score` on a 1 KB file, all runs, its peak RSS (MB) and
    its median CPU time (user + sys: what the process costs, whatever else the machine runs)."""
    cmd = [sys.executable, "-m", "despin"]  # what the `despin` script runs, from this checkout
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.txt"
        path.write_text(page, encoding="utf-8")
        times, cpu, rss = [], [], 0.0
        for k in range(runs + 1):  # the first run warms the disk cache
            t = time.perf_counter()
            proc = subprocess.Popen([*cmd, "score", str(path)], stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - t
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode not in (0, 1):
                raise SystemExit(f"despin score failed with exit code {proc.returncode}")
            if k:
                times.append(elapsed)
                cpu.append(usage.ru_utime + usage.ru_stime)
                rss = max(rss, usage.ru_maxrss / 1024)
    return statistics.median(times), times, rss, statistics.median(cpu)


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    import numpy

    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "numpy": numpy.__version__,
    }


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--words", type=int, default=1_000_000, help="corpus size (default 1M)")
    ap.add_argument("--cold-runs", type=int, default=7)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/RESULTS.md")
    ap.add_argument("--core", type=int, help="CPU to pin to (default: the first allowed)")
    ap.add_argument("--make-corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--lazy-score", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    pinned = pin_one_core(args.core)
    load_avg = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)

    if args.lazy_score is not None:  # child mode: score without preload, print CPU seconds
        import despin

        docs = json.loads(args.lazy_score.read_text(encoding="utf-8"))["docs"]
        c = time.process_time()
        for d in docs:
            despin.score(d)
        print(time.process_time() - c)
        return 0
    if args.make_corpus is not None:  # child mode: spin in a process of its own
        docs, n_spun, n_clean = build_corpus(sources(args.shared), args.words)
        from despin.spin import spin

        council = (ROOT / "benchmarks/texts/council.txt").read_text(encoding="utf-8")
        page = spin(council, seed=1).text.encode("utf-8")[:1024].decode("utf-8", "ignore")
        data = {"docs": docs, "n_spun": n_spun, "n_clean": n_clean, "page": page}
        args.make_corpus.write_text(json.dumps(data), encoding="utf-8")
        return 0

    # The corpus is spun in a child process, so that the spinner's tables do not count
    # in this process's memory; the cold-start runs come first, while this process is
    # small (a child's peak RSS starts from its parent's at fork on Linux).
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.json"
        cmd = [sys.executable, __file__, "--make-corpus", str(path), "--words", str(args.words)]
        subprocess.run([*cmd, "--shared", str(args.shared)], check=True)
        data = json.loads(path.read_text(encoding="utf-8"))
        # The same corpus scored by a fresh process that reads the tables as it needs them
        # (no preload): what a short run, or a long one's first minutes, costs.
        lazy = subprocess.run(
            [sys.executable, __file__, "--lazy-score", str(path)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        lazy_s = float(lazy.stdout.split()[-1])
    docs, n_spun, n_clean = data["docs"], data["n_spun"], data["n_clean"]
    cold, cold_all, rss_cli, cold_cpu = cold_start(args.cold_runs, data["page"])
    print(f"cold start: median {cold:.3f} s wall ({cold_cpu:.3f} s CPU) of {len(cold_all)} runs; "
          f"peak RSS {rss_cli:.0f} MB", flush=True)  # fmt: skip

    t = time.perf_counter()
    import despin

    despin.preload()  # lexicons and model loaded, every table read whole: a long run's set-up
    load_s = time.perf_counter() - t
    from despin.tokens import words

    n_words = sum(len(words(d)) for d in docs)
    n_types = len({w for d in docs for w in words(d)})
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    print(f"corpus: {len(docs)} documents ({n_spun} spun, {n_clean} clean), {n_words:,} words, "
          f"{n_types:,} distinct words, {mb:.2f} MB; {pinned}", flush=True)  # fmt: skip

    t, c = time.perf_counter(), time.process_time()
    flagged = sum(despin.score(d).score >= 0.5 for d in docs)
    score_s, score_wall = time.process_time() - c, time.perf_counter() - t
    print(f"score:   {score_s:.1f} s CPU ({score_wall:.1f} s wall), {mb / score_s:.2f} MB/s",
          flush=True)  # fmt: skip
    t, c = time.perf_counter(), time.process_time()
    digest = hashlib.sha256()  # what restore did, to compare runs of different versions
    n_edits = 0
    for d in docs:
        for e in despin.restore(d).edits:
            digest.update(f"{e.start}:{e.end}:{e.new}\n".encode())
            n_edits += 1
    restore_s, restore_wall = time.process_time() - c, time.perf_counter() - t
    print(f"restore: {restore_s:.1f} s CPU ({restore_wall:.1f} s wall), "
          f"{mb / restore_s:.2f} MB/s", flush=True)  # fmt: skip
    floor_s = floor_pass(docs)
    print(f"floor:   {floor_s:.2f} s CPU, {mb / floor_s:.1f} MB/s", flush=True)
    rss_lib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"score without preload (fresh process): {lazy_s:.1f} s CPU, {mb / lazy_s:.2f} MB/s")
    fig = {
        "lazy_words_s": n_words / lazy_s,
        "lazy_mb_s": mb / lazy_s,
        "ratio_lazy_floor": lazy_s / floor_s,
        "score_words_s": n_words / score_s,
        "score_mb_s": mb / score_s,
        "restore_words_s": n_words / restore_s,
        "restore_mb_s": mb / restore_s,
        "floor_words_s": n_words / floor_s,
        "floor_mb_s": mb / floor_s,
        "ratio_score_floor": score_s / floor_s,
        "ratio_restore_floor": restore_s / floor_s,
        "cold_start_s": cold,
        "cold_start_cpu_s": cold_cpu,
        "score_wall_s": score_wall,
        "restore_wall_s": restore_wall,
        "load_s": load_s,
        "peak_rss_mb": max(rss_lib, rss_cli),
        "peak_rss_lib_mb": rss_lib,
        "peak_rss_cli_mb": rss_cli,
    }
    mach = machine()
    mach["load average at start (1/5/15 min)"] = " / ".join(f"{x:.2f}" for x in load_avg)
    print(f"restore edits digest: {digest.hexdigest()[:16]} ({n_edits} edits)")
    report = render(fig, mach, pinned, docs, n_spun, n_clean, n_words, n_types, mb,
                    flagged, n_edits, cold_all, digest.hexdigest()[:16])  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(f"wrote {args.out}")
    missed = [k for k, v in TARGETS.items() if (fig[k] < v if k.endswith("mb_s") else fig[k] > v)]
    print("targets met" if not missed else f"targets missed: {', '.join(missed)}")
    return 0


def render(fig, mach, pinned, docs, n_spun, n_clean, n_words, n_types, mb, flagged, n_edits,
           cold_all, digest) -> str:  # fmt: skip
    def ok(key: str) -> str:
        v, target = fig[key], TARGETS[key]
        good = v >= target if key.endswith("mb_s") else v <= target
        return "yes" if good else "**no**"

    rows = [
        ("`despin.score`", f"{fig['score_words_s']:,.0f}", f"{fig['score_mb_s']:.2f}",
         f"{fig['ratio_score_floor']:.1f}x", ">= 1 MB/s", ok("score_mb_s")),
        ("`despin.score` without `despin.preload()` (fresh process)",
         f"{fig['lazy_words_s']:,.0f}", f"{fig['lazy_mb_s']:.2f}",
         f"{fig['ratio_lazy_floor']:.1f}x", "", ""),
        ("`despin.restore`", f"{fig['restore_words_s']:,.0f}", f"{fig['restore_mb_s']:.2f}",
         f"{fig['ratio_restore_floor']:.1f}x", ">= 0.5 MB/s", ok("restore_mb_s")),
        ("floor: Aho-Corasick pass", f"{fig['floor_words_s']:,.0f}", f"{fig['floor_mb_s']:.1f}",
         "1x", "", ""),
    ]  # fmt: skip
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`scripts/bench.py`) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC,"
        f" commit {_commit()}. Regenerate with `make bench`.",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in mach.items()],
        f"- run: {pinned}",
        "",
        "## Corpus",
        "",
        f"{len(docs):,} documents ({n_spun:,} spun by `despin spin` with different seeds, "
        f"{n_clean:,} clean), {n_words:,} words, {mb:.2f} MB, {n_types:,} distinct words. "
        "Clean sources: the bundled sample original, benchmarks/texts/*.txt and, when present, "
        "the clean originals in ../shared. The corpus repeats a few thousand source words, so "
        "per-word caches are warm for most of the run; text never seen before is slower "
        "(see the load and first-sight notes in README's Speed section).",
        "",
        "## Throughput (one core)",
        "",
        "Throughput is measured in CPU time of this process (`time.process_time`), so other"
        " load on the machine does not count against it; wall times are listed below."
        " `despin.score` and `despin.restore` run after `despin.preload()`, which reads every"
        " derived table whole (what a long run does once; timed below, under start-up). The"
        " row without it scores the same corpus in a fresh process that reads table rows as"
        " it first needs them, until it has asked enough to read a table whole.",
        "",
        "| what | words/s | MB/s | time vs floor | target | met |",
        "| --- | ---: | ---: | ---: | --- | --- |",
        *[f"| {' | '.join(r)} |" for r in rows],
        "",
        f"score flagged {flagged:,} documents (score >= 0.5); restore made {n_edits:,} edits "
        f"(sha256 of their offsets and text: {digest}, to compare versions). "
        "restore runs after score in the same process. Wall time: score "
        f"{fig['score_wall_s']:.1f} s, restore {fig['restore_wall_s']:.1f} s.",
        "",
        "## Start-up and memory",
        "",
        "| what | value | target | met |",
        "| --- | ---: | --- | --- |",
        f"| cold start: `despin score` on a 1 KB file, whole process (median of "
        f"{len(cold_all)}) | {fig['cold_start_s']:.3f} s | <= 0.5 s | {ok('cold_start_s')} |",
        f"| cold start, CPU time (user + sys) of that process (median) | "
        f"{fig['cold_start_cpu_s']:.3f} s | | |",
        f"| `despin.preload()`: lexicons and model loaded, tables read whole, wall | "
        f"{fig['load_s']:.2f} s | | |",
        f"| peak RSS, benchmark process (corpus and all tables) | {fig['peak_rss_lib_mb']:.0f} MB"
        f" | <= 300 MB | {'yes' if fig['peak_rss_lib_mb'] <= 300 else '**no**'} |",
        f"| peak RSS, `despin score` process | {fig['peak_rss_cli_mb']:.0f} MB | <= 300 MB | "
        f"{'yes' if fig['peak_rss_cli_mb'] <= 300 else '**no**'} |",
        "",
        f"Cold-start runs (s): {', '.join(f'{t:.3f}' for t in cold_all)}.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
