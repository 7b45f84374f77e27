"""The ggtext annotating components, what each writes and needs, in one place.

The factories are exposed through the ``spacy_factories`` entry point, so
``nlp.add_pipe("ggtext_actors")`` works in any pipeline without importing ggtext.
Custom data is given to a component after it is added (``load_knowledge_base``,
``load_lexicons``, or ``nlp.initialize`` settings), never as a path in the
config, and travels with ``nlp.to_disk``.
"""

from __future__ import annotations

from spacy.language import Language

from .extensions import register_extensions

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
    default_config={},
)
def make_actors(nlp: Language, name: str):
    from .actors import ActorRecognizer

    return ActorRecognizer(nlp, name)


@Language.factory(
    "ggtext_cues",
    assigns=["doc.spans"],
    requires=["token.is_sent_start"],
    default_config={"quotations": "reported"},
)
def make_cues(nlp: Language, name: str, quotations: str):
    from .cues import CueTagger

    return CueTagger(nlp, name, quotations=quotations)
