"""Verdict time against document length, and peak memory of a 500 MB input.

Part 1 (time): documents of 200 KB, 400 KB, 800 KB, 1.6 MB and 5 MB, each
the UNGDC speeches concatenated (in file order) and cut to size, are read,
parsed, and given their verdict; parse and verdict time are reported apart.

Part 2 (memory): a JSONL of the UNGDC speeches repeated to ``--big-mb`` MB is
written to ``/tmp`` (never to the repository) and, in fresh processes,
(a) streamed and every document read (the reader, no pipeline), and
(b) streamed through batch scoring with every ``--score-every``-th document
scored and the rest skipped as already done (``--resume``'s path), into a
Parquet file. Peak resident memory of each process (``VmHWM``) is reported.

    GGTEXT_DATA=/work/shared .venv/bin/python benchmarks/verdict_scaling.py
    (results: benchmarks/results/verdict_scaling.md)
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

SIZES_KB = (200, 400, 800, 1600, 5000)


def _speeches(data: Path) -> list[Path]:
    files = sorted(glob.glob(str(data / "corpora" / "ungdc" / "TXT" / "*" / "*.txt")))
    if not files:
        raise SystemExit(f"no UNGDC speeches under {data}")
    return [Path(f) for f in files]


def _concatenated(files: list[Path], n_chars: int) -> str:
    pieces, total = [], 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        pieces.append(text)
        total += len(text) + 2
        if total >= n_chars:
            break
    return "\n\n".join(pieces)[:n_chars]


def time_scaling(data: Path, sizes_kb) -> list[dict]:
    from ggtext.models import load_model
    from ggtext.pipeline import default_pipeline
    from ggtext.reading import read_text
    from ggtext.scoring.verdict import document_verdict

    nlp, model = default_pipeline(), load_model()
    files = _speeches(data)
    document_verdict(nlp(read_text(_concatenated(files, 20_000)).text), model)  # warm up
    rows = []
    for kb in sizes_kb:
        text = _concatenated(files, kb * 1000)
        started = time.perf_counter()
        document = read_text(text)
        doc = nlp(document.text)
        parsed = time.perf_counter()
        verdict = document_verdict(doc, model)
        done = time.perf_counter()
        row = {
            "kb": kb,
            "paragraphs": len(document.paragraphs),
            "tokens": len(doc),
            "parse_s": parsed - started,
            "verdict_s": done - parsed,
            "feasibility": verdict.fields().get("feasibility_score"),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


def write_big_jsonl(data: Path, path: Path, megabytes: int) -> int:
    """The speeches repeated as JSONL lines (unique ids) until ``megabytes`` MB; returns the line count."""
    files = _speeches(data)
    speeches = [(p.stem, p.read_text(encoding="utf-8", errors="replace")) for p in files]
    target, written, n = megabytes * 1_000_000, 0, 0
    with open(path, "w", encoding="utf-8") as handle:
        while written < target:
            stem, text = speeches[n % len(speeches)]
            line = (
                json.dumps(
                    {
                        "id": f"{stem}#{n // len(speeches)}",
                        "text": text,
                        "copy": n // len(speeches),
                    }
                )
                + "\n"
            )
            handle.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    return n


def _child_read(path: str) -> dict:
    from ggtext.scoring.inputs import from_paths

    started, n, errors = time.perf_counter(), 0, 0
    for item in from_paths([path]):
        try:
            item.read()
        except Exception:
            errors += 1
        n += 1
    return {"documents": n, "errors": errors, "seconds": time.perf_counter() - started}


def _child_score(path: str, every: int, output: str) -> dict:
    from ggtext.scoring.batch import ScoringSettings, run
    from ggtext.scoring.executors import executor_for
    from ggtext.scoring.inputs import from_paths
    from ggtext.scoring.writers import ScoreWriter

    stream = from_paths([path])
    skip = {item.id for k, item in enumerate(stream) if k % every}  # "already done": streamed, not scored
    writer = ScoreWriter(output, "document", overwrite=True)
    started = time.perf_counter()
    try:
        tally = run(stream, executor_for(ScoringSettings()), sink=writer.write, skip=skip)
    finally:
        writer.finish()
    return {
        "documents_scored": tally.documents,
        "skipped": tally.skipped,
        "errors": tally.errors,
        "words": tally.words,
        "seconds": time.perf_counter() - started,
    }


def _peak_mb() -> float:
    """This process's peak resident memory (``VmHWM``: unlike ``ru_maxrss``, not inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_child(args: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_markdown(path: Path, rows: list[dict], memory: dict | None, command: str) -> None:
    lines = [
        "# Verdict time against document length; memory of a 500 MB input",
        "",
        f"Command: `{command}` (2 shared cores; times vary with the load by tens of percent).",
        "Documents: UNGDC speeches concatenated in file order and cut to size.",
        "",
        "| size | paragraphs | tokens | read + parse (s) | verdict (s) | verdict ms per 1k tokens |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        line = (
            f"| {r['kb']:,} KB | {r['paragraphs']:,} | {r['tokens']:,} | {r['parse_s']:.1f} | "
            f"{r['verdict_s']:.1f} | {1000 * r['verdict_s'] / r['tokens'] * 1000:.1f} |"
        )
        lines.append(line)
    if memory:
        lines += [
            "",
            f"## Peak memory, {memory['megabytes']} MB JSONL ({memory['lines']:,} speeches, in /tmp)",
            "",
            "| run | documents | seconds | peak RSS (MB) |",
            "|---|---:|---:|---:|",
            f"| stream and read every document (reader only) | {memory['read']['documents']:,} | "
            f"{memory['read']['seconds']:.0f} | {memory['read']['peak_mb']:.0f} |",
            f"| batch scoring, every {memory['every']}th document scored, the rest skipped as done | "
            f"{memory['score']['documents_scored']:,} scored of {memory['lines']:,} | "
            f"{memory['score']['seconds']:.0f} | {memory['score']['peak_mb']:.0f} |",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("GGTEXT_DATA", "")))
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=list(SIZES_KB),
        help="document sizes in KB",
    )
    parser.add_argument(
        "--big-mb",
        type=int,
        default=500,
        help="size of the JSONL for the memory runs (0: skip)",
    )
    parser.add_argument(
        "--score-every",
        type=int,
        default=128,
        help="score every n-th document of the big file",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / "results" / "verdict_scaling.md",
    )
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = _child_read(rest[0]) if kind == "read" else _child_score(rest[0], int(rest[1]), rest[2])
        result["peak_mb"] = _peak_mb()
        print(json.dumps(result))
        return
    rows = time_scaling(args.data, args.sizes)
    memory = None
    if args.big_mb:
        big = Path("/tmp") / f"ggtext_bench_{args.big_mb}mb.jsonl"
        lines = write_big_jsonl(args.data, big, args.big_mb)
        try:
            memory = {
                "megabytes": args.big_mb,
                "lines": lines,
                "every": args.score_every,
            }
            memory["read"] = _in_child(["read", str(big)])
            print(json.dumps(memory["read"]), flush=True)
            output = Path("/tmp") / "ggtext_bench_scores.parquet"
            memory["score"] = _in_child(["score", str(big), str(args.score_every), str(output)])
            print(json.dumps(memory["score"]), flush=True)
            output.unlink(missing_ok=True)
        finally:
            big.unlink(missing_ok=True)
    command = "python benchmarks/verdict_scaling.py " + " ".join(sys.argv[1:])
    write_markdown(args.out, rows, memory, command.strip())
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
