"""Every ggtext spaCy component, what it writes and its settings, in one place.

The factories are exposed through the ``spacy_factories`` entry point, so
``nlp.add_pipe("ggtext_actors")`` works in any pipeline without importing ggtext.
"""

from __future__ import annotations

from spacy.language import Language

from .extensions import ACTORS_KEY, CUES_KEY, register_extensions

register_extensions()


@Language.factory(
    "ggtext_paragraphs",
    assigns=["doc.spans", "token.is_sent_start"],
    default_config={},
)
def make_paragraphs(nlp: Language, name: str):
    from .paragraphs import ParagraphSplitter

    return ParagraphSplitter(nlp, name)


@Language.factory(
    "ggtext_actors",
    assigns=["doc.spans"],
    default_config={"kb_path": None, "spans_key": ACTORS_KEY},
)
def make_actors(nlp: Language, name: str, kb_path: str | None, spans_key: str):
    from .actors import ActorRecognizer

    return ActorRecognizer(nlp, name, kb_path=kb_path, spans_key=spans_key)


@Language.factory(
    "ggtext_cues",
    assigns=["doc.spans"],
    default_config={"lexicon_dir": None, "spans_key": CUES_KEY},
)
def make_cues(nlp: Language, name: str, lexicon_dir: str | None, spans_key: str):
    from .cues import CueTagger

    return CueTagger(nlp, name, lexicon_dir=lexicon_dir, spans_key=spans_key)


@Language.factory(
    "ggtext_stance",
    assigns=["doc._.ggtext"],
    requires=["doc.spans"],
    default_config={"model_path": None},
)
def make_stance(nlp: Language, name: str, model_path: str | None):
    from .stance import StanceScorer

    return StanceScorer(nlp, name, model_path=model_path)
