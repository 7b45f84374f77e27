"""Blocks to a document's parts: title, author, front matter, body sections, references, endnotes.

Decisions:

* **Front matter** is everything up to the last "front-matter marker" among the
  first :data:`FRONT_WINDOW` blocks: a URL alone, a by-line (``By X``,
  ``Written by X``), an upper-case name with a date (``TALGAT TURMAGANBET, AUG 2
  2015``: author and date) or the title repeated. Other text there (publisher
  notices like "This PDF is auto-generated ...") goes to
  ``metadata["front_matter"]``, not to the body.
* **Title**: a running header that was the first line, else a first block that
  is a single short line standing apart (blank line after it); a Markdown/HTML
  title comes from the format.
* **Lines under the title** (plain text, :func:`_front_zone`): the short lines between
  the title and the text. When one of them is page furniture (:mod:`.headings`: a
  by-line, an office line, a place, a date, "As Delivered"), the furniture goes to
  ``metadata["front_matter"]`` (a name above an office line is the author, the first
  date ``metadata["date"]``) and the other lines there are headings.
* **Closing metadata**: two or more ``Key: value`` lines at the very end
  (``Written by: ...``, ``Written at: ...``) go to ``metadata`` as ``written_by``,
  ``written_at``, ...
* **Headings** (plain text): a single-line block that looks like a heading
  (:func:`~ggtext.reading.lines.looks_like_heading`), after a block that ends a
  sentence, before more text, and not a form of address ("Mr President",
  "Excellencies"); or a short line in sentence case between blank lines, with no closing
  punctuation, after a sentence end and before a longer paragraph. A line that is only
  page furniture ("Share", a date, a bill header) goes to ``metadata["furniture"]``.
  ``References``/``Bibliography`` and ``Endnotes``/``Notes``
  start those sections and are not in ``Document.headings``.
* **References**: one per block; a block that does not start like a reference
  (a year in parentheses near its start, or a bullet) continues the one before
  (entries split by a page break). **Endnotes**: ``[n] text`` or ``n. text``;
  other blocks continue the previous endnote.
* Transcript time stamps (``10:44 A.M. MST``, ``END 11:02 A.M.``) go to
  ``metadata["times"]``.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

from .formats import strip_inline_markup
from .headings import MAX_FRONT_WORDS, byline, is_date_line, is_furniture, is_name, is_office_line, is_place
from .lines import (
    ADDRESS,
    ends_clause,
    ends_sentence,
    ends_unfinished,
    is_title_case,
    looks_like_heading,
    starts_list_item,
    title_like,
)
from .unwrap import MAX_TITLE_WORDS, Block

#: Front matter is looked for among this many first blocks ...
FRONT_WINDOW = 6
#: ... and holds at most this many other blocks (notices), each at most this long.
MAX_FRONT_NOTES = 2
MAX_FRONT_NOTE = 400
#: The lines between a title and the text (by-lines, offices, places, dates) are among this many blocks.
FRONT_ZONE = 15
#: A heading in sentence case ("3 reasons all countries should act") has at most this many words ...
MAX_SENTENCE_HEADING_WORDS = 12
#: ... and the paragraph after it at least this many.
MIN_WORDS_AFTER_HEADING = 20

_REFERENCES = re.compile(
    r"^(?:references?|bibliography|works cited|reference list|literature cited|sources)\s*:?$", re.I
)
_ENDNOTES = re.compile(r"^(?:end\s?notes|notes|footnotes)\s*:?$", re.I)
_URL_ONLY = re.compile(r"^<?(?:https?://|www\.)\S+>?$")
_BY_LINE = re.compile(r"^(?:[Ww]ritten\s+)?(?:[Bb]y|BY):?\s+([A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,5})$")
_NAME_DATE = re.compile(r"^([A-Z][A-Z.'’\- ]{2,60}),\s+((?:[A-Z][a-z]{2,8}|[A-Z]{3,9})\.?\s+\d{1,2},?\s+\d{4})$")
_KEY_VALUE = re.compile(r"^([A-Z][A-Za-z ]{1,30}):\s+(\S.{0,200})$")
_TIME_STAMP = re.compile(r"^(?:END\s+)?\d{1,2}:\d{2}\s*[AaPp]\.?\s?[Mm]\.?(?:\s+[A-Z]{2,5})?$")
_REFERENCE_START = re.compile(r"^.{0,160}?\(\s*(?:\d{4}[a-z]?|n\.\s?d\.|no date|forthcoming|in press)\s*\)", re.I)
_ENDNOTE_START = re.compile(r"^(?:\[(\d{1,3})\]|(\d{1,3})[.)])\s*(.*)$", re.S)
_ALNUM = re.compile(r"[^\W_]")


@dataclass
class Structure:
    """The parts of a document found by :func:`build_structure`."""

    title: str | None = None
    author: str | None = None
    headings: list[str] = field(default_factory=list)
    body: list[tuple[str, str | None]] = field(default_factory=list)  # (text, section)
    references: list[str] = field(default_factory=list)
    endnotes: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)


def build_structure(
    blocks: list[Block],
    *,
    running: list[str] = (),
    first_line: str | None = None,
    title: str | None = None,
    author: str | None = None,
    infer_headings: bool = True,
) -> Structure:
    """Sort ``blocks`` into the parts of a document.

    ``running`` are running headers removed from the text and ``first_line`` the
    document's first line (both for plain text); ``title``/``author`` come from
    Markdown front matter or HTML metadata when known.
    """
    result = Structure(title=title, author=author)
    blocks = list(blocks)
    _title_and_author_from_running(result, running, first_line)
    blocks = _closing_metadata(blocks, result)
    blocks = _front_matter(blocks, result, infer_title=infer_headings)
    _sections(blocks, result, infer_headings)
    return result


def _title_and_author_from_running(result: Structure, running, first_line) -> None:
    for line in running:
        by = _BY_LINE.match(line)
        if by and result.author is None:
            result.author = by.group(1).strip()
        elif result.title is None and line == (first_line or "").strip() and not by and title_like(line):
            result.title = line


def _closing_metadata(blocks: list[Block], result: Structure) -> list[Block]:
    end = len(blocks)
    while end > 0 and blocks[end - 1].kind != "heading" and _KEY_VALUE.match(blocks[end - 1].text):
        end -= 1
    if len(blocks) - end < 2:
        return blocks
    for block in blocks[end:]:
        key, value = _KEY_VALUE.match(block.text).groups()
        result.metadata[key.strip().lower().replace(" ", "_")] = value.strip()
    if result.author is None and "written_by" in result.metadata:
        result.author = result.metadata["written_by"]
    return blocks[:end]


def _front_matter(blocks: list[Block], result: Structure, *, infer_title: bool) -> list[Block]:
    last = _last_front_marker(blocks, result.title)
    start = 0
    if last < 0 and blocks and result.title is None:
        first = blocks[0]
        if (first.kind == "heading" and first.level == 1) or (
            infer_title
            and first.kind == "paragraph"
            and first.n_lines == 1
            and first.gap_after in ("blank", "page", "hard")
            and len(blocks) >= 3
            and title_like(first.text, max_words=MAX_TITLE_WORDS)
        ):
            result.title = first.text
            start = 1
            if len(blocks) > 1 and (by := _BY_LINE.match(blocks[1].text)):
                result.author = result.author or by.group(1).strip()
                start = 2
    for i, block in enumerate(blocks[: last + 1]):
        text = block.text
        if url := _URL_ONLY.match(text):
            result.metadata.setdefault("url", url.group(0).strip("<>"))
        elif by := _BY_LINE.match(text):
            result.author = result.author or by.group(1).strip()
        elif name_date := _NAME_DATE.match(text):
            result.author = result.author or name_date.group(1).strip().title()
            result.metadata.setdefault("date", _iso_date(name_date.group(2)))
        elif text == result.title:
            continue
        elif i == 0 and result.title is None and title_like(text):
            result.title = text
        else:
            result.metadata.setdefault("front_matter", []).append(text)
    rest = blocks[max(start, last + 1) :]
    return _front_zone(rest, result) if infer_title and result.title is not None else rest


def _front_zone(blocks: list[Block], result: Structure) -> list[Block]:
    """The short lines between a title and the text: by-lines, offices, places and dates go to
    ``metadata["front_matter"]`` (a name above an office line is the author); other lines
    there are headings. Left alone when none of the lines is page furniture."""
    end = 0
    while end < min(len(blocks), FRONT_ZONE) and _front_line(blocks[end], result.title):
        end += 1
    if end == 0 or end == len(blocks):  # no text after the lines: not a front zone
        return blocks
    texts = [block.text for block in blocks[:end]]
    kinds = [_front_kind(texts, i, result.title) for i in range(end)]
    if not any(kinds):
        return blocks
    kept = []
    for block, kind in zip(blocks[:end], kinds):
        if kind is None:
            block.kind = "heading"
            kept.append(block)
            continue
        result.metadata.setdefault("front_matter", []).append(block.text)
        if kind == "title" and len(block.text) > len(result.title or ""):
            result.title = block.text  # the title in full (the first line was cut short)
        elif kind == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso := _iso_date(block.text)):
            result.metadata.setdefault("date", iso)
        elif kind == "author" and result.author is None:
            result.author = byline(block.text) or block.text
    return kept + blocks[end:]


def _front_line(block: Block, title: str | None) -> bool:
    """Could ``block`` be one of the lines between a title and the text?"""
    text = block.text
    if block.kind not in ("paragraph", "heading"):
        return False
    if block.kind == "heading" or is_furniture(text) or is_place(text) or _repeats_title(text, title):
        return True
    return (
        len(text.split()) <= MAX_FRONT_WORDS
        and (text[:1].isupper() or text[:1].isdigit())
        and not ends_sentence(text)
        and not text.endswith((",", ";", ":"))
        and not ADDRESS.match(text)
        and (is_title_case(text) or is_office_line(text) or byline(text) is not None)
    )


def _front_kind(texts: list[str], i: int, title: str | None) -> str | None:
    """What line ``i`` of the lines under the title is: "title" (repeated), "date", "author",
    "furniture" (offices, places, notes), or None (a heading)."""
    text = texts[i]
    if _repeats_title(text, title):
        return "title"
    if is_date_line(text):
        return "date"
    name = byline(text)
    if name is not None:
        return "author" if is_name(name) else "furniture"
    if is_furniture(text) or is_office_line(text) or is_place(text):
        return "furniture"
    following = texts[i + 1] if i + 1 < len(texts) else ""
    if is_name(text) and (is_office_line(following) or is_place(following) or is_date_line(following)):
        return "author"  # "Teri Robl" above "United States Deputy Representative to ECOSOC"
    return None


def _repeats_title(text: str, title: str | None) -> bool:
    """The title again, in full or cut short (the first line of a saved page may be cut)."""
    if not title or len(text) < 0.5 * len(title):
        return False
    return text.startswith(title) or title.startswith(text)


def _is_front_marker(blocks: list[Block], index: int, title: str | None) -> bool:
    text = blocks[index].text
    if _URL_ONLY.match(text) or _NAME_DATE.match(text) or (title is not None and text == title):
        return True
    # "By Jane Doe" opens the text or follows its title; elsewhere "By Our Own Efforts"
    # is a heading.
    return bool(_BY_LINE.match(text)) and (index == 0 or (index == 1 and title_like(blocks[0].text)))


def _last_front_marker(blocks: list[Block], title: str | None) -> int:
    """Index of the last front-matter marker, or -1 (also when real text would go with it)."""
    markers = [i for i in range(min(len(blocks), FRONT_WINDOW)) if _is_front_marker(blocks, i, title)]
    if not markers:
        return -1
    last = markers[-1]
    others = [blocks[i].text for i in range(last + 1) if i not in markers]
    # Publisher notices are a sentence or two; paragraphs of the text itself are not front matter.
    if len(others) > MAX_FRONT_NOTES or any(len(text) > MAX_FRONT_NOTE for text in others):
        return -1
    return last


def _iso_date(text: str) -> str:
    cleaned = " ".join(text.replace(",", " ").replace(".", " ").split()).title()
    for pattern in ("%b %d %Y", "%B %d %Y"):
        try:
            return _dt.datetime.strptime(cleaned, pattern).date().isoformat()
        except ValueError:
            continue
    return text


def _sections(blocks: list[Block], result: Structure, infer_headings: bool) -> None:
    section: str | None = None
    mode = "body"
    previous: Block | None = None
    for i, block in enumerate(blocks):
        text = block.text
        if not _ALNUM.search(text):  # "###", "* * *": end marks and ornaments
            continue
        if block.kind == "endnote":
            _add_endnote(result, text)
            continue
        if _TIME_STAMP.match(text):
            result.metadata.setdefault("times", []).append(text)
            continue
        if infer_headings and block.kind == "paragraph" and is_furniture(text):
            result.metadata.setdefault("furniture", []).append(text)  # "Share", "Press Statement", a date
            continue
        heading_text = text.strip("#*_ ").rstrip(":")
        if block.kind in ("heading", "paragraph") and _REFERENCES.match(heading_text):
            mode = "references"
            continue
        if block.kind in ("heading", "paragraph") and _ENDNOTES.match(heading_text):
            mode = "endnotes"
            continue
        if mode != "body" and block.kind == "heading":
            mode = "body"  # an explicit heading after the references starts body text again
        if mode == "references":
            _add_reference(result, text, block.kind == "item")
        elif mode == "endnotes":
            _add_endnote(result, text)
        elif block.kind == "heading" or (
            infer_headings
            and (
                _is_heading(block, previous, following := blocks[i + 1] if i + 1 < len(blocks) else None)
                or _is_sentence_heading(block, previous, following)
            )
        ):
            section = text
            result.headings.append(text)
        else:
            result.body.append((text, section))
        previous = block


def _is_heading(block: Block, previous: Block | None, following: Block | None) -> bool:
    return (
        block.kind == "paragraph"
        and block.n_lines == 1
        and following is not None
        and following.kind != "heading"
        and (previous is None or previous.kind == "heading" or ends_clause(previous.text))
        and looks_like_heading(block.text)
        and not ADDRESS.match(block.text)
    )


def _is_sentence_heading(block: Block, previous: Block | None, following: Block | None) -> bool:
    """A heading in sentence case between blank lines ("3 reasons all countries should act"):
    short, no closing punctuation, after a sentence end and before a longer paragraph."""
    text = block.text
    return (
        block.kind == "paragraph"
        and block.n_lines == 1
        and block.gap_before in ("blank", "page", "hard")
        and block.gap_after in ("blank", "page", "hard")
        and 2 <= len(text.split()) <= MAX_SENTENCE_HEADING_WORDS
        and (text[:1].isupper() or text[:1].isdigit())
        and text[-1:].isalnum()  # no closing punctuation, no quotation
        and not ends_unfinished(text)
        and not starts_list_item(text)
        and not ADDRESS.match(text)
        and (previous is None or previous.kind == "heading" or ends_sentence(previous.text))
        and following is not None
        and following.kind == "paragraph"
        and following.text[:1].isupper()
        and len(following.text.split()) >= MIN_WORDS_AFTER_HEADING
        and ends_clause(following.text)
    )


def clean_entry(text: str) -> str:
    """A reference or endnote without bullets, emphasis and link syntax."""
    text = re.sub(r"^[-•*]\s+", "", text.strip())
    return strip_inline_markup(text, markdown=False)


def _add_reference(result: Structure, text: str, is_item: bool) -> None:
    text = clean_entry(text)
    if not text:
        return
    if result.references and not is_item and not _REFERENCE_START.match(text):
        result.references[-1] = f"{result.references[-1]} {text}"
    else:
        result.references.append(text)


def _add_endnote(result: Structure, text: str) -> None:
    text = clean_entry(text)
    match = _ENDNOTE_START.match(text)
    if match:
        label = match.group(1) or match.group(2)
        result.endnotes[label] = match.group(3).strip()
    elif result.endnotes:
        label = next(reversed(result.endnotes))
        result.endnotes[label] = f"{result.endnotes[label]} {text}".strip()
    else:
        result.endnotes[str(len(result.endnotes) + 1)] = text
