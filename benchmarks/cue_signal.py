"""Do the cue lexicons carry signal? Cue counts per gold label on the training paragraphs.

For each labelled paragraph of ``annotation/train.jsonl`` the cue component runs
(blank English + paragraphs + sentencizer + cues) and
``ggtext.pipeline.cues.sentence_cue_counts`` gives its counts. The report shows,
per gold label, how often each cue fires and its mean count, and the AUC of one
cue score at separating two labels (0.5 = no signal). Caveat: some generic
lexicon entries were pruned after looking at per-entry counts on this same file,
so these numbers are in-sample, not a held-out estimate.

    python benchmarks/cue_signal.py --data ../shared
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "cue_signal.md"

TABLES = {
    "feasibility": ("FEASIBLE", "INFEASIBLE", "feasibility_polarity"),
    "desirability": ("DESIRABLE", "UNDESIRABLE", "desirability_polarity"),
    "framing": ("REALIST", "INSTITUTIONALIST"),
}
#: (field, positive label, negative labels, score key, sign): AUC of sign * score.
AUCS = [
    ("feasibility", "for", ("none",), "feasibility_polarity", 1),
    ("feasibility", "against", ("none",), "feasibility_polarity", -1),
    ("feasibility", "against", ("for",), "feasibility_polarity", -1),
    ("desirability", "for", ("none",), "desirability_polarity", 1),
    ("desirability", "against", ("none", "for"), "UNDESIRABLE", 1),
    ("framing", "realist", ("none", "institutionalist"), "REALIST", 1),
    ("framing", "institutionalist", ("none", "realist"), "INSTITUTIONALIST", 1),
]


def auc(positive: list[float], negative: list[float]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    wins = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return wins / (len(positive) * len(negative))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Cue counts per gold label on train.jsonl.")
    parser.add_argument("--data", help="data directory (default: $GGTEXT_DATA)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    import spacy

    from ggtext.config import data_path
    from ggtext.pipeline.cues import sentence_cue_counts

    path = data_path("annotation", "train.jsonl", data=args.data)
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    nlp = spacy.blank("en")
    for name in ("ggtext_paragraphs", "sentencizer", "ggtext_cues"):
        nlp.add_pipe(name)
    counts = [sentence_cue_counts(doc[:]) for doc in nlp.pipe(r["text"] for r in rows)]

    lines = [
        "# Cue signal on the training paragraphs",
        "",
        "Command: `python benchmarks/cue_signal.py" + (f" --data {args.data}`" if args.data else "`"),
        "",
        f"{len(rows)} paragraphs of `annotation/train.jsonl`. fire = share of paragraphs with at least one "
        "cue (or a polarity above zero); mean = mean count (or polarity, after negation). "
        "In-sample: generic entries were pruned after looking at this file.",
        "",
    ]
    for field, keys in TABLES.items():
        by_label = defaultdict(list)
        for row, c in zip(rows, counts):
            by_label[row[field]].append(c)
        lines += [
            f"## {field}",
            "",
            "| gold label | n | " + " | ".join(f"{k} fire | {k} mean" for k in keys) + " |",
            "|---|---|" + "---|---|" * len(keys),
        ]
        for label, group in sorted(by_label.items()):
            cells = " | ".join(
                f"{sum(c[k] > 0 for c in group) / len(group):.2f} | {sum(c[k] for c in group) / len(group):+.2f}"
                for k in keys
            )
            lines.append(f"| {label} | {len(group)} | {cells} |")
        lines.append("")
    lines += ["## Separation (AUC)", "", "| labels | score | AUC |", "|---|---|---|"]
    for field, positive, negatives, key, sign in AUCS:
        pos = [sign * c[key] for r, c in zip(rows, counts) if r[field] == positive]
        neg = [sign * c[key] for r, c in zip(rows, counts) if r[field] in negatives]
        score = key if sign > 0 else f"-{key}"
        lines.append(f"| {field}: {positive} vs {'/'.join(negatives)} | {score} | {auc(pos, neg):.2f} |")
    report = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
