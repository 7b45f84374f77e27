"""The one ``._.ggtext`` namespace on Doc, Span and Token.

Components write spans into ``doc.spans`` (keys below) and results into
``doc.user_data["ggtext"]``; the views here read them through getters, so
nothing is copied. ``doc._.ggtext.actors``, ``span._.ggtext.negated`` and so on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span, Token

if TYPE_CHECKING:
    import pandas as pd

from .actors import actor_table, actor_type
from .cues import attribution, cue_polarity, is_hedged, is_negated
from .keys import ACTORS_KEY, CUES_KEY, NAMESPACE, PARAGRAPHS_KEY, RESULTS_KEY


def _spans(doc: Doc, key: str) -> list[Span]:
    return list(doc.spans[key]) if key in doc.spans else []


class DocView:
    """What ggtext found in a Doc."""

    def __init__(self, doc: Doc):
        self.doc = doc

    @property
    def paragraphs(self) -> list[Span]:
        return _spans(self.doc, PARAGRAPHS_KEY)

    @property
    def actors(self) -> list[Span]:
        """Actor mentions; each span's ``label_`` is the canonical actor id."""
        return _spans(self.doc, ACTORS_KEY)

    @property
    def actor_table(self) -> "pd.DataFrame":
        """One row per actor: id, type, mentions, first_position, paragraph_share."""
        return actor_table(self.doc)

    @property
    def cues(self) -> list[Span]:
        """Stance, hedge, negation, attribution and framing cues (``label_`` = cue type)."""
        return _spans(self.doc, CUES_KEY)

    @property
    def results(self) -> dict[str, Any]:
        """Plain-data results written by scoring components (stance, framing, scores)."""
        return self.doc.user_data.setdefault(RESULTS_KEY, {})

    def __getattr__(self, name: str) -> Any:
        # Document-level results (feasibility_score, framing_label, ...) read as attributes.
        results = self.doc.user_data.get(RESULTS_KEY, {})
        if name in results:
            return results[name]
        raise AttributeError(name)


class SpanView:
    """What ggtext knows about a span: an actor mention, a cue, a sentence."""

    def __init__(self, span: Span):
        self.span = span

    @property
    def actor_id(self) -> str | None:
        return self.span.label_ if self.span.label_ else None

    @property
    def actor_type(self) -> str | None:
        return actor_type(self.span)

    @property
    def negated(self) -> bool:
        """True when a negation has this cue in its scope ("not feasible")."""
        return is_negated(self.span)

    @property
    def polarity(self) -> int:
        """+1 or -1 for a stance cue after negation; 0 for other spans."""
        return cue_polarity(self.span)

    @property
    def attribution(self) -> str | None:
        """For a sentence: the source it reports ("realists", "Koser (2010)"), None in the author's voice."""
        return attribution(self.span)

    @property
    def attributed(self) -> bool:
        return self.attribution is not None

    @property
    def hedged(self) -> bool:
        return is_hedged(self.span)

    @property
    def cues(self) -> list[Span]:
        """The cues inside this span."""
        return [c for c in _spans(self.span.doc, CUES_KEY) if c.start >= self.span.start and c.end <= self.span.end]

    @property
    def actors(self) -> list[Span]:
        """The actor mentions inside this span."""
        return [a for a in _spans(self.span.doc, ACTORS_KEY) if a.start >= self.span.start and a.end <= self.span.end]


class TokenView:
    """What ggtext knows about a token."""

    def __init__(self, token: Token):
        self.token = token

    @property
    def actor_id(self) -> str | None:
        for span in _spans(self.token.doc, ACTORS_KEY):
            if span.start <= self.token.i < span.end:
                return span.label_
        return None


def register_extensions() -> None:
    """Register ``._.ggtext`` on Doc, Span and Token (idempotent)."""
    for cls, view in ((Doc, DocView), (Span, SpanView), (Token, TokenView)):
        if not cls.has_extension(NAMESPACE):
            cls.set_extension(NAMESPACE, getter=view)
