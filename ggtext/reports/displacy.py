"""The actor mentions of a Doc in displaCy's manual format.

``spacy.displacy.render(actor_spans(doc), style="span", manual=True)`` draws
every mention (overlapping ones too) under the tokens; ``actor_ents(doc)`` is
the ``style="ent"`` format, where mentions cannot overlap, so the longest
mention wins as in the HTML report. Labels are the canonical actor ids, or the
actor types with ``label="type"``.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..pipeline.doc_index import doc_text

LABELS = ("id", "type")


def _label(span: Span, label: str) -> str:
    if label not in LABELS:
        raise ValueError(f"label must be one of {LABELS}, not {label!r}")
    if label == "type":
        return span._.ggtext.actor_type or "unknown"
    return span.label_


def _settings(doc: Doc) -> dict[str, str]:
    return {"lang": doc.lang_, "direction": doc.vocab.writing_system.get("direction", "ltr")}


def actor_spans(doc: Doc, *, label: str = "id", title: str | None = None) -> dict[str, Any]:
    """``{"text", "spans", "tokens", ...}`` for ``displacy.render(..., style="span", manual=True)``.

    Each span has ``start_token``/``end_token`` (token indices, end exclusive, as
    ``Span.start``/``Span.end``), ``start``/``end`` (character offsets) and ``label``.
    """
    spans = [
        {
            "start": s.start_char,
            "end": s.end_char,
            "start_token": s.start,
            "end_token": s.end,
            "label": _label(s, label),
        }
        for s in sorted(doc._.ggtext.actors, key=lambda s: (s.start, -s.end))
    ]
    return {
        "text": doc_text(doc),
        "spans": spans,
        "tokens": [t.text for t in doc],
        "title": title,
        "settings": _settings(doc),
    }


def actor_ents(doc: Doc, *, label: str = "id", title: str | None = None) -> dict[str, Any]:
    """``{"text", "ents", ...}`` for ``displacy.render(..., style="ent", manual=True)``.

    ``start``/``end`` are character offsets into ``text``; overlapping mentions
    are reduced to the longest (:func:`spacy.util.filter_spans`).
    """
    ents = [
        {"start": s.start_char, "end": s.end_char, "label": _label(s, label)}
        for s in sorted(filter_spans(doc._.ggtext.actors), key=lambda s: s.start)
    ]
    return {"text": doc_text(doc), "ents": ents, "title": title, "settings": _settings(doc)}
