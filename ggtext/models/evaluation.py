"""Evaluate a fitted model on a labelled file, and format the report (``ggtext evaluate``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from .data import LabelledSet, read_labelled
from .features import as_spans
from .labels import DIMENSIONS
from .metrics import DimensionMetrics, dimension_metrics


# -- evaluating a fitted model on a labelled file ----------------------------------------------
@dataclass
class EvaluationReport:
    """Per-dimension metrics of a model on a labelled file; ``str(report)`` prints it."""

    model: str
    data: str
    data_sha256: str
    n_passages: int
    metrics: dict[str, DimensionMetrics]

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "data": self.data,
            "data_sha256": self.data_sha256,
            "n_passages": self.n_passages,
            "dimensions": {d: m.to_dict() for d, m in self.metrics.items()},
        }

    def __str__(self) -> str:
        lines = [f"Model {self.model} on {self.data} ({self.n_passages} passages, sha256 {self.data_sha256[:12]})", ""]
        for metrics in self.metrics.values():
            lines.extend(format_dimension(metrics))
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"


def format_dimension(m: DimensionMetrics) -> list[str]:
    """Plain-text block: macro-F1, per-class table, confusion matrix, calibration."""
    ci = f" (95% CI {m.macro_f1_ci[0]:.3f}-{m.macro_f1_ci[1]:.3f})" if m.macro_f1_ci else ""
    lines = [f"{m.dimension}: macro-F1 {m.macro_f1:.3f}{ci}, accuracy {m.accuracy:.3f}, n={m.n}"]
    if m.brier is not None:
        lines[-1] += f", Brier {m.brier:.3f}, ECE {m.ece:.3f}"
    width = max(len(c) for c in m.classes) + 2
    lines.append(f"  {'class':<{width}}{'precision':>10}{'recall':>10}{'f1':>8}{'support':>9}")
    for c in m.classes:
        lines.append(f"  {c:<{width}}{m.precision[c]:>10.3f}{m.recall[c]:>10.3f}{m.f1[c]:>8.3f}{m.support[c]:>9d}")
    lines.append("  confusion (rows: true, columns: predicted)")
    lines.append("  " + " " * width + "".join(f"{c[:14]:>16}" for c in m.classes))
    for c, row in zip(m.classes, m.confusion):
        lines.append(f"  {c:<{width}}" + "".join(f"{v:>16d}" for v in row))
    return lines


def evaluate_model(model: Any, data: str | os.PathLike | LabelledSet, *, random_state: int = 0) -> EvaluationReport:
    """Apply a fitted :class:`~ggtext.models.model.StanceModel` to a labelled file and measure it.

    No refitting: this is a test-set evaluation (on the training file it
    measures fit, not generalisation; cross-validated numbers are in the
    model card). CIs are bootstrapped over the file's documents.
    """
    labelled = data if isinstance(data, LabelledSet) else read_labelled(data)
    spans = as_spans(labelled.texts)
    proba = model.predict_proba(spans)
    pred = model.predict(spans)
    metrics = {
        dim: dimension_metrics(
            dim, labelled.labels(dim), pred[dim], proba[dim], labelled.groups, random_state=random_state
        )
        for dim in DIMENSIONS
    }
    return EvaluationReport(
        model=getattr(model, "version", type(model).__name__),
        data=str(labelled.path),
        data_sha256=labelled.sha256,
        n_passages=len(labelled),
        metrics=metrics,
    )


def training_data_warning(model: Any, data: str | os.PathLike) -> str | None:
    """A warning when ``data`` is the file ``model`` was trained on (its sha256 is in the metadata)."""
    from .data import file_sha256

    trained_on = (getattr(model, "metadata", {}) or {}).get("training_data") or {}
    if not trained_on.get("sha256") or file_sha256(data) != trained_on["sha256"]:
        return None
    held_out = trained_on.get("frozen_split")
    honest = "the model card's cross-validation"
    if held_out:
        honest += f" and its evaluation on the held-out split {held_out.get('file')}"
    return (
        f"{os.fspath(data)} is the file this model was trained on: these are training-set numbers, "
        f"optimistic by construction; see {honest} (metadata.json, model_card.md)"
    )
