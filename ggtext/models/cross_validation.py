"""Grouped cross-validation of passage classifiers, and the comparison of the model with its baselines.

Folds are grouped by document (and by publisher for government web texts,
:func:`~ggtext.models.protocol.cv_groups`), so no speech sits on both sides;
every system of a comparison runs on the same folds and its differences to
the model are paired (same bootstrap resamples).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from .data import LabelledSet
from .features import as_spans
from .labels import CLASSES, DIMENSIONS
from .metrics import CI_LEVEL, N_BOOTSTRAP, DimensionMetrics, _round, dimension_metrics, paired_macro_f1_difference


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


def cross_validate(
    build: Callable[[str], Any],
    labelled: LabelledSet,
    *,
    dimensions: Sequence[str] = DIMENSIONS,
    n_splits: int = 5,
    random_state: int = 0,
    spans: list | None = None,
    groups: Sequence[str] | None = None,
) -> dict[str, OutOfFold]:
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
                k: {
                    d: {
                        "difference": _round(v["difference"]),
                        "ci95": [_round(x) for x in v["ci95"]],
                        "share_positive": _round(v["share_positive"]),
                    }
                    for d, v in dims.items()
                }
                for k, dims in self.differences.items()
            },
            "seconds": {s: round(v, 1) for s, v in self.seconds.items()},
        }

    def to_markdown(self) -> str:
        """The tables the benchmark and the model card print."""
        systems = list(self.metrics)
        dims = list(next(iter(self.metrics.values())))
        out = [
            "| dimension | " + " | ".join(f"{s} macro-F1 [95% CI]" for s in systems) + " |",
            "|---|" + "---|" * len(systems),
        ]
        for d in dims:
            cells = []
            for s in systems:
                m = self.metrics[s][d]
                cells.append(f"{m.macro_f1:.3f} [{m.macro_f1_ci[0]:.3f}, {m.macro_f1_ci[1]:.3f}]")
            out.append(f"| {d} | " + " | ".join(cells) + " |")
        out += [
            "",
            "Per-class F1 [95% CI] (support):",
            "",
            "| dimension | class | support | " + " | ".join(systems) + " |",
            "|---|---|---|" + "---|" * len(systems),
        ]
        for d in dims:
            first = self.metrics[systems[0]][d]
            for c in first.classes:
                cells = [
                    f"{self.metrics[s][d].f1[c]:.3f} [{self.metrics[s][d].f1_ci[c][0]:.2f}, "
                    f"{self.metrics[s][d].f1_ci[c][1]:.2f}]"
                    for s in systems
                ]
                out.append(f"| {d} | {c} | {first.support[c]} | " + " | ".join(cells) + " |")
        out += [
            "",
            "Calibration of the cross-validated probabilities (lower is better):",
            "",
            "| dimension | " + " | ".join(f"{s} Brier / ECE" for s in systems) + " |",
            "|---|" + "---|" * len(systems),
        ]
        for d in dims:
            cells = [f"{self.metrics[s][d].brier:.3f} / {self.metrics[s][d].ece:.3f}" for s in systems]
            out.append(f"| {d} | " + " | ".join(cells) + " |")
        out += [
            "",
            "Paired differences in macro-F1 (same folds, same bootstrap resamples):",
            "",
            "| comparison | dimension | difference [95% CI] | resamples with a gain |",
            "|---|---|---|---|",
        ]
        for name, per_dim in self.differences.items():
            for d, v in per_dim.items():
                out.append(
                    f"| {name} | {d} | {v['difference']:+.3f} [{v['ci95'][0]:+.3f}, {v['ci95'][1]:+.3f}] | "
                    f"{v['share_positive']:.1%} |"
                )
        return "\n".join(out) + "\n"


def compare_systems(
    labelled: LabelledSet,
    systems: dict[str, Callable[[str], Any]] | None = None,
    *,
    n_splits: int = 5,
    random_state: int = 0,
    dimensions: Sequence[str] = DIMENSIONS,
    progress: Callable[[str], None] | None = None,
    groups: Sequence[str] | None = None,
) -> Comparison:
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
        oof[name] = cross_validate(
            build,
            labelled,
            dimensions=dimensions,
            n_splits=n_splits,
            random_state=random_state,
            spans=spans,
            groups=groups,
        )
        seconds[name] = sum(o.seconds for o in oof[name].values())
    metrics = {
        name: {d: oof_metrics(o, random_state=random_state) for d, o in per.items()} for name, per in oof.items()
    }
    differences = {}
    if MODEL_SYSTEM in oof:
        for other in oof:
            if other == MODEL_SYSTEM:
                continue
            differences[f"{MODEL_SYSTEM} - {other}"] = {
                d: paired_macro_f1_difference(
                    o.y_true, o.y_pred, oof[other][d].y_pred, o.groups, d, random_state=random_state
                )
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
