"""The reader's output: a document's clean body paragraphs and its structure."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph, with the heading of the section it sits in."""

    text: str
    section: str | None = None


@dataclass(frozen=True)
class Citation:
    """An endnote marker (``[12]``) or an author-year citation (``Koser (2010)``).

    ``start``/``end`` are character offsets in the paragraph's text (for endnote
    markers, which are removed from the text, both are the place it stood).
    ``reference`` is the index in :attr:`Document.references` it links to.
    """

    kind: Literal["endnote", "author_year"]
    marker: str
    paragraph: int
    start: int
    end: int
    endnote: str | None = None
    reference: int | None = None


@dataclass
class Document:
    """A read document: body paragraphs to analyse plus everything around them."""

    id: str
    paragraphs: list[Paragraph]
    title: str | None = None
    author: str | None = None
    headings: list[str] = field(default_factory=list)  # body section headings, in order
    references: list[str] = field(default_factory=list)
    endnotes: dict[str, str] = field(default_factory=dict)  # label ("12") -> text
    citations: list[Citation] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    format: str = "text"
    source: str | None = None

    @property
    def text(self) -> str:
        """The body paragraphs joined by blank lines: what the pipeline analyses."""
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def analysis_text(self) -> str:
        """The title (when there is one) and the body, each followed by a blank line: what the
        pipeline analyses. Codebook v1.3: a title is part of the text."""
        return f"{self.title}\n\n{self.text}" if self.title else self.text

    @property
    def n_words(self) -> int:
        return sum(len(p.text.split()) for p in self.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
