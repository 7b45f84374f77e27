"""spaCy components that annotate: paragraphs, actors, cues; the ``._.ggtext`` getters read them."""

from .build import build_pipeline, default_pipeline
from .extensions import register_extensions
from .keys import ACTORS_KEY, CUES_KEY, PARAGRAPHS_KEY, RESULTS_KEY, TITLE_KEY
from .reader_tokenizer import process_document

__all__ = [
    "ACTORS_KEY",
    "CUES_KEY",
    "PARAGRAPHS_KEY",
    "RESULTS_KEY",
    "TITLE_KEY",
    "build_pipeline",
    "default_pipeline",
    "process_document",
    "register_extensions",
]
