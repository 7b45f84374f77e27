"""Lines of plain text to paragraphs (blocks), whatever the line layout.

Three layouts occur and are told apart per document (:func:`analyse_layout`):

* **Hard-wrapped** (UNGDC 2000-2014, e-mail, Gutenberg): most lines end
  mid-sentence and most have about the same width. Lines are joined; a paragraph ends
  where a line ends a sentence (or a colon) and is short: the next line's first
  word would have fitted on it, or it is under :data:`SHORT_LINE` of the typical
  width. Also at an indented line when the document indents paragraphs, at a
  list item, and at a blank line after a sentence end.
* **One paragraph a line** (UNGDC 2015 on, the seed essay): every line is a
  paragraph, except that a line that does not end a sentence is rejoined with the
  next when that starts in lower case, or when the line ends with a word no
  sentence ends with ("by the"), or when it is long (:data:`LONG_LINE`): short
  unfinished lines are salutations ("Mr. President") and headings.
* **No breaks at all** (a few UNGDC 2024 speeches are one line of 8-25,000
  characters): a paragraph longer than :data:`MAX_PARAGRAPH` characters is
  split at sentence ends into chunks of about :data:`TARGET_PARAGRAPH`
  characters, and the document gets a warning saying so.

In every layout a title-case first line with a blank line after it, a section label
("Abstract", "Introduction"; also "Abstract: ..." on the line of the text) and a line of
page furniture ("118th CONGRESS") are blocks of their own.

Page breaks (form feeds, removed page furniture), runs of blank lines longer
than the document's usual paragraph gap, and blank lines in documents that do
not separate paragraphs by blank lines rejoin a sentence they split (the text
before does not end a sentence, or the text after starts in lower case).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .headings import is_furniture, is_section_label, split_inline_label
from .lines import (
    PAGE_BREAK,
    ends_sentence,
    ends_unfinished,
    is_title_case,
    looks_like_heading,
    starts_list_item,
    starts_lowercase,
    title_like,
)
from .pdf_text import Vocabulary, join_lines

#: A hard-wrapped line shorter than this share of the typical width can end a paragraph.
SHORT_LINE = 0.8
#: Documents where at most this share of lines end a sentence are hard-wrapped.
MAX_ENDED_SHARE_WRAPPED = 0.5
#: In hard-wrapped text at least this share of lines are full: FULL_LINE of the width or more.
MIN_FULL_SHARE_WRAPPED = 0.6
FULL_LINE = 0.6
#: Typical line width (90th percentile, characters) of hard-wrapped text is at most this.
MAX_WRAP_WIDTH = 130
#: Blank lines separate paragraphs when at least this share of the lines that could end
#: a paragraph (sentence end; in hard-wrapped text also short) are followed by one.
BLANK_SEPARATES = 0.5
#: In one-paragraph-a-line text, a line this long not ending a sentence is cut mid-sentence.
LONG_LINE = 150
#: A first line standing apart (a blank line after it) of at most this many words is a title.
MAX_TITLE_WORDS = 40
#: Paragraphs longer than this (characters) are split at sentence ends ...
MAX_PARAGRAPH = 5000
#: ... into chunks of about this many characters.
TARGET_PARAGRAPH = 1200

_SEPARATOR = re.compile(r"^(?:[-*_=~]\s*){3,}$")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
_BULLET = re.compile(r"^[-•*]\s+")


@dataclass
class Block:
    """A paragraph-sized piece of text before the structure is known."""

    text: str
    kind: str = "paragraph"  # "paragraph", "heading" or "item"
    n_lines: int = 1
    gap_before: str = "start"  # "start", "none", "blank", "page" or "hard"
    gap_after: str = "end"
    level: int = 0  # of a Markdown-style heading: 1 for "#", 2 for "##", ...


@dataclass(frozen=True)
class Layout:
    """How a document lays out its paragraphs (see the module docstring)."""

    hard_wrapped: bool
    width: int
    indented: bool
    page_blank_run: int | None  # blank runs this long or longer are page breaks
    blank_separates: bool  # blank lines are the usual paragraph separator


@dataclass
class _Line:
    text: str  # stripped
    indented: bool
    gap_before: str
    blank_run: int = 0  # blank lines before it
    ends_sentence: bool = False
    ends_clause: bool = False  # a sentence or a colon

    def __post_init__(self) -> None:
        self.ends_sentence = ends_sentence(self.text)
        self.ends_clause = self.ends_sentence or self.text.endswith(":")


def unwrap(lines: list[str], *, warnings: list[str] | None = None) -> list[Block]:
    """Join ``lines`` (page furniture already replaced by page breaks) into blocks."""
    items, headings = _classify(lines)
    layout = analyse_layout(items)
    vocabulary = Vocabulary("\n".join(lines))
    blocks: list[Block] = []
    current: Block | None = None
    previous: _Line | None = None
    title_apart = _first_line_apart(items)
    for index, item in enumerate(items):
        if index in headings:
            if current is not None:
                current.gap_after = "hard"
                blocks.append(current)
            blocks.append(Block(item.text, "heading", 1, "hard", "hard", headings[index]))
            current, previous = None, None
            continue
        if (
            current is not None
            and previous is not None
            and not (index == 1 and title_apart)
            and not _breaks(previous, item, layout, current)
        ):
            current.text = join_lines(current.text, item.text, vocabulary)
            current.n_lines += 1
        else:
            if current is not None:
                current.gap_after = item.gap_before
                blocks.append(current)
            gap = item.gap_before if blocks or current is not None else "start"
            current = Block(item.text, "paragraph", 1, gap)
        previous = item
    if current is not None:
        blocks.append(current)
    for block in blocks:
        if block.kind == "paragraph" and _BULLET.match(block.text):
            block.text = _BULLET.sub("", block.text)
            block.kind = "item"
    return split_long_blocks(blocks, warnings)


def _classify(lines: list[str]) -> tuple[list[_Line], dict[int, int]]:
    """Text lines with the kind of gap before each; Markdown-style headings (index: level)."""
    items: list[_Line] = []
    headings: dict[int, int] = {}
    blank_run = 0
    page = hard = False
    for raw in lines:
        stripped = raw.strip()
        if not stripped:
            blank_run += 1
            continue
        if stripped == PAGE_BREAK:
            page = True
            continue
        if _SEPARATOR.match(stripped):
            hard = True
            continue
        if hard:
            gap = "hard"
        elif page:
            gap = "page"
        elif blank_run:
            gap = "blank"
        else:
            gap = "none"
        heading = _MD_HEADING.match(stripped)
        if heading:
            headings[len(items)] = len(stripped) - len(stripped.lstrip("#"))
            stripped = heading.group(1)
        elif stripped[:1].isupper() and (labelled := split_inline_label(stripped)):  # "Abstract: This paper ..."
            headings[len(items)] = 0
            items.append(_Line(labelled[0], raw[:1].isspace(), gap if items else "start", blank_run))
            stripped, gap, blank_run = labelled[1], "hard", 0
        elif stripped[:1].isupper() and is_section_label(stripped):  # "Abstract", "INTRODUCTION"
            headings[len(items)] = 0
        items.append(_Line(stripped, raw[:1].isspace(), gap if items else "start", blank_run))
        blank_run = 0
        page = hard = False
    return items, headings


def analyse_layout(items: list[_Line]) -> Layout:
    """Decide whether the text is hard-wrapped, its width, and what its gaps mean."""
    lengths = sorted(len(item.text) for item in items)
    if len(items) < 4:
        return Layout(False, lengths[-1] if lengths else 0, False, None, True)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    pairs = list(zip(items, items[1:]))
    # Lines that stand alone between blank lines say nothing about wrapping.
    followed = [item for item, nxt in pairs if nxt.gap_before == "none"]
    ended = sum(1 for item in followed if item.ends_clause)
    full = sum(1 for length in lengths if length >= FULL_LINE * width)
    hard_wrapped = (
        len(followed) >= 3
        and ended / len(followed) <= MAX_ENDED_SHARE_WRAPPED
        and full >= MIN_FULL_SHARE_WRAPPED * len(lengths)
        and width <= MAX_WRAP_WIDTH
    )
    indented_starts = [
        before
        for before, item in pairs
        if item.indented and item.gap_before == "none" and not starts_lowercase(item.text)
    ]
    indented = (
        hard_wrapped
        and len(indented_starts) >= 2
        and sum(1 for before in indented_starts if before.ends_clause) >= 0.7 * len(indented_starts)
    )
    runs = Counter(item.blank_run for item in items if item.gap_before == "blank")
    page_run = None
    if runs:
        usual = runs.most_common(1)[0][0]
        if any(length > usual for length in runs):
            page_run = usual + 1
            for item in items:
                if item.gap_before == "blank" and item.blank_run >= page_run:
                    item.gap_before = "page"
    # Where do lines that could end a paragraph go on: to a blank line or straight on?
    ends = [
        nxt.gap_before
        for item, nxt in pairs
        if nxt.gap_before in ("none", "blank") and item.ends_clause and (not hard_wrapped or _short(item, nxt, width))
    ]
    n_blank = ends.count("blank")
    blank_separates = n_blank >= 2 and n_blank >= BLANK_SEPARATES * len(ends)
    return Layout(hard_wrapped, width, indented, page_run, blank_separates)


def _short(before: _Line, after: _Line, width: int) -> bool:
    """Is ``before`` short: would the first word of ``after`` have fitted on it?"""
    next_word = after.text.split(" ", 1)[0]
    return len(before.text) + 1 + len(next_word) <= width or len(before.text) < SHORT_LINE * width


def _breaks(before: _Line, after: _Line, layout: Layout, block: Block) -> bool:
    """Does a new paragraph start at ``after`` (``block`` is the paragraph so far)?"""
    gap = after.gap_before
    if gap == "hard":
        return True
    if gap == "page" or (gap == "blank" and not layout.blank_separates):
        # A page break, or blank lines where they are not the paragraph separator.
        if starts_lowercase(after.text) or before.text.endswith(("-", "/")):
            return False
        return (
            before.ends_clause
            or _heading(before, block)
            or starts_list_item(after.text)
            or is_furniture(after.text)  # "As Delivered" on a line of its own
            or (layout.blank_separates and _title_line(before, block))
        )
    if gap == "blank":
        return before.ends_sentence or not starts_lowercase(after.text)
    # Adjacent lines.
    if starts_list_item(after.text) and not starts_lowercase(after.text):
        return True
    if layout.hard_wrapped:
        if block.n_lines == 1 and is_furniture(before.text) and _short(before, after, layout.width):
            return True  # a line of page furniture of its own ("118th CONGRESS" + "2d Session")
        if layout.indented:  # the document marks paragraph starts by an indent
            return after.indented
        if layout.blank_separates:  # ... or by blank lines
            return False
        if before.text.endswith(":") and starts_lowercase(after.text):
            return False  # "no doubts remain:" + "now is the time to act"
        return before.ends_clause and _short(before, after, layout.width)
    # One paragraph a line: rejoin a sentence split in two.
    if before.ends_sentence or (_heading(before, block) and not starts_lowercase(after.text)):
        return True
    return not _continues(block.text, after.text)


def _heading(line: _Line, block: Block) -> bool:
    """A heading (or a line of page furniture) is a block of its own, not the last line of a longer one."""
    return block.n_lines == 1 and (looks_like_heading(line.text) or is_furniture(line.text))


def _title_line(line: _Line, block: Block) -> bool:
    """A title-like line standing alone ("Statement at the Informal meeting of the Plenary ...")."""
    return block.n_lines == 1 and line.gap_before != "none" and title_like(line.text, MAX_TITLE_WORDS)


def _first_line_apart(items: list[_Line]) -> bool:
    """Is the first line a title: a line of its own in title case, a blank line after it, not a
    sentence cut short ("Since the last session of the General" + blank + "Assembly, ...")?"""
    if len(items) < 3 or items[1].gap_before not in ("blank", "page", "hard"):
        return False
    first = items[0].text
    return title_like(first, MAX_TITLE_WORDS) and is_title_case(first) and not starts_lowercase(items[1].text)


def _continues(text: str, after: str) -> bool:
    """Is ``after`` the rest of a sentence that ``text`` (not ending one) leaves open?"""
    if starts_lowercase(after) or (text.endswith("-") and after[:1].isalpha()):
        return True
    if text.endswith((",", ";", ":")):  # "Mr. President," / "as follows:" before a new line
        return False
    # "... adopted by the" + "Pact for the Future", or a long paragraph cut mid-sentence
    # (short lines without a stop are salutations and headings).
    return ends_unfinished(text) or len(text) >= LONG_LINE


_SENTENCE_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Split ``text`` at sentence ends (not after ``Mr.``, initials or other abbreviations)."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_BOUNDARY.finditer(text):
        if ends_sentence(text[start : match.start()].rstrip()):
            sentences.append(text[start : match.start()].strip())
            start = match.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def split_long_blocks(blocks: list[Block], warnings: list[str] | None = None) -> list[Block]:
    """Split paragraphs over :data:`MAX_PARAGRAPH` characters into sentence-aligned chunks."""
    out: list[Block] = []
    n_split = 0
    for block in blocks:
        if block.kind == "heading" or len(block.text) <= MAX_PARAGRAPH:
            out.append(block)
            continue
        chunks: list[str] = []
        current = ""
        for sentence in split_sentences(block.text):
            if current and len(current) + len(sentence) >= TARGET_PARAGRAPH:
                chunks.append(current)
                current = sentence
            else:
                current = f"{current} {sentence}" if current else sentence
        if current:
            chunks.append(current)
        n_split += 1
        for i, chunk in enumerate(chunks):
            out.append(
                Block(
                    chunk,
                    block.kind,
                    block.n_lines,
                    block.gap_before if i == 0 else "split",
                    block.gap_after if i == len(chunks) - 1 else "split",
                )
            )
    if n_split and warnings is not None:
        warnings.append(
            f"{n_split} paragraph(s) longer than {MAX_PARAGRAPH} characters (no paragraph "
            f"breaks in the source) were split at sentence ends into chunks of about "
            f"{TARGET_PARAGRAPH} characters."
        )
    return out
