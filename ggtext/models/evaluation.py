"""Measure passage classifiers: metrics, grouped cross-validation, bootstrap intervals, reports.

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
"""

from __future__ import annotations

import os
import time
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from .data import LabelledSet, read_labelled
from .features import as_spans
from .labels import CLASSES, DIMENSIONS

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


def dimension_metrics(dimension: str, y_true: Sequence[str], y_pred: Sequence[str],
                      proba: np.ndarray | None = None, groups: Sequence[str] | None = None,
                      *, random_state: int = 0) -> DimensionMetrics:
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


def bootstrap_f1(y: np.ndarray, pred: np.ndarray, groups: Sequence[str], k: int, *,
                 random_state: int = 0, n_boot: int = N_BOOTSTRAP) -> np.ndarray:
    """Per-class F1 in each document-bootstrap resample: array (n_boot, k)."""
    docs = _document_confusions(y, pred, groups, k)
    weights = _resample_weights(len(docs), random_state, n_boot)
    matrices = np.tensordot(weights, docs, axes=(1, 0))
    return f1_from_confusion(matrices)


def paired_macro_f1_difference(y_true: Sequence[str], pred_a: Sequence[str], pred_b: Sequence[str],
                               groups: Sequence[str], dimension: str, *, random_state: int = 0) -> dict[str, float]:
    """Macro-F1 of system a minus system b, with a paired document-bootstrap 95% CI."""
    classes = CLASSES[dimension]
    y = _codes(y_true, classes)
    a = bootstrap_f1(y, _codes(pred_a, classes), groups, len(classes), random_state=random_state).mean(axis=1)
    b = bootstrap_f1(y, _codes(pred_b, classes), groups, len(classes), random_state=random_state).mean(axis=1)
    point = (f1_from_confusion(confusion(y, _codes(pred_a, classes), len(classes))).mean()
             - f1_from_confusion(confusion(y, _codes(pred_b, classes), len(classes))).mean())
    low, high = _interval(a - b)
    return {"difference": float(point), "ci95": (low, high), "share_positive": float(np.mean(a - b > 0))}


def _interval(samples: np.ndarray) -> tuple[float, float]:
    tail = (1 - CI_LEVEL) / 2 * 100
    low, high = np.percentile(samples, [tail, 100 - tail])
    return float(low), float(high)


# -- grouped cross-validation ----------------------------------------------------------------
@dataclass
class OutOfFold:
    """Cross-validated predictions of one system on one dimension."""

    dimension: str
    y_true: np.ndarray
    y_pred: np.ndarray
    proba: np.ndarray | None
    groups: np.ndarray
    seconds: float


def cross_validate(build: Callable[[str], Any], labelled: LabelledSet, *, dimensions: Sequence[str] = DIMENSIONS,
                   n_splits: int = 5, random_state: int = 0, spans: list | None = None,
                   groups: Sequence[str] | None = None) -> dict[str, OutOfFold]:
    """Out-of-fold predictions of ``build(dimension)`` under grouped, stratified k-fold CV.

    Folds: ``StratifiedGroupKFold(n_splits, shuffle=True, random_state)`` on
    the dimension's labels, grouped by document, so no speech is on both
    sides. Estimators whose final step accepts ``groups`` (the stance
    classifiers) get the training documents for their inner CV. Texts are
    parsed once (pass ``spans`` to reuse a parse). ``groups`` replaces the
    document ids as the CV groups (e.g. one group per publisher).
    """
    spans = spans if spans is not None else as_spans(labelled.texts)
    groups = labelled.groups if groups is None else np.asarray(groups, dtype=object)
    results = {}
    for dim in dimensions:
        y = labelled.labels(dim)
        pred = np.empty(len(y), dtype=object)
        proba = np.zeros((len(y), len(CLASSES[dim])))
        started = time.perf_counter()
        splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The least populated class", category=UserWarning)
            splits = list(splitter.split(np.zeros(len(y)), y, groups))
        for train, test in splits:
            estimator = build(dim)
            x_train = [spans[i] for i in train]
            fit_params = {}
            if _accepts_groups(estimator):
                fit_params[f"{estimator.steps[-1][0]}__groups"] = groups[train]
            estimator.fit(x_train, y[train], **fit_params)
            x_test = [spans[i] for i in test]
            pred[test] = [str(p) for p in estimator.predict(x_test)]
            proba[test] = _aligned_proba(estimator, x_test, CLASSES[dim])
        results[dim] = OutOfFold(dim, y, pred, proba, groups, time.perf_counter() - started)
    return results


def _accepts_groups(estimator: Any) -> bool:
    import inspect

    final = estimator.steps[-1][1] if hasattr(estimator, "steps") else estimator
    return "groups" in inspect.signature(final.fit).parameters


def _aligned_proba(estimator: Any, X: list, classes: tuple[str, ...]) -> np.ndarray:
    """``predict_proba`` with columns in codebook order (a class absent from training gets 0)."""
    proba = estimator.predict_proba(X)
    out = np.zeros((proba.shape[0], len(classes)))
    for j, c in enumerate(estimator.classes_):
        out[:, classes.index(str(c))] = proba[:, j]
    return out


def oof_metrics(oof: OutOfFold, *, random_state: int = 0) -> DimensionMetrics:
    return dimension_metrics(oof.dimension, oof.y_true, oof.y_pred, oof.proba, oof.groups, random_state=random_state)


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
    lines.append(f"  confusion (rows: true, columns: predicted)")
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
        dim: dimension_metrics(dim, labelled.labels(dim), pred[dim], proba[dim], labelled.groups,
                               random_state=random_state)
        for dim in DIMENSIONS
    }
    return EvaluationReport(
        model=getattr(model, "version", type(model).__name__),
        data=str(labelled.path),
        data_sha256=labelled.sha256,
        n_passages=len(labelled),
        metrics=metrics,
    )


# -- comparing the model with the baselines under one CV ---------------------------------------
#: The systems of the comparison: name -> builder(dimension) -> unfitted estimator.
def default_systems(random_state: int = 0) -> dict[str, Callable[[str], Any]]:
    from .classifiers import majority_baseline, stance_pipeline, tfidf_baseline

    return {
        "majority": lambda dim: majority_baseline(),
        "tfidf-logreg": lambda dim: tfidf_baseline(),
        "ggtext-stance": lambda dim: stance_pipeline(dim, random_state=random_state),
    }


MODEL_SYSTEM = "ggtext-stance"
BASELINE_SYSTEM = "tfidf-logreg"


@dataclass
class Comparison:
    """Cross-validated metrics of several systems on the same folds, with paired differences."""

    data: str
    data_sha256: str
    n_passages: int
    n_documents: int
    n_splits: int
    random_state: int
    metrics: dict[str, dict[str, DimensionMetrics]]  # system -> dimension -> metrics
    differences: dict[str, dict[str, dict[str, Any]]]  # "a - b" -> dimension -> difference
    seconds: dict[str, float]
    grouping: str = "document"

    def to_dict(self) -> dict[str, Any]:
        return {
            "data": self.data,
            "data_sha256": self.data_sha256,
            "n_passages": self.n_passages,
            "n_documents": self.n_documents,
            "cv": f"StratifiedGroupKFold(n_splits={self.n_splits}, shuffle=True, random_state={self.random_state}), "
                  f"grouped by {self.grouping}",
            "ci": f"{int(CI_LEVEL * 100)}% percentile bootstrap over documents, {N_BOOTSTRAP} resamples, "
                  f"seed {self.random_state}",
            "systems": {s: {d: m.to_dict() for d, m in dims.items()} for s, dims in self.metrics.items()},
            "differences": {
                k: {d: {"difference": _round(v["difference"]), "ci95": [_round(x) for x in v["ci95"]],
                        "share_positive": _round(v["share_positive"])} for d, v in dims.items()}
                for k, dims in self.differences.items()
            },
            "seconds": {s: round(v, 1) for s, v in self.seconds.items()},
        }

    def to_markdown(self) -> str:
        """The tables the benchmark and the model card print."""
        systems = list(self.metrics)
        dims = list(next(iter(self.metrics.values())))
        out = ["| dimension | " + " | ".join(f"{s} macro-F1 [95% CI]" for s in systems) + " |",
               "|---|" + "---|" * len(systems)]
        for d in dims:
            cells = []
            for s in systems:
                m = self.metrics[s][d]
                cells.append(f"{m.macro_f1:.3f} [{m.macro_f1_ci[0]:.3f}, {m.macro_f1_ci[1]:.3f}]")
            out.append(f"| {d} | " + " | ".join(cells) + " |")
        out += ["", "Per-class F1 [95% CI] (support):", "",
                "| dimension | class | support | " + " | ".join(systems) + " |",
                "|---|---|---|" + "---|" * len(systems)]
        for d in dims:
            first = self.metrics[systems[0]][d]
            for c in first.classes:
                cells = [f"{self.metrics[s][d].f1[c]:.3f} [{self.metrics[s][d].f1_ci[c][0]:.2f}, "
                         f"{self.metrics[s][d].f1_ci[c][1]:.2f}]" for s in systems]
                out.append(f"| {d} | {c} | {first.support[c]} | " + " | ".join(cells) + " |")
        out += ["", "Calibration of the cross-validated probabilities (lower is better):", "",
                "| dimension | " + " | ".join(f"{s} Brier / ECE" for s in systems) + " |",
                "|---|" + "---|" * len(systems)]
        for d in dims:
            cells = [f"{self.metrics[s][d].brier:.3f} / {self.metrics[s][d].ece:.3f}" for s in systems]
            out.append(f"| {d} | " + " | ".join(cells) + " |")
        out += ["", "Paired differences in macro-F1 (same folds, same bootstrap resamples):", "",
                "| comparison | dimension | difference [95% CI] | resamples with a gain |", "|---|---|---|---|"]
        for name, per_dim in self.differences.items():
            for d, v in per_dim.items():
                out.append(f"| {name} | {d} | {v['difference']:+.3f} [{v['ci95'][0]:+.3f}, {v['ci95'][1]:+.3f}] | "
                           f"{v['share_positive']:.1%} |")
        return "\n".join(out) + "\n"


def compare_systems(labelled: LabelledSet, systems: dict[str, Callable[[str], Any]] | None = None, *,
                    n_splits: int = 5, random_state: int = 0, dimensions: Sequence[str] = DIMENSIONS,
                    progress: Callable[[str], None] | None = None,
                    groups: Sequence[str] | None = None) -> Comparison:
    """Cross-validate every system on the same grouped folds; metrics, CIs and paired differences.

    ``groups`` replaces the document ids as CV groups (see :func:`cross_validate`).
    """
    systems = systems or default_systems(random_state)
    spans = as_spans(labelled.texts)
    oof: dict[str, dict[str, OutOfFold]] = {}
    seconds = {}
    for name, build in systems.items():
        if progress:
            progress(f"cross-validating {name} ...")
        oof[name] = cross_validate(build, labelled, dimensions=dimensions, n_splits=n_splits,
                                   random_state=random_state, spans=spans, groups=groups)
        seconds[name] = sum(o.seconds for o in oof[name].values())
    metrics = {name: {d: oof_metrics(o, random_state=random_state) for d, o in per.items()}
               for name, per in oof.items()}
    differences = {}
    if MODEL_SYSTEM in oof:
        for other in oof:
            if other == MODEL_SYSTEM:
                continue
            differences[f"{MODEL_SYSTEM} - {other}"] = {
                d: paired_macro_f1_difference(o.y_true, o.y_pred, oof[other][d].y_pred, o.groups, d,
                                              random_state=random_state)
                for d, o in oof[MODEL_SYSTEM].items()
            }
    return Comparison(
        data=labelled.path.name,
        data_sha256=labelled.sha256,
        n_passages=len(labelled),
        n_documents=len(set(labelled.groups)),
        n_splits=n_splits,
        grouping="document" if groups is None else "document, or publisher for GOV units",
        random_state=random_state,
        metrics=metrics,
        differences=differences,
        seconds=seconds,
    )
