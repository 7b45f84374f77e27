"""Linguistic cues for stance and framing: what a passage claims, and how.

:class:`CueTagger` marks lexicon phrases (``ggtext/data/lexicons``) as spans in
``doc.spans["ggtext_cues"]``; the label is the cue type (:data:`CUE_LABELS`).
The module functions read those spans back for one span at a time:
:func:`is_negated`, :func:`cue_polarity`, :func:`attribution`,
:func:`is_hedged`, and :func:`sentence_cue_counts` (numeric features for the
stance models and document scores). They work on any Doc that went through
the tagger, and only need sentence boundaries (the sentencizer, a parser, or
at least the paragraph splitter).
"""

from __future__ import annotations

import warnings
from bisect import bisect_left, bisect_right
from collections import defaultdict
from pathlib import Path
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..errors import KnowledgeBaseError
from .attribution_frames import attribution_spans
from .cue_lexicons import CUE_LABELS, DEFAULT_LEXICON_DIR, Lexicon, LexiconEntry, load_lexicons
from .cue_matching import LexiconMatcher
from .doc_index import doc_facts, sentence_of, sentences_of
from .keys import CUES_KEY
from .reader_tokenizer import plain_tokenizer
from .saved_data import read_files, write_files

#: Folder of a saved cue component that holds its custom lexicons.
LEXICON_FOLDER = "lexicons"
#: How quoted speech closed by its speaker counts: "reported" (someone else's view, as in news
#: and essays) or "own" (the author's voice, as a government release quoting its own minister).
QUOTATION_SETTINGS = ("reported", "own")
#: Factories that set sentence boundaries.
SENTENCE_FACTORIES = frozenset({"sentencizer", "senter", "parser"})

__all__ = [
    "CUE_LABELS",
    "CUE_COUNT_KEYS",
    "STANCE_SIGN",
    "CueTagger",
    "is_negated",
    "cue_polarity",
    "attribution",
    "is_hedged",
    "sentence_cue_counts",
]

#: Sign of a stance cue before negation; other labels have polarity 0.
STANCE_SIGN: dict[str, int] = {"FEASIBLE": 1, "INFEASIBLE": -1, "DESIRABLE": 1, "UNDESIRABLE": -1}
FEASIBILITY_LABELS = ("FEASIBLE", "INFEASIBLE")
DESIRABILITY_LABELS = ("DESIRABLE", "UNDESIRABLE")

#: Tokens after a negation that it may reach: "not very plausible" (1), "has not so far managed" (2).
NEGATION_WINDOW = 4
#: After a negated verb of judging or rendering the scope runs to the clause end:
#: "does not render the concept of GGIM as less feasible", "it is not the case that".
EXTENDED_NEGATION_WINDOW = 12
SCOPE_EXTENDERS = frozenset(
    """render renders rendered rendering make makes made making mean means meant imply implies
    implied suggest suggests suggested prove proves proved seem seems seemed appear appears appeared
    believe believes believed think thinks thought expect expects expected consider considers considered
    regard regards regarded see sees find finds found view views true case clear certain sure evidence
    necessarily say says said""".split()
)
#: Tokens that close a clause for negation and hedge scope. A negation never
#: crosses these; "that"/"which"/... (SOFT) are crossed only by an extended scope.
HARD_BOUNDARIES = frozenset(
    {
        ",",
        ";",
        ":",
        "(",
        ")",
        "—",
        "–",
        "?",
        "!",
        ".",
        '"',
        "“",
        "”",
        "but",
        "however",
        "although",
        "though",
        "whereas",
        "while",
        "whilst",
        "yet",
        "despite",
        "unless",
        "because",
        "since",
        "nevertheless",
        "nonetheless",
        "notwithstanding",
    }
)
SOFT_BOUNDARIES = frozenset({"that", "which", "who", "whom", "whose", "where", "when", "if", "whether"})


def _is_boundary(token, *, soft: bool) -> bool:
    """Does ``token`` close a clause? A hyphen does only as a spaced dash ("funded - a"), not in "long-term"."""
    word = token.lower_
    if word == "-":
        return bool(token.whitespace_) and token.i > 0 and bool(token.doc[token.i - 1].whitespace_)
    return word in HARD_BOUNDARIES or (soft and word in SOFT_BOUNDARIES)


#: Keys of :func:`sentence_cue_counts`, in a fixed order (feature names for models).
CUE_COUNT_KEYS: tuple[str, ...] = CUE_LABELS + (
    "feasibility_polarity",
    "desirability_polarity",
    "feasibility_polarity_own",
    "desirability_polarity_own",
    "feasibility_polarity_reported",
    "desirability_polarity_reported",
    "negated_stance",
    "hedged_stance",
    "hedged",
    "attributed",
    "n_sentences",
    "n_tokens",
)


class CueTagger:
    """Mark stance, hedge, negation, attribution, framing and topic cues.

    Lexicons are read and validated once, when the component is built, and
    compiled into one :class:`~ggtext.pipeline.cue_matching.LexiconMatcher`
    (phrase matchers plus anchored token patterns) that runs over each Doc. Overlaps are resolved per label, longest first, and
    FEASIBLE/INFEASIBLE (and DESIRABLE/UNDESIRABLE) compete with each other, so
    "less feasible" is one INFEASIBLE cue, not also a FEASIBLE one. Each span's
    ``id_`` names the lexicon entry that matched; ATTRIBUTION spans keep the
    reported source's text in ``kb_id_``.
    """

    def __init__(self, nlp: Language, name: str = "ggtext_cues", *, quotations: str = "reported"):
        if quotations not in QUOTATION_SETTINGS:
            raise ValueError(f"ggtext_cues: quotations is one of {QUOTATION_SETTINGS}, not {quotations!r}")
        self.nlp = nlp
        self.name = name
        self.quotations = quotations
        self.lexicon_files: dict[str, bytes] | None = None  # custom lexicons' files; None: the shipped ones
        self._checked_sentences = False
        self._load(load_lexicons(DEFAULT_LEXICON_DIR))

    def load_lexicons(self, directory: str | Path) -> "CueTagger":
        """Use the lexicon files in ``directory`` instead of the shipped ones."""
        lexicons = load_lexicons(directory)
        self._load(lexicons)
        self.lexicon_files = read_files(lexicon.path for lexicon in lexicons)
        return self

    def initialize(self, get_examples=None, *, nlp: Language | None = None, lexicon_dir: str | None = None) -> None:
        """``nlp.initialize()`` hook: ``[initialize.components.ggtext_cues] lexicon_dir = ...``."""
        if lexicon_dir is not None:
            self.load_lexicons(lexicon_dir)

    @property
    def labels(self) -> tuple[str, ...]:
        """The cue labels this tagger's lexicons can produce."""
        present = {lexicon.label for lexicon in self.lexicons}
        return tuple(label for label in CUE_LABELS if label in present)

    def _load(self, lexicons: list[Lexicon]) -> None:
        self.lexicons = lexicons
        vocab = self.nlp.vocab
        tokenize = plain_tokenizer(self.nlp)
        self._matcher = LexiconMatcher(vocab)
        self._entries: dict[int, LexiconEntry] = {}
        for lexicon in lexicons:
            for entry in lexicon.entries:
                key = f"ggtext_cue|{entry.origin}|{entry.value if entry.mode == 'phrase' else ''}"
                self._entries[vocab.strings.add(key)] = entry
                try:
                    if entry.mode == "phrase":
                        self._matcher.add_phrases(key, [tokenize(entry.value)])
                    else:
                        self._matcher.add_pattern(key, entry.pattern)
                except ValueError as err:  # MatchPatternError and friends
                    raise KnowledgeBaseError(f"{entry.origin}: spaCy rejects the pattern: {err}") from err

    def __call__(self, doc: Doc) -> Doc:
        if not self._checked_sentences:
            self._checked_sentences = True
            warn_without_sentences(self.nlp, self.name)
        matches = self._matcher(doc)
        found: dict[tuple[str, str], list[tuple[int, int, LexiconEntry]]] = defaultdict(list)
        excluded: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for key, start, end in matches:
            entry = self._entries[key]
            if entry.keep == "last":
                start = end - 1
            elif entry.keep == "first":
                end = start + 1
            if entry.exclude:
                excluded[entry.label].append((start, end))
            else:
                found[(entry.label, entry.role)].append((start, end, entry))
        for (label, _role), items in found.items():
            if excluded[label]:
                items[:] = [m for m in items if not _overlaps_any(m[0], m[1], excluded[label])]

        spans: list[Span] = []
        for group in _competing_label_groups():
            candidates = [
                Span(doc, start, end, label=label, span_id=entry.id)
                for label in group
                for start, end, entry in sorted(found.get((label, "cue"), []), key=_match_order)
            ]
            spans.extend(filter_spans(candidates))
        spans.extend(attribution_spans(doc, found, quotations=self.quotations == "reported"))
        spans.sort(key=lambda s: (s.start, s.end, s.label_))
        doc.spans[CUES_KEY] = spans
        return doc

    # spaCy serialization: custom lexicon files travel with a saved pipeline.
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write custom lexicons into ``path`` (the shipped ones are not copied)."""
        target = Path(path)
        target.mkdir(parents=True, exist_ok=True)
        if self.lexicon_files is not None:
            write_files(target / LEXICON_FOLDER, self.lexicon_files)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "CueTagger":
        """Read back what :meth:`to_disk` wrote (the shipped lexicons when it wrote none)."""
        folder = Path(path) / LEXICON_FOLDER
        if folder.is_dir():
            self.load_lexicons(folder)
        elif self.lexicon_files is not None:
            self._load(load_lexicons(DEFAULT_LEXICON_DIR))
            self.lexicon_files = None
        return self


def has_sentence_splitter(nlp: Language, *, before: str | None = None) -> bool:
    """Whether a component that sets sentence boundaries runs in ``nlp`` (before ``before``, if given)."""
    names = nlp.pipe_names
    if before in names:
        names = names[: names.index(before)]
    return any(nlp.get_pipe_meta(n).factory in SENTENCE_FACTORIES for n in names)


def warn_without_sentences(nlp: Language, name: str) -> None:
    """Warn once when no component before ``name`` sets sentence boundaries (cues, attribution and
    evidence are per sentence; without them a paragraph is one "sentence")."""
    if not has_sentence_splitter(nlp, before=name):
        warnings.warn(
            f"{name}: no sentence splitter runs before it, so each paragraph counts as one sentence; "
            f"add one first: nlp.add_pipe('sentencizer', before={name!r}) (ggtext.load() does)",
            stacklevel=3,
        )


def _competing_label_groups() -> list[tuple[str, ...]]:
    groups: list[tuple[str, ...]] = [FEASIBILITY_LABELS, DESIRABILITY_LABELS]
    grouped = set(FEASIBILITY_LABELS + DESIRABILITY_LABELS + ("ATTRIBUTION",))
    groups.extend((label,) for label in CUE_LABELS if label not in grouped)
    return groups


def _match_order(match: tuple[int, int, LexiconEntry]) -> tuple:
    start, end, entry = match
    return (start, end, entry.origin, entry.id)


def _overlaps_any(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start < r_end and r_start < end for r_start, r_end in ranges)


# --------------------------------------------------------------------------
# Reading cues back: negation, polarity, attribution, hedging, counts
# --------------------------------------------------------------------------


# Reading a SpanGroup builds a Python Span per item, which dominates when the
# functions below run once per sentence. So the lists of the last few Docs read
# are kept (most recent first) and rebuilt when a Doc or its group changes. A few
# entries only: a map keyed by Doc (even a weak one) keeps every Doc alive, since
# its Spans refer to the Doc. More than one, because the model parses passages
# into small Docs between lookups in the document's own Doc.
_CUE_CACHE: list = []  # [(doc, group, len(group), spans)]
_CUE_CACHE_SIZE = 4


def _cues(doc: Doc, key: str = CUES_KEY) -> list[Span]:
    if key not in doc.spans:
        return []
    group = doc.spans[key]
    if key != CUES_KEY:
        return list(group)
    for k, cached in enumerate(_CUE_CACHE):
        if cached[0] is doc and cached[1] is group and cached[2] == len(group):
            if k:
                _CUE_CACHE.insert(0, _CUE_CACHE.pop(k))
            return cached[3]
    spans = list(group)
    _CUE_CACHE.insert(0, (doc, group, len(group), spans))
    del _CUE_CACHE[_CUE_CACHE_SIZE:]
    return spans


#: Indexes of the last few cue lists searched by :func:`_within`: (list, its length, index).
#: Small and recent-only, like ``_CUE_CACHE``, so no Doc is kept alive for long.
_WITHIN_INDEX: list = []
_WITHIN_INDEX_SIZE = 16


def _cue_index(cues: list[Span]) -> dict[str | None, tuple[list[int], list[int], list[Span]]]:
    """``{label (None: all): (sorted starts, positions in cues, spans)}`` of ``cues``, cached."""
    for k, entry in enumerate(_WITHIN_INDEX):
        if entry[0] is cues and entry[1] == len(cues):
            if k:
                _WITHIN_INDEX.insert(0, _WITHIN_INDEX.pop(k))
            return entry[2]
    entries: dict[str | None, list[tuple[int, int, Span]]] = {None: []}
    for position, cue in enumerate(cues):
        item = (cue.start, position, cue)
        entries[None].append(item)
        entries.setdefault(cue.label_, []).append(item)
    index = {}
    for label, items in entries.items():
        items.sort(key=lambda item: (item[0], item[1]))
        index[label] = ([i[0] for i in items], [i[1] for i in items], [i[2] for i in items])
    _WITHIN_INDEX.insert(0, (cues, len(cues), index))
    del _WITHIN_INDEX[_WITHIN_INDEX_SIZE:]
    return index


def _within(cues: list[Span], start: int, end: int, label: str | None) -> list[Span]:
    """The cues (of ``label``; None: any) inside tokens [start, end), in the order of ``cues``.

    A sorted index of starts (built once per list) and bisection keep this
    logarithmic in the number of cues, so a document's verdict stays linear.
    """
    found = _cue_index(cues).get(label)
    if not found:
        return []
    starts, positions, spans = found
    low, high = bisect_left(starts, start), bisect_right(starts, end)
    hits = [(positions[k], spans[k]) for k in range(low, high) if spans[k].end <= end]
    hits.sort(key=lambda hit: hit[0])
    return [span for _, span in hits]


def is_negated(span: Span, *, window: int = NEGATION_WINDOW, cues: list[Span] | None = None) -> bool:
    """True when a NEGATION cue has ``span`` in scope.

    Scope: the negation ends before the span, in the same sentence, at most
    ``window`` tokens before it, with no clause boundary in between ("not
    very plausible", "no longer works", "far from effective"). When a verb
    of judging or rendering follows the negation ("does not render X as less
    feasible", "does not mean that"), the scope runs on to the clause end.
    A negation inside the span itself ("not been kept") is part of the cue,
    not a negation of it. ``cues`` lets callers pass ``doc.spans`` once.
    """
    doc = span.doc
    sentence = sentence_of(doc, span.start)
    cues = _cues(doc) if cues is None else cues
    for negation in _within(cues, sentence.start, span.start, "NEGATION"):
        if _in_negation_scope(doc, negation, span.start, window):
            return True
    return False


def _in_negation_scope(doc: Doc, negation: Span, target: int, window: int) -> bool:
    between = doc[negation.end : target]
    head = [t.lower_ for t in doc[negation.end : min(negation.end + 3, target)]]
    extended = any(word in SCOPE_EXTENDERS for word in head)
    limit = EXTENDED_NEGATION_WINDOW if extended else window
    if len(between) > limit:
        return False
    return not any(_is_boundary(token, soft=not extended) for token in between)


def cue_polarity(span: Span, *, cues: list[Span] | None = None) -> int:
    """+1 for FEASIBLE/DESIRABLE, -1 for INFEASIBLE/UNDESIRABLE, flipped when negated; 0 otherwise."""
    sign = STANCE_SIGN.get(span.label_, 0)
    if sign and is_negated(span, cues=cues):
        return -sign
    return sign


def attribution(span: Span, *, cues: list[Span] | None = None) -> str | None:
    """The source a sentence reports ("Realism", "Landau and Segatti (2013)"), or None in the author's voice.

    Looks at the sentence(s) ``span`` lies in: a sentence with an ATTRIBUTION
    frame reports that frame's source. With several frames, the last one that
    starts before the span's end wins. A following sentence counts as the same
    reported view only when it continues it with "they/he/she + reporting
    verb" (decided by the tagger); otherwise it is the author's voice again.
    Kept per Doc (:func:`~ggtext.pipeline.doc_index.doc_facts`): ``cues``, when
    given, must hold every cue of the span's sentences.
    """
    doc = span.doc
    facts = doc_facts(doc)
    key = ("attribution", span.start, span.end)
    if key in facts:
        return facts[key]
    sentences = sentences_of(span)
    source = None
    if sentences:
        cues = _cues(doc) if cues is None else cues
        frames = _within(cues, sentences[0].start, sentences[-1].end, "ATTRIBUTION")
        if frames:
            before = [f for f in frames if f.start < span.end]
            chosen = before[-1] if before else frames[0]
            source = chosen.kb_id_ or chosen.text
    facts[key] = source
    return source


def is_hedged(span: Span, *, cues: list[Span] | None = None) -> bool:
    """True when a HEDGE in the same sentence qualifies ``span``.

    A hedge qualifies what follows it in its clause ("may prove effective"),
    or the whole sentence when it opens the sentence or ends in "that"
    ("Arguably, ...", "it can be argued that ..."). A hedge inside the span
    ("could be achieved") also counts.
    """
    doc = span.doc
    sentence = sentence_of(doc, span.start)
    cues = _cues(doc) if cues is None else cues
    for hedge in _within(cues, sentence.start, sentence.end, "HEDGE"):
        if hedge.start >= span.end:
            continue
        if hedge.end > span.start:  # inside or overlapping the span
            return True
        if _governs_sentence(doc, hedge, sentence):
            return True
        between = doc[hedge.end : span.start]
        if not any(_is_boundary(t, soft=True) for t in between):
            return True
    return False


def _governs_sentence(doc: Doc, hedge: Span, sentence: Span) -> bool:
    opening = all(
        t.is_punct or t.is_space or t.lower_ in {"and", "but", "yet", "so"} for t in doc[sentence.start : hedge.start]
    )
    return opening or hedge[-1].lower_ == "that" or hedge[0].lower_ == "it"


def sentence_cue_counts(span: Span) -> dict[str, float]:
    """Cue features of a sentence (or any span: a paragraph, a document).

    Keys (:data:`CUE_COUNT_KEYS`, always all present):

    - one count per cue label (``"FEASIBLE"``, ``"NEGATION"``, ...);
    - ``feasibility_polarity`` / ``desirability_polarity``: sums of
      :func:`cue_polarity` over the stance cues, after negation;
    - ``*_own`` / ``*_reported``: the same sums split by whether the cue's
      sentence is in the author's voice or attributed to a source;
    - ``negated_stance`` / ``hedged_stance``: stance cues negated / hedged;
    - ``hedged`` / ``attributed``: share of the span's sentences with a hedge /
      an attribution (0 or 1 for a single sentence);
    - ``n_sentences``, ``n_tokens``.
    """
    doc = span.doc
    counts: dict[str, float] = {key: 0.0 for key in CUE_COUNT_KEYS}
    sentences = sentences_of(span)
    # Only cues in the span's sentences matter; filtering once keeps this linear.
    low, high = (sentences[0].start, sentences[-1].end) if sentences else (span.start, span.end)
    cues = _within(_cues(doc), low, high, None)
    counts["n_sentences"] = float(len(sentences))
    counts["n_tokens"] = float(len(span))
    attributed_sentences: dict[int, bool] = {}
    hedged_sentences = 0
    for sentence in sentences:
        attributed_sentences[sentence.start] = attribution(sentence, cues=cues) is not None
        hedged_sentences += bool(_within(cues, sentence.start, sentence.end, "HEDGE"))
    for cue in cues:
        if cue.start < span.start or cue.end > span.end:
            continue
        counts[cue.label_] = counts.get(cue.label_, 0.0) + 1.0
        if cue.label_ not in STANCE_SIGN:
            continue
        polarity = cue_polarity(cue, cues=cues)
        dimension = "feasibility" if cue.label_ in FEASIBILITY_LABELS else "desirability"
        voice = "reported" if attributed_sentences.get(sentence_of(doc, cue.start).start) else "own"
        counts[f"{dimension}_polarity"] += polarity
        counts[f"{dimension}_polarity_{voice}"] += polarity
        counts["negated_stance"] += polarity != STANCE_SIGN[cue.label_]
        counts["hedged_stance"] += is_hedged(cue, cues=cues)
    if sentences:
        counts["hedged"] = hedged_sentences / len(sentences)
        counts["attributed"] = sum(attributed_sentences.values()) / len(sentences)
    return counts
