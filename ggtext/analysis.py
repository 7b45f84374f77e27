"""``ggtext.analyze``: read a text, run the pipeline, and collect every result."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .reading import Document, read, read_text
from .reports.text_stats import key_terms, text_statistics


@dataclass
class Analysis:
    """Everything ggtext found in one document; ``to_dict``/``to_json`` serialise it."""

    id: str
    metadata: dict[str, Any]
    structure: dict[str, Any]
    statistics: dict[str, Any]
    key_terms: list[tuple[str, float]]
    actors: list[dict[str, Any]]
    verdict: dict[str, Any] = field(default_factory=dict)
    passages: list[dict[str, Any]] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["key_terms"] = [{"term": t, "score": s} for t, s in self.key_terms]
        return data

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, default=_json_default, **kwargs)


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def structure_of(document: Document) -> dict[str, Any]:
    """The reader's view of a document: title, author, sections, references, citations."""
    return {
        "title": document.title,
        "author": document.author,
        "format": document.format,
        "headings": list(document.headings),
        "n_paragraphs": len(document.paragraphs),
        "n_references": len(document.references),
        "n_endnotes": len(document.endnotes),
        "citations": [asdict(c) for c in document.citations],
        "warnings": list(document.warnings),
    }


def as_document(source: str | os.PathLike | Document, **read_options: Any) -> Document:
    """A Document from a path, a text, or a Document (returned as is).

    A ``str`` is taken as a path when it names an existing file, else as the text.
    """
    if isinstance(source, Document):
        return source
    if isinstance(source, os.PathLike):
        return read(source, **read_options)
    if isinstance(source, str) and "\n" not in source and len(source) < 4096 and Path(source).is_file():
        return read(source, **read_options)
    return read_text(source, **read_options)


def analyze_doc(doc: Doc, document: Document, *, model: Any | None = None) -> Analysis:
    """Collect the results of a processed ``doc`` (the pipeline's output for ``document``)."""
    from . import __version__

    table = doc._.ggtext.actor_table
    analysis = Analysis(
        id=document.id,
        metadata=dict(document.metadata),
        structure=structure_of(document),
        statistics=text_statistics(doc),
        key_terms=key_terms(doc),
        actors=table.to_dict(orient="records"),
        versions={"ggtext": __version__},
    )
    if model is not None:
        from .scoring.verdict import document_verdict

        verdict = document_verdict(doc, model)
        analysis.verdict = verdict.fields()
        analysis.passages = verdict.passages
        analysis.versions["model"] = model.version
    return analysis


def analyze(
    source: str | os.PathLike | Document,
    *,
    nlp: Language | None = None,
    model: Any | None = "default",
    **read_options: Any,
) -> Analysis:
    """Read ``source`` (path, text or Document) and analyse it with the ggtext pipeline.

    ``model="default"`` uses the shipped stance model; pass a loaded model, or
    ``None`` to skip stance and framing.
    """
    from .nlp import default_pipeline

    document = as_document(source, **read_options)
    nlp = nlp or default_pipeline()
    if model == "default":
        from .models import load_model

        model = load_model()
    doc = nlp(document.text)
    return analyze_doc(doc, document, model=model)
