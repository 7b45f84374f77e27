"""Metrics of passage classifiers: confusion, F1, calibration, bootstrap intervals over documents.

* Macro-F1 and per-class precision/recall/F1 over the codebook's classes
  (a class never predicted and absent scores 0).
* Calibration: multiclass Brier score (mean over passages of the squared
  distance between the probability vector and the one-hot truth; 0 is
  perfect, 2 the worst) and top-label expected calibration error (ECE,
  10 equal-width confidence bins).
* Confidence intervals: percentile bootstrap over *documents* (a speech's
  paragraphs are resampled together, as they are not independent), 1,000
  resamples with a fixed seed; differences between two systems use the same
  resamples (paired).

One confusion matrix and one F1 for everything: evaluation, cross-validation,
and the decision-weight search inside ``fit``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .labels import CLASSES

N_BOOTSTRAP = 1000
ECE_BINS = 10
CI_LEVEL = 0.95


# -- metrics ---------------------------------------------------------------------------------
def confusion(y: np.ndarray, pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Confusion matrix of integer codes: rows are true classes, columns predictions."""
    return np.bincount(y * n_classes + pred, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def f1_from_confusion(cm: np.ndarray) -> np.ndarray:
    """Per-class F1 from a confusion matrix (or a stack of them, last two axes)."""
    tp = np.diagonal(cm, axis1=-2, axis2=-1).astype(float)
    denom = cm.sum(axis=-2) + cm.sum(axis=-1)
    return np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)


def macro_f1_codes(y: np.ndarray, pred: np.ndarray, n_classes: int) -> float:
    """Macro-F1 over ``n_classes`` integer classes (fast; used inside the decision search)."""
    return float(f1_from_confusion(confusion(y, pred, n_classes)).mean())


def brier_score(proba: np.ndarray, y: np.ndarray) -> float:
    """Multiclass Brier score: mean squared distance of probabilities to the one-hot truth."""
    onehot = np.eye(proba.shape[1])[y]
    return float(((proba - onehot) ** 2).sum(axis=1).mean())


def expected_calibration_error(proba: np.ndarray, y: np.ndarray, n_bins: int = ECE_BINS) -> float:
    """Top-label ECE: |accuracy - confidence| per confidence bin, weighted by bin size."""
    confidence = proba.max(axis=1)
    correct = proba.argmax(axis=1) == y
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        members = bins == b
        if members.any():
            ece += members.mean() * abs(correct[members].mean() - confidence[members].mean())
    return float(ece)


@dataclass
class DimensionMetrics:
    """Every number reported for one dimension of one system."""

    dimension: str
    classes: tuple[str, ...]
    n: int
    macro_f1: float
    accuracy: float
    precision: dict[str, float]
    recall: dict[str, float]
    f1: dict[str, float]
    support: dict[str, int]
    confusion: np.ndarray
    brier: float | None = None
    ece: float | None = None
    macro_f1_ci: tuple[float, float] | None = None
    f1_ci: dict[str, tuple[float, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "classes": list(self.classes),
            "n": self.n,
            "macro_f1": _round(self.macro_f1),
            "macro_f1_ci95": [_round(v) for v in self.macro_f1_ci] if self.macro_f1_ci else None,
            "accuracy": _round(self.accuracy),
            "per_class": {
                c: {
                    "precision": _round(self.precision[c]),
                    "recall": _round(self.recall[c]),
                    "f1": _round(self.f1[c]),
                    "f1_ci95": [_round(v) for v in self.f1_ci[c]] if c in self.f1_ci else None,
                    "support": self.support[c],
                }
                for c in self.classes
            },
            "confusion_matrix": {"rows_true_columns_predicted": list(self.classes), "counts": self.confusion.tolist()},
            "brier": _round(self.brier),
            "ece": _round(self.ece),
        }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


def dimension_metrics(
    dimension: str,
    y_true: Sequence[str],
    y_pred: Sequence[str],
    proba: np.ndarray | None = None,
    groups: Sequence[str] | None = None,
    *,
    random_state: int = 0,
) -> DimensionMetrics:
    """Metrics of one dimension; with ``groups``, bootstrap CIs over documents too."""
    classes = CLASSES[dimension]
    y = _codes(y_true, classes)
    pred = _codes(y_pred, classes)
    k = len(classes)
    cm = confusion(y, pred, k)
    tp = np.diag(cm).astype(float)
    precision = np.divide(tp, cm.sum(0), out=np.zeros(k), where=cm.sum(0) > 0)
    recall = np.divide(tp, cm.sum(1), out=np.zeros(k), where=cm.sum(1) > 0)
    f1 = f1_from_confusion(cm)
    metrics = DimensionMetrics(
        dimension=dimension,
        classes=classes,
        n=len(y),
        macro_f1=float(f1.mean()),
        accuracy=float(tp.sum() / max(len(y), 1)),
        precision=dict(zip(classes, precision.tolist())),
        recall=dict(zip(classes, recall.tolist())),
        f1=dict(zip(classes, f1.tolist())),
        support=dict(zip(classes, cm.sum(1).astype(int).tolist())),
        confusion=cm,
    )
    if proba is not None:
        metrics.brier = brier_score(proba, y)
        metrics.ece = expected_calibration_error(proba, y)
    if groups is not None:
        samples = bootstrap_f1(y, pred, groups, k, random_state=random_state)
        metrics.macro_f1_ci = _interval(samples.mean(axis=1))
        metrics.f1_ci = {c: _interval(samples[:, i]) for i, c in enumerate(classes)}
    return metrics


def _codes(labels: Sequence[str], classes: tuple[str, ...]) -> np.ndarray:
    lookup = {c: i for i, c in enumerate(classes)}
    try:
        return np.array([lookup[str(label)] for label in labels], dtype=int)
    except KeyError as err:
        raise ValueError(f"label {err.args[0]!r} is not one of {', '.join(classes)}") from None


# -- bootstrap over documents ----------------------------------------------------------------
def _document_confusions(y: np.ndarray, pred: np.ndarray, groups: Sequence[str], k: int) -> np.ndarray:
    """One confusion matrix per document, stacked (documents in first-seen order)."""
    _, doc = np.unique(np.asarray(groups, dtype=object).astype(str), return_inverse=True)
    stack = np.zeros((doc.max() + 1, k * k), dtype=np.int64)
    np.add.at(stack, (doc, y * k + pred), 1)
    return stack.reshape(-1, k, k)


def _resample_weights(n_documents: int, random_state: int, n_boot: int = N_BOOTSTRAP) -> np.ndarray:
    """How often each document is drawn in each bootstrap resample (n_boot x n_documents)."""
    rng = np.random.default_rng(random_state)
    return rng.multinomial(n_documents, np.full(n_documents, 1.0 / n_documents), size=n_boot)


def bootstrap_f1(
    y: np.ndarray, pred: np.ndarray, groups: Sequence[str], k: int, *, random_state: int = 0, n_boot: int = N_BOOTSTRAP
) -> np.ndarray:
    """Per-class F1 in each document-bootstrap resample: array (n_boot, k)."""
    docs = _document_confusions(y, pred, groups, k)
    weights = _resample_weights(len(docs), random_state, n_boot)
    matrices = np.tensordot(weights, docs, axes=(1, 0))
    return f1_from_confusion(matrices)


def paired_macro_f1_difference(
    y_true: Sequence[str],
    pred_a: Sequence[str],
    pred_b: Sequence[str],
    groups: Sequence[str],
    dimension: str,
    *,
    random_state: int = 0,
) -> dict[str, float]:
    """Macro-F1 of system a minus system b, with a paired document-bootstrap 95% CI."""
    classes = CLASSES[dimension]
    y = _codes(y_true, classes)
    a = bootstrap_f1(y, _codes(pred_a, classes), groups, len(classes), random_state=random_state).mean(axis=1)
    b = bootstrap_f1(y, _codes(pred_b, classes), groups, len(classes), random_state=random_state).mean(axis=1)
    point = (
        f1_from_confusion(confusion(y, _codes(pred_a, classes), len(classes))).mean()
        - f1_from_confusion(confusion(y, _codes(pred_b, classes), len(classes))).mean()
    )
    low, high = _interval(a - b)
    return {"difference": float(point), "ci95": (low, high), "share_positive": float(np.mean(a - b > 0))}


def _interval(samples: np.ndarray) -> tuple[float, float]:
    tail = (1 - CI_LEVEL) / 2 * 100
    low, high = np.percentile(samples, [tail, 100 - tail])
    return float(low), float(high)
