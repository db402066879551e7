"""Time and peak memory of `despin score` on one big generated file (README "Scale").

    python scripts/scale_figures.py --mb 10 --jobs 2
    python scripts/scale_figures.py --mb 200 --mini   # the streaming path alone
    python scripts/scale_figures.py --docs 200 --jobs 2   # despin.score_many throughput

The file repeats the bundled sample article (spun) and its original (clean), blank
lines between paragraphs. Peak memory is the largest sum of the proportional set sizes
(PSS) of `despin` and its worker processes, sampled every 0.2 s from /proc (Linux).
`--mini` scores with a two-entry user lexicon only (--family mini, --threshold 0, so
every hit is a span): little model work, so the run shows what reading, chunking,
merging and streaming the spans cost in time and memory.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "despin" / "samples"
MINI = (
    "# despin-lexicon: 1\n# name: mini\n# family: mini\nspun\toriginal\tn_spun\tn_clean\n"
    "mentioned\tsaid\t5\t0\n12 months\tyear\t5\t0\n"
)


def make_file(path: Path, mb: float) -> int:
    block = (
        (SAMPLES / "sample_spun.txt").read_text(encoding="utf-8")
        + "\n\n"
        + (SAMPLES / "sample_original.txt").read_text(encoding="utf-8")
        + "\n\n"
    ).encode()
    target = int(mb * 1_000_000)
    with path.open("wb") as f:
        written = 0
        while written < target:
            f.write(block)
            written += len(block)
    return written


def _field(path: Path, name: str) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(name):
            return int(line.split()[1]) * 1024
    return 0


def tree_memory(pid: int) -> tuple[int, int]:
    """(sum of PSS, largest RSS) over `pid` and its descendants, in bytes.

    PSS splits pages shared by forked workers between them, so the sum is what the
    process tree really holds; a plain RSS sum would count shared tables once per worker.
    """
    pss, rss, todo = 0, 0, [pid]
    while todo:
        p = todo.pop()
        try:
            pss += _field(Path(f"/proc/{p}/smaps_rollup"), "Pss:")
            rss = max(rss, _field(Path(f"/proc/{p}/status"), "VmRSS:"))
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return pss, rss


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--mini", action="store_true")
    ap.add_argument("--chunk-chars", type=int, default=20_000)
    ap.add_argument("--docs", type=int, default=0, help="score_many over this many articles")
    args = ap.parse_args()
    if args.docs:
        return many(args.docs, args.jobs)
    despin = Path(sys.executable).parent / "despin"
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.txt"
        size = make_file(big, args.mb)
        cmd = [str(despin), "score", "-f", "jsonl", "--jobs", str(args.jobs)]
        cmd += ["--chunk-chars", str(args.chunk_chars), "--no-progress", str(big)]
        if args.mini:
            lex = Path(tmp) / "mini.tsv"
            lex.write_text(MINI, encoding="utf-8")
            cmd[2:2] = ["--lexicon", str(lex), "--family", "mini", "--threshold", "0"]
        out = Path(tmp) / "out.jsonl"
        t0 = time.perf_counter()
        with out.open("wb") as sink:
            proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.PIPE)
            peak_pss = peak_rss = 0
            while proc.poll() is None:
                pss, rss = tree_memory(proc.pid)
                peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
                time.sleep(0.2)
        secs = time.perf_counter() - t0
        if proc.returncode != 0:
            print(proc.stderr.read().decode(), file=sys.stderr)
            return 1
        out_size = out.stat().st_size
        with out.open(encoding="utf-8") as f:
            doc = json.loads(f.readline())
    engine = "mini lexicon" if args.mini else "shipped lexicons and model"
    print(f"file: {size / 1e6:.1f} MB, jobs {args.jobs}, {engine}")
    print(f"time: {secs:.1f} s ({size / 1e6 / secs:.3f} MB/s)")
    print(f"peak memory: {peak_pss / 2**20:.0f} MiB PSS, all processes; largest process")
    print(f"  RSS {peak_rss / 2**20:.0f} MiB; output {out_size / 1e6:.1f} MB")
    print(f"chunks: {doc['chunks']}, words: {doc['n_words']}, spans: {len(doc['matches'])}")
    print(f"score: {doc['score']}")
    return 0


def many(n: int, jobs: int) -> int:
    """despin.score_many over n articles (the sample, spun and original, alternating)."""
    import despin

    texts = [
        (SAMPLES / name).read_text(encoding="utf-8")
        for name in ("sample_spun.txt", "sample_original.txt")
    ]
    despin.score(texts[0])  # table loading is not part of the throughput
    docs = (texts[i % 2] for i in range(n))
    t0 = time.perf_counter()
    scores = [r.score for r in despin.score_many(docs, jobs=jobs)]
    secs = time.perf_counter() - t0
    mb = sum(len(texts[i % 2].encode()) for i in range(n)) / 1e6
    print(f"score_many: {n} articles ({mb:.2f} MB), jobs {jobs}: {secs:.1f} s")
    print(f"  {n / secs:.1f} articles/s, {mb / secs:.3f} MB/s; mean score {sum(scores) / n:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
