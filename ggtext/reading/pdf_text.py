"""Text converted from PDF: page headers and footers out, words hyphenated across lines joined.

Page furniture is found two ways:

* **Running lines**, generically: a short line that recurs at least
  :data:`MIN_REPEATS` times (digits ignored, so ``Page 3``/``Page 4`` count as one)
  and that somewhere interrupts a sentence (the text before it does not end a
  sentence and the text after it starts in lower case). Lines that recur next
  to such a line belong to the same header block (title + author), and a
  recurring first line of the document is a running title. Recurring lines that
  never interrupt a sentence ("Mr. President,", "Excellencies,") are text.
* **UN document furniture**, by pattern: the UN Official Records print a job
  number, page number and symbol on every page (``15-29425 31/34``,
  ``A/70/PV.15 28/09/2015``), often only once or twice per speech, so they are
  matched by shape rather than by repetition.

Removed lines are replaced by :data:`~ggtext.reading.lines.PAGE_BREAK` so the
unwrapping step knows a page ended there and can rejoin a split sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .lines import PAGE_BREAK, ends_sentence, starts_lowercase

#: A line must recur this often to count as a running header or footer.
MIN_REPEATS = 3
#: Running headers and footers are short.
MAX_RUNNING_LENGTH = 150

# Whole lines printed by the UN on every page of a verbatim record.
_JOB = r"\d{2}-\d{5}"  # document job number: 15-29425
_PAGE = r"\d{1,3}(?:/\d{1,3})?"  # 31 or 31/34
_SYMBOL = r"A/\d{2}/PV\.\d{1,3}"  # A/70/PV.15
_DATE = r"\d{2}/\d{2}/\d{4}"  # 28/09/2015
UN_RECORD_LINE = re.compile(
    rf"^(?:{_JOB}(?:\s+{_PAGE}|\s*\(E\)(?:\s+\*?\d{{7}}\*?)?)?|{_PAGE}\s+{_JOB}|{_SYMBOL}(?:\s+{_DATE})?|{_DATE}(?:\s+{_SYMBOL})?)$"
)
# 2016-2017 files glue the job number and page to the first line of the next page.
UN_RECORD_PREFIX = re.compile(rf"^(?:{_JOB}\s+\d{{1,3}}/\d{{1,3}}|\d{{1,3}}/\d{{1,3}}\s+{_JOB})\s+(?=\S)")
# Interpreters' notes of the verbatim record: not part of the speech.
UN_INTERPRETATION_NOTE = re.compile(r"^\((?:spoke|continued) in [A-Z][a-z]+\)$")
# A page number alone on its line.
PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,3}(?:\s*-)?$")

_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


@dataclass
class Furniture:
    """The lines with page furniture replaced by page breaks, and what was removed."""

    lines: list[str]
    running: list[str] = field(default_factory=list)  # distinct running lines, first seen first
    n_removed: int = 0


def remove_page_furniture(lines: list[str]) -> Furniture:
    """Replace page headers, footers and page numbers in ``lines`` by page breaks."""
    out: list[str] = []
    n_removed = 0
    for line in lines:
        stripped = line.strip()
        if stripped == PAGE_BREAK:
            out.append(PAGE_BREAK)
        elif stripped and (
            UN_RECORD_LINE.match(stripped) or PAGE_NUMBER.match(stripped) or UN_INTERPRETATION_NOTE.match(stripped)
        ):
            out.append(PAGE_BREAK)
            n_removed += 1
        elif prefix := UN_RECORD_PREFIX.match(stripped):
            out.extend((PAGE_BREAK, stripped[prefix.end() :]))
            n_removed += 1
        else:
            out.append(line)
    running = find_running_lines(out)
    if running:
        keys = [_key(line) for line in out]
        removed: dict[str, None] = {}
        for i, key in enumerate(keys):
            if key in running:
                removed.setdefault(out[i].strip())
                out[i] = PAGE_BREAK
                n_removed += 1
        return Furniture(out, list(removed), n_removed)
    return Furniture(out, [], n_removed)


def _key(line: str) -> str:
    return _DIGITS.sub("0", _SPACES.sub(" ", line.strip()))


def _is_candidate(line: str) -> bool:
    stripped = line.strip().strip("*_ ")  # "**Mr President,**" ends with a comma
    return 0 < len(stripped) <= MAX_RUNNING_LENGTH and stripped != PAGE_BREAK and not stripped.endswith((",", ";", ":"))


def find_running_lines(lines: list[str]) -> set[str]:
    """Keys (:func:`_key`) of the lines that are running headers or footers."""
    keys = [_key(line) if _is_candidate(line) else None for line in lines]
    counts = Counter(key for key in keys if key)
    frequent = {key for key, n in counts.items() if n >= MIN_REPEATS}
    if not frequent:
        return set()
    running: set[str] = set()
    # Page numbering: the same line with changing numbers ("Page 3 of 9").
    variants: dict[str, set[str]] = {}
    for line, key in zip(lines, keys):
        if key in frequent and "0" in key:
            variants.setdefault(key, set()).add(line.strip())
    running.update(key for key, seen in variants.items() if len(seen) > 1 and not key.endswith("."))
    # A recurring first line is the document's title repeated on every page.
    # It stands apart (blank lines or other furniture around it) wherever it occurs.
    first = next((key for line, key in zip(lines, keys) if line.strip()), None)
    if first in frequent and all(_stands_apart(lines, keys, frequent, i) for i, key in enumerate(keys) if key == first):
        running.add(first)
    # Blocks of recurring lines that split a sentence somewhere.
    n = len(lines)
    i = 0
    while i < n:
        if keys[i] not in frequent:
            i += 1
            continue
        j = i
        block = set()
        while j < n and (keys[j] in frequent or not lines[j].strip() or lines[j].strip() == PAGE_BREAK):
            if keys[j] in frequent:
                block.add(keys[j])
            j += 1
        before = _neighbour(lines, i - 1, -1)
        after = _neighbour(lines, j, 1)
        if before is not None and after is not None and interrupts(before, after):
            running.update(block)
        i = j
    # Lines that recur together with a running line (e.g. the author under the title).
    if running:
        running.update(_companions(lines, keys, frequent, running))
    return running


def _stands_apart(lines, keys, frequent, i) -> bool:
    for j in (i - 1, i + 1):
        if 0 <= j < len(lines):
            stripped = lines[j].strip()
            if stripped and stripped != PAGE_BREAK and keys[j] not in frequent:
                return False
    return True


def interrupts(before: str, after: str) -> bool:
    """Does a break between ``before`` and ``after`` fall inside a sentence?"""
    return not ends_sentence(before) and (starts_lowercase(after) or before.rstrip().endswith("-"))


def _neighbour(lines: list[str], start: int, step: int) -> str | None:
    i = start
    while 0 <= i < len(lines):
        stripped = lines[i].strip()
        if stripped and stripped != PAGE_BREAK:
            return stripped
        i += step
    return None


def _companions(lines, keys, frequent, running) -> set[str]:
    """Frequent lines that sit (blank lines apart) next to a running line most times they occur."""
    near: Counter[str] = Counter()
    for i, key in enumerate(keys):
        if key not in frequent or key in running:
            continue
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and not lines[j].strip():
                j += step
            if 0 <= j < len(lines) and keys[j] in running:
                near[key] += 1
                break
    counts = Counter(key for key in keys if key in frequent)
    return {key for key, n in near.items() if n * 2 > counts[key]}


_HYPHEN_END = re.compile(r"([A-Za-z]+)-$")
_FIRST_WORD = re.compile(r"^([A-Za-z]+)")
_WORDS = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


class Vocabulary:
    """The words of one document, built on first use, to decide line-end hyphens."""

    def __init__(self, text: str):
        self._text = text
        self._words: set[str] | None = None

    def __contains__(self, word: str) -> bool:
        if self._words is None:
            self._words = {w.lower() for w in _WORDS.findall(self._text)}
        return word.lower() in self._words


def join_lines(before: str, after: str, vocabulary: Vocabulary) -> str:
    """Join two lines of one paragraph, undoing a hyphenation across the break.

    ``inter-`` + ``national`` becomes ``international`` when the document
    uses "international" elsewhere and never "inter-national"; otherwise the
    hyphen is a real one (``Secretary-`` + ``General``, ``non-`` + ``aligned``)
    and stays, without a space.
    """
    before = before.rstrip()
    after = after.lstrip()
    # Only the tail is searched: ``before`` grows into a whole paragraph.
    hyphen = _HYPHEN_END.search(before[-60:]) if before.endswith("-") else None
    if hyphen and not before.endswith("--"):
        first = _FIRST_WORD.match(after)
        if first is None:
            return before + after
        left, right = hyphen.group(1), first.group(1)
        if right[0].islower() and f"{left}{right}" in vocabulary and f"{left}-{right}" not in vocabulary:
            return before[:-1] + after
        return before + after
    if before.endswith("/"):  # a document symbol split at a page break: "A/70/" + "PV.15"
        return before + after
    return f"{before} {after}"
