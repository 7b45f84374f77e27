"""Reporting frames: which sentences give someone else's view, and whose.

:func:`attribution_spans` composes the ATTRIBUTION matches of the cue tagger
(roles of ``ggtext/data/lexicons/attribution.yaml``) into one span per
reporting frame, with the reported source's text in ``kb_id_``:

- ``frame`` + the source after it, up to a comma: "According to Landau (2013), ...";
- ``source`` + reporting ``verb``: "Realists argue", "Critics of X emphasise";
- ``anaphor`` + ``verb`` ("they point at") continues the view of the previous sentence;
- ``passive`` + agent: "was hailed by the UN Secretary-General as ...";
- a quotation closed by its speaker: '"...," Senator McKim said' or '"...," said the minister'
  (a ``speech_verb`` after the closing quotation mark); every sentence of the quotation is reported.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .cue_lexicons import LexiconEntry

#: Tokens between a source and its reporting verb: "the critics of the plausibility of GGIM emphasise".
ATTRIBUTION_GAP = 6
#: Longest source after a frame: "According to Landau and Segatti (2013),".
FRAME_SOURCE_MAX = 12
_FRAME_OPENERS = frozenset(
    {".", "!", "?", ",", ";", ":", "(", "—", "–", '"', "“", "but", "and", "however", "yet", "so", "thus", "hence"}
)
_SOURCE_STOP = frozenset({",", ";", ":", ".", "!", "?", "—", "–"})
_LEADING_ARTICLES = frozenset({"the", "a", "an"})
_PASSIVE_AUXILIARIES = frozenset({"be", "been", "being", "is", "are", "was", "were", "'s"})
#: Tokens that end the agent of a passive frame: "hailed by the UN Secretary-General as a triumph".
_AGENT_STOP = _SOURCE_STOP | frozenset(
    {"as", "for", "because", "who", "which", "that", "in", "at", "on", "during", "after", "before", "when", "while"}
)
#: Quotation marks as the reader leaves them (straight or typographic).
QUOTE_MARKS = frozenset({'"', "“", "”", "''", "``"})
_OPENING_QUOTES = frozenset({"“", "``"})
#: Longest speaker between a closing quotation mark and its verb: "Senator Jane McKim of Ohio".
QUOTE_SPEAKER_MAX = 6
#: Longest quotation read back from its closing mark, in tokens.
QUOTATION_MAX = 250
#: The author quoting themselves is still the author's voice.
_OWN_SPEAKERS = frozenset({"i", "we"})


def attribution_spans(doc: Doc, found: dict, *, quotations: bool = True) -> list[Span]:
    """Compose ATTRIBUTION spans from the tagger's matches, ``{(label, role): [(start, end, entry)]}``.

    ``quotations=False``: quoted speech closed by its speaker stays in the author's voice.
    """
    units = _sentence_starts(doc)
    verbs = sorted({(s, e) for s, e, _ in found.get(("ATTRIBUTION", "verb"), [])})
    sources = _longest(found.get(("ATTRIBUTION", "source"), []))
    source_starts = [s for s, _, _ in sources]
    by_sentence: dict[int, list[Span]] = defaultdict(list)

    for start, end, entry in sources:
        gap = entry.gap if entry.gap is not None else ATTRIBUTION_GAP
        verb = _reporting_verb(doc, end, verbs, source_starts, gap=gap)
        if verb is None or _unit(units, start) != _unit(units, verb[0]):
            continue
        # "those who believe": the relative clause names the source, so keep it.
        text = _source_text(doc[start : verb[1]] if doc[end - 1].lower_ == "who" else doc[start:end])
        by_sentence[_unit(units, start)].append(
            Span(doc, start, verb[1], label="ATTRIBUTION", kb_id=text, span_id=entry.id)
        )

    for start, end, entry in _longest(found.get(("ATTRIBUTION", "frame"), [])):
        source = _frame_source(doc, start, end, units)
        if source is not None:
            by_sentence[_unit(units, start)].append(
                Span(doc, start, source.end, label="ATTRIBUTION", kb_id=_source_text(source), span_id=entry.id)
            )

    for start, end, entry in _longest(found.get(("ATTRIBUTION", "passive"), [])):
        agent = _passive_agent(doc, end, units)
        if agent is not None:
            by_sentence[_unit(units, start)].append(
                Span(doc, start, agent.end, label="ATTRIBUTION", kb_id=_source_text(agent), span_id=entry.id)
            )

    for start, end, entry in _longest(found.get(("ATTRIBUTION", "speech_verb"), [])) if quotations else ():
        for span in _quotation_frames(doc, start, end, units, entry):
            by_sentence[_unit(units, span.start)].append(span)

    # "they point at ...": a pronoun continues the view reported in the sentence
    # just before; in text order, so a reported view can run over several sentences.
    for start, end, entry in _longest(found.get(("ATTRIBUTION", "anaphor"), [])):
        sentence = _unit(units, start)
        previous = sorted(by_sentence.get(sentence - 1, []), key=lambda s: s.start)
        verb = _reporting_verb(doc, end, verbs, source_starts, gap=entry.gap if entry.gap is not None else 2)
        if not previous or by_sentence.get(sentence) or verb is None:
            continue
        by_sentence[sentence].append(
            Span(doc, start, verb[1], label="ATTRIBUTION", kb_id=previous[-1].kb_id_, span_id=entry.id)
        )

    spans = [span for group in by_sentence.values() for span in group]
    return filter_spans(sorted(spans, key=lambda s: (s.start, s.end)))


def _reporting_verb(doc, source_end, verbs, source_starts, gap=ATTRIBUTION_GAP):
    """The first reporting verb within ``gap`` tokens after a source, in the same clause."""
    for v_start, v_end in verbs:
        if v_start < source_end:
            continue
        if v_start - source_end > gap:
            return None
        between = doc[source_end:v_start]
        if any(t.lower_ in (";", ":", ".", "!", "?") for t in between):
            return None
        if any(source_end < s < v_start for s in source_starts):  # a nearer source is the subject
            return None
        if v_start > 0 and doc[v_start - 1].lower_ in _PASSIVE_AUXILIARIES:  # "others must be acknowledged"
            return None
        return v_start, v_end
    return None


def _frame_source(doc: Doc, start: int, end: int, units: list[int]) -> Span | None:
    """The source after a clause-opening frame, up to the next comma: "According to X,"."""
    unit = _unit(units, start)
    unit_start = units[unit]
    unit_end = units[unit + 1] if unit + 1 < len(units) else len(doc)
    if start != unit_start and doc[start - 1].lower_ not in _FRAME_OPENERS:
        return None
    stop = end
    while stop < unit_end and stop - end < FRAME_SOURCE_MAX and doc[stop].lower_ not in _SOURCE_STOP:
        stop += 1
    if stop == end or (stop < unit_end and doc[stop].lower_ not in _SOURCE_STOP):
        return None  # nothing after the frame, or no comma within reach: not a frame
    while stop > end and (doc[stop - 1].is_space or doc[stop - 1].is_punct and doc[stop - 1].text != ")"):
        stop -= 1
    return doc[end:stop] if stop > end else None


def _passive_agent(doc: Doc, by_end: int, units: list[int]) -> Span | None:
    """The agent after "was hailed by", up to "as", a comma or the clause's end; None if none is a name."""
    return _name_after(doc, by_end, units, FRAME_SOURCE_MAX)  # "by 2030", "by far": no agent


def _name_after(doc: Doc, start: int, units: list[int], most: int) -> Span | None:
    """Up to ``most`` tokens from ``start`` to the clause's end (:data:`_AGENT_STOP`), if they open with a word."""
    unit = _unit(units, start - 1)
    unit_end = units[unit + 1] if unit + 1 < len(units) else len(doc)
    stop = start
    while stop < unit_end and stop - start < most and doc[stop].lower_ not in _AGENT_STOP:
        stop += 1
    while stop > start and (doc[stop - 1].is_space or doc[stop - 1].is_punct):
        stop -= 1
    return doc[start:stop] if stop > start and doc[start].is_alpha else None


def _quotation_frames(doc: Doc, start: int, end: int, units: list[int], entry: LexiconEntry) -> list[Span]:
    """Spans marking a quotation closed by its speaker: ',"  Senator McKim said' or ',"  said Senator McKim'.

    One span in the speaker's sentence (speaker and verb) and one on the first
    token of each earlier sentence of the quotation, all naming the speaker.
    """
    close = _previous_word(doc, start)
    if close is not None and doc[close].text in QUOTE_MARKS:  # "...," said Senator McKim
        speaker = _speaker_after(doc, end, units)
        frame = (start, speaker.end) if speaker is not None else None
    else:  # "...," Senator McKim said
        close, speaker = _speaker_before(doc, start)
        frame = (speaker.start, end) if speaker is not None else None
    if speaker is None or close is None or speaker[0].lower_ in _OWN_SPEAKERS:
        return []
    source = _source_text(speaker)
    spans = [Span(doc, frame[0], frame[1], label="ATTRIBUTION", kb_id=source, span_id=entry.id)]
    opening = _opening_quote(doc, close)
    if opening is not None:
        inside = opening + 1  # the sentencizer may leave an opening mark at the end of the sentence before
        for unit in range(_unit(units, inside), _unit(units, frame[0])):
            first = max(units[unit], inside)
            spans.append(Span(doc, first, first + 1, label="ATTRIBUTION", kb_id=source, span_id=entry.id))
    return spans


def _previous_word(doc: Doc, index: int) -> int | None:
    """Index of the last non-space token before ``index``."""
    index -= 1
    while index >= 0 and doc[index].is_space:
        index -= 1
    return index if index >= 0 else None


def _speaker_before(doc: Doc, verb_start: int) -> tuple[int | None, Span | None]:
    """(closing quotation mark, speaker) when up to QUOTE_SPEAKER_MAX words separate them from the verb."""
    words = 0
    for index in range(verb_start - 1, -1, -1):
        token = doc[index]
        if "\n\n" in token.text_with_ws or words == QUOTE_SPEAKER_MAX:  # no speaker across a paragraph break
            break
        if token.text in QUOTE_MARKS:
            return (index, doc[index + 1 : verb_start]) if words else (None, None)
        if token.is_punct and token.text not in (".", "-"):  # "Mr." and "Secretary-General" stay in a name
            break
        words += not token.is_space
    return None, None


def _speaker_after(doc: Doc, verb_end: int, units: list[int]) -> Span | None:
    """The speaker after 'said', up to the clause's end (at most QUOTE_SPEAKER_MAX tokens)."""
    return _name_after(doc, verb_end, units, QUOTE_SPEAKER_MAX)


def _opening_quote(doc: Doc, close: int) -> int | None:
    """The quotation mark that opens the quotation closed at ``close``, within QUOTATION_MAX tokens."""
    for index in range(close - 1, max(close - QUOTATION_MAX, 0) - 1, -1):
        token = doc[index]
        if token.text in QUOTE_MARKS:
            # A straight mark opens when it follows a space or starts the text; "”" never opens.
            if token.text in _OPENING_QUOTES or (
                token.text == '"' and (index == 0 or doc[index - 1].whitespace_ or doc[index - 1].is_space)
            ):
                return index
            return None
        if "\n\n" in token.text_with_ws:  # a quotation does not cross a paragraph break
            return None
    return None


def _source_text(span: Span) -> str:
    """The source as a clean string: no leading article, whitespace collapsed."""
    tokens = [t for t in span if not t.is_space]
    while len(tokens) > 1 and tokens[0].lower_ in _LEADING_ARTICLES:
        tokens = tokens[1:]
    if not tokens:
        return " ".join(span.text.split())
    return " ".join(span.doc[tokens[0].i : tokens[-1].i + 1].text.split())


def _longest(matches: list[tuple[int, int, LexiconEntry]]) -> list[tuple[int, int, LexiconEntry]]:
    """Non-overlapping matches, longest first (like spacy.util.filter_spans), in text order."""
    chosen: list[tuple[int, int, LexiconEntry]] = []
    taken: set[int] = set()
    for start, end, entry in sorted(matches, key=lambda m: (-(m[1] - m[0]), m[0], m[2].origin)):
        if not taken.intersection(range(start, end)):
            chosen.append((start, end, entry))
            taken.update(range(start, end))
    return sorted(chosen, key=lambda m: m[0])


def _sentence_starts(doc: Doc) -> list[int]:
    """Start token of each sentence (or paragraph, or the whole doc without boundaries)."""
    if doc.has_annotation("SENT_START"):
        return [sent.start for sent in doc.sents]
    return [0]


def _unit(starts: list[int], token_index: int) -> int:
    return bisect_right(starts, token_index) - 1
