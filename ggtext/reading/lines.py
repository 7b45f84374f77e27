"""Small predicates on single lines of text, shared by the reading steps."""

from __future__ import annotations

import re

#: A line of its own that stands for a page break (a form feed, or page furniture removed).
PAGE_BREAK = "\f"

#: Words that end with a full stop without ending a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st no nos art arts para paras p pp vol vols ed eds fig figs
    e.g i.e cf vs al approx dept gen gov sen rep rev hon jr sr co corp inc ltd
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n h.e h.r.h""".split()
)

# Closing quotes (also a wrongly typed “), brackets and endnote markers may follow the stop.
_SENTENCE_END = re.compile(r"[.!?…](?:[\"“”’'»)\]]|\[\d{1,3}\])*$")
_LAST_WORD = re.compile(r"([\w.]+)\.(?:[\"“”’'»)\]]|\[\d{1,3}\])*$")
# After a quotation: its source ("… together.” (A/55/PV.4, p. 20)") or a footnote number.
_END_CHARS = frozenset(".!?…\"“”’'»)]0123456789")
_QUOTE_SOURCE = re.compile(r"(?<=[.!?][\"”’])(?:\s*\([^()]{1,80}\)\.?|\d{1,3})$")
_INITIAL = re.compile(r"(?:^|[\s(])[A-Z]\.$")
_LIST_START = re.compile(r"^(?:[-•*]\s+|\(?\d{1,3}[.)]\s+|\(?[a-z][.)]\s+|\[\d{1,3}\]\s*)")

#: Forms of address open speeches; a line with one is not a heading.
ADDRESS = re.compile(
    r"^(?:mr|mrs|ms|mdm|madam|madame|mister|excellenc\w*|ladies|dear|distinguished|"
    r"hon(?:ou?rable|[’']ble)?|your|majest\w*|colleagues|friends|brothers|sisters|thank|"
    r"good|greetings|hello|his|her)\b",
    re.I,
)


def ends_sentence(line: str) -> bool:
    """Does ``line`` end with a sentence-final stop (not ``Mr.`` or an initial like ``S.``)?"""
    line = line.rstrip()[-100:]  # only the end matters; lines can be whole paragraphs
    if not line or line[-1] not in _END_CHARS:  # fast path: most lines end in a letter
        return False
    if line[-1] == ")" or line[-1].isdigit():
        line = _QUOTE_SOURCE.sub("", line)
    if not _SENTENCE_END.search(line):
        return False
    match = _LAST_WORD.search(line)
    if match is None:  # ends with ! ? or … (or a stop after punctuation)
        return True
    word = match.group(1).lower()
    if word in ABBREVIATIONS:
        return False
    # A single capital initial ("in R. Kunz, S.") is a name, not a sentence end.
    return not _INITIAL.search(line[: match.end(1) + 1].rstrip("\"”’'»)]"))


# Words a finished sentence (or a heading) does not end with.
_DANGLING_WORDS = frozenset(
    """a an the and or nor but of in on at to for by with from into as than that which who
    whose whom is are was were be been being has have had will would can could shall should
    may must its their our his her my your this these those very most more such""".split()
)


def ends_unfinished(line: str) -> bool:
    """Does ``line`` end with a word no sentence ends with ("... adopted by the")?"""
    tail = line.rstrip()[-20:].rsplit(None, 1)[-1:] or [""]
    return tail[0] in _DANGLING_WORDS


def starts_lowercase(line: str) -> bool:
    """Does ``line`` continue a sentence: start with a lowercase letter or closing punctuation?"""
    line = line.lstrip()
    if not line:
        return False
    first = line[0]
    return first.islower() or first in ",;:)]—–"


def starts_list_item(line: str) -> bool:
    """Does ``line`` start a bullet, a numbered item or an endnote (``[3] ...``)?"""
    return bool(_LIST_START.match(line.lstrip()))


def ends_clause(line: str) -> bool:
    """A sentence end, or a colon: a line after which a new paragraph may start."""
    return ends_sentence(line) or line.rstrip().endswith(":")


# Function words that stay lower case in a title-case heading.
_MINOR_WORDS = frozenset(
    """a an the and or nor but of in on at to for by with within without outside inside
    under over from into onto between among as vs via about against after before
    beyond through than versus per""".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_TOKEN = re.compile(r"[^\W_][\w'’\-]*")


def looks_like_heading(line: str, *, max_words: int = 12) -> bool:
    """Is ``line`` a short title-case or all-caps line without closing punctuation?

    ``"GGIM within the UN"``, ``"Conclusion"``, ``"2. Gratitude to the
    International Community"`` are; ``"Mr. President,"`` or a sentence is not.
    """
    line = line.strip()
    if (
        not line
        or len(line) > 100
        or line.endswith((".", ",", ";", ":"))
        or not (line[0].isupper() or line[0].isdigit())  # not lower case, not a quotation
    ):
        return False
    words = _WORD.findall(line)
    if not words or len(words) > max_words or max(len(w) for w in words) < 3:
        return False
    # "... remarked that" or "... proclaimed" introduce a quotation; headings end in a name.
    if words[-1][0].islower() and not line.endswith("?"):
        return False
    content = [w for w in words if w.lower() not in _MINOR_WORDS] or words
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised / len(content) >= 0.75


def is_title_case(line: str, *, min_share: float = 0.8) -> bool:
    """Are at least ``min_share`` of the line's content words capitalised ("National Statement of
    the United States on the Adoption of the Global Compact")? Sentences are not."""
    words = _TOKEN.findall(line)  # "67th" is a number, not a lower-case word
    content = [w for w in words if w.lower() not in _MINOR_WORDS and not w[0].isdigit()]
    return bool(content) and sum(1 for w in content if w[0].isupper()) / len(content) >= min_share


def title_like(text: str, max_words: int = 20) -> bool:
    """Could ``text`` be a title: short, capitalised, not a sentence cut short or a form of address?"""
    return (
        len(text.split()) <= max_words
        and (text[:1].isupper() or text[:1].isdigit())  # "3 reasons all countries should ..."
        and not ends_unfinished(text)
        and not text.endswith((".", ",", ";", ":"))
        and (text.endswith(("?", "!")) or not ends_sentence(text))  # "... Desirable?" is a title
        and not ADDRESS.match(text)
    )
