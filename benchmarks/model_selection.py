"""Model selection on train_v2.jsonl by the protocol of issue 10; the frozen split once at the end.

* Data: ``annotation/train_v2.jsonl`` minus the frozen development split
  (``corpora/annotation/dev_split_v2.json``) is the CV part.
* Grouped, stratified 5-fold CV (seed 0) on the CV part, groups by document and,
  for ``source == "GOV"`` units, by publisher (all Hungarian government
  publishers one group): :func:`ggtext.models.protocol.cv_groups`. The same
  folds for every system. Intervals: document(group)-bootstrap.
* Per-voice ``against`` F1 (UNGDC, WH, GOV-Hungary, GOV-other) of feasibility
  and desirability: does a model learn rejection, or the Hungarian speaker?
* ``--frozen SYSTEM ...``: fit each named system on the whole CV part and score
  the frozen split, once, for the finally chosen system(s).

Results of every system run are kept in ``benchmarks/results/model_selection.json``
(metrics and out-of-fold predictions by unit id), so candidates may be run in
separate invocations; the markdown report ``model_selection.md`` is rebuilt
from all of them each time.

    python benchmarks/model_selection.py --data ../shared                      # every candidate
    python benchmarks/model_selection.py --data ../shared --systems current stance
    python benchmarks/model_selection.py --data ../shared --systems --frozen current stance
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
RESULTS_JSON = ROOT / "benchmarks" / "results" / "model_selection.json"
RESULTS_MD = ROOT / "benchmarks" / "results" / "model_selection.md"
SPLIT = ROOT / "corpora" / "annotation" / "dev_split_v2.json"
TARGETS = {"feasibility": 0.65, "desirability": 0.75, "framing": 0.75}
RARE = (("feasibility", "against"), ("desirability", "against"), ("framing", "realist"))


def candidates(seed: int) -> dict[str, tuple[Callable[[str], Any], str]]:
    """name -> (builder(dimension), what it is)."""
    from ggtext.models.classifiers import majority_baseline, stance_pipeline, tfidf_baseline

    return {
        "majority": (lambda d: majority_baseline(), "always the most frequent class"),
        "tfidf-logreg": (lambda d: tfidf_baseline(), "plain TF-IDF + logistic regression (defaults)"),
        "current": (
            lambda d: stance_pipeline(d, random_state=seed, stance=False),
            "the previous shipped architecture (text + cue members, cue rules, tuned decisions), "
            "retrained on the CV part",
        ),
        "lexicon": (
            lambda d: stance_pipeline(d, random_state=seed, stance=False),
            "current architecture with the issue-10 lexicon entries (refusal, sovereignty-first, "
            "overstretched institutions, international bodies as governance)",
        ),
        "stance": (
            lambda d: stance_pipeline(d, random_state=seed, stance=True, sentence_max=False),
            "current + clause-scoped stance features (refusal, sovereignty-first, failure of a GGIM actor) "
            "in the cue member",
        ),
        "stance+max": (
            lambda d: stance_pipeline(d, random_state=seed, stance=True, sentence_max=True),
            "stance + strongest-sentence (multiple-instance max) features",
        ),
        "stance+max+tune-all": (
            lambda d: stance_pipeline(d, random_state=seed, stance=True, sentence_max=True, tune_decision=True),
            "stance+max with decision-weight tuning for framing too",
        ),
        "stance+max+cueC1": (
            lambda d: stance_pipeline(d, random_state=seed, stance=True, sentence_max=True, cue_C=1.0),
            "stance+max with a weaker-regularised cue member (C=1 instead of 0.1)",
        ),
        "stance+max+mask": (
            lambda d: stance_pipeline(d, random_state=seed, stance=True, sentence_max=True, mask_actors=True),
            "stance+max with governance actors' names masked in the text member (what is said of an actor, "
            "not which actor is named: against the short-line bias)",
        ),
        "shipped": (
            lambda d: stance_pipeline(d, random_state=seed),
            "the default stance_pipeline: stance+max, what ships (trained on the CV part)",
        ),
    }


#: Systems in the results file that ran with other code than this checkout's (not rebuildable by name).
RECORDED_SYSTEMS = {
    "stance+max@attribution-v1": "stance+max with the attribution frames before issue 11's fixes (no quotations "
    "or passive agents; 'some proposed solutions', 'those who live or think' read as reported)",
    "stance+max+quotations-own": "stance+max with the cue component's quotations='own': quoted speech closed by its "
    "speaker stays in the author's voice (run with that default in the pipeline)",
    "shipped@attribution-v1": "the shipped system before issue 11's attribution fixes",
    "shipped-model-file@attribution-v1": "the committed model file before issue 11's attribution fixes",
}


#: Variants compared with the shipped system itself in a paired table.
AGAINST_SHIPPED = ("stance+max@attribution-v1", "stance+max+mask", "stance+max+quotations-own")


def load(data: Path | None):
    from ggtext.config import data_dir
    from ggtext.models.data import read_labelled
    from ggtext.models.label_sets import only_frozen_split, without_frozen_split

    full = read_labelled(data_dir(data) / "annotation" / "train_v2.jsonl")
    return full, without_frozen_split(full, SPLIT), only_frozen_split(full, SPLIT)


def summarise(dimension_metrics: dict, labelled, preds: dict[str, list[str]]) -> dict:
    from ggtext.models.protocol import per_voice_f1, voices

    unit_voices = voices(labelled)
    out = {"dimensions": {d: m.to_dict() for d, m in dimension_metrics.items()}, "per_voice_against": {}}
    for dim in ("feasibility", "desirability"):
        out["per_voice_against"][dim] = per_voice_f1(labelled.labels(dim), preds[dim], unit_voices)
    out["per_voice_realist"] = per_voice_f1(labelled.labels("framing"), preds["framing"], unit_voices, "realist")
    return out


def run_cv(name: str, build, cv_part, spans, seed: int) -> dict:
    from ggtext.models.cross_validation import cross_validate, oof_metrics
    from ggtext.models.protocol import cv_groups

    started = time.perf_counter()
    oof = cross_validate(build, cv_part, random_state=seed, spans=spans, groups=cv_groups(cv_part))
    metrics = {d: oof_metrics(o, random_state=seed) for d, o in oof.items()}
    preds = {d: [str(p) for p in o.y_pred] for d, o in oof.items()}
    result = summarise(metrics, cv_part, preds)
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["predictions"] = {"ids": [p.id for p in cv_part.passages], **preds}
    return result


def run_frozen(name: str, build, cv_part, frozen, seed: int) -> dict:
    from threadpoolctl import threadpool_limits

    from ggtext.models.features import as_spans
    from ggtext.models.metrics import dimension_metrics
    from ggtext.models.protocol import cv_groups

    started = time.perf_counter()
    train_spans, test_spans = as_spans(cv_part.texts), as_spans(frozen.texts)
    groups = cv_groups(cv_part)
    metrics, preds = {}, {}
    for dim in ("feasibility", "desirability", "framing"):
        estimator = build(dim)
        params = {}
        if "groups" in __import__("inspect").signature(estimator.steps[-1][1].fit).parameters:
            params[f"{estimator.steps[-1][0]}__groups"] = groups
        with threadpool_limits(limits=1):
            estimator.fit(train_spans, cv_part.labels(dim), **params)
        preds[dim] = [str(p) for p in estimator.predict(test_spans)]
        metrics[dim] = dimension_metrics(dim, frozen.labels(dim), preds[dim], None, frozen.groups, random_state=seed)
    result = summarise(metrics, frozen, preds)
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def score_predictions(saved: dict, frozen, seed: int) -> dict:
    """Metrics of predictions made elsewhere (by unit id) on the frozen split."""
    from ggtext.models.metrics import dimension_metrics

    order = {uid: k for k, uid in enumerate(saved["ids"])}
    if set(order) != {p.id for p in frozen.passages}:
        raise SystemExit("the predictions do not cover exactly the frozen split's units")
    index = [order[p.id] for p in frozen.passages]
    preds = {d: [saved[d][k] for k in index] for d in ("feasibility", "desirability", "framing")}
    metrics = {
        d: dimension_metrics(d, frozen.labels(d), preds[d], None, frozen.groups, random_state=seed) for d in preds
    }
    result = summarise(metrics, frozen, preds)
    result["predictions"] = {"ids": [p.id for p in frozen.passages], **preds}
    return result


def unseen_table(store: dict, frozen, seen_ids: set[str], seed: int) -> list[str]:
    """Macro-F1 on the frozen units that are not in train.jsonl (the previous model was trained on the others)."""
    from ggtext.models.metrics import dimension_metrics

    keep = [k for k, p in enumerate(frozen.passages) if p.id not in seen_ids]
    if not keep:
        return []
    unseen = frozen.subset(keep)
    lines = [
        "",
        f"Frozen-split units not in `train.jsonl` ({len(unseen)} of {len(frozen)}; the previous model was "
        "trained on train.jsonl, so its numbers above include units it was trained on):",
        "",
        "| system | feasibility | desirability | framing | feas. against | des. against | framing realist |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, result in store["frozen"].items():
        saved = result.get("predictions")
        if not saved:
            continue
        order = {uid: k for k, uid in enumerate(saved["ids"])}
        m = {
            d: dimension_metrics(
                d, unseen.labels(d), [saved[d][order[p.id]] for p in unseen.passages], random_state=seed
            )
            for d in ("feasibility", "desirability", "framing")
        }
        cells = [f"{m[d].macro_f1:.3f}" for d in ("feasibility", "desirability", "framing")]
        cells += [f"{m[d].f1[c]:.3f}" for d, c in RARE]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def paired(store: dict, a: str, b: str, cv_part, seed: int) -> dict:
    from ggtext.models.metrics import paired_macro_f1_difference
    from ggtext.models.protocol import cv_groups

    groups = cv_groups(cv_part)
    out = {}
    for dim in ("feasibility", "desirability", "framing"):
        pa, pb = store["cv"][a]["predictions"][dim], store["cv"][b]["predictions"][dim]
        out[dim] = paired_macro_f1_difference(cv_part.labels(dim), pa, pb, groups, dim, random_state=seed)
    return out


#: Header of the tables of macro-F1 and rare-class F1 per system.
METRIC_HEADER = [
    "| system | feasibility | desirability | framing | feas. against | des. against | framing realist |",
    "|---|---|---|---|---|---|---|",
]


def metric_rows(results: dict, systems: list[str]) -> list[str]:
    """One Markdown row per system: macro-F1 [95% CI] per dimension, then the rare classes' F1."""
    rows = []
    for s in systems:
        dims = results[s]["dimensions"]
        cells = [
            f"{dims[d]['macro_f1']:.3f} [{dims[d]['macro_f1_ci95'][0]:.3f}, {dims[d]['macro_f1_ci95'][1]:.3f}]"
            for d in ("feasibility", "desirability", "framing")
        ]
        cells += [f"{dims[d]['per_class'][c]['f1']:.3f}" for d, c in RARE]
        rows.append(f"| {s} | " + " | ".join(cells) + " |")
    return rows


def paired_row(store: dict, a: str, b: str, cv_part, seed: int) -> str:
    """A Markdown row: ``a - b`` macro-F1 differences per dimension with their intervals."""
    diff = paired(store, a, b, cv_part, seed)
    cells = [f"{v['difference']:+.3f} [{v['ci95'][0]:+.3f}, {v['ci95'][1]:+.3f}]" for v in diff.values()]
    return f"| {a} - {b} | " + " | ".join(cells) + " |"


def render(store: dict, cv_part, frozen, seed: int, descriptions: dict[str, str], seen_ids: set[str]) -> str:
    systems = [s for s in descriptions if s in store["cv"]] + [s for s in store["cv"] if s not in descriptions]
    info = store["data"]
    lines = [
        "# Model selection on train_v2.jsonl (issue 10 protocol)",
        "",
        "Command: `python benchmarks/model_selection.py --data ../shared` (candidates may be run separately "
        "with `--systems NAME ...`; `--frozen NAME ...` scores the frozen split).",
        "",
        f"Data: `annotation/train_v2.jsonl` (sha256 `{info['sha256'][:16]}...`, {info['n_units']} units). "
        f"CV part: {info['n_cv']} units ({info['n_cv_groups']} CV groups); frozen split "
        f"(`corpora/annotation/dev_split_v2.json`): {info['n_frozen']} units, {info['n_frozen_documents']} documents, "
        "never looked at during selection. Folds: StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0) "
        "on the CV part, groups = document, or publisher for GOV units (Hungarian government publishers merged). "
        "Intervals: 95% percentile bootstrap over those groups, 1000 resamples.",
        "",
        "## Candidates",
        "",
        "| system | what | CV seconds |",
        "|---|---|---|",
    ]
    for s in systems:
        lines.append(f"| {s} | {descriptions.get(s, '')} | {store['cv'][s].get('seconds', 0):.0f} |")
    lines += [
        "",
        "## Grouped CV on the CV part: macro-F1 [95% CI] and rare-class F1",
        "",
        *METRIC_HEADER,
        *metric_rows(store["cv"], systems),
    ]
    lines += [
        "",
        "Per-class F1 (CV):",
        "",
        "| system | "
        + " | ".join(
            f"{d[:4]}. {c}"
            for d in ("feasibility", "desirability", "framing")
            for c in store["cv"][systems[0]]["dimensions"][d]["classes"]
        )
        + " |",
        "|---|" + "---|" * 9,
    ]
    for s in systems:
        dims = store["cv"][s]["dimensions"]
        lines.append(
            f"| {s} | "
            + " | ".join(
                f"{dims[d]['per_class'][c]['f1']:.3f}"
                for d in ("feasibility", "desirability", "framing")
                for c in dims[d]["classes"]
            )
            + " |"
        )
    lines += voice_table(store["cv"], systems, "CV")
    if "current" in store["cv"]:
        lines += [
            "",
            "Paired differences in macro-F1 against `current` (same folds, same resamples):",
            "",
            "| comparison | feasibility | desirability | framing |",
            "|---|---|---|---|",
        ]
        for s in systems:
            if s in ("current", "majority", "tfidf-logreg"):
                continue
            lines.append(paired_row(store, s, "current", cv_part, seed))
    variants = [s for s in AGAINST_SHIPPED if s in store["cv"]]
    if "stance+max" in store["cv"] and variants:
        lines += [
            "",
            "Paired differences in macro-F1 against `stance+max` (the shipped system, after issue 11's attribution "
            "fixes):",
            "",
            "| comparison | feasibility | desirability | framing |",
            "|---|---|---|---|",
        ]
        for s in variants:
            lines.append(paired_row(store, s, "stance+max", cv_part, seed))
    if store.get("frozen"):
        fsys = list(store["frozen"])
        lines += [
            "",
            "## Frozen development split (evaluated once, after the choice)",
            "",
            *METRIC_HEADER,
            *metric_rows(store["frozen"], fsys),
        ]
        lines += [
            "",
            "Targets of issue 10 (frozen split): macro-F1 feasibility >= 0.65, desirability >= 0.75, "
            "framing >= 0.75, every `against` and `realist` F1 >= 0.45.",
            "",
        ]
        for s in fsys:
            dims = store["frozen"][s]["dimensions"]
            met = [
                f"{d} {dims[d]['macro_f1']:.3f} {'met' if dims[d]['macro_f1'] >= t else 'MISSED'}"
                for d, t in TARGETS.items()
            ]
            met += [
                f"{d} {c} {dims[d]['per_class'][c]['f1']:.3f} "
                f"{'met' if dims[d]['per_class'][c]['f1'] >= 0.45 else 'MISSED'}"
                for d, c in RARE
            ]
            lines.append(f"- {s}: " + "; ".join(met))
        lines += voice_table(store["frozen"], fsys, "frozen split")
        lines += unseen_table(store, frozen, seen_ids, seed)
    lines += ["", "## Decisions", ""] + store.get("decisions", ["(none recorded yet)"]) + [""]
    return "\n".join(lines)


def voice_table(results: dict, systems: list[str], where: str) -> list[str]:
    from ggtext.models.protocol import VOICES

    lines = [
        "",
        f"`against` / `realist` F1 per voice ({where}; support in brackets):",
        "",
        "| system | class | all | " + " | ".join(VOICES) + " |",
        "|---|---|---|" + "---|" * len(VOICES),
    ]
    for s in systems:
        rows = [
            ("feasibility against", results[s]["per_voice_against"]["feasibility"]),
            ("desirability against", results[s]["per_voice_against"]["desirability"]),
            ("framing realist", results[s]["per_voice_realist"]),
        ]
        for label, per in rows:
            cells = [f"{per[v]['f1']:.2f} ({per[v]['support']})" if v in per else "-" for v in ("all",) + VOICES]
            lines.append(f"| {s} | {label} | " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="data directory [default: $GGTEXT_DATA]")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--systems", nargs="*", default=None, help="candidates to cross-validate [default: all]")
    parser.add_argument(
        "--frozen", nargs="*", default=[], help="systems to score on the frozen split (once, at the end)"
    )
    parser.add_argument(
        "--decisions", type=Path, default=None, help="markdown list of kept/dropped decisions to include"
    )
    parser.add_argument(
        "--frozen-predictions",
        nargs="*",
        default=[],
        metavar="NAME=FILE",
        help="score a saved model's predictions on the frozen split (JSON: ids and one label list "
        "per dimension), e.g. the previous shipped model run with its own code",
    )
    parser.add_argument(
        "--merge",
        type=Path,
        nargs="*",
        default=[],
        help="results JSON files of separate runs (same data) to merge into --json",
    )
    parser.add_argument("--json", type=Path, default=RESULTS_JSON)
    parser.add_argument("--out", type=Path, default=RESULTS_MD)
    args = parser.parse_args(argv)

    from ggtext.models.features import as_spans
    from ggtext.models.protocol import cv_groups

    table = candidates(args.seed)
    names = list(table) if args.systems is None else args.systems
    unknown = [n for n in names + args.frozen if n not in table]
    if unknown:
        parser.error(f"unknown system(s) {unknown}; known: {', '.join(table)}")
    full, cv_part, frozen = load(args.data)
    store = json.loads(args.json.read_text()) if args.json.exists() else {"cv": {}, "frozen": {}}
    if store.get("data", {}).get("sha256") not in (None, full.sha256):
        store = {"cv": {}, "frozen": {}}
    for other in args.merge:
        extra = json.loads(other.read_text())
        if extra.get("data", {}).get("sha256") == full.sha256:
            store["cv"].update(extra.get("cv", {}))
            store["frozen"].update(extra.get("frozen", {}))
    store["data"] = {
        "sha256": full.sha256,
        "n_units": len(full),
        "n_cv": len(cv_part),
        "n_cv_groups": len(set(cv_groups(cv_part))),
        "n_frozen": len(frozen),
        "n_frozen_documents": len(set(frozen.groups)),
        "cores": os.cpu_count(),
    }
    if names:
        spans = as_spans(cv_part.texts)
        for name in names:
            print(f"cross-validating {name} ...", file=sys.stderr)
            store["cv"][name] = run_cv(name, table[name][0], cv_part, spans, args.seed)
            args.json.write_text(json.dumps(store), encoding="utf-8")
    for name in args.frozen:
        print(f"frozen split: {name} ...", file=sys.stderr)
        store["frozen"][name] = run_frozen(name, table[name][0], cv_part, frozen, args.seed)
        args.json.write_text(json.dumps(store), encoding="utf-8")
    for item in args.frozen_predictions:
        name, _, path = item.partition("=")
        store["frozen"][name] = score_predictions(json.loads(Path(path).read_text()), frozen, args.seed)
        args.json.write_text(json.dumps(store), encoding="utf-8")
    if args.decisions:
        store["decisions"] = args.decisions.read_text(encoding="utf-8").splitlines()
        args.json.write_text(json.dumps(store), encoding="utf-8")
    from ggtext.config import data_dir

    old_train = data_dir(args.data) / "annotation" / "train.jsonl"
    seen_ids = {json.loads(line)["id"] for line in old_train.read_text(encoding="utf-8").splitlines() if line.strip()}
    descriptions = {**{k: v[1] for k, v in table.items()}, **RECORDED_SYSTEMS}
    text = render(store, cv_part, frozen, args.seed, descriptions, seen_ids)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
