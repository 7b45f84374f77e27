"""Excerpts: some sentences of a processed Doc as a Doc of their own, with every ggtext span.

The document verdict classifies a paragraph without its reported-view
sentences. Rather than parse the remaining text again (with a pipeline that
may not be the user's), the excerpt copies the tokens and the ggtext span
groups of the chosen sentences: the same annotations, no second parse.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Sequence

import numpy as np
from spacy.attrs import ORTH, SPACY
from spacy.tokens import Doc, Span

from .doc_index import doc_facts
from .keys import ACTORS_KEY, CUES_KEY, KB_KEY, PARAGRAPHS_KEY


def excerpt(sentences: Sequence[Span]) -> Span:
    """The ``sentences`` (Spans of one Doc, in order) as one new Doc's whole Span.

    Tokens keep their text and whitespace (a sentence that ended without a
    space gets one) and start the same sentences; actor and cue spans that lie
    inside a chosen sentence are copied with their label, ``kb_id`` and
    ``id``; the excerpt is one paragraph. Costs the size of the sentences, not
    of the source Doc.
    """
    if not sentences:
        raise ValueError("an excerpt needs at least one sentence")
    source = sentences[0].doc
    tokens = _token_arrays(source)
    strings = source.vocab.strings
    words: list[str] = []
    spaces: list[bool] = []
    starts: list[bool] = []
    offsets = []  # (source start token, source end token, first token in the excerpt)
    for sentence in sentences:
        offsets.append((sentence.start, sentence.end, len(words)))
        block = tokens[sentence.start : sentence.end]
        words.extend(strings[int(orth)] for orth in block[:, 0])
        spaces.extend(bool(space) for space in block[:, 1])
        spaces[-1] = True
        starts.extend([True] + [False] * (len(block) - 1))
    spaces[-1] = bool(tokens[sentences[-1].end - 1, 1])
    doc = Doc(source.vocab, words=words, spaces=spaces, sent_starts=starts)
    for key in (ACTORS_KEY, CUES_KEY):
        if key not in source.spans:
            continue
        ordered, span_starts = _sorted_spans(source, key)
        copied = []
        for start, end, first in offsets:
            for k in range(bisect_left(span_starts, start), bisect_left(span_starts, end)):
                span = ordered[k]
                if span.end <= end:
                    copied.append(
                        Span(
                            doc,
                            span.start - start + first,
                            span.end - start + first,
                            label=span.label,
                            kb_id=span.kb_id,
                            span_id=span.id,
                        )
                    )
        doc.spans[key] = copied
    doc.spans[PARAGRAPHS_KEY] = [doc[:]]
    if KB_KEY in source.user_data:
        doc.user_data[KB_KEY] = source.user_data[KB_KEY]
    return doc[:]


def _token_arrays(doc: Doc) -> np.ndarray:
    """``(ORTH, SPACY)`` of every token, computed once per Doc."""
    facts = doc_facts(doc)
    if "excerpt_tokens" not in facts:
        facts["excerpt_tokens"] = doc.to_array([ORTH, SPACY]).reshape(len(doc), 2)
    return facts["excerpt_tokens"]


def _sorted_spans(doc: Doc, key: str) -> tuple[list[Span], list[int]]:
    """The spans of group ``key`` by start, and their starts, computed once per Doc."""
    facts = doc_facts(doc)
    name = f"excerpt_{key}"
    if name not in facts:
        ordered = sorted(doc.spans[key], key=lambda s: (s.start, s.end))
        facts[name] = (ordered, [s.start for s in ordered])
    return facts[name]
