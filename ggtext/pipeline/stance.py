"""The stance component: document verdict and passage labels from the shipped model."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .extensions import RESULTS_KEY


class StanceScorer:
    """Score each Doc with a passage model; results go to ``doc._.ggtext``.

    After it runs, ``doc._.ggtext.feasibility_score``, ``.feasibility_label``,
    ``.desirability_score``, ``.desirability_label``, ``.realist_share``,
    ``.institutionalist_share``, ``.framing_label``, ``.evidence`` and
    ``.passages`` hold the verdict (see :mod:`ggtext.scoring.verdict`).
    """

    def __init__(self, nlp: Language, name: str = "ggtext_stance", *, model_path: str | None = None):
        from ..models import load_model

        self.name = name
        self.model = load_model(model_path)

    def __call__(self, doc: Doc) -> Doc:
        from ..scoring.verdict import document_verdict

        verdict = document_verdict(doc, self.model)
        results: dict[str, Any] = doc.user_data.setdefault(RESULTS_KEY, {})
        results.update(verdict.fields())
        results["passages"] = verdict.passages
        return doc
