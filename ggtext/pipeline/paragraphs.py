"""Paragraph spans: the units that stance and framing are labelled on."""

from __future__ import annotations

import re

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .doc_index import doc_text
from .keys import PARAGRAPHS_KEY, READING_KEY, TITLE_KEY

_BREAK = re.compile(r"\n\s*\n")


class ParagraphSplitter:
    """Mark each blank-line-separated block as a span in ``doc.spans["ggtext_paragraphs"]``.

    Sentences never cross a paragraph break: the first token of every paragraph
    starts a sentence. When the reader put the document's title first
    (``Document.analysis_text``; ``doc.user_data["ggtext_reading"]["title"]``),
    that block goes to ``doc.spans["ggtext_title"]`` instead.
    """

    def __init__(self, nlp: Language, name: str = "ggtext_paragraphs"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        text = doc_text(doc)
        breaks = list(_BREAK.finditer(text))
        starts = [0] + [m.end() for m in breaks]
        ends = [m.start() for m in breaks] + [len(text)]
        for begin, finish in zip(starts, ends):
            span = doc.char_span(begin, finish, alignment_mode="expand")
            if span is None:
                continue
            # trim whitespace tokens at the edges
            first, last = span.start, span.end
            while first < last and doc[first].is_space:
                first += 1
            while last > first and doc[last - 1].is_space:
                last -= 1
            if first < last:
                spans.append(doc[first:last])
        if spans:
            # Runs before the sentencizer or parser, which keep preset boundaries. One array
            # write: setting Token.is_sent_start checks the whole Doc on every call.
            sent_starts = doc.to_array([SENT_START])
            sent_starts[[span.start for span in spans]] = 1
            doc.from_array([SENT_START], sent_starts)
        title = (doc.user_data.get(READING_KEY) or {}).get("title")
        if spans and title and spans[0].start_char == 0 and spans[0].text == title:
            doc.spans[TITLE_KEY] = spans[:1]
            spans = spans[1:]
        doc.spans[PARAGRAPHS_KEY] = spans
        return doc
