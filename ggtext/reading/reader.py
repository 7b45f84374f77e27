"""Entry points of the reader: :func:`read` (a file or bytes) and :func:`read_text` (a string).

Steps: check size -> decode (:mod:`.decoding`) -> per format: plain text loses page
furniture (:mod:`.pdf_text`) and is unwrapped into blocks (:mod:`.unwrap`);
Markdown and HTML give blocks directly (:mod:`.formats`) -> title, author,
sections, references and endnotes (:mod:`.structure`) -> citations
(:mod:`.citations`) -> language check (:mod:`.language`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

from ..errors import EmptyDocumentError, InputError, MissingFileError
from .citations import find_citations
from .decoding import DEFAULT_MAX_BYTES, check_not_binary, check_size, decode, normalize_characters
from .document import Document, Paragraph
from .formats import html_blocks, markdown_blocks, split_front_matter, strip_inline_markup
from .language import check_english
from .naming import EXTENSION_FORMATS, format_from_path, metadata_from_name
from .pdf_text import remove_page_furniture
from .structure import Structure, build_structure
from .unwrap import unwrap

Format = Literal["text", "markdown", "html"]

_FORMAT_NAMES = {
    "text": "text",
    "txt": "text",
    "plain": "text",
    "markdown": "markdown",
    "md": "markdown",
    "html": "html",
    "htm": "html",
}
_HTML_START = re.compile(r"^\s*(?:<!doctype\s+html|<html|<head|<body)", re.I)
_FRONT_MATTER_START = re.compile(r"^---[ \t]*\n")
_LETTER = re.compile(r"[^\W\d_]")


def read(
    source: str | os.PathLike | bytes,
    *,
    id: str | None = None,
    format: Format | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
    allow_non_english: bool = False,
) -> Document:
    """Read a document from a file path or from raw bytes.

    The format comes from the file extension (``.txt``, ``.md``/``.markdown``,
    ``.html``/``.htm``) unless ``format`` is given; raw bytes are sniffed (HTML
    tag or YAML front matter at the start, else plain text). ``id`` defaults to
    the file stem (``"bytes"`` for bytes). UNGDC file names (``USA_70_2015``)
    give ``metadata`` ``iso3``, ``session`` and ``year``.

    Raises an :class:`~ggtext.errors.InputError` subclass, naming the document,
    for a missing file, an unknown extension, a file over ``max_bytes`` (None: no
    limit), binary data, undecodable bytes, no text, or non-English text (unless
    ``allow_non_english``). See :mod:`ggtext.reading.decoding` for the encoding
    policy.
    """
    path: Path | None = None
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        doc_id = id or "bytes"
        name = doc_id
        check_size(len(data), max_bytes, name)
    elif isinstance(source, (str, os.PathLike)):
        path = _existing_file(source)
        name = str(path)
        doc_id = id or path.stem
        fmt_from_path = format_from_path(path)
        if format is None and fmt_from_path is None:
            known = ", ".join(sorted(ext for ext in EXTENSION_FORMATS if ext))
            raise InputError(
                f"{path}: unknown file type {path.suffix!r}; ggtext reads {known} "
                "(convert PDF or Word files to text first, or pass format=...)."
            )
        try:
            check_size(path.stat().st_size, max_bytes, name)
            with open(path, "rb") as handle:  # at most one byte over the limit, even if the file grows
                data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
        except OSError as error:
            raise InputError(f"{path}: cannot read the file ({error.strerror or error}).") from None
        check_size(len(data), max_bytes, name)
    else:
        raise InputError(
            f"read() takes a file path or bytes, not {type(source).__name__}; use read_text() for a string of text."
        )
    text, warnings = decode(data, name=name, encoding=encoding)
    if format is not None:
        fmt = _format(format)
    elif path is not None:
        fmt = format_from_path(path)
    else:
        fmt = _sniff_format(text)
    document = _parse(
        text,
        doc_id=doc_id,
        name=name,
        fmt=fmt,
        warnings=warnings,
        allow_non_english=allow_non_english,
        source=str(path) if path else None,
    )
    if path is not None:
        document.metadata = {**metadata_from_name(path.stem), **document.metadata}
    return document


def read_text(
    text: str,
    *,
    id: str = "text",
    format: Format = "text",
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    allow_non_english: bool = False,
) -> Document:
    """Read a document from a string (``format`` "text", "markdown" or "html")."""
    if not isinstance(text, str):
        raise InputError(f"{id}: read_text() takes a str, not {type(text).__name__}; use read() for bytes or paths.")
    check_size(len(text.encode("utf-8", "surrogatepass")), max_bytes, id)
    if not text.strip():
        raise EmptyDocumentError(f"{id}: the document is empty.")
    check_not_binary(text, id)
    return _parse(
        text,
        doc_id=id,
        name=id,
        fmt=_format(format),
        warnings=[],
        allow_non_english=allow_non_english,
        source=None,
    )


def _existing_file(source: str | os.PathLike) -> Path:
    hint = " (to analyse a string of text, pass text=... or use ggtext.read_text())" if isinstance(source, str) else ""
    try:
        path = Path(source)
        exists, is_dir = path.exists(), path.is_dir()
    except (OSError, ValueError):  # name too long, NUL in the name
        raise InputError(f"{str(source)[:80]!r}: not a readable file path{hint}.") from None
    if not exists:
        raise MissingFileError(f"{path}: no such file{hint}.")
    if is_dir:
        raise InputError(f"{path}: is a directory, not a file.")
    kind = _not_regular(path)
    if kind:  # a device or FIFO would never end or never start: never opened
        raise InputError(f"{path}: is {kind}, not a regular file; ggtext reads only regular files.")
    return path


def _not_regular(path: Path) -> str | None:
    """What ``path`` (links followed) is when it is not a regular file: "a FIFO", ...; None for a file."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # reported when it is opened
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _format(format: str) -> str:
    try:
        return _FORMAT_NAMES[str(format).lower()]
    except KeyError:
        raise InputError(f"unknown format {format!r}; use 'text', 'markdown' or 'html'.") from None


def _sniff_format(text: str) -> str:
    if _HTML_START.match(text):
        return "html"
    if _FRONT_MATTER_START.match(text.lstrip("\ufeff")):
        return "markdown"
    return "text"


def _parse(
    text: str,
    *,
    doc_id: str,
    name: str,
    fmt: str,
    warnings: list[str],
    allow_non_english: bool,
    source: str | None,
) -> Document:
    text = normalize_characters(text)
    metadata: dict[str, Any] = {}
    if fmt == "markdown":
        metadata, body = split_front_matter(text, warnings)
        structure = build_structure(
            markdown_blocks(body),
            title=_text_value(metadata.get("title")),
            author=_text_value(metadata.get("author")),
            infer_headings=False,
        )
    elif fmt == "html":
        try:
            blocks, metadata = html_blocks(text)
        except Exception as error:  # html.parser is lenient; anything else is a bad document
            raise InputError(f"{name}: cannot parse the HTML ({error}).") from None
        structure = build_structure(
            blocks, title=metadata.get("title"), author=metadata.get("author"), infer_headings=False
        )
    else:
        structure = _plain_text_structure(text, warnings)
    structure.metadata = {**metadata, **structure.metadata}
    kept, citations = find_citations([text for text, _ in structure.body], structure.endnotes, structure.references)
    body = [Paragraph(text, structure.body[index][1]) for index, text in kept]
    _check_has_text(body, structure, name)
    if not allow_non_english:
        language = check_english([p.text for p in body], name=name, warnings=warnings)
        if language:
            structure.metadata["language"] = language
    return Document(
        id=doc_id,
        paragraphs=body,
        title=structure.title,
        author=structure.author,
        headings=structure.headings,
        references=structure.references,
        endnotes=structure.endnotes,
        citations=citations,
        metadata=structure.metadata,
        warnings=warnings,
        format=fmt,
        source=source,
    )


def _plain_text_structure(text: str, warnings: list[str]) -> Structure:
    lines = text.split("\n")
    furniture = remove_page_furniture(lines)
    blocks = unwrap(furniture.lines, warnings=warnings)
    for block in blocks:
        block.text = strip_inline_markup(block.text, markdown=False)
    blocks = [block for block in blocks if block.text]
    first_line = next((line.strip() for line in lines if line.strip()), None)
    return build_structure(blocks, running=furniture.running, first_line=first_line)


def _text_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or None
    return str(value) or None


def _check_has_text(body: list[Paragraph], structure: Structure, name: str) -> None:
    if not body:
        found = []
        if structure.references:
            found.append(f"{len(structure.references)} references")
        if structure.endnotes:
            found.append(f"{len(structure.endnotes)} endnotes")
        extra = f" (only {', '.join(found)})" if found else ""
        raise EmptyDocumentError(f"{name}: no body text{extra}.")
    if not any(_LETTER.search(p.text) for p in body):
        raise EmptyDocumentError(f"{name}: the text has no words (no letters at all).")
