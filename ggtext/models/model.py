"""``StanceModel``: the three passage classifiers behind one object.

This is what scoring calls: ``model.predict_proba(passages)`` with a list of
Spans (sentences, paragraphs of Docs the caller's pipeline processed) or
strings returns one probability matrix per dimension. Spans are used as they
are; strings are parsed once, with the caller's ``nlp`` when given.
:class:`PassageModel` is the interface scoring relies on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Protocol, Sequence, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from spacy.language import Language

from .features import as_spans, shared_features
from .labels import CLASSES, DIMENSIONS


@runtime_checkable
class PassageModel(Protocol):
    """What the verdict and batch scoring need of a passage model (a :class:`StanceModel` is one)."""

    classes_: dict[str, tuple[str, ...]]

    @property
    def version(self) -> str: ...

    def predict_proba(self, passages: Sequence[Any], *, nlp: "Language | None" = None) -> dict[str, np.ndarray]: ...

    def decide(self, proba: Mapping[str, np.ndarray]) -> dict[str, list[str]]: ...


class StanceModel:
    """Feasibility, desirability and framing classifiers for passages.

    ``labels`` are the dimensions; ``classes_[dimension]`` the class names in
    column order of ``predict_proba``. ``predict`` uses each classifier's
    tuned decision rule, which for rare classes ("against") can differ from
    the argmax of the probabilities; ``predict_proba`` is calibrated.
    """

    labels: tuple[str, ...] = DIMENSIONS

    def __init__(
        self,
        pipelines: Mapping[str, Any],
        *,
        metadata: Mapping[str, Any] | None = None,
        folder: str | os.PathLike | None = None,
    ):
        self.folder = Path(folder) if folder is not None else None  # where it was loaded from
        missing = [d for d in DIMENSIONS if d not in pipelines]
        if missing:
            raise ValueError(f"a StanceModel needs a classifier for every dimension; missing: {', '.join(missing)}")
        self.pipelines = {d: pipelines[d] for d in DIMENSIONS}
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.classes_: dict[str, tuple[str, ...]] = {}
        for dim, pipeline in self.pipelines.items():
            classes = tuple(str(c) for c in pipeline.classes_)
            if classes != CLASSES[dim]:
                raise ValueError(
                    f"the {dim} classifier has classes {classes}; the codebook's are {CLASSES[dim]} "
                    "(every class needs training examples)"
                )
            self.classes_[dim] = classes

    @property
    def name(self) -> str:
        return str(self.metadata.get("name", "ggtext-stance"))

    @property
    def version(self) -> str:
        """Name plus the first 12 hex digits of the model file's sha256 (``"unsaved"`` before saving)."""
        digest = self.metadata.get("model_sha256")
        return f"{self.name}@{digest[:12]}" if digest else f"{self.name}@unsaved"

    def predict_proba(self, passages: Sequence[Any], *, nlp: "Language | None" = None) -> dict[str, np.ndarray]:
        """``{dimension: array (n_passages, n_classes)}``; rows sum to 1, columns follow ``classes_``.

        Strings among ``passages`` are parsed with ``nlp`` (default: ggtext's annotating pipeline).
        """
        spans = as_spans(passages, nlp=nlp)
        if not spans:
            return {dim: np.zeros((0, len(self.classes_[dim]))) for dim in DIMENSIONS}
        with shared_features():
            return {dim: pipeline.predict_proba(spans) for dim, pipeline in self.pipelines.items()}

    def predict(self, passages: Sequence[Any], *, nlp: "Language | None" = None) -> dict[str, list[str]]:
        """``{dimension: [label per passage]}`` with each classifier's tuned decision rule."""
        spans = as_spans(passages, nlp=nlp)
        if not spans:
            return {dim: [] for dim in DIMENSIONS}
        with shared_features():
            return {dim: [str(c) for c in pipeline.predict(spans)] for dim, pipeline in self.pipelines.items()}

    @property
    def decision_weights(self) -> dict[str, dict[str, float]]:
        """``{dimension: {class: weight}}``: ``predict`` is the argmax of ``p * weight``."""
        return {
            dim: {c: float(w) for c, w in zip(self.classes_[dim], pipeline[-1].decision_weights_)}
            for dim, pipeline in self.pipelines.items()
        }

    def decide(self, proba: Mapping[str, np.ndarray]) -> dict[str, list[str]]:
        """Labels from probabilities already computed by :meth:`predict_proba` (same as ``predict``)."""
        out = {}
        for dim in DIMENSIONS:
            weights = np.array([self.decision_weights[dim][c] for c in self.classes_[dim]])
            chosen = np.argmax(np.asarray(proba[dim]) * weights, axis=1)
            out[dim] = [self.classes_[dim][i] for i in chosen]
        return out

    def __repr__(self) -> str:
        return f"StanceModel({self.version}, labels={list(self.labels)})"
