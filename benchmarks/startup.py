"""Whole-process start-up: how long small jobs take from the shell, measured with /usr/bin/time.

    python benchmarks/startup.py [--repeat 5] [--out benchmarks/results/startup.md]

Each command runs ``--repeat`` times in a fresh process; the table gives the
median and the fastest wall time, the median CPU time (user + system: less
sensitive than wall time to other jobs on the machine) and the peak RSS. Targets (issue 9):
``ggtext --help`` under 0.5 s, ``import ggtext`` under 1.5 s, ``ggtext analyze``
of the seed essay under 2.5 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TARGETS = {"ggtext --help": 0.5, "python -c 'import ggtext'": 1.5, "ggtext analyze seed essay": 2.5}


def commands(workdir: Path) -> dict[str, list[str]]:
    one = workdir / "one.txt"
    one.write_text("We reject the Global Compact for Migration.\n", encoding="utf-8")
    return {
        "ggtext --help": [str(BIN / "ggtext"), "--help"],
        "python -c 'import ggtext'": [sys.executable, "-c", "import ggtext"],
        "python -c 'import ggtext; ggtext.load()'": [sys.executable, "-c", "import ggtext; ggtext.load()"],
        "ggtext analyze seed essay": [str(BIN / "ggtext"), "analyze", str(ROOT / "corpora" / "seed_essay.txt")],
        "ggtext analyze --no-model seed essay": [
            str(BIN / "ggtext"),
            "analyze",
            "--no-model",
            str(ROOT / "corpora" / "seed_essay.txt"),
        ],
        "ggtext score one sentence": [
            str(BIN / "ggtext"),
            "score",
            str(one),
            "-o",
            str(workdir / "out.csv"),
            "--overwrite",
        ],
    }


def timed(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (kB) of one run, as /usr/bin/time reports them."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        result = subprocess.run(
            ["/usr/bin/time", "-f", "%e %U %S %M", "-o", report.name, *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {result.stderr[-500:]}")
        wall, user, system, rss = report.read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (default 5)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "startup.md")
    args = parser.parse_args()
    rows = []
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        for name, argv in commands(Path(tmp)).items():
            timed(argv)  # warm the file cache
            runs = [timed(argv) for _ in range(args.repeat)]
            walls = [w for w, _, _ in runs]
            cpu = statistics.median(c for _, c, _ in runs)
            rows.append((name, statistics.median(walls), min(walls), cpu, max(r for _, _, r in runs) / 1024))
            print(f"{name}: median {rows[-1][1]:.2f} s", file=sys.stderr)
    lines = [
        "# Start-up of small jobs (whole process)",
        "",
        f"`python benchmarks/startup.py --repeat {args.repeat}` on {time.strftime('%Y-%m-%d')}, "
        f"{platform.machine()}, {os.cpu_count()} cores, load average {load_at_start:.2f} at the start and "
        f"{os.getloadavg()[0]:.2f} at the end.",
        "",
        "| command | median wall (s) | fastest (s) | median CPU (s) | peak RSS (MB) | target (s) |",
        "|---|---|---|---|---|---|",
    ]
    for name, median, fastest, cpu, rss in rows:
        target = TARGETS.get(name)
        mark = "" if target is None else f"{target} ({'met' if median < target else 'missed'})"
        lines.append(f"| `{name}` | {median:.2f} | {fastest:.2f} | {cpu:.2f} | {rss:.0f} | {mark} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
