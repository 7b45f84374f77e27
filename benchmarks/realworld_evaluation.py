"""Document-level evaluation on the real-world development set (corpora/realworld).

Each text in ``corpora/realworld/labels.jsonl`` (US federal government
statements, remarks, editorials and bills on migration and refugee
governance, labelled at document level by reading, codebook v1.3) is read
with ``ggtext.read_text`` and analysed with ``ggtext.analyze`` and the chosen
stance model (default: the shipped one). The document verdict labels are
compared with the reading labels: macro-F1 per dimension (scikit-learn, all
three classes), per-class F1, confusion tables and the texts the model gets
wrong. Results go to benchmarks/results/realworld_evaluation.md.

This is a development set: report on it, never tune lexicons, features,
thresholds or model choices on it.

    python benchmarks/realworld_evaluation.py [--model models/my-model] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence

ROOT = Path(__file__).resolve().parents[1]
SET_DIR = ROOT / "corpora" / "realworld"
LABELS = SET_DIR / "labels.jsonl"
RESULTS = ROOT / "benchmarks" / "results" / "realworld_evaluation.md"

#: The classes of each dimension, in the order tables show them.
CLASSES = {
    "feasibility": ("for", "against", "none"),
    "desirability": ("for", "against", "none"),
    "framing": ("realist", "institutionalist", "none"),
}


def load_set(labels: Path = LABELS) -> list[dict[str, Any]]:
    """The label rows, each with its ``text`` (read from ``texts/<id>.txt`` beside the labels)."""
    rows = []
    for line in labels.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            row["text"] = (labels.parent / "texts" / f"{row['id']}.txt").read_text(encoding="utf-8")
            rows.append(row)
    return rows


def predict(rows: Iterable[dict[str, Any]], *, nlp: Any = None, model: Any = "default") -> list[dict[str, Any]]:
    """Document verdicts of the public API for each row: labels and scores per dimension."""
    import ggtext
    from ggtext.models import load_model
    from ggtext.pipeline import default_pipeline

    nlp = nlp or default_pipeline()
    if model == "default" or isinstance(model, (str, Path)):
        model = load_model(None if model == "default" else model)
    out = []
    for row in rows:
        analysis = ggtext.analyze(ggtext.read_text(row["text"], id=row["id"]), nlp=nlp, model=model)
        verdict = analysis.verdict
        out.append(
            {
                "id": row["id"],
                "feasibility": verdict["feasibility_label"],
                "desirability": verdict["desirability_label"],
                "framing": verdict["framing_label"],
                "feasibility_score": verdict.get("feasibility_score"),
                "desirability_score": verdict.get("desirability_score"),
                "realist_share": verdict.get("realist_share"),
                "institutionalist_share": verdict.get("institutionalist_share"),
                "model": analysis.versions.get("model"),
            }
        )
    return out


def score(gold: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Macro-F1, per-class F1, confusion matrix and errors per dimension (rows matched by id)."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    by_id = {p["id"]: p for p in predicted}
    missing = [g["id"] for g in gold if g["id"] not in by_id]
    if missing:
        raise ValueError(f"no prediction for {missing}")
    report = {}
    for dim, classes in CLASSES.items():
        y_true = [g[dim] for g in gold]
        y_pred = [by_id[g["id"]][dim] for g in gold]
        per_class = f1_score(y_true, y_pred, labels=list(classes), average=None, zero_division=0)
        report[dim] = {
            "macro_f1": float(f1_score(y_true, y_pred, labels=list(classes), average="macro", zero_division=0)),
            "accuracy": float(accuracy_score(y_true, y_pred)),
            "per_class_f1": {c: float(f) for c, f in zip(classes, per_class)},
            "support": {c: y_true.count(c) for c in classes},
            "confusion": confusion_matrix(y_true, y_pred, labels=list(classes)).tolist(),
            "errors": [
                {"id": g["id"], "gold": t, "predicted": p, "score": _score_of(by_id[g["id"]], dim)}
                for g, t, p in zip(gold, y_true, y_pred)
                if t != p
            ],
        }
    return report


def _score_of(prediction: dict[str, Any], dim: str) -> float | None:
    value = prediction.get("realist_share" if dim == "framing" else f"{dim}_score")
    return None if value is None else round(float(value), 3)


def render(report: dict[str, dict[str, Any]], gold: Sequence[dict[str, Any]], meta: dict[str, Any]) -> str:
    """The markdown report."""
    lines = [
        "# Real-world development set: document-level evaluation",
        "",
        f"Command: `{meta['command']}`  ",
        f"Date: {meta['date']}  ",
        f"ggtext {meta['ggtext']}, model `{meta['model']}`  ",
        f"Texts: {len(gold)} (corpora/realworld, labelled by reading, codebook v1.3); {meta['seconds']:.0f} s.",
        "",
        "A development set: reported here, never used to tune lexicons, features, thresholds or model choices.",
        "",
        "## Macro-F1 per dimension",
        "",
        "| dimension | macro-F1 | accuracy | per-class F1 (gold n) |",
        "|---|---|---|---|",
    ]
    for dim, r in report.items():
        cells = "; ".join(f"{c} {f:.2f} (n={r['support'][c]})" for c, f in r["per_class_f1"].items())
        lines.append(f"| {dim} | {r['macro_f1']:.2f} | {r['accuracy']:.2f} | {cells} |")
    for dim, r in report.items():
        classes = CLASSES[dim]
        lines += [
            "",
            f"## {dim}: confusion (rows gold, columns predicted)",
            "",
            "| gold \\ predicted | " + " | ".join(classes) + " |",
            "|---|" + "---|" * len(classes),
        ]
        for c, counts in zip(classes, r["confusion"]):
            lines.append(f"| {c} | " + " | ".join(str(n) for n in counts) + " |")
        score_name = "realist share" if dim == "framing" else f"{dim} score"
        lines += [
            "",
            f"Wrong ({len(r['errors'])} of {len(gold)}):",
            "",
            f"| id | gold | predicted | {score_name} |",
            "|---|---|---|---|",
        ]
        lines += [f"| {e['id']} | {e['gold']} | {e['predicted']} | {e['score']} |" for e in r["errors"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS, help="labels.jsonl of the set [default: %(default)s]")
    parser.add_argument("--model", default="default", help="model folder [default: the shipped model]")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N texts (a quick check)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="markdown report [default: %(default)s]")
    args = parser.parse_args(argv)

    gold = load_set(args.labels)[: args.limit]
    started = time.perf_counter()
    predicted = predict(gold, model=args.model)
    report = score(gold, predicted)
    command = "python benchmarks/realworld_evaluation.py"
    if args.model != "default":
        command += f" --model {args.model}"
    if args.limit:
        command += f" --limit {args.limit}"
    import ggtext

    meta = {
        "command": command,
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "ggtext": ggtext.__version__,
        "model": Counter(p["model"] for p in predicted).most_common(1)[0][0],
        "seconds": time.perf_counter() - started,
    }
    text = render(report, gold, meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
