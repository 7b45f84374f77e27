"""The installed ggtext version (one place every layer reads it from)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ggtext")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+unknown"
