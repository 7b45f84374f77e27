"""``ggtext.analyze``: read a text, run the pipeline, and collect every result."""

from __future__ import annotations

import copy
import html
import json
import os
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import InputError
from ..reading import Document, read, read_text
from ..scoring.verdict import Verdict
from ..version import __version__
from .text_stats import key_terms, text_statistics

if TYPE_CHECKING:
    from ..models.model import PassageModel  # imports scikit-learn: not needed for --no-model


@dataclass
class Analysis:
    """Everything ggtext found in one document; ``to_dict``/``to_json`` serialise it.

    ``doc``, ``document`` and ``model`` are the processed Doc, the reader's
    Document and the passage model behind the results: kept so a report
    (:func:`ggtext.reports.html.render_html`) needs no second analysis; they
    are not serialised.
    """

    id: str
    metadata: dict[str, Any]
    structure: dict[str, Any]
    statistics: dict[str, Any]
    key_terms: list[tuple[str, float]]
    actors: list[dict[str, Any]]
    verdict: Verdict | None = None
    passages: list[dict[str, Any]] = field(default_factory=list)
    #: Stance toward each governance actor named (:func:`ggtext.scoring.actor_stance.actor_stance`).
    actor_stance: list[dict[str, Any]] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    doc: Doc | None = field(default=None, repr=False, compare=False)
    document: Document | None = field(default=None, repr=False, compare=False)
    model: PassageModel | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: copy.deepcopy(getattr(self, f.name)) for f in fields(self) if f.name not in _LIVE_FIELDS}
        data["verdict"] = self.verdict.fields() if self.verdict is not None else {}
        # Every start_char/end_char (passages, evidence) is an offset into this text: the
        # reader's clean title and body, which the pipeline analysed.
        data["text"] = self.doc.text if self.doc is not None else None
        data["key_terms"] = [{"term": t, "score": s} for t, s in self.key_terms]
        return data

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, default=_json_default, **kwargs)

    def _repr_html_(self) -> str:
        """The HTML report's body, with its CSS scoped to it, for Jupyter (a short note without a Doc)."""
        if self.doc is None:
            return (
                f"<p><b>ggtext Analysis</b> of <code>{html.escape(str(self.id))}</code>: no Doc is kept "
                "(it was not made by <code>ggtext.analyze</code>), so there is no report to show.</p>"
            )
        from .html import render_html

        return render_html(self, fragment=True)

    def to_displacy(self, style: str = "span", *, label: str = "id") -> dict[str, Any]:
        """The actor mentions for ``spacy.displacy.render(..., style=style, manual=True)``.

        ``style`` is ``"span"`` (every mention, by token) or ``"ent"`` (no overlaps, by
        character); ``label`` is ``"id"`` (canonical actor id) or ``"type"``.
        """
        if self.doc is None:
            raise ValueError("this Analysis has no Doc (it was not made by ggtext.analyze); analyse the text again")
        from .displacy import actor_ents, actor_spans

        if style not in ("span", "ent"):
            raise ValueError(f"style must be 'span' or 'ent', not {style!r}")
        export = actor_spans if style == "span" else actor_ents
        return export(self.doc, label=label, title=self.structure.get("title") or self.id)


#: Analysis fields that hold live objects, not results.
_LIVE_FIELDS = frozenset({"doc", "document", "model"})


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


def as_document(
    source: str | os.PathLike | Document | None = None, *, text: str | None = None, **read_options: Any
) -> Document:
    """A Document from a path, a Document (returned as is) or, with ``text=``, a string of text.

    A ``str`` source is always a path: one that does not exist is an error,
    never analysed as text (pass ``text=`` for that).
    """
    if text is not None:
        if source is not None:
            raise InputError("pass either a source (a path or a Document) or text=..., not both")
        return read_text(text, **read_options)
    if isinstance(source, Document):
        return source
    if isinstance(source, str) and ("\n" in source or len(source) > 4096):
        raise InputError(f"{source[:60]!r}...: this looks like a text, not a file path; pass it as text=...")
    if isinstance(source, (str, os.PathLike)):
        return read(source, **read_options)
    raise InputError(f"analyze() takes a path, a Document or text=..., not {type(source).__name__}")


def analyze_doc(doc: Doc, document: Document, *, model: PassageModel | None = None) -> Analysis:
    """Collect the results of a processed ``doc`` (the pipeline's output for ``document``)."""
    table = doc._.ggtext.actor_table
    analysis = Analysis(
        id=document.id,
        metadata=dict(document.metadata),
        structure=structure_of(document),
        statistics=text_statistics(doc),
        key_terms=key_terms(doc),
        actors=table.to_dict(orient="records"),
        versions={"ggtext": __version__},
        doc=doc,
        document=document,
        model=model,
    )
    if model is not None:
        from ..scoring.verdict import document_verdict

        verdict = document_verdict(doc, model)
        analysis.verdict = verdict
        analysis.passages = verdict.passages
        from ..scoring.actor_stance import actor_stance

        analysis.actor_stance = actor_stance(doc, model)
        analysis.versions["model"] = model.version
    return analysis


def analyze(
    source: str | os.PathLike | Document | None = None,
    *,
    text: str | None = None,
    nlp: Language | None = None,
    model: Any | None = "default",
    **read_options: Any,
) -> Analysis:
    """Read ``source`` (a path or a Document) or ``text=`` and analyse it with the ggtext pipeline.

    A string ``source`` is a path (a missing file is an :class:`~ggtext.errors.InputError`);
    pass a string of text as ``text=``. ``nlp`` is the pipeline (default: ggtext's);
    it gets the reader's clean text.

    ``model="default"`` uses the shipped stance model; pass a model folder or a
    loaded model (as ``score(model=...)`` takes), or ``None`` to skip stance and framing.
    """
    from ..pipeline import default_pipeline, process_document

    document = as_document(source, text=text, **read_options)
    nlp = nlp or default_pipeline()
    if isinstance(model, (str, os.PathLike)):
        from ..models import load_model  # scikit-learn: only when a model is used

        model = load_model() if model == "default" else load_model(model)
    doc = process_document(nlp, document)
    return analyze_doc(doc, document, model=model)
