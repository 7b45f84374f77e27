"""Actor recognition: find governance actors and label each mention with its canonical id.

Names come from the knowledge base (``ggtext/data/actors``, see its README). Matching is
two PhraseMatchers built once per component: names and aliases in any case (``LOWER``),
abbreviations and case-sensitive names as written (``ORTH``). Matching runs on the
document's tokens without whitespace tokens, so names broken across line breaks still
match. Overlaps are settled by longest match; ambiguous forms ("IMO", "the Organization")
are resolved from cue words nearby and actors named elsewhere in the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from spacy.attrs import IS_SPACE, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..knowledge import AmbiguousForm, KnowledgeBase, load_knowledge_base
from .keys import ACTORS_KEY, KB_KEY, PARAGRAPHS_KEY
from .reader_tokenizer import plain_tokenizer
from .saved_data import fingerprint, read_files, write_files

if TYPE_CHECKING:
    import pandas as pd

#: Folder of a saved actor component that holds its custom knowledge base.
KB_FOLDER = "knowledge_base"
TABLE_COLUMNS = ["id", "type", "mentions", "first_position", "paragraph_share"]

_NON_ACTOR = "\x00non-actor"
_AMBIGUOUS = "\x00ambiguous:"


def _plural(word: str) -> str:
    """English plural of a name's last word ("society" -> "societies", "NGO" -> "NGOs")."""
    lower = word.lower()
    if word.isupper():
        return word + "s"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def surface_variants(text: str, *, plurals: bool = False, capitals: bool = False) -> set[str]:
    """Spellings a name also appears in: both apostrophes, space for hyphen, plural, capitals."""
    forms = {text}
    forms |= {f.replace("'", "\u2019") for f in forms} | {f.replace("\u2019", "'") for f in forms}
    forms |= {re.sub(r"(?<=\w)-(?=\w)", " ", f) for f in forms}
    # Two lower-case words are also written hyphenated ("people-smuggling", "civil-society").
    forms |= {f.replace(" ", "-") for f in forms if f.count(" ") == 1 and f.islower()}
    if plurals:
        forms |= {f[: len(f) - len(f.split()[-1])] + _plural(f.split()[-1]) for f in forms}
    if capitals:
        forms |= {f.upper() for f in forms}
    return forms


@dataclass(frozen=True)
class _Compact:
    """The document's non-whitespace tokens as their own Doc, with the way back."""

    doc: Doc
    index: list[int]  # compact token i -> original token index

    @classmethod
    def of(cls, doc: Doc) -> "_Compact":
        # Token attributes as arrays: no Python Token object per token.
        attrs = doc.to_array([IS_SPACE, ORTH]).reshape(len(doc), 2)
        index = np.flatnonzero(attrs[:, 0] == 0).tolist()
        if len(index) == len(doc):
            return cls(doc, index)
        strings = doc.vocab.strings
        words = [strings[int(orth)] for orth in attrs[index, 1]]
        return cls(Doc(doc.vocab, words=words), index)


#: Custom knowledge bases in use in this process, by fingerprint (``doc.user_data[KB_KEY]``).
_CUSTOM_KBS: dict[str, KnowledgeBase] = {}


class ActorRecognizer:
    """Write actor mentions to ``doc.spans["ggtext_actors"]``; each span's label is the actor id.

    Uses the shipped knowledge base unless :meth:`load_knowledge_base` (or
    ``nlp.initialize`` with ``kb_path``) gives another one: a folder of
    knowledge-base YAML files or one file. A custom knowledge base travels with
    ``nlp.to_disk`` inside the component's folder. The match patterns are built
    once per knowledge base.
    """

    def __init__(self, nlp: Language, name: str = "ggtext_actors"):
        self.name = name
        self.nlp = nlp
        self.kb_files: dict[str, bytes] | None = None  # a custom knowledge base's files; None: the shipped one
        self._use(load_knowledge_base(None), None)

    # -- data -----------------------------------------------------------------------------
    def load_knowledge_base(self, path: str | Path) -> "ActorRecognizer":
        """Use the knowledge base at ``path`` (a folder of ``*.yaml`` files or one file)."""
        kb = load_knowledge_base(path)
        self._use(kb, read_files(kb.sources))
        return self

    def initialize(self, get_examples=None, *, nlp: Language | None = None, kb_path: str | None = None) -> None:
        """``nlp.initialize()`` hook: ``[initialize.components.ggtext_actors] kb_path = ...``."""
        if kb_path is not None:
            self.load_knowledge_base(kb_path)

    def _use(self, kb: KnowledgeBase, files: dict[str, bytes] | None) -> None:
        self.kb, self.kb_files = kb, files
        self.kb_key = fingerprint(files) if files is not None else None
        if self.kb_key is not None:
            _CUSTOM_KBS[self.kb_key] = kb
        self._any_case = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._ambiguous: dict[str, AmbiguousForm] = {}
        self._cue_patterns: dict[tuple[int, int], re.Pattern] = {}
        self._add_patterns(self.nlp)

    def to_disk(self, path: str | Path, *, exclude=()) -> None:
        """Write a custom knowledge base into ``path`` (the shipped one is not copied)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.kb_files is not None:
            write_files(path / KB_FOLDER, self.kb_files)

    def from_disk(self, path: str | Path, *, exclude=()) -> "ActorRecognizer":
        """Read back what :meth:`to_disk` wrote (the shipped knowledge base when it wrote none)."""
        folder = Path(path) / KB_FOLDER
        if folder.is_dir():
            self.load_knowledge_base(folder)
        elif self.kb_files is not None:
            self._use(load_knowledge_base(None), None)
        return self

    # -- patterns -------------------------------------------------------------------------
    def _add_patterns(self, nlp: Language) -> None:
        any_case: dict[str, set[str]] = {}
        exact: dict[str, set[str]] = {}
        for actor in self.kb.actors.values():
            for text in (*actor.names, *actor.aliases):
                variants = surface_variants(text, plurals=actor.plurals, capitals=actor.match_case)
                (exact if actor.match_case else any_case).setdefault(actor.id, set()).update(variants)
            for text in actor.abbreviations:
                exact.setdefault(actor.id, set()).update(surface_variants(text, plurals=actor.plurals))
        for text in self.kb.non_actors:
            any_case.setdefault(_NON_ACTOR, set()).update(surface_variants(text, plurals=False))
        for k, entry in enumerate(self.kb.ambiguous):
            key = f"{_AMBIGUOUS}{k}"
            self._ambiguous[key] = entry
            for text in entry.forms:
                (exact if entry.match_case else any_case).setdefault(key, set()).update(surface_variants(text))
            for c, candidate in enumerate(entry.candidates):
                if candidate.cues:
                    alternatives = "|".join(
                        re.escape(cue.lower()) for cue in sorted(candidate.cues, key=len, reverse=True)
                    )
                    # A cue matches words that start with it ("migra" -> migrants, migration).
                    self._cue_patterns[(k, c)] = re.compile(rf"(?<!\w)(?:{alternatives})")
        for matcher, table in ((self._any_case, any_case), (self._exact, exact)):
            for key, forms in table.items():
                matcher.add(key, list(plain_tokenizer(nlp).pipe(sorted(forms))))

    # -- matching -------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        compact = _Compact.of(doc)
        cdoc = compact.doc
        strings = doc.vocab.strings
        raw = [(s, e, strings[m]) for m, s, e in self._any_case(cdoc)]
        raw += [(s, e, strings[m]) for m, s, e in self._exact(cdoc)]
        # Longest match wins; among equals, the earliest.
        raw.sort(key=lambda m: (m[0] - m[1], m[0]))
        taken = bytearray(len(cdoc))
        kept = []
        for start, end, key in raw:
            if not any(taken[start:end]):
                taken[start:end] = b"\x01" * (end - start)
                kept.append((start, end, key))
        kept.sort()
        named = {key for _, _, key in kept if not key.startswith("\x00")}
        found = []
        for start, end, key in kept:
            if key == _NON_ACTOR:
                continue
            if key.startswith(_AMBIGUOUS):
                key = self._resolve(cdoc, start, end, self._ambiguous[key], int(key[len(_AMBIGUOUS) :]), named)
                if key is None:
                    continue
            first, last = compact.index[start], compact.index[end - 1] + 1
            found.append(Span(doc, first, last, label=key, kb_id=key))
        doc.spans[ACTORS_KEY] = found
        if self.kb_key is not None:
            doc.user_data[KB_KEY] = self.kb_key
        else:
            doc.user_data.pop(KB_KEY, None)
        return doc

    def _resolve(self, cdoc: Doc, start: int, end: int, entry: AmbiguousForm, k: int, named: set[str]) -> str | None:
        """Choose the candidate id of an ambiguous mention, or None to drop it."""
        before = cdoc[start - 1].text if start > 0 else ""
        after = cdoc[end].text if end < len(cdoc) else ""
        if entry.preceded_by and before.lower() not in {w.lower() for w in entry.preceded_by}:
            return None
        for phrase in entry.not_preceded_by:  # a word, or several ("Envoy of the")
            words = phrase.split()
            if start >= len(words) and [t.text for t in cdoc[start - len(words) : start]] == words:
                return None
        if after.lower() in {w.lower() for w in entry.not_followed_by}:
            return None
        window = cdoc[max(0, start - entry.window) : min(len(cdoc), end + entry.window)].text.lower()
        best, best_score = [], 0
        for c, candidate in enumerate(entry.candidates):
            pattern = self._cue_patterns.get((k, c))
            score = 2 * len(set(pattern.findall(window))) if pattern else 0
            score += 1 if named.intersection(candidate.cue_ids) else 0
            if score > best_score:
                best, best_score = [candidate.id], score
            elif score == best_score and score > 0:
                best.append(candidate.id)
        if not best:
            return entry.default
        return entry.default if entry.default in best else best[0]


# -- helpers used by the ._.ggtext views -----------------------------------------------------
def _kb_for(doc: Doc) -> KnowledgeBase:
    """The knowledge base the Doc's actors were found with (the shipped one unless a custom one was used)."""
    key = doc.user_data.get(KB_KEY)
    return _CUSTOM_KBS.get(key) if key in _CUSTOM_KBS else load_knowledge_base(None)


def actor_type(span: Span) -> str | None:
    """The knowledge-base type of an actor mention ("un_body", "state", ...), None if not an actor."""
    if not span.label_:
        return None
    return _kb_for(span.doc).type_of(span.label_)


def actor_table(doc: Doc) -> "pd.DataFrame":
    """One row per actor: id, type, mentions, first_position, paragraph_share.

    ``first_position`` is the character offset of the first mention; ``paragraph_share`` the
    share of the document's paragraphs (``doc.spans["ggtext_paragraphs"]``, the whole document
    when there are none) that mention the actor. Sorted by mentions, then first position.
    """
    import pandas as pd

    mentions = list(doc.spans[ACTORS_KEY]) if ACTORS_KEY in doc.spans else []
    if not mentions:
        return pd.DataFrame(
            {c: pd.Series(dtype=t) for c, t in zip(TABLE_COLUMNS, ["object", "object", "int64", "int64", "float64"])}
        )
    kb = _kb_for(doc)
    paragraphs = list(doc.spans[PARAGRAPHS_KEY]) if PARAGRAPHS_KEY in doc.spans else []
    bounds = [(p.start, p.end) for p in paragraphs] or [(0, len(doc))]
    rows: dict[str, dict] = {}
    for span in mentions:
        row = rows.setdefault(
            span.label_,
            {
                "id": span.label_,
                "type": kb.type_of(span.label_),
                "mentions": 0,
                "first_position": span.start_char,
                "paragraphs": set(),
            },
        )
        row["mentions"] += 1
        row["first_position"] = min(row["first_position"], span.start_char)
        row["paragraphs"].update(i for i, (s, e) in enumerate(bounds) if s <= span.start < e)
    table = pd.DataFrame(
        [
            {
                **{k: v for k, v in row.items() if k != "paragraphs"},
                "paragraph_share": len(row["paragraphs"]) / len(bounds),
            }
            for row in rows.values()
        ],
        columns=TABLE_COLUMNS,
    )
    table = table.sort_values(["mentions", "first_position"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True).astype({"mentions": "int64", "first_position": "int64"})
