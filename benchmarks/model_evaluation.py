"""Cross-validated evaluation of the passage classifiers against two baselines.

Runs ``ggtext.models.compare_systems`` on ``annotation/train.jsonl``: grouped
(by document), stratified 5-fold CV with a fixed seed, the same folds for
every system:

* ``majority``: always the most frequent class (probabilities = class shares);
* ``tfidf-logreg``: plain TF-IDF + LogisticRegression, scikit-learn defaults;
* ``ggtext-stance``: the shipped model's recipe (text + cue members, stacking
  calibrator, cue rules for rare classes, tuned decision weights).

``--ablations`` adds the model without its cue member and cue rules
(``text-only``), without the rare-class cue rules (``no-cue-rules``), without
decision-weight tuning (``no-decision-tuning``) and with it for every
dimension, framing included (``decision-tuning-everywhere``): what each part
of the imbalance strategy buys. (The choice to tune decisions for feasibility
and desirability only was made from this ablation, on these folds.) Prints markdown tables (macro-F1 with 95% CIs from a
document bootstrap, per-class F1, Brier score and ECE, paired differences) and
writes them to benchmarks/results/model_evaluation.md.

    python benchmarks/model_evaluation.py --data ../shared [--ablations]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "model_evaluation.md"


def systems(seed: int, ablations: bool) -> dict:
    from ggtext.models.classifiers import stance_pipeline
    from ggtext.models.cross_validation import default_systems

    chosen = default_systems(seed)
    if ablations:
        chosen.update(
            {
                "text-only": lambda dim: stance_pipeline(dim, cues=False, rare_rules=False, random_state=seed),
                "no-cue-rules": lambda dim: stance_pipeline(dim, rare_rules=False, random_state=seed),
                "no-decision-tuning": lambda dim: stance_pipeline(dim, tune_decision=False, random_state=seed),
                "decision-tuning-everywhere": lambda dim: stance_pipeline(dim, tune_decision=True, random_state=seed),
            }
        )
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="data directory [default: $GGTEXT_DATA]")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ablations", action="store_true", help="also run the model without each of its parts")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    from ggtext.config import data_dir
    from ggtext.models import compare_systems, read_labelled
    from ggtext.models.io import library_versions

    train = data_dir(args.data) / "annotation" / "train.jsonl"
    labelled = read_labelled(train)
    started = time.perf_counter()
    comparison = compare_systems(
        labelled,
        systems(args.seed, args.ablations),
        random_state=args.seed,
        progress=lambda m: print(m, file=sys.stderr),
    )
    elapsed = time.perf_counter() - started

    command = "python benchmarks/model_evaluation.py --data ../shared" + (" --ablations" if args.ablations else "")
    if args.seed:
        command += f" --seed {args.seed}"
    info = comparison.to_dict()
    versions = library_versions()
    lines = [
        "# Passage classifiers: cross-validated evaluation",
        "",
        f"Command: `{command}`",
        "",
        f"Data: `annotation/train.jsonl` ({comparison.n_passages} paragraphs, {comparison.n_documents} documents, "
        f"sha256 `{comparison.data_sha256[:16]}...`). Folds: {info['cv']}. Intervals: {info['ci']}. "
        f"Runtime {elapsed / 60:.1f} min on {os.cpu_count()} cores (seconds per system: "
        + ", ".join(f"{k} {v:.0f}" for k, v in info["seconds"].items())
        + "). Versions: "
        + ", ".join(f"{k} {v}" for k, v in versions.items() if k != "python")
        + ".",
        "",
        "Macro-F1 per label (out-of-fold predictions; `predict` of each system):",
        "",
        comparison.to_markdown(),
        "Caveats: model choices (which members, C values, the minority-class rule, decision tuning per dimension) "
        "were made on these same grouped folds, so the chosen model's numbers carry a little selection optimism. "
        "The cue lexicons were written and pruned by the project with these training paragraphs in view "
        "(see benchmarks/results/cue_signal.md), so the gain from cue features and cue rules is an in-sample "
        "estimate of the lexicons, and likely optimistic. Desirability 'against' has 8 examples from 2 documents "
        "(7 in one speech); its F1 and interval rest on those two documents.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
