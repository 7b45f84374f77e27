"""ggtext: actors, stance, framing and feasibility scores in texts on migration governance.

The public names are imported on first use, so ``import ggtext`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import GGTextError, InputError
from .version import __version__

if TYPE_CHECKING:
    from .nlp import load
    from .reading import read, read_text
    from .reports.analysis import Analysis, analyze
    from .scoring import score

#: Public name -> the module that defines it.
_LAZY = {
    "Analysis": "ggtext.reports.analysis",
    "analyze": "ggtext.reports.analysis",
    "load": "ggtext.nlp",
    "read": "ggtext.reading",
    "read_text": "ggtext.reading",
    "score": "ggtext.scoring",
}

__all__ = ["Analysis", "GGTextError", "InputError", "__version__", "analyze", "load", "read", "read_text", "score"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ggtext' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
