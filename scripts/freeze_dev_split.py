"""Write corpora/annotation/dev_split_v2.json: the frozen development split of train_v2.jsonl.

About 20% of the units, grouped by document (the part of ``id`` before ``#``),
so no document is on both sides; stratified on a rare-class key, so the rare
classes (feasibility and desirability ``against``, framing ``realist``) are
represented. The key of a unit is its rarest class: desirability ``against``,
else feasibility ``against``, else framing ``realist``, else ``other``.
``StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED)`` on that
key; the split is fold 0's test side. Only ids are written, never text.

No lexicon edit, feature choice or threshold may look at the split: choose by
grouped cross-validation on the rest, evaluate the split once per final system.

    python scripts/freeze_dev_split.py [--data ../shared]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "corpora" / "annotation" / "dev_split_v2.json"
SOURCE = "train_v2.jsonl"
SEED = 20261204
N_SPLITS = 5
CODEBOOK = "v1.3"


def rare_key(labels: dict[str, str]) -> str:
    """A unit's rarest class: the stratification key."""
    if labels["desirability"] == "against":
        return "desirability_against"
    if labels["feasibility"] == "against":
        return "feasibility_against"
    if labels["framing"] == "realist":
        return "framing_realist"
    return "other"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="data directory [default: $GGTEXT_DATA]")
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args(argv)

    from ggtext.config import data_dir
    from ggtext.models.data import read_labelled
    from ggtext.models.labels import DIMENSIONS

    labelled = read_labelled(data_dir(args.data) / "annotation" / SOURCE)
    keys = np.array([rare_key(p.labels) for p in labelled.passages], dtype=object)
    splitter = StratifiedGroupKFold(n_splits=N_SPLITS, shuffle=True, random_state=SEED)
    _, held = next(splitter.split(np.zeros(len(keys)), keys, labelled.groups))
    held = sorted(held)
    passages = [labelled.passages[i] for i in held]
    counts = {dim: dict(sorted(Counter(p.labels[dim] for p in passages).items())) for dim in DIMENSIONS}
    split = {
        "source_file": SOURCE,
        "source_sha256": labelled.sha256,
        "codebook": CODEBOOK,
        "grouping": "document (the part of id before '#'); stratified on the rarest class of each unit "
        "(desirability against > feasibility against > framing realist > other)",
        "method": f"StratifiedGroupKFold(n_splits={N_SPLITS}, shuffle=True, random_state={SEED}), fold 0 held out",
        "seed": SEED,
        "n_units": len(passages),
        "n_units_source": len(labelled),
        "documents": sorted({p.document for p in passages}),
        "ids": [p.id for p in passages],
        "label_counts": counts,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(split, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"wrote {args.out}: {len(passages)} of {len(labelled)} units, {len(split['documents'])} documents",
        file=sys.stderr,
    )
    print(json.dumps(counts), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
