"""spaCy components: paragraphs, actors, cues (and, from ggtext.models, stance)."""

from .extensions import register_extensions

__all__ = ["register_extensions"]
