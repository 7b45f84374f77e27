"""Build a spaCy pipeline with the ggtext annotating components."""

from __future__ import annotations

import os

import spacy
from spacy.language import Language

from . import (
    factories,  # noqa: F401  (registers the factories)
    reader_tokenizer,  # noqa: F401  (registers the reader tokenizer)
)
from .cues import has_sentence_splitter

#: Documents up to this many characters are processed in one Doc.
MAX_LENGTH = 20_000_000


def build_pipeline(
    base: str | Language | None = None,
    *,
    actors: bool = True,
    cues: bool = True,
    kb_path: str | os.PathLike | None = None,
    lexicon_dir: str | os.PathLike | None = None,
    read: bool = False,
) -> Language:
    """A spaCy pipeline with ggtext's paragraph, sentence, actor and cue components.

    By default blank English plus a sentencizer: no model download, fast. Pass
    the name or path of an installed trained spaCy pipeline (``"en_core_web_sm"``)
    or a ``Language`` as ``base`` to add the components to it instead (its
    texts should then be reader output: ``ggtext.read(path).text``).
    ``read=True`` (blank English only) tokenizes through ggtext's reader
    (:mod:`~ggtext.pipeline.reader_tokenizer`), so raw text is cleaned as
    ``ggtext.analyze`` cleans it.
    ``kb_path`` and ``lexicon_dir`` replace the shipped knowledge base and
    lexicons; they travel with ``nlp.to_disk``.
    """
    if read and base is not None:
        raise ValueError("read=True builds on blank English; for another base, pass it reader output")
    if base is None:
        config = {"nlp": {"tokenizer": {"@tokenizers": "ggtext.ReaderTokenizer.v1"}}} if read else {}
        nlp = spacy.blank("en", config=config)
    elif isinstance(base, Language):
        nlp = base
    else:
        nlp = spacy.load(base)
    nlp.max_length = max(nlp.max_length, MAX_LENGTH)
    nlp.add_pipe("ggtext_paragraphs", first=True)
    if not has_sentence_splitter(nlp):
        nlp.add_pipe("sentencizer", after="ggtext_paragraphs")
    if actors:
        component = nlp.add_pipe("ggtext_actors")
        if kb_path is not None:
            component.load_knowledge_base(kb_path)
    if cues:
        component = nlp.add_pipe("ggtext_cues")
        if lexicon_dir is not None:
            component.load_lexicons(lexicon_dir)
    return nlp


_DEFAULT: Language | None = None


def default_pipeline() -> Language:
    """The default annotating pipeline (no stance), built once per process and shared."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = build_pipeline()
    return _DEFAULT
