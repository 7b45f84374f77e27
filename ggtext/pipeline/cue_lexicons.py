"""Load and validate the cue lexicons (``ggtext/data/lexicons/*.yaml``).

A lexicon file names one cue label and lists its entries. Each entry has one
match mode: a lower-case *phrase* (matched on ``token.lower_``) or a spaCy
*token pattern*. The default pipeline is blank English (no lemmas, POS or
parse), so patterns may only use surface attributes; inflections are listed
(``LOWER: {IN: [argue, argues, argued]}``). Anything that does not fit the
schema raises :class:`~ggtext.errors.KnowledgeBaseError` naming the file and
entry, so a broken data file fails loudly when the pipeline is built.

File schema (YAML or JSON)::

    label: FEASIBLE              # one of CUE_LABELS
    description: ...             # optional, free text
    word_lists: {name: [..]}     # optional, for YAML anchors; not matched itself
    entries:
      - effective                # a bare string is a phrase
      - phrase: made headway     # or a mapping with exactly one match mode:
      - phrases: [a, b]          #   several phrases sharing the options
      - pattern: [{LOWER: not}]  #   a token pattern (spaCy Matcher syntax)
        id: my_entry             # optional: names the entry (span.id_)
        exclude: true            # optional: a match suppresses overlapping
                                 #   matches of the same label ("not only")
        role: verb               # ATTRIBUTION only: frame | source | anaphor | verb |
                                 #   passive | speech_verb
        gap: 1                   # ATTRIBUTION source/anaphor only: most tokens
                                 #   between it and its reporting verb
        keep: last               # the cue is only the match's last (or first)
                                 #   token: context without lookbehind, e.g.
                                 #   "is (not) effective" -> "effective"
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from spacy.schemas import validate_token_pattern

from ..config import PACKAGE_DATA
from ..errors import KnowledgeBaseError

#: The cue labels a lexicon may declare. The names are a contract with the
#: feature code in ggtext.models: add labels, do not rename them.
CUE_LABELS: tuple[str, ...] = (
    "FEASIBLE",
    "INFEASIBLE",
    "DESIRABLE",
    "UNDESIRABLE",
    "NEGATION",
    "HEDGE",
    "ATTRIBUTION",
    "REALIST",
    "INSTITUTIONALIST",
    "MIGRATION",
    "GOVERNANCE",
)

#: Roles of ATTRIBUTION entries. The tagger composes them into reporting
#: frames (``ggtext.pipeline.attribution_frames``): ``frame`` + following source
#: ("According to X,"), ``source`` + ``verb`` ("Realists argue"), ``anaphor`` +
#: ``verb`` ("they argue") when the previous sentence was already a reported
#: view, ``passive`` + agent ("was hailed by X"), and a ``speech_verb`` next to
#: the closing mark of a quotation and its speaker ('"...," Senator X said').
#: Other labels use ``cue``.
ROLES: dict[str, tuple[str, ...]] = {"ATTRIBUTION": ("frame", "source", "anaphor", "verb", "passive", "speech_verb")}
DEFAULT_ROLE = "cue"

DEFAULT_LEXICON_DIR = PACKAGE_DATA / "lexicons"
LEXICON_SUFFIXES = (".yaml", ".yml", ".json")

# The blank pipeline sets none of these, so a pattern using them never matches.
_UNAVAILABLE_ATTRS = {"LEMMA", "POS", "TAG", "DEP", "MORPH", "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID"}
_ENTRY_KEYS = {"phrase", "phrases", "pattern", "id", "exclude", "role", "gap", "keep", "note"}
_KEEP = ("all", "first", "last")
_MODES = ("phrase", "phrases", "pattern")
_FILE_KEYS = {"label", "description", "entries", "word_lists"}


@dataclass(frozen=True)
class LexiconEntry:
    """One matchable entry: a lower-case phrase or a token pattern."""

    label: str
    mode: str  # "phrase" | "pattern"
    value: str | tuple  # the phrase, or the pattern (a tuple of token dicts)
    id: str
    role: str = DEFAULT_ROLE
    exclude: bool = False
    gap: int | None = None  # ATTRIBUTION sources: most tokens allowed before the reporting verb
    keep: str = "all"  # which tokens of a match become the cue: all, first or last
    origin: str = ""  # "file.yaml#entry-index", for error messages and explanations

    @property
    def pattern(self) -> list[dict[str, Any]]:
        """The token pattern as spaCy's Matcher takes it."""
        return [_thaw(token) for token in self.value] if self.mode == "pattern" else []


@dataclass(frozen=True)
class Lexicon:
    """The entries of one lexicon file."""

    label: str
    path: Path
    entries: tuple[LexiconEntry, ...]
    description: str = ""


def load_lexicons(directory: str | Path | None = None) -> list[Lexicon]:
    """Load every lexicon file in ``directory`` (default: the packaged lexicons), validated."""
    folder = Path(directory) if directory is not None else DEFAULT_LEXICON_DIR
    if not folder.is_dir():
        raise KnowledgeBaseError(f"Lexicon directory {folder} does not exist.")
    files = sorted(p for p in folder.iterdir() if p.suffix in LEXICON_SUFFIXES and p.is_file())
    if not files:
        raise KnowledgeBaseError(f"Lexicon directory {folder} holds no .yaml/.yml/.json files.")
    return [load_lexicon(path) for path in files]


def load_lexicon(path: str | Path) -> Lexicon:
    """Read and validate one lexicon file."""
    path = Path(path)
    data = _read(path)
    where = path.name
    if not isinstance(data, dict):
        raise KnowledgeBaseError(f"{where}: expected a mapping with 'label' and 'entries'.")
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown top-level keys {sorted(unknown)}; allowed: {sorted(_FILE_KEYS)}.")
    label = data.get("label")
    if label not in CUE_LABELS:
        raise KnowledgeBaseError(f"{where}: label {label!r} is not one of {', '.join(CUE_LABELS)}.")
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise KnowledgeBaseError(f"{where}: 'entries' must be a non-empty list.")
    word_lists = data.get("word_lists", {})
    if not isinstance(word_lists, dict) or not all(
        isinstance(v, list) and all(isinstance(w, str) for w in v) for v in word_lists.values()
    ):
        raise KnowledgeBaseError(f"{where}: 'word_lists' must map names to lists of strings.")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise KnowledgeBaseError(f"{where}: 'description' must be a string.")
    entries: list[LexiconEntry] = []
    for index, raw in enumerate(raw_entries):
        entries.extend(_parse_entry(raw, label, f"{where}#{index}"))
    return Lexicon(label=label, path=path, entries=tuple(entries), description=description.strip())


class _LexiconLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML 1.2 booleans: only true/false. Under YAML 1.1 the words "on", "no",
    "yes", "off" (all common in lexicons) would silently become booleans.
    libyaml's parser where PyYAML has it (the resolver stays Python's)."""


_LexiconLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LexiconLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _read(path: Path) -> Any:
    if not path.is_file():
        raise KnowledgeBaseError(f"Lexicon file {path} does not exist.")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise KnowledgeBaseError(f"{path.name}: cannot read ({err}).") from err
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_LexiconLoader)
    except (yaml.YAMLError, json.JSONDecodeError) as err:
        raise KnowledgeBaseError(f"{path.name}: not valid {path.suffix[1:].upper()} ({err}).") from err


def _parse_entry(raw: Any, label: str, origin: str) -> list[LexiconEntry]:
    if isinstance(raw, str):
        raw = {"phrase": raw}
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{origin}: an entry is a string or a mapping, not {type(raw).__name__}.")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise KnowledgeBaseError(f"{origin}: unknown keys {sorted(unknown)}; allowed: {sorted(_ENTRY_KEYS)}.")
    modes = [m for m in _MODES if m in raw]
    if len(modes) != 1:
        raise KnowledgeBaseError(f"{origin}: give exactly one of 'phrase', 'phrases' or 'pattern' (found {modes}).")
    exclude = raw.get("exclude", False)
    if not isinstance(exclude, bool):
        raise KnowledgeBaseError(f"{origin}: 'exclude' must be true or false.")
    if label in ROLES and not exclude and "role" not in raw:
        raise KnowledgeBaseError(f"{origin}: {label} entries need a role: one of {ROLES[label]}.")
    role = raw.get("role", DEFAULT_ROLE)
    # An exclusion suppresses every overlapping match of its label, whatever the role.
    allowed_roles = ROLES.get(label, (DEFAULT_ROLE,)) if not exclude else (DEFAULT_ROLE,)
    if role not in allowed_roles:
        raise KnowledgeBaseError(f"{origin}: role {role!r} is not allowed here (allowed: {allowed_roles}).")
    gap = raw.get("gap")
    if gap is not None and (
        role not in ("source", "anaphor") or not isinstance(gap, int) or isinstance(gap, bool) or gap < 0
    ):
        raise KnowledgeBaseError(
            f"{origin}: 'gap' is a non-negative integer, for ATTRIBUTION source/anaphor entries only."
        )
    keep = raw.get("keep", "all")
    if keep not in _KEEP:
        raise KnowledgeBaseError(f"{origin}: 'keep' is one of {_KEEP}, not {keep!r}.")
    entry_id = raw.get("id")
    if entry_id is not None and (not isinstance(entry_id, str) or not entry_id.strip()):
        raise KnowledgeBaseError(f"{origin}: 'id' must be a non-empty string.")
    mode = modes[0]
    common = dict(label=label, role=role, exclude=exclude, gap=gap, keep=keep, origin=origin)
    if mode == "pattern":
        pattern = _check_pattern(raw["pattern"], origin)
        frozen = tuple(_freeze(token) for token in pattern)
        return [LexiconEntry(mode="pattern", value=frozen, id=entry_id or origin, **common)]
    phrases = [raw["phrase"]] if mode == "phrase" else raw["phrases"]
    if not isinstance(phrases, list) or not phrases:
        raise KnowledgeBaseError(f"{origin}: 'phrases' must be a non-empty list of strings.")
    out = []
    for phrase in phrases:
        if not isinstance(phrase, str) or not phrase.strip():
            raise KnowledgeBaseError(f"{origin}: phrase {phrase!r} must be a non-empty string.")
        if phrase != phrase.lower():
            raise KnowledgeBaseError(
                f"{origin}: phrase {phrase!r} must be lower case (phrases match token.lower_; "
                "use a pattern with ORTH for case-sensitive terms)."
            )
        out.append(LexiconEntry(mode="phrase", value=phrase.strip(), id=entry_id or phrase.strip(), **common))
    return out


def _check_pattern(pattern: Any, origin: str) -> list[dict]:
    if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) for t in pattern):
        raise KnowledgeBaseError(f"{origin}: 'pattern' must be a non-empty list of token mappings.")
    errors = validate_token_pattern(pattern)
    if errors:
        raise KnowledgeBaseError(f"{origin}: invalid token pattern: {'; '.join(errors)}")
    for token in pattern:
        bad = {k.upper() for k in token} & _UNAVAILABLE_ATTRS
        if bad:
            raise KnowledgeBaseError(
                f"{origin}: pattern uses {sorted(bad)}, which the blank pipeline does not set; "
                "list the inflections with LOWER/IN instead."
            )
        for key, value in token.items():
            words = [value] if isinstance(value, str) else value.get("IN", []) if isinstance(value, dict) else []
            if key.upper() == "LOWER" and any(isinstance(w, str) and w != w.lower() for w in words):
                raise KnowledgeBaseError(f"{origin}: LOWER values must be lower case ({words}).")
            if isinstance(value, dict) and "REGEX" in value:
                try:
                    re.compile(value["REGEX"])
                except re.error as err:
                    raise KnowledgeBaseError(f"{origin}: bad regular expression in {key}: {err}.") from err
    if all(t.get("OP") in ("?", "*", "{,1}") for t in pattern):
        raise KnowledgeBaseError(f"{origin}: a pattern whose tokens are all optional matches nothing useful.")
    return pattern


def _freeze(value: Any) -> Any:
    """Make a pattern hashable so entries can be frozen dataclasses."""
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("__list__",) + tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple):
        if value and value[0] == "__list__":
            return [_thaw(v) for v in value[1:]]
        return {k: _thaw(v) for k, v in value}
    return value
