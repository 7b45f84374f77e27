"""Scoring: document-level verdicts and batch scoring of corpora into one score table."""

from .api import score, score_file
from .schema import SCHEMA_VERSION, UNITS, columns, schema
from .writers import read_scores

__all__ = ["SCHEMA_VERSION", "UNITS", "columns", "read_scores", "schema", "score", "score_file"]
