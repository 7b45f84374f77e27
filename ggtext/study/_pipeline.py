"""The study's one door to the analysis of a single Doc and the default pipeline.

Both live in modules the import-layers refactor (issue 9) is moving
(``ggtext.analysis`` -> ``ggtext.reports.analysis``, ``ggtext.nlp`` ->
``ggtext.pipeline``); the rest of ``ggtext.study`` imports them from here only.
"""

from __future__ import annotations

from typing import Any


def default_pipeline() -> Any:
    """The default spaCy pipeline with the ggtext components."""
    from ..nlp import default_pipeline as build

    return build()


def analyze_doc(doc: Any, document: Any, *, model: Any) -> Any:
    """The ``Analysis`` of ``doc`` (parsed from ``document``) with the passage ``model``."""
    from ..analysis import analyze_doc as analyze

    return analyze(doc, document, model=model)
