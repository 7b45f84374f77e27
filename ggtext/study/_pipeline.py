"""The study's one door to the default pipeline and the analysis of a single Doc.

Both moved in the import-layers refactor (issue 9: ``ggtext.nlp`` ->
``ggtext.pipeline``, ``ggtext.analysis`` -> ``ggtext.reports.analysis``); the
rest of ``ggtext.study`` imports them from here only.
"""

from __future__ import annotations

from typing import Any


def default_pipeline() -> Any:
    """The default spaCy pipeline with the ggtext components."""
    from ..pipeline import default_pipeline as build

    return build()


def analyze_doc(doc: Any, document: Any, *, model: Any) -> Any:
    """The ``Analysis`` of ``doc`` (parsed from ``document``) with the passage ``model``."""
    from ..reports.analysis import analyze_doc as analyze

    return analyze(doc, document, model=model)
