"""Entry points of the reader (first version: plain paragraphs only)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import EmptyDocumentError
from .document import Document, Paragraph


def read_text(text: str, *, id: str = "text", format: str = "text") -> Document:
    paragraphs = [Paragraph(" ".join(p.split())) for p in re.split(r"\n\s*\n", text) if p.strip()]
    if not paragraphs:
        raise EmptyDocumentError(f"{id}: no text")
    return Document(id=id, paragraphs=paragraphs, format=format)


def read(source: str | os.PathLike, *, id: str | None = None) -> Document:
    path = Path(source)
    return read_text(path.read_text(encoding="utf-8"), id=id or path.stem)
