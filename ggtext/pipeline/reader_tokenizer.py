"""A tokenizer that reads raw text the way :func:`ggtext.read_text` does, then tokenizes the clean text.

``ggtext.load()`` puts it in front of the pipeline, so ``nlp(raw_text)`` sees
the same body paragraphs as ``ggtext.analyze(path)``: page furniture,
references and endnotes apart, hard-wrapped lines joined. The Doc's text is
the reader's clean text (offsets refer to it); the title and structure the
reader found are in ``doc.user_data["ggtext_reading"]``; the title is the
first block of the text and goes to ``doc.spans["ggtext_title"]``. Text the reader
refuses (empty, binary) is tokenized as it is, with a warning.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from ..errors import InputError
from ..reading import Document, read_text
from .keys import READING_KEY


class ReaderTokenizer:
    """spaCy's tokenizer behind ggtext's reader; serialises as the tokenizer it wraps."""

    def __init__(self, base: Callable[[str], Doc], *, format: str = "text"):
        self.base = base
        self.format = format

    def __call__(self, text: str) -> Doc:
        try:
            document = read_text(text, format=self.format, allow_non_english=True)
        except InputError as error:
            warnings.warn(f"ggtext's reader refused the text ({error}); it is tokenized as it is", stacklevel=2)
            return self.base(text)
        doc = self.base(document.analysis_text)
        doc.user_data[READING_KEY] = reading_facts(document)
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    # serialisation: the wrapped tokenizer's (its rules and exceptions)
    def to_disk(self, path: Any, **kwargs: Any) -> None:
        self.base.to_disk(path, **kwargs)

    def from_disk(self, path: Any, **kwargs: Any) -> "ReaderTokenizer":
        self.base.from_disk(path, **kwargs)
        return self

    def to_bytes(self, **kwargs: Any) -> bytes:
        return self.base.to_bytes(**kwargs)

    def from_bytes(self, data: bytes, **kwargs: Any) -> "ReaderTokenizer":
        self.base.from_bytes(data, **kwargs)
        return self


def reading_facts(document: Document) -> dict[str, Any]:
    """What the reader found, kept in ``doc.user_data["ggtext_reading"]`` (the title marks the title span)."""
    return {
        "title": document.title,
        "author": document.author,
        "n_references": len(document.references),
        "n_endnotes": len(document.endnotes),
        "warnings": list(document.warnings),
    }


def process_document(nlp: Language, document: Document) -> Doc:
    """Run ``nlp`` on a read ``document``: its title and body, with what the reader found."""
    doc = plain_tokenizer(nlp)(document.analysis_text)
    doc.user_data[READING_KEY] = reading_facts(document)
    return nlp(doc)


def plain_tokenizer(nlp: Language) -> Callable[[str], Doc]:
    """The tokenizer without the reader: what patterns and lexicon entries are tokenized with."""
    tokenizer = nlp.tokenizer
    return tokenizer.base if isinstance(tokenizer, ReaderTokenizer) else tokenizer


@registry.tokenizers("ggtext.ReaderTokenizer.v1")
def make_reader_tokenizer(format: str = "text") -> Callable[[Language], ReaderTokenizer]:
    """``[nlp.tokenizer] @tokenizers = "ggtext.ReaderTokenizer.v1"``: spaCy's default tokenizer behind the reader."""

    def create(nlp: Language) -> ReaderTokenizer:
        base = registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
        return ReaderTokenizer(base, format=format)

    return create
