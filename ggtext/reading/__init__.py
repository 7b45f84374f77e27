"""Reading: bytes or files in, a :class:`Document` of clean body paragraphs out."""

from .document import Citation, Document, Paragraph
from .reader import read, read_text

__all__ = ["Citation", "Document", "Paragraph", "read", "read_text"]
