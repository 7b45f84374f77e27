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

from .data import LabelledSet, TrainingDataError, read_labelled
from .evaluation import EvaluationReport, compare_systems, evaluate_model
from .io import DEFAULT_MODEL_NAME, load_model, save_model
from .labels import CLASSES, DIMENSIONS, STANCE_DIMENSIONS
from .model import StanceModel
from .training import train_model

__all__ = [
    "CLASSES",
    "DEFAULT_MODEL_NAME",
    "DIMENSIONS",
    "EvaluationReport",
    "LabelledSet",
    "STANCE_DIMENSIONS",
    "StanceModel",
    "TrainingDataError",
    "compare_systems",
    "evaluate_model",
    "load_model",
    "read_labelled",
    "save_model",
    "train_model",
]
