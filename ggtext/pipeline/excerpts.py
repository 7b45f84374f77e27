"""Excerpts: some sentences of a processed Doc as a Doc of their own, with every ggtext span.

The document verdict classifies a paragraph without its reported-view
sentences. Rather than parse the remaining text again (with a pipeline that
may not be the user's), the excerpt copies the tokens and the ggtext span
groups of the chosen sentences: the same annotations, no second parse.
"""

from __future__ import annotations

from typing import Sequence

from spacy.tokens import Doc, Span

from .keys import ACTORS_KEY, CUES_KEY, KB_KEY, PARAGRAPHS_KEY


def excerpt(sentences: Sequence[Span]) -> Span:
    """The ``sentences`` (Spans of one Doc, in order) as one new Doc's whole Span.

    Tokens keep their attributes (``Span.as_doc``); actor and cue spans that
    lie inside a chosen sentence are copied with their label, ``kb_id`` and
    ``id``; the excerpt is one paragraph.
    """
    if not sentences:
        raise ValueError("an excerpt needs at least one sentence")
    source = sentences[0].doc
    parts = [s.as_doc() for s in sentences]
    doc = Doc.from_docs(parts, ensure_whitespace=True) if len(parts) > 1 else parts[0]
    offsets = []  # (source start token, source end token, first token in the excerpt)
    position = 0
    for sentence, part in zip(sentences, parts):
        offsets.append((sentence.start, sentence.end, position))
        position += len(part)
    for key in (ACTORS_KEY, CUES_KEY):
        if key not in source.spans:
            continue
        copied = []
        for span in source.spans[key]:
            for start, end, first in offsets:
                if start <= span.start and span.end <= end:
                    copied.append(Span(doc, span.start - start + first, span.end - start + first, label=span.label,
                                       kb_id=span.kb_id, span_id=span.id))
                    break
        doc.spans[key] = copied
    doc.spans[PARAGRAPHS_KEY] = [doc[:]]
    if KB_KEY in source.user_data:
        doc.user_data[KB_KEY] = source.user_data[KB_KEY]
    return doc[:]
