"""Short lines of plain-text web pages: section labels, page furniture, by-lines, office lines, dates.

The word lists are in ``ggtext/data/page_furniture.yaml``. Every predicate takes one
line (a block of one line) and decides on it alone; :mod:`.structure` decides where
such lines count (the lines between a title and the text, or anywhere).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from ..config import PACKAGE_DATA
from .lines import ends_sentence, is_title_case

RULES_FILE = PACKAGE_DATA / "page_furniture.yaml"

#: Lines between a title and the text are at most this many words (a sponsor line of a bill excepted).
MAX_FRONT_WORDS = 25

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
# "October 1, 2007", "Monday, October 5, 2020", "Geneva, October 7, 2019", "7 December 2011",
# "April 15 (legislative day, April 14), 2026", "2019-10-07", "Posted on October 5, 2020".
_DATE_LINE = re.compile(
    rf"^(?:(?:posted|published|updated|released|dated|last updated)(?:\s+on)?:?\s+)?"
    rf"(?:[A-Z][\w.'’\- ]{{0,40}},\s+)?(?:{_WEEKDAY},?\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:\s*\([^()]{{1,40}}\))?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    rf"(?:\s*[-–—,|]?\s*\d{{1,2}}:\d{{2}}\s*[AaPp]\.?[Mm]\.?(?:\s+[A-Z]{{2,4}})?)?$",
    re.I,
)
# "New York, NY", "Geneva, Switzerland", "New York, New York": a place, a comma, a state or country.
_PLACE_LINE = re.compile(r"^[A-Z][\w.'’\-]*(?:\s[A-Z][\w.'’\-]*){0,2},\s[A-Z][\w.'’\-]*(?:\s[A-Z][\w.'’\-]*){0,2}$")
# A person's name: two to five capitalised words or initials ("Carol Thompson O’Connell").
_NAME = re.compile(r"^(?:[A-Z][\w'’\-]*\.?\s){1,4}[A-Z][\w'’\-]+$")
_WORD = re.compile(r"[\w'’\-]+")
_EDGES = " \t*_#-–—•|:"


@lru_cache(maxsize=4)
def rules(path: str | None = None) -> dict[str, Any]:
    """The lists of ``page_furniture.yaml`` (or ``path``): lower-cased sets and compiled patterns."""
    with open(path or RULES_FILE, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    lists = {
        key: frozenset(str(item).lower() for item in data.get(key) or [])
        for key in ("section_labels", "inline_labels", "furniture", "office_words", "byline_openers", "places")
    }
    openers = sorted(lists["byline_openers"], key=len, reverse=True)
    inline = sorted(lists["inline_labels"], key=len, reverse=True)
    return {
        **lists,
        "patterns": [re.compile(p) for p in data.get("furniture_patterns") or []],
        "heading_patterns": [re.compile(p) for p in data.get("heading_patterns") or []],
        "byline": re.compile(rf"^(?:{'|'.join(map(re.escape, openers))}):?\s+(\S.*)$", re.I) if openers else None,
        "inline": re.compile(rf"^({'|'.join(map(re.escape, inline))})\s*[:.—–-]\s+(\S.*)$", re.I) if inline else None,
    }


def _key(text: str) -> str:
    return " ".join(text.strip(_EDGES).split()).lower()


def is_section_label(text: str) -> bool:
    """``"Abstract"``, ``"Executive Summary:"``, ``"INTRODUCTION"``, ``"SEC. 2. FINDINGS."``: a
    label of a document's part."""
    if len(text) > 160:
        return False
    found = rules()
    return _key(text) in found["section_labels"] or any(p.match(text.strip()) for p in found["heading_patterns"])


def split_inline_label(line: str) -> tuple[str, str] | None:
    """``"Abstract: This paper ..."`` -> ``("Abstract", "This paper ...")``; None for other lines."""
    pattern = rules()["inline"]
    match = pattern.match(line.strip()) if pattern else None
    return (match.group(1), match.group(2)) if match else None


def is_date_line(text: str) -> bool:
    """A line that is only a date (with a weekday, a place or "Posted on")."""
    return len(text) <= 80 and bool(_DATE_LINE.match(text.strip(_EDGES)))


def is_furniture(text: str) -> bool:
    """Navigation, sharing, release and delivery notes, document kinds, a date alone: never body text."""
    if len(text) > 700:
        return False
    stripped = text.strip(_EDGES)
    found = rules()
    return _key(text) in found["furniture"] or is_date_line(text) or any(p.match(stripped) for p in found["patterns"])


def byline(text: str) -> str | None:
    """``"Delivered by Ambassador David M Robinson"`` -> the rest after the opener; None if not a by-line."""
    pattern = rules()["byline"]
    if pattern is None or len(text.split()) > MAX_FRONT_WORDS or ends_sentence(text):
        return None
    match = pattern.match(text.strip(_EDGES))
    return match.group(1).strip() if match and match.group(1)[:1].isupper() else None


def is_name(text: str) -> bool:
    """Two to five capitalised words without digits, none of them a furniture or office word:
    a person's name (or a place, a venue: :mod:`.structure` asks what follows it)."""
    if len(text) > 50 or not _NAME.match(text.strip()):
        return False
    found = rules()
    return not any(w.lower() in found["furniture"] or w.lower() in found["office_words"] for w in text.split())


def is_office_line(text: str) -> bool:
    """A short title-case line naming an office ("U.S. Deputy Representative to ECOSOC", "Bureau of ...")."""
    if len(text.split()) > MAX_FRONT_WORDS or ends_sentence(text) or not is_title_case(text):
        return False
    words = {w.lower() for w in _WORD.findall(text)}
    lowered = f" {_key(text)} "
    office = rules()["office_words"]
    return bool(words & office) or any(" " in w and f" {w} " in lowered for w in office)


def is_place(text: str) -> bool:
    """``"New York, NY"``, ``"Geneva, Switzerland"``, or a place of the list (``"New York City"``)."""
    return _key(text) in rules()["places"] or bool(_PLACE_LINE.match(text.strip()))
