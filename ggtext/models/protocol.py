"""The development protocol of issue 10: CV groups by speaker, and per-voice scores.

* :func:`cv_groups`: the grouped-CV groups. A unit's document (the part of
  ``id`` before ``#``); for government and UN web texts (``source == "GOV"``)
  its publisher, with every Hungarian government publisher as one, so a
  speaker's releases never sit on both sides of a split.
* :func:`voice`: who speaks: ``UNGDC``, ``WH``, ``GOV-Hungary`` or ``GOV-other``.
  Scores per voice show whether a model learns rejection or one speaker.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .data import LabelledPassage, LabelledSet

VOICES = ("UNGDC", "WH", "GOV-Hungary", "GOV-other")


def _publisher_group(publisher: str | None) -> str:
    name = (publisher or "unknown").strip()
    return "publisher:Government of Hungary" if "hungary" in name.lower() else f"publisher:{name}"


def cv_group(passage: LabelledPassage) -> str:
    """The CV group of one unit: its publisher for GOV texts, else its document."""
    if passage.source == "GOV":
        return _publisher_group(passage.publisher)
    return passage.document


def cv_groups(labelled: LabelledSet) -> np.ndarray:
    """:func:`cv_group` of every unit."""
    return np.array([cv_group(p) for p in labelled.passages], dtype=object)


def voice(passage: LabelledPassage) -> str:
    """``UNGDC``, ``WH``, ``GOV-Hungary`` or ``GOV-other`` (any other source is its own name)."""
    if passage.source == "GOV":
        return "GOV-Hungary" if "hungary" in (passage.publisher or "").lower() else "GOV-other"
    return passage.source or "unknown"


def voices(labelled: LabelledSet) -> np.ndarray:
    return np.array([voice(p) for p in labelled.passages], dtype=object)


def class_f1(y_true: Sequence[str], y_pred: Sequence[str], target: str) -> dict[str, float | int]:
    """Precision, recall and F1 of one class, with its support and the number predicted."""
    y_true, y_pred = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    tp = int(np.sum((y_true == target) & (y_pred == target)))
    support, predicted = int(np.sum(y_true == target)), int(np.sum(y_pred == target))
    precision = tp / predicted if predicted else 0.0
    recall = tp / support if support else 0.0
    f1 = 2 * tp / (support + predicted) if support + predicted else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": support, "predicted": predicted}


def per_voice_f1(
    y_true: Sequence[str], y_pred: Sequence[str], unit_voices: Sequence[str], target: str = "against"
) -> dict[str, dict[str, float | int]]:
    """:func:`class_f1` of ``target`` on the units of each voice (and ``all``)."""
    y_true, y_pred = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    unit_voices = np.asarray(unit_voices, dtype=object)
    out = {"all": class_f1(y_true, y_pred, target)}
    for name in VOICES:
        mask = unit_voices == name
        if mask.any():
            out[name] = class_f1(y_true[mask], y_pred[mask], target)
    return out


def held_out_report(model, held_out: LabelledSet) -> dict:
    """The model's metrics on held-out units, with per-voice ``against``/``realist`` F1 (for the card)."""
    from .evaluation import evaluate_model

    report = evaluate_model(model, held_out)
    pred = model.predict(held_out.texts)
    unit_voices = voices(held_out)
    per_voice = {
        f"{dim} {target}": per_voice_f1(held_out.labels(dim), pred[dim], unit_voices, target)
        for dim, target in (("feasibility", "against"), ("desirability", "against"), ("framing", "realist"))
    }
    return {
        "n_passages": len(held_out),
        "n_documents": len(set(held_out.groups)),
        "dimensions": report.to_dict()["dimensions"],
        "per_voice": per_voice,
    }
