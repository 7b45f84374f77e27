"""Words per second of ``ggtext.load()`` (and with the stance model) against spaCy's blank English tokenizer alone.

Input: every UN General Debate speech of one session (default: Session 70, 2015), read
as plain UTF-8 text. Each pipeline runs ``nlp.pipe`` over all of them after one warm-up
document; the best of ``--repeat`` timed runs is reported, with the time per component.

    python benchmarks/pipeline_speed.py --data ../shared
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "pipeline_speed.md"
DEFAULT_SESSION = "Session 70 - 2015"


def read_speeches(data: Path, session: str) -> list[str]:
    folder = data / "corpora" / "ungdc" / "TXT" / session
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise SystemExit(f"No speeches in {folder}.")
    return [f.read_text(encoding="utf-8") for f in files]


def best_time(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def component_times(nlp, texts: list[str]) -> dict[str, float]:
    """Seconds spent in the tokenizer and in each component, one pass."""
    spent = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
    for text in texts:
        start = time.perf_counter()
        doc = nlp.make_doc(text)
        spent["tokenizer"] += time.perf_counter() - start
        for name, component in nlp.pipeline:
            start = time.perf_counter()
            doc = component(doc)
            spent[name] += time.perf_counter() - start
    return spent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="ggtext pipeline speed in words per second.")
    parser.add_argument("--data", help="data directory (default: $GGTEXT_DATA)")
    parser.add_argument(
        "--session", default=DEFAULT_SESSION, help=f"UNGDC session folder (default: {DEFAULT_SESSION!r})"
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per pipeline; the best counts")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    import spacy

    import ggtext
    from ggtext.config import data_dir

    texts = read_speeches(data_dir(args.data), args.session)
    words = sum(len(t.split()) for t in texts)
    blank = spacy.blank("en")
    blank.max_length = ggtext.pipeline.build.MAX_LENGTH
    start = time.perf_counter()
    full = ggtext.load()
    load_seconds = time.perf_counter() - start
    stance = ggtext.load(stance=True)  # the analysis path: ggtext.analyze's pipeline plus the stance model
    pipelines = {"spaCy blank English tokenizer": blank, "ggtext.load()": full, "ggtext.load(stance=True)": stance}
    results = {}
    for name, nlp in pipelines.items():
        list(nlp.pipe(texts[:1]))  # warm-up: lazy tables, caches
        seconds = best_time(lambda nlp=nlp: [None for _ in nlp.pipe(texts)], args.repeat)
        results[name] = seconds
    per_component = component_times(full, texts)

    command = (
        "python benchmarks/pipeline_speed.py"
        + (f" --data {args.data}" if args.data else "")
        + (f" --session '{args.session}'" if args.session != DEFAULT_SESSION else "")
    )
    base = results["spaCy blank English tokenizer"]
    lines = [
        "# Pipeline speed",
        "",
        f"Command: `{command}`",
        "",
        f"Input: {len(texts)} UN General Debate speeches, `{args.session}`, {words:,} words "
        "(whitespace-separated), read as plain text; `nlp.pipe` over all, best of "
        f"{args.repeat} runs after a warm-up document. Machine: {platform.machine()}, "
        f"Python {platform.python_version()}, spaCy {spacy.__version__}.",
        "",
        "| pipeline | components | seconds | words / second | relative time |",
        "|---|---|---|---|---|",
    ]
    for name, seconds in results.items():
        nlp = pipelines[name]
        components = ", ".join(nlp.pipe_names) or "(tokenizer only)"
        lines.append(f"| {name} | {components} | {seconds:.2f} | {words / seconds:,.0f} | {seconds / base:.2f}x |")
    lines += [
        "",
        f"Building `ggtext.load()` (knowledge base, patterns, lexicons): {load_seconds:.2f} s, once.",
        "",
        "Time per component (one pass, `make_doc` then each component in turn):",
        "",
        "| step | seconds | share |",
        "|---|---|---|",
    ]
    total = sum(per_component.values())
    for step, seconds in per_component.items():
        lines.append(f"| {step} | {seconds:.2f} | {seconds / total:.0%} |")
    report = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
