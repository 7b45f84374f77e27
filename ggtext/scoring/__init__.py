"""Scoring: the stance component, document-level verdicts and batch scoring of corpora into one score table.

Names are imported on first use: spaCy imports :mod:`ggtext.scoring.stance`
(an entry point) whenever it builds a pipeline, and that must stay cheap.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import ScoreOptions, score, score_file
    from .schema import SCHEMA_VERSION, UNITS, columns, schema
    from .writers import read_scores

_LAZY = {
    "score": ".api",
    "score_file": ".api",
    "ScoreOptions": ".api",
    "SCHEMA_VERSION": ".schema",
    "UNITS": ".schema",
    "columns": ".schema",
    "schema": ".schema",
    "read_scores": ".writers",
}

__all__ = ["SCHEMA_VERSION", "UNITS", "ScoreOptions", "columns", "read_scores", "schema", "score", "score_file"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
