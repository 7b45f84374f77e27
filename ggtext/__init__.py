"""ggtext: actors, stance, framing and feasibility scores in texts on migration governance."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ggtext")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+unknown"

from .analysis import Analysis, analyze  # noqa: E402
from .errors import GGTextError, InputError  # noqa: E402
from .nlp import load  # noqa: E402
from .reading import read, read_text  # noqa: E402
from .scoring import score  # noqa: E402

__all__ = ["Analysis", "GGTextError", "InputError", "__version__", "analyze", "load", "read", "read_text", "score"]
