"""The label names and their order: the one place ggtext defines them.

They follow the annotation codebook (``annotation/codebook.md``, v1.2). Class
tuples are sorted, so they equal the ``classes_`` a scikit-learn classifier
learns from these strings; probability columns follow this order everywhere.
"""

from __future__ import annotations

#: The three passage-level dimensions, in the order models and reports use.
DIMENSIONS: tuple[str, ...] = ("feasibility", "desirability", "framing")

#: The dimensions whose classes are a stance (for / against / none).
STANCE_DIMENSIONS: tuple[str, ...] = ("feasibility", "desirability")

#: Classes of each dimension, sorted (= a fitted classifier's ``classes_``).
CLASSES: dict[str, tuple[str, ...]] = {
    "feasibility": ("against", "for", "none"),
    "desirability": ("against", "for", "none"),
    "framing": ("institutionalist", "none", "realist"),
}

#: The class meaning "the unit takes no position" on each dimension.
NONE_LABEL = "none"

#: Fields every codebook-format record must have (provenance fields are optional).
REQUIRED_FIELDS: tuple[str, ...] = ("id", "text", *DIMENSIONS)

#: Separator between document id and paragraph number in a record id ("TZA_60_2005#p13").
ID_SEPARATOR = "#"


def classes_of(dimension: str) -> tuple[str, ...]:
    """The classes of ``dimension``; a clear error for an unknown name."""
    try:
        return CLASSES[dimension]
    except KeyError:
        raise KeyError(f"unknown dimension {dimension!r}; expected one of {', '.join(DIMENSIONS)}") from None
