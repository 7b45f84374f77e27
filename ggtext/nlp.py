"""``ggtext.load``: the ggtext spaCy pipeline, with or without the stance component."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language


def load(
    base: "str | Language | None" = None,
    *,
    actors: bool = True,
    cues: bool = True,
    stance: bool = False,
    model: "str | os.PathLike | Any | None" = None,
    kb_path: str | os.PathLike | None = None,
    lexicon_dir: str | os.PathLike | None = None,
    read: bool | None = None,
) -> "Language":
    """Return a spaCy pipeline with the ggtext components.

    By default blank English plus a sentencizer, behind ggtext's reader: raw
    text is cleaned as ``ggtext.analyze`` cleans it (page furniture,
    references and endnotes apart), so ``nlp(raw_text)`` and
    ``ggtext.analyze(path)`` see the same paragraphs; the Doc's text is the
    clean text. Pass the name or path of an installed trained spaCy pipeline
    (``"en_core_web_sm"``) or a ``Language`` as ``base`` to add the components
    to it instead; give it reader output (``ggtext.read(path).text``).
    ``kb_path`` and ``lexicon_dir`` replace the shipped knowledge base and
    lexicons. ``stance=True`` adds the stance component with the shipped model
    (or ``model``: a model folder or a loaded model), which fills
    ``doc._.ggtext.feasibility_score`` etc. ``nlp.to_disk(path)`` saves all of
    it; ``spacy.load(path)`` gives it back.
    """
    from .pipeline import build_pipeline
    from .scoring import stance as _stance  # noqa: F401  (registers ggtext_stance)

    read = base is None if read is None else read
    nlp = build_pipeline(base, actors=actors, cues=cues, kb_path=kb_path, lexicon_dir=lexicon_dir, read=read)
    if stance:
        component = nlp.add_pipe("ggtext_stance")
        if model is not None:
            component.load_model(model)
    return nlp
