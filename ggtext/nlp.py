"""Build the ggtext spaCy pipeline."""

from __future__ import annotations

import spacy
from spacy.language import Language

from .pipeline import factories  # noqa: F401  (registers the factories)

#: Documents up to this many characters are processed in one Doc.
MAX_LENGTH = 20_000_000


def load(
    base: str | Language | None = None,
    *,
    actors: bool = True,
    cues: bool = True,
    stance: bool = False,
    model_path: str | None = None,
) -> Language:
    """Return a spaCy pipeline with the ggtext components.

    By default blank English plus a sentencizer: no model download, fast. Pass
    the name or path of an installed trained spaCy pipeline (``"en_core_web_sm"``)
    or a ``Language`` as ``base`` to add the components to it instead.
    ``stance=True`` adds the stance component with the shipped model (or the
    model at ``model_path``), which fills ``doc._.ggtext.feasibility_score`` etc.
    """
    if base is None:
        nlp = spacy.blank("en")
    elif isinstance(base, Language):
        nlp = base
    else:
        nlp = spacy.load(base)
    nlp.max_length = max(nlp.max_length, MAX_LENGTH)
    nlp.add_pipe("ggtext_paragraphs", first=True)
    if not (nlp.has_pipe("parser") or nlp.has_pipe("senter") or nlp.has_pipe("sentencizer")):
        nlp.add_pipe("sentencizer", after="ggtext_paragraphs")
    if actors:
        nlp.add_pipe("ggtext_actors")
    if cues:
        nlp.add_pipe("ggtext_cues")
    if stance:
        nlp.add_pipe("ggtext_stance", config={"model_path": model_path})
    return nlp


_DEFAULT: Language | None = None


def default_pipeline() -> Language:
    """The default pipeline, built once per process and shared."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load()
    return _DEFAULT
