"""Markdown and HTML to blocks; light Markdown left in plain text removed.

* Markdown: YAML front matter becomes metadata; blank lines separate blocks;
  ``#`` and Setext headings and lines that are bold only (``**Preamble**``) are
  headings; list items are blocks of their own; footnotes ``[^3]: ...`` become
  endnotes and their references ``[^3]`` endnote markers ``[3]``; emphasis, links
  (their text stays), images, inline HTML and backslash escapes are removed.
* HTML (parsed with BeautifulSoup's built-in ``html.parser``): ``<title>``,
  ``<meta name="author">`` and dates become metadata; scripts, styles,
  navigation, forms and footers are dropped; every block element (``p``, ``li``,
  ``h1``-``h6``, ``blockquote``, ``td``, ...) becomes a block.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import yaml

from .headings import is_section_label
from .unwrap import Block

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def split_front_matter(text: str, warnings: list[str]) -> tuple[dict[str, Any], str]:
    """Split YAML front matter (``---`` ... ``---``) off ``text``; return (metadata, body)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    body = text[match.end() :]
    try:
        data = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError as error:
        problem = str(error).splitlines()[0]
        warnings.append(f"front matter is not valid YAML ({problem}); it was ignored.")
        return {}, body
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        warnings.append("front matter is not a YAML mapping; it was ignored.")
        return {}, body
    return {str(key): _plain(value) for key, value in data.items()}, body


def _plain(value: Any) -> Any:
    """YAML values as JSON-friendly Python: dates as ISO strings, text cleaned."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return " ".join(value.replace("\u2060", "").split())
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)


# --- inline Markdown -------------------------------------------------------

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])")
_CODE = re.compile(r"`([^`]+)`")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~\"'])")
_FOOTNOTE_REF = re.compile(r"\[\^(\w{1,10})\]")


def strip_inline_markup(text: str, *, markdown: bool = True) -> str:
    """Remove emphasis and link syntax (both formats); images, HTML, escapes (Markdown only)."""
    # The cheap "in" tests skip the regular expressions for most paragraphs.
    if markdown:
        text = _IMAGE.sub("", text)
        text = _FOOTNOTE_REF.sub(r"[\1]", text)
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
    if "**" in text or "__" in text:
        text = _STRONG.sub(r"\2", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    if markdown:
        text = _REF_LINK.sub(r"\1", text)
        text = _CODE.sub(r"\1", text)
        text = _HTML_TAG.sub("", text)
        text = _ESCAPE.sub(r"\1", text)
    return " ".join(text.split())


# --- Markdown blocks -------------------------------------------------------

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+(.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_FOOTNOTE_DEF = re.compile(r"^\[\^(\w{1,10})\]:\s*(.*)$")
_BOLD_LINE = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?$")


def markdown_blocks(body: str) -> list[Block]:
    """Blocks of a Markdown body: paragraphs, headings, list items, footnotes."""
    blocks: list[Block] = []
    lines: list[str] = []
    kind = "paragraph"
    label = ""
    level = 0

    def flush() -> None:
        nonlocal lines, kind, label, level
        if lines:
            text = strip_inline_markup(" ".join(lines))
            if text:
                block_kind = kind
                raw = " ".join(lines).strip()
                bold = _BOLD_LINE.match(raw) if kind == "paragraph" and len(lines) == 1 else None
                if bold and not text.endswith((".", ",", ";", "!")):
                    block_kind = "heading"
                    text = strip_inline_markup(bold.group(1)).strip(" *_:")
                if kind == "endnote":
                    text = f"[{label}] {text}"
                blocks.append(Block(text, block_kind, len(lines), "blank", "blank", level))
        lines, kind, label, level = [], "paragraph", "", 0

    for raw in body.split("\n"):
        line = _QUOTE.sub("", raw.rstrip())
        if _FENCE.match(line):
            flush()
            continue
        if not line.strip():
            flush()
            continue
        if lines and kind == "paragraph" and (setext := _SETEXT.match(line)):
            kind, level = "heading", 1 if setext.group(1)[0] == "=" else 2
            flush()
            continue
        if _RULE.match(line):
            flush()
            continue
        if heading := _MD_HEADING.match(line):
            flush()
            lines, kind, level = [heading.group(2)], "heading", len(heading.group(1))
            flush()
            continue
        if footnote := _FOOTNOTE_DEF.match(line.strip()):
            flush()
            lines, kind, label = [footnote.group(2)], "endnote", footnote.group(1)
            continue
        if item := _ITEM.match(line):
            flush()
            lines, kind = [item.group(1)], "item"
            continue
        if not lines and _is_label_line(line):  # "Abstract" on a line of its own, text on the next
            lines, kind = [line.strip()], "heading"
            flush()
            continue
        lines.append(line.strip())
    flush()
    return blocks


def _is_label_line(line: str) -> bool:
    text = strip_inline_markup(line.strip()).strip(" *_")
    return text[:1].isupper() and is_section_label(text)


# --- HTML blocks -----------------------------------------------------------

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "aside",
    "form",
    "svg",
    "iframe",
    "button",
    "select",
    "object",
    "embed",
    "canvas",
    "head",
)
_BLOCK_TAGS = (
    "p",
    "li",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "td",
    "th",
    "figcaption",
    "caption",
    "address",
    "div",
    "section",
    "article",
    "main",
    "table",
    "tr",
    "ul",
    "ol",
    "dl",
    "header",
    "hr",
    "body",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
)
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Private-use characters (removed from the input first) mark block breaks and headings.
_BREAK = "\ue000"
_HEADING_MARK = "\ue001"
_DATE_META = ("date", "dc.date", "dcterms.date", "article:published_time", "citation_date")


def html_blocks(html: str) -> tuple[list[Block], dict[str, Any]]:
    """Blocks and metadata (title, author, date, description) of an HTML page."""
    import warnings

    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning  # imported when needed

    with warnings.catch_warnings():  # short texts "look like a file name" to bs4: spurious
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html.replace(_BREAK, "").replace(_HEADING_MARK, ""), "html.parser")
    metadata: dict[str, Any] = {}
    if soup.title and soup.title.get_text(strip=True):
        metadata["title"] = " ".join(soup.title.get_text().split())
    for meta in soup.find_all("meta"):
        key = (meta.get("name") or meta.get("property") or "").lower()
        content = " ".join(str(meta.get("content") or "").split())
        if not content:
            continue
        if key == "author":
            metadata.setdefault("author", content)
        elif key in _DATE_META:
            metadata.setdefault("date", content)
        elif key in ("description", "og:description"):
            metadata.setdefault("description", content)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all("br"):
        tag.replace_with(" ")
    for tag in soup.find_all(_BLOCK_TAGS):
        if tag.name in _HEADING_TAGS:
            tag.insert(0, _HEADING_MARK)
        tag.insert_before(_BREAK)
        tag.insert_after(_BREAK)
    blocks: list[Block] = []
    for piece in soup.get_text().split(_BREAK):
        text = " ".join(piece.split())
        if not text:
            continue
        if text.startswith(_HEADING_MARK):
            text = text.lstrip(_HEADING_MARK).strip()
            if text:
                blocks.append(Block(text.replace(_HEADING_MARK, ""), "heading", 1, "hard", "hard"))
        else:
            blocks.append(Block(text.replace(_HEADING_MARK, ""), "paragraph", 1, "hard", "hard"))
    if "title" not in metadata and blocks and blocks[0].kind == "heading":
        metadata["title"] = blocks[0].text
    if blocks and blocks[0].kind == "heading" and blocks[0].text == metadata.get("title"):
        blocks.pop(0)
    return blocks, metadata
