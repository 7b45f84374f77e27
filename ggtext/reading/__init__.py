"""Reading: bytes or files in, a :class:`Document` of clean body paragraphs out."""

from .decoding import DEFAULT_MAX_BYTES
from .document import Citation, Document, Paragraph
from .reader import read, read_text

__all__ = ["DEFAULT_MAX_BYTES", "Citation", "Document", "Paragraph", "read", "read_text"]
