"""Floret word vectors as a third stacking member: grouped CV with and without, the frozen split after.

The protocol of ``benchmarks/model_selection.py`` (same data, folds, seeds and
reports; its functions are reused): ``annotation/train_v2.jsonl`` minus the
frozen split, StratifiedGroupKFold(5, shuffle, seed 0) grouped by document or
GOV publisher. Systems:

* ``shipped``: the default ``stance_pipeline`` (what ships);
* ``vectors``: shipped + a member on the mean floret vector of the passage;
* ``vectors+max``: shipped + a member on the mean vectors of the passage and of
  its strongest stance sentence.

The vectors are ``ggtext/data/vectors/ggim_floret`` (``scripts/build_vectors.py``).
Results: ``benchmarks/results/vectors_selection.{json,md}``; ``--frozen`` scores
the frozen split once, after the choice.

    python benchmarks/vectors_selection.py --data ../shared --systems shipped vectors vectors+max
    python benchmarks/vectors_selection.py --data ../shared --systems --frozen shipped vectors
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import model_selection as ms  # noqa: E402

RESULTS_JSON = ms.ROOT / "benchmarks" / "results" / "vectors_selection.json"
RESULTS_MD = ms.ROOT / "benchmarks" / "results" / "vectors_selection.md"


def systems(seed: int) -> dict:
    from ggtext.models.classifiers import stance_pipeline

    return {
        "shipped": (lambda d: stance_pipeline(d, random_state=seed), "the default stance_pipeline (what ships)"),
        "vectors": (
            lambda d: stance_pipeline(d, random_state=seed, vectors="mean"),
            "shipped + a stacking member on the unit-normalised mean floret vector of the passage",
        ),
        "vectors+max": (
            lambda d: stance_pipeline(d, random_state=seed, vectors="mean+max"),
            "shipped + a member on the mean vectors of the passage and of its strongest stance sentence",
        ),
    }


def render(store: dict, cv_part, seed: int, descriptions: dict[str, str]) -> str:
    names = [s for s in descriptions if s in store["cv"]]
    info = store["data"]
    lines = [
        "# Floret word vectors (issue 10, candidate: dense representations from the unlabelled corpora)",
        "",
        "Command: `python benchmarks/vectors_selection.py --data ../shared --systems shipped vectors vectors+max` "
        "(CV), then `--systems --frozen NAME ...` (frozen split, once, after the choice).",
        "",
        f"Data: `annotation/train_v2.jsonl` (sha256 `{info['sha256'][:16]}...`). CV part: {info['n_cv']} units "
        f"({info['n_cv_groups']} groups), the folds and seeds of `benchmarks/model_selection.py`; frozen split: "
        f"{info['n_frozen']} units. Vectors: `ggtext/data/vectors/ggim_floret.npy` "
        f"({store.get('vectors', {}).get('summary', '')}).",
        "",
        "| system | what | CV seconds |",
        "|---|---|---|",
    ]
    for s in names:
        lines.append(f"| {s} | {descriptions[s]} | {store['cv'][s].get('seconds', 0):.0f} |")
    lines += [
        "",
        "## Grouped CV: macro-F1 [95% CI] and rare-class F1",
        "",
        *ms.METRIC_HEADER,
        *ms.metric_rows(store["cv"], names),
    ]
    lines += ms.voice_table(store["cv"], names, "CV")
    if "shipped" in store["cv"]:
        lines += [
            "",
            "Paired differences in CV macro-F1 against `shipped` (same folds, same group resamples):",
            "",
            "| comparison | feasibility | desirability | framing |",
            "|---|---|---|---|",
        ]
        for s in names:
            if s == "shipped":
                continue
            lines.append(ms.paired_row(store, s, "shipped", cv_part, seed))
    if store.get("frozen"):
        fsys = list(store["frozen"])
        lines += [
            "",
            "## Frozen development split (scored once, after the CV choice)",
            "",
            *ms.METRIC_HEADER,
            *ms.metric_rows(store["frozen"], fsys),
        ]
        lines += ms.voice_table(store["frozen"], fsys, "frozen split")
    lines += ["", "## Decision", ""] + store.get("decisions", ["(not recorded yet)"]) + [""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--systems", nargs="*", default=None)
    parser.add_argument("--frozen", nargs="*", default=[])
    parser.add_argument("--decisions", type=Path, default=None, help="markdown decision text to include")
    parser.add_argument("--merge", type=Path, nargs="*", default=[], help="results JSON of separate runs to merge")
    parser.add_argument("--json", type=Path, default=RESULTS_JSON)
    parser.add_argument("--out", type=Path, default=RESULTS_MD)
    args = parser.parse_args(argv)

    from ggtext.models.features import as_spans
    from ggtext.models.protocol import cv_groups
    from ggtext.models.vectors import load_vectors

    table = systems(args.seed)
    names = list(table) if args.systems is None else args.systems
    unknown = [n for n in names + args.frozen if n not in table]
    if unknown:
        parser.error(f"unknown system(s) {unknown}; known: {', '.join(table)}")
    full, cv_part, frozen = ms.load(args.data)
    store = json.loads(args.json.read_text()) if args.json.exists() else {"cv": {}, "frozen": {}}
    for other in args.merge:
        extra = json.loads(other.read_text())
        store["cv"].update(extra.get("cv", {}))
        store["frozen"].update(extra.get("frozen", {}))
    settings = load_vectors().settings
    store["data"] = {
        "sha256": full.sha256,
        "n_cv": len(cv_part),
        "n_cv_groups": len(set(cv_groups(cv_part))),
        "n_frozen": len(frozen),
    }
    store["vectors"] = {
        "sha256": settings["sha256"],
        "summary": f"floret dim {settings['dim']}, bucket {settings['bucket']}, minn {settings['minn']} "
        f"maxn {settings['maxn']}, hash_count {settings['hash_count']}, {settings['corpus']['words']:,} words of "
        f"{settings['corpus']['documents']} UNGDC/WH documents, frozen-split documents excluded",
    }
    if names:
        spans = as_spans(cv_part.texts)
        for name in names:
            print(f"cross-validating {name} ...", file=sys.stderr)
            store["cv"][name] = ms.run_cv(name, table[name][0], cv_part, spans, args.seed)
            args.json.write_text(json.dumps(store), encoding="utf-8")
    for name in args.frozen:
        print(f"frozen split: {name} ...", file=sys.stderr)
        store["frozen"][name] = ms.run_frozen(name, table[name][0], cv_part, frozen, args.seed)
        args.json.write_text(json.dumps(store), encoding="utf-8")
    if args.decisions:
        store["decisions"] = args.decisions.read_text(encoding="utf-8").splitlines()
    args.json.write_text(json.dumps(store), encoding="utf-8")
    text = render(store, cv_part, args.seed, {k: v[1] for k, v in table.items()})
    print(text)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
