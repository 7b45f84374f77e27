"""The stance component: document verdict and passage labels from the shipped model."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

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

        return self._store(doc, document_verdict(doc, self.model))

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 32) -> Iterator[Doc]:
        """Score Docs a batch at a time: two model calls per batch (``nlp.pipe`` uses this)."""
        from ..scoring.verdict import document_verdicts

        for batch in minibatch(docs, size=batch_size):
            for doc, verdict in zip(batch, document_verdicts(batch, self.model)):
                yield self._store(doc, verdict)

    @staticmethod
    def _store(doc: Doc, verdict: Any) -> Doc:
        results: dict[str, Any] = doc.user_data.setdefault(RESULTS_KEY, {})
        results.update(verdict.fields())
        results["passages"] = verdict.passages
        return doc
