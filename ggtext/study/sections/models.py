"""Section 2: the passage models' cross-validated metrics per label against the baselines, and confusion matrices."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..corpora import Inputs
from ..report import FigureFile, Section, Table, pct
from ..settings import StudySettings


def model_section(
    out: Path,
    model: Any,
    data: Path | None,
    inputs: Inputs,
    settings: StudySettings,
    *,
    rerun_cv: bool,
    log: Callable[[str], None],
) -> Section:
    """Cross-validated metrics per label against the baselines, and the model's confusion matrices.

    The cross-validation is :func:`ggtext.models.compare_systems`, run when the
    model is trained; its results travel in the model card (``metadata.json``).
    By default the replication reports those, and checks that the training file
    in the data directory is the one they were computed on; ``rerun_cv`` runs
    the cross-validation again on that file instead (a few minutes).
    """
    from ...config import REPO_DIR
    from ...models import compare_systems, read_labelled
    from ...models.cross_validation import MODEL_SYSTEM as MODEL_SYSTEM_NAME
    from ...models.data import file_sha256
    from ...models.label_sets import without_frozen_split
    from ...models.protocol import cv_groups
    from ...reports import figures

    digits = settings.report.digits
    section = Section(settings.models.title)
    recorded = model.metadata.get("cross_validation")
    # The file the model was trained on (its metadata), else the study's default.
    training = model.metadata.get("training_data") or {}
    name = f"annotation/{training['file']}" if training.get("file") else settings.models.training_file
    train = data / name if data else None
    split = training.get("frozen_split")
    split_file = REPO_DIR / "corpora" / "annotation" / split["file"] if split else None
    if train is not None and train.is_file():
        inputs.add("annotation", train, train.relative_to(data).as_posix())
    if rerun_cv:
        if train is None or not train.is_file():
            section.skipped = f"--rerun-cv needs {name} in the data directory"
            return section
        log("  cross-validating the model and the baselines ...")
        labelled = read_labelled(train)
        if split_file is not None:  # the frozen split stays held out, as when the model was trained
            if not split_file.is_file():
                section.skipped = f"--rerun-cv needs the frozen split {split_file.name} the model was trained without"
                return section
            labelled = without_frozen_split(labelled, split_file)
        cv = compare_systems(
            labelled, random_state=model.metadata.get("random_state") or 0, groups=cv_groups(labelled)
        ).to_dict()
        held = f", without the frozen split `{split_file.name}`" if split_file is not None else ""
        source = (
            f"Cross-validated in this run with `ggtext.models.compare_systems` on `{name}`{held} "
            f"({cv['n_passages']} passages, {cv['n_documents']} documents)."
        )
    elif recorded:
        cv = recorded
        same = None
        if train is not None and train.is_file():
            # the file's sha256 (the CV ran on it minus the frozen split, whose records hash differently)
            same = file_sha256(train) == training.get("sha256", cv.get("data_sha256"))
        check = {
            True: "the training file in the data directory has the same sha256, so these are its numbers",
            False: "**the training file in the data directory differs** (rerun with `--rerun-cv`)",
            None: "no training file in the data directory to check it against",
        }[same]
        source = (
            f"Metrics recorded in the model card (`metadata.json` of {model.version}), computed by "
            f"`ggtext.models.compare_systems` when the model was trained on `{cv.get('data')}` "
            f"(sha256 `{cv.get('data_sha256')}`, {cv.get('n_passages')} passages, {cv.get('n_documents')} "
            f"documents); {check}. `ggtext replicate --rerun-cv` recomputes them."
        )
    else:
        section.skipped = "the model card has no cross-validated metrics (train without --no-cv, or use --rerun-cv)"
        return section
    section.intro = f"{source} Folds: {cv.get('cv')}; intervals: {cv.get('ci')}."

    summary, per_class = model_metric_tables(cv)
    section.items.append(
        Table(
            "model_cv_metrics",
            summary.round(digits),
            title="Macro-F1 per label against the baselines",
            caption=_metrics_caption(summary, MODEL_SYSTEM_NAME),
        )
    )
    section.items.append(
        Table(
            "model_cv_per_class",
            per_class.round(digits),
            title="Per-class F1",
            caption=_per_class_caption(per_class, MODEL_SYSTEM_NAME),
        )
    )
    for dim, metrics in cv["systems"].get(MODEL_SYSTEM_NAME, {}).items():
        labels = metrics["confusion_matrix"]["rows_true_columns_predicted"]
        matrix = np.asarray(metrics["confusion_matrix"]["counts"])
        figures.confusion_matrix(
            matrix, labels, out / f"confusion_{dim}.png", title=f"{MODEL_SYSTEM_NAME}: {dim} (cross-validated)"
        )
        worst = min(range(len(labels)), key=lambda i: (matrix[i, i] / max(matrix[i].sum(), 1), i))
        section.items.append(
            FigureFile(
                f"confusion_{dim}",
                title=f"Confusion matrix: {dim}",
                caption=(
                    f"Out-of-fold predictions of {MODEL_SYSTEM_NAME} for {dim} (rows: true label): "
                    f"{pct(np.trace(matrix) / max(matrix.sum(), 1))} of {int(matrix.sum())} paragraphs correct; the "
                    f"hardest class is {labels[worst]} ({int(matrix[worst, worst])} of {int(matrix[worst].sum())} recalled)."
                ),
            )
        )
    return section


def model_metric_tables(cv: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(per system and dimension, per class)`` tables from ``Comparison.to_dict()``."""
    summary, per_class = [], []
    for system, dims in cv["systems"].items():
        for dim, m in dims.items():
            low, high = m.get("macro_f1_ci95") or (None, None)
            summary.append(
                {
                    "dimension": dim,
                    "system": system,
                    "macro_f1": m["macro_f1"],
                    "ci95_low": low,
                    "ci95_high": high,
                    "accuracy": m.get("accuracy"),
                    "brier": m.get("brier"),
                    "ece": m.get("ece"),
                }
            )
            for cls, c in m["per_class"].items():
                f_low, f_high = c.get("f1_ci95") or (None, None)
                per_class.append(
                    {
                        "dimension": dim,
                        "class": cls,
                        "support": c["support"],
                        "system": system,
                        "precision": c["precision"],
                        "recall": c["recall"],
                        "f1": c["f1"],
                        "f1_ci95_low": f_low,
                        "f1_ci95_high": f_high,
                    }
                )
    order = {d: i for i, d in enumerate(("feasibility", "desirability", "framing"))}
    summary_frame = pd.DataFrame(summary)
    summary_frame = summary_frame.sort_values(
        ["dimension", "system"], key=lambda c: c.map(order) if c.name == "dimension" else c, kind="stable"
    ).reset_index(drop=True)
    per_class_frame = pd.DataFrame(per_class)
    per_class_frame = per_class_frame.sort_values(
        ["dimension", "class", "system"], key=lambda c: c.map(order) if c.name == "dimension" else c, kind="stable"
    ).reset_index(drop=True)
    return summary_frame, per_class_frame


def _metrics_caption(summary: pd.DataFrame, model_name: str) -> str:
    parts = []
    for dim, rows in summary.groupby("dimension", sort=False):
        ours = rows[rows["system"] == model_name]
        others = rows[rows["system"] != model_name].sort_values("macro_f1", ascending=False, kind="stable")
        if ours.empty:
            continue
        best_other = others.iloc[0] if len(others) else None
        row = ours.iloc[0]
        text = f"{dim} {row['macro_f1']:.2f} [95% CI {row['ci95_low']:.2f}, {row['ci95_high']:.2f}]"
        if best_other is not None:
            text += f" vs {best_other['macro_f1']:.2f} for {best_other['system']}"
        parts.append(text)
    return f"Cross-validated macro-F1 of {model_name} against the best baseline: " + "; ".join(parts) + "."


def _per_class_caption(per_class: pd.DataFrame, model_name: str) -> str:
    ours = per_class[per_class["system"] == model_name]
    if ours.empty:
        return "Per-class precision, recall and F1 of every system."
    worst = ours.sort_values(["f1", "support"], kind="stable").iloc[0]
    return (
        f"Per-class precision, recall and F1 of every system; {model_name}'s weakest class is {worst['dimension']} "
        f"{worst['class']} (F1 {worst['f1']:.2f}, {int(worst['support'])} examples)."
    )
