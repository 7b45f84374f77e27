"""Train the passage classifiers on a codebook-format JSONL file."""

from __future__ import annotations

import hashlib
import os
import platform
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer
from threadpoolctl import threadpool_info, threadpool_limits

from .classifiers import stance_pipeline
from .data import LabelledSet, TrainingDataError, file_sha256, read_labelled
from .features import as_spans
from .label_sets import without_frozen_split
from .labels import CLASSES, DIMENSIONS
from .model import StanceModel

#: Fewest examples of a class (per dimension) a training file must have.
MIN_CLASS_EXAMPLES = 2


def train_model(
    data: str | os.PathLike | LabelledSet,
    *,
    random_state: int = 0,
    frozen_split: str | os.PathLike | None = None,
    **options: Any,
) -> StanceModel:
    """Fit one classifier per dimension on ``data`` (a path or a :class:`LabelledSet`).

    ``frozen_split`` (a JSON file with ``ids`` and ``documents``, e.g.
    ``corpora/annotation/dev_split_v2.json``) holds those units out of training;
    the metadata records it. Texts are parsed once with the ggtext pipeline;
    the inner cross-validation of each classifier is grouped by document (the
    part of ``id`` before ``#``), and by publisher for ``source == "GOV"`` units
    (:func:`~ggtext.models.protocol.cv_groups`). BLAS runs on one thread during ``fit``, so the same data and
    ``random_state`` give the same model file on the same machine; on another
    CPU the probabilities agree to about 1e-9 (floating-point sums differ in
    their last bits) and the labels agree. ``options`` go to :func:`~ggtext.models.classifiers.stance_pipeline`
    (``cues=False``, ``rare_rules=False``: ablations).
    """
    from .protocol import cv_groups

    source = data if isinstance(data, LabelledSet) else read_labelled(data)
    labelled = source if frozen_split is None else without_frozen_split(source, frozen_split)
    check_trainable(labelled)
    spans = as_spans(labelled.texts)
    groups = cv_groups(labelled)
    pipelines = {}
    with threadpool_limits(limits=1):
        for dim in DIMENSIONS:
            pipeline = stance_pipeline(dim, random_state=random_state, **options)
            pipeline.fit(spans, labelled.labels(dim), classifier__groups=groups)
            pipelines[dim] = compact(pipeline)
    metadata = {
        "random_state": random_state,
        "training_machine": training_machine(),
        "training_data": {
            "file": source.path.name,
            "sha256": source.sha256,
            "size_bytes": source.size,
            "n_passages": len(labelled),
            "n_documents": len(set(labelled.groups)),
        },
        "label_counts": labelled.label_counts(),
    }
    if frozen_split is not None:
        metadata["training_data"]["frozen_split"] = {
            "file": os.path.basename(frozen_split),
            "sha256": file_sha256(frozen_split),
            "n_excluded": len(source) - len(labelled),
        }
    return StanceModel(pipelines, metadata=metadata)


def training_machine() -> dict[str, Any]:
    """What decides a fit's last floating-point bits: CPU, BLAS build and kernel; with a short fingerprint."""
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    blas = sorted(
        f"{pool.get('internal_api')} {pool.get('version')} {pool.get('architecture')}"
        for pool in threadpool_info()
        if pool.get("user_api") == "blas"
    )
    facts = {"machine": platform.machine(), "cpu": cpu, "blas": blas}
    facts["fingerprint"] = hashlib.sha256(repr(sorted(facts.items())).encode()).hexdigest()[:16]
    return facts


def check_trainable(labelled: LabelledSet) -> None:
    """Every class of every dimension needs a few examples, and the grouped CV needs documents."""
    problems = []
    for dim, counts in labelled.label_counts().items():
        thin = {c: n for c, n in counts.items() if n < MIN_CLASS_EXAMPLES}
        if thin:
            problems.append(
                f"{dim}: class(es) {', '.join(f'{c!r} ({n})' for c, n in thin.items())} have fewer than "
                f"{MIN_CLASS_EXAMPLES} examples (need all of {', '.join(CLASSES[dim])})"
            )
    if len(set(labelled.groups)) < 2:
        problems.append("all passages come from one document; grouped cross-validation needs at least two")
    if problems:
        raise TrainingDataError(f"{labelled.path}: cannot train:\n  " + "\n  ".join(problems))


def compact(estimator: Any) -> Any:
    """Drop what prediction never uses, so a saved model is small and its bytes reproducible.

    * TF-IDF ``stop_words_``: megabytes of rare n-grams; scikit-learn documents
      it as safe to remove before saving;
    * TF-IDF ``_stop_words_id``: a cache holding an ``id()`` (a memory address,
      different in every process); the vectorizer recomputes it when needed.
    """
    for _, member in getattr(estimator[-1], "members_", []):
        for step in member.named_steps.values():
            vectorizers = [v for _, v in getattr(step, "transformer_list", [])] or [step]
            for vectorizer in vectorizers:
                if isinstance(vectorizer, TfidfVectorizer):
                    if hasattr(vectorizer, "stop_words_"):
                        vectorizer.stop_words_ = None
                    vectorizer.__dict__.pop("_stop_words_id", None)
    return estimator
