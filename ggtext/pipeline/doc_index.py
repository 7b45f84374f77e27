"""Facts about a processed Doc, computed once: its text, sentence bounds, words per token.

spaCy builds a Python object for every Token or Span read (``Token.sent``
walks the Doc to its sentence start; ``Span.sents`` walks the span), which
dominates when scoring asks per sentence and per passage. The facts of the
last Doc read are kept in one entry, valid while the Doc, its length and its
cue group stay the same; a map keyed by Doc (even a weak one) would keep every
Doc alive, since its Spans refer to it. Other modules keep their own facts of
the Doc here too (:func:`doc_facts`). The text, needed for every Doc in turn,
is kept in the Doc itself (:func:`doc_text`).
"""

from __future__ import annotations

from bisect import bisect_right

import numpy as np
from spacy.attrs import IS_ALPHA, SENT_START
from spacy.tokens import Doc, Span

from .keys import CUES_KEY, PARAGRAPHS_KEY, TEXT_KEY


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc and kept in ``doc.user_data``."""
    text = doc.user_data.get(TEXT_KEY)
    end = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    if not isinstance(text, str) or len(text) != end:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


_DOC_CACHE: list = [None]  # [(doc, len(doc), cue group, len(cue group), facts)]


def doc_facts(doc: Doc) -> dict:
    """A dict for facts about ``doc``, emptied when the Doc or its cues change."""
    group = doc.spans.data.get(CUES_KEY)  # SpanGroups is a UserDict: .data skips its Python-level lookups
    size = len(group) if group is not None else 0
    cached = _DOC_CACHE[0]
    if cached is not None and cached[0] is doc and cached[1] == len(doc) and cached[2] is group and cached[3] == size:
        return cached[4]
    facts: dict = {}
    _DOC_CACHE[0] = (doc, len(doc), group, size, facts)
    return facts


def sentence_bounds(doc: Doc) -> list[int] | None:
    """Token indices where sentences start, then ``len(doc)``; None when the Doc has no sentences."""
    facts = doc_facts(doc)
    if "sentence_bounds" not in facts:
        bounds = None
        if doc.has_annotation("SENT_START"):
            # as Doc.sents: token 0 and every token whose sent_start is 1 start a sentence
            starts = np.flatnonzero(doc.to_array([SENT_START]).reshape(-1)[1:] == 1) + 1
            bounds = [0, *starts.tolist(), len(doc)]
        facts["sentence_bounds"] = bounds
    return facts["sentence_bounds"]


def _sentence(doc: Doc, bounds: list[int], k: int) -> Span:
    """Sentence ``k``, one Span object per sentence (spaCy builds Tokens to make a Span)."""
    spans = doc_facts(doc).get("sentence_spans")
    if spans is None:
        spans = doc_facts(doc)["sentence_spans"] = {}
    span = spans.get(k)
    if span is None:
        span = spans[k] = doc[bounds[k] : bounds[k + 1]]
    return span


def sentence_of(doc: Doc, index: int) -> Span:
    """The sentence holding token ``index``; its paragraph, or the Doc, when there are no sentences."""
    bounds = sentence_bounds(doc)
    if bounds is not None:
        return _sentence(doc, bounds, bisect_right(bounds, index) - 1)
    for paragraph in doc.spans[PARAGRAPHS_KEY] if PARAGRAPHS_KEY in doc.spans else ():
        if paragraph.start <= index < paragraph.end:
            return paragraph
    return doc[:]


def sentences_of(span: Span) -> list[Span]:
    """The whole sentences ``span`` overlaps (as ``Span.sents`` gives them)."""
    doc = span.doc
    if len(span) == 0:
        return [sentence_of(doc, min(span.start, len(doc) - 1))] if len(doc) else []
    bounds = sentence_bounds(doc)
    if bounds is not None:
        first = bisect_right(bounds, span.start) - 1
        last = bisect_right(bounds, span.end - 1) - 1
        return [_sentence(doc, bounds, k) for k in range(first, last + 1)]
    sentences = [sentence_of(doc, span.start)]
    while sentences[-1].end < span.end:
        sentences.append(sentence_of(doc, sentences[-1].end))
    return sentences


def has_word(span: Span) -> bool:
    """True when a token of ``span`` is alphabetic (``any(t.is_alpha for t in span)``)."""
    facts = doc_facts(span.doc)
    counts = facts.get("alpha_counts")
    if counts is None:
        alpha = span.doc.to_array([IS_ALPHA]).reshape(-1).astype(np.int64) if len(span.doc) else np.zeros(0, np.int64)
        counts = facts["alpha_counts"] = np.concatenate([[0], np.cumsum(alpha)])
    return bool(counts[span.end] > counts[span.start])
