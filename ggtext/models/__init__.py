"""Models: passage classifiers for stance and framing, their features, training and files.

The API scoring uses::

    from ggtext.models import load_model
    model = load_model()                      # the shipped ggtext-stance, checked
    model.predict_proba(passages)             # {dimension: array}, columns = model.classes_[dimension]
    model.predict(passages)                   # {dimension: [label, ...]}

``passages`` is a list of strings or spaCy Spans of a Doc processed by
``ggtext.load()`` (sentences, paragraphs). Training and evaluation:
:func:`train_model`, :func:`save_model`, :func:`evaluate_model`.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .labels import CLASSES, DIMENSIONS, STANCE_DIMENSIONS

if TYPE_CHECKING:
    from .cross_validation import Comparison, compare_systems, cross_validate
    from .data import LabelledSet, TrainingDataError, read_labelled
    from .evaluation import EvaluationReport, evaluate_model
    from .io import DEFAULT_MODEL_NAME, load_model, save_model
    from .model import PassageModel, StanceModel
    from .training import train_model

#: Public name -> its module, imported on first use (scoring never needs training or evaluation).
_LAZY = {
    "LabelledSet": ".data",
    "TrainingDataError": ".data",
    "read_labelled": ".data",
    "EvaluationReport": ".evaluation",
    "evaluate_model": ".evaluation",
    "Comparison": ".cross_validation",
    "compare_systems": ".cross_validation",
    "cross_validate": ".cross_validation",
    "DEFAULT_MODEL_NAME": ".io",
    "load_model": ".io",
    "save_model": ".io",
    "PassageModel": ".model",
    "StanceModel": ".model",
    "train_model": ".training",
}

__all__ = [
    "CLASSES",
    "Comparison",
    "DEFAULT_MODEL_NAME",
    "DIMENSIONS",
    "EvaluationReport",
    "LabelledSet",
    "PassageModel",
    "STANCE_DIMENSIONS",
    "StanceModel",
    "TrainingDataError",
    "compare_systems",
    "cross_validate",
    "evaluate_model",
    "load_model",
    "read_labelled",
    "save_model",
    "train_model",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
