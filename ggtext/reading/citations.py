"""Endnote markers and author-year citations in body paragraphs, linked to references.

* Endnote markers (``[12]``) are removed from the paragraph text; each becomes a
  ``Citation(kind="endnote")`` at the place it stood, with the endnote's text and
  the reference the endnote cites. Markers are removed when the document has
  endnotes, or when the marker is glued to the word before it (``levels.[1]``).
* Author-year citations stay in the text: narrative (``Landau and Segatti
  (2013)``, ``Koser et al. (2010: 5)``) and parenthetical (``(Koser, 2010;
  Betts 2011)``). They are looked for only in documents with references or
  endnotes: in speeches, "Name (2015)" is nearly always not a citation.
* Linking: a reference is parsed into author surnames and a year. An author-year
  citation links to the reference with the same year whose first (and, when
  cited, second) surname matches. An endnote links to the reference with the
  same year whose surnames all occur before the year in the endnote; ties (two
  works of one author and year) go to the reference sharing the most words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Citation

_MARKER = re.compile(r"\[(\d{1,3})\]")
_YEAR = r"(?:\d{4}[a-z]?|n\.\s?d\.|no date|forthcoming)"
_YEAR_PAREN = re.compile(rf"\(\s*({_YEAR})\s*\)", re.I)
_PARTICLE = r"(?:(?:van|von|de|der|den|del|della|da|di|du|la|le|dos|das)\s+)*"
_NAME = rf"{_PARTICLE}[A-Z][A-Za-z'’\-]*[a-z][A-Za-z'’\-]*"
_NAMES = rf"{_NAME}(?:(?:\s*,\s*{_NAME})*\s*,?\s+(?:and|&)\s+{_NAME})?(?:\s+et\s+al\.?)?"
_PAGES = r"(?:\s*[,:]\s*(?:pp?\.?\s*)?\d+(?:\s*[-–]\s*\d+)?)?"
NARRATIVE = re.compile(rf"\b(?P<names>{_NAMES})\s+\(\s*(?P<year>{_YEAR}){_PAGES}\s*\)")
_GROUP = re.compile(r"\(([^()]{4,200})\)")
_GROUP_ITEM = re.compile(
    rf"^\s*(?:see\s+(?:also\s+)?|cf\.\s+|e\.g\.,?\s+)?(?P<names>{_NAMES}),?\s+(?P<year>{_YEAR}){_PAGES}\s*$"
)
# Capitalised words that start sentences, not names.
_NOT_NAMES = frozenset(
    """According Although And As At Also Both But By Consequently Despite During Following
    For Furthermore Hence However In Indeed Moreover Nevertheless Notwithstanding Since
    So Still The Then Therefore These This Those Thus Unlike When Where While Yet See""".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]+")


@dataclass(frozen=True)
class ReferenceKey:
    """Surnames and year of a reference (or of an endnote's citation)."""

    surnames: tuple[str, ...]
    year: str
    head: str  # the text before the year


def _norm(text: str) -> str:
    return text.lower().replace("’", "'")


def parse_reference(text: str) -> ReferenceKey | None:
    """``Landau, L.B. and Segatti, A. (2013) ...`` -> (("landau", "segatti"), "2013")."""
    match = _YEAR_PAREN.search(text[:250])
    if not match:
        return None
    head = text[: match.start()].strip().rstrip(",")
    year = _norm_year(match.group(1))
    parts = [p.strip() for p in re.split(r"\s+and\s+|\s*&\s*|;\s*", head) if p.strip()]
    surnames = []
    for part in parts:
        person = re.match(r"^([^,]+),\s*(?:[A-Z]\.\s*-?)+", part)
        if person is None:  # a corporate author: "International Labour Organization"
            return ReferenceKey((_norm(head),), year, _norm(head))
        surnames.append(_norm(person.group(1).strip()))
    return ReferenceKey(tuple(surnames), year, _norm(head))


def _norm_year(year: str) -> str:
    year = year.lower()
    return "n.d." if not year[:1].isdigit() and year != "forthcoming" else year


def _surnames_in_citation(names: str) -> list[str]:
    names = re.sub(r"\s+et\s+al\.?$", "", names.strip())
    return [_norm(n.strip()) for n in re.split(r"\s*,\s*|\s+and\s+|\s*&\s*", names) if n.strip()]


def remove_endnote_markers(text: str, *, always: bool) -> tuple[str, list[tuple[str, int]]]:
    """Remove ``[n]`` markers from ``text``; return the text and (marker, offset) pairs."""
    out: list[str] = []
    found: list[tuple[str, int]] = []
    position = 0
    length = 0
    for match in _MARKER.finditer(text):
        glued = match.start() > 0 and not text[match.start() - 1].isspace()
        if not (always or glued):
            continue
        piece = text[position : match.start()]
        after = text[match.end() : match.end() + 1]
        if piece.endswith(" ") and (after == " " or after == "" or after in ".,;:"):
            piece = piece[:-1]
        out.append(piece)
        length += len(piece)
        found.append((match.group(0), length))
        position = match.end()
    if not found:
        return text, []
    out.append(text[position:])
    cleaned = "".join(out)
    if cleaned.startswith(" "):
        shift = len(cleaned) - len(cleaned.lstrip())
        cleaned = cleaned.lstrip()
        found = [(m, max(0, o - shift)) for m, o in found]
    return cleaned.rstrip(), found


def find_author_year(text: str) -> list[tuple[str, int, int, list[str], str]]:
    """Author-year citations in ``text``: (marker, start, end, surnames, year)."""
    found = []
    for match in NARRATIVE.finditer(text):
        names = match.group("names")
        start = match.start("names")
        # Drop sentence-opening words caught as names: "However, Koser (2010)".
        words = re.split(r"(\s*,\s*|\s+)", names)
        while words and words[0] in _NOT_NAMES:
            cut = len(words[0]) + (len(words[1]) if len(words) > 1 else 0)
            start += cut
            names = names[cut:]
            words = words[2:]
        if not names or names.split()[0] in ("and", "&"):
            continue
        found.append(
            (
                text[start : match.end()],
                start,
                match.end(),
                _surnames_in_citation(names),
                _norm_year(match.group("year")),
            )
        )
    taken = [(s, e) for _, s, e, _, _ in found]
    for group in _GROUP.finditer(text):
        if any(s <= group.start() < e for s, e in taken):
            continue
        offset = group.start(1)
        for item in re.finditer(r"[^;]+", group.group(1)):
            cited = _GROUP_ITEM.match(item.group(0))
            if cited:
                start = offset + item.start() + cited.start("names")
                end = offset + item.end()
                found.append(
                    (
                        text[start:end].strip(),
                        start,
                        start + len(text[start:end].strip()),
                        _surnames_in_citation(cited.group("names")),
                        _norm_year(cited.group("year")),
                    )
                )
    return sorted(found, key=lambda f: f[1])


def link_author_year(surnames: list[str], year: str, keys: list[ReferenceKey | None]) -> int | None:
    """Index of the reference cited as ``surnames`` + ``year``, or None."""
    best = None
    for index, key in enumerate(keys):
        if key is None or key.year != year or not key.surnames:
            continue
        if key.surnames[0] != surnames[0] and not key.surnames[0].endswith(" " + surnames[0]):
            continue
        if len(surnames) > 1 and (len(key.surnames) < 2 or key.surnames[1] != surnames[1]):
            continue
        if best is None:
            best = index
    return best


def link_endnote(endnote: str, keys: list[ReferenceKey | None], references: list[str]) -> int | None:
    """Index of the reference an endnote cites, or None."""
    match = _YEAR_PAREN.search(endnote[:300])
    if not match:
        return None
    head = _norm(endnote[: match.start()])
    head_words = set(_WORD.findall(head))
    year = _norm_year(match.group(1))
    candidates = []
    for index, key in enumerate(keys):
        if key is None or key.year != year:
            continue
        if all(_contains(head, head_words, surname) for surname in key.surnames):
            candidates.append(index)
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    words = set(_WORD.findall(_norm(endnote)))
    return max(candidates, key=lambda i: (len(words & set(_WORD.findall(_norm(references[i])))), -i))


def _contains(head: str, head_words: set[str], surname: str) -> bool:
    if " " in surname or not surname.isalpha():
        return surname in head
    return surname in head_words


def find_citations(
    paragraphs: list[str], endnotes: dict[str, str], references: list[str]
) -> tuple[list[tuple[int, str]], list[Citation]]:
    """Remove endnote markers from ``paragraphs`` and collect all citations, linked.

    Returns (index in ``paragraphs``, text) of the paragraphs left with text, and
    the citations, whose ``paragraph`` counts only those.
    """
    keys = [parse_reference(r) for r in references]
    endnote_links = {label: link_endnote(text, keys, references) for label, text in endnotes.items()}
    scholarly = bool(references or endnotes)
    kept: list[tuple[int, str]] = []
    citations: list[Citation] = []
    for index, text in enumerate(paragraphs):
        text, markers = remove_endnote_markers(text, always=bool(endnotes))
        if not text:  # a paragraph that was only a marker
            continue
        number = len(kept)
        kept.append((index, text))
        found: list[Citation] = []
        for marker, offset in markers:
            label = marker.strip("[]")
            found.append(
                Citation("endnote", marker, number, offset, offset, endnotes.get(label), endnote_links.get(label))
            )
        if scholarly:
            for marker, start, end, surnames, year in find_author_year(text):
                found.append(
                    Citation("author_year", marker, number, start, end, None, link_author_year(surnames, year, keys))
                )
        citations.extend(sorted(found, key=lambda c: c.start))
    return kept, citations
