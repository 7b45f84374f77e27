"""The actor knowledge base: load and validate ``ggtext/data/actors/*.yaml``.

The knowledge base is data (names, abbreviations, aliases, Wikidata and CAMEO ids,
ambiguous forms); this module reads it once per path, checks it against the schema
in ``ggtext/data/actors/README.md`` and raises :class:`KnowledgeBaseError` with the
file, the entry and the problem when it does not match.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .config import PACKAGE_DATA
from .errors import KnowledgeBaseError

#: The folder of the shipped knowledge base.
DEFAULT_KB_DIR = PACKAGE_DATA / "actors"

ACTOR_TYPES = (
    "un_body",
    "intergovernmental_organisation",
    "regional_organisation",
    "state",
    "forum_or_process",
    "legal_instrument",
    "civil_society",
    "private_sector",
    "illicit_network",
    "generic_category",
)

_ID = re.compile(r"^[A-Z][A-Z0-9_]*$")
_WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
_TOP_KEYS = {"actors", "ambiguous", "non_actors"}
_ACTOR_REQUIRED = {"id", "type", "names"}
_ACTOR_KEYS = _ACTOR_REQUIRED | {
    "abbreviations",
    "aliases",
    "wikidata",
    "cameo",
    "codebook",
    "migration",
    "match_case",
    "plurals",
    "note",
}
_AMBIGUOUS_REQUIRED = {"form", "candidates", "default"}
_AMBIGUOUS_KEYS = _AMBIGUOUS_REQUIRED | {
    "match_case",
    "preceded_by",
    "not_preceded_by",
    "not_followed_by",
    "window",
}
_CANDIDATE_KEYS = {"id", "cues", "cue_ids"}


@dataclass(frozen=True)
class Actor:
    """One canonical actor and the ways texts name it."""

    id: str
    type: str
    names: tuple[str, ...]
    abbreviations: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    cameo: str | None = None
    codebook: bool = False
    #: Specific to migration and refugees (IOM, UNHCR, the compacts, migrants), unlike the UN or the EU.
    migration: bool = False
    match_case: bool = False
    plurals: bool = False
    note: str | None = None


@dataclass(frozen=True)
class Candidate:
    """One reading of an ambiguous form and the evidence that supports it."""

    id: str
    cues: tuple[str, ...] = ()
    cue_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class AmbiguousForm:
    """A surface form whose actor is chosen by context (see the README's resolution rule)."""

    forms: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    default: str | None
    match_case: bool = False
    preceded_by: tuple[str, ...] = ()
    not_preceded_by: tuple[str, ...] = ()
    not_followed_by: tuple[str, ...] = ()
    window: int = 50


@dataclass(frozen=True)
class KnowledgeBase:
    """All actors by id, the ambiguous forms and the non-actor phrases."""

    actors: dict[str, Actor]
    ambiguous: tuple[AmbiguousForm, ...] = ()
    non_actors: tuple[str, ...] = ()
    sources: tuple[Path, ...] = field(default=())

    def __contains__(self, actor_id: str) -> bool:
        return actor_id in self.actors

    def __getitem__(self, actor_id: str) -> Actor:
        return self.actors[actor_id]

    def type_of(self, actor_id: str) -> str | None:
        actor = self.actors.get(actor_id)
        return actor.type if actor else None

    @property
    def codebook_ids(self) -> set[str]:
        return {a.id for a in self.actors.values() if a.codebook}

    def ids_of_type(self, *types: str) -> set[str]:
        return {a.id for a in self.actors.values() if a.type in types}


def load_knowledge_base(path: str | os.PathLike | None = None) -> KnowledgeBase:
    """Load the knowledge base from a folder of ``*.yaml`` files or a single file.

    ``None`` loads the shipped one. Results are cached per resolved path, so components and
    helpers can call this freely.
    """
    target = Path(path).expanduser().resolve() if path is not None else DEFAULT_KB_DIR
    return _load_cached(str(target))


@lru_cache(maxsize=8)
def _load_cached(target: str) -> KnowledgeBase:
    root = Path(target)
    if root.is_dir():
        files = sorted(root.glob("*.yaml"))
        if not files:
            raise KnowledgeBaseError(f"{root}: no *.yaml files in the knowledge base folder.")
    elif root.is_file():
        files = [root]
    else:
        raise KnowledgeBaseError(f"{root}: knowledge base not found.")
    actors: dict[str, Actor] = {}
    origin: dict[str, Path] = {}
    raw_ambiguous: list[tuple[Path, int, dict]] = []
    non_actors: list[str] = []
    for file in files:
        data = _read_yaml(file)
        for index, entry in enumerate(data.get("actors") or []):
            actor = _parse_actor(entry, file, index)
            if actor.id in actors:
                raise KnowledgeBaseError(
                    f"{file.name}: actor id {actor.id!r} is defined twice (also in {origin[actor.id].name})."
                )
            actors[actor.id] = actor
            origin[actor.id] = file
        raw_ambiguous.extend((file, i, e) for i, e in enumerate(data.get("ambiguous") or []))
        non_actors.extend(_strings(data.get("non_actors"), f"{file.name}: non_actors"))
    if not actors:
        raise KnowledgeBaseError(f"{root}: the knowledge base defines no actors.")
    ambiguous = tuple(_parse_ambiguous(e, f, i, actors) for f, i, e in raw_ambiguous)
    _check_unique_forms(actors, origin, ambiguous)
    return KnowledgeBase(actors, ambiguous, tuple(non_actors), tuple(files))


def _read_yaml(file: Path) -> dict:
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeBaseError(f"{file}: cannot read the file ({exc}).") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{file}: not valid YAML ({exc}).") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KnowledgeBaseError(f"{file.name}: the top level must be a mapping with keys {sorted(_TOP_KEYS)}.")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise KnowledgeBaseError(
            f"{file.name}: unknown top-level keys {sorted(unknown)}; allowed: {sorted(_TOP_KEYS)}."
        )
    for key in ("actors", "ambiguous"):
        if data.get(key) is not None and not isinstance(data[key], list):
            raise KnowledgeBaseError(f"{file.name}: {key!r} must be a list.")
    return data


def _strings(value: Any, where: str, *, required: bool = False) -> tuple[str, ...]:
    if value is None:
        if required:
            raise KnowledgeBaseError(f"{where}: missing.")
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeBaseError(f"{where}: must be a list of non-empty strings, got {value!r}.")
    if required and not value:
        raise KnowledgeBaseError(f"{where}: must not be empty.")
    return tuple(v.strip() for v in value)


def _flag(entry: dict, key: str, where: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise KnowledgeBaseError(f"{where}: {key!r} must be true or false, got {value!r}.")
    return value


def _parse_actor(entry: Any, file: Path, index: int) -> Actor:
    where = f"{file.name}: actors[{index}]"
    if not isinstance(entry, dict):
        raise KnowledgeBaseError(f"{where}: must be a mapping, got {type(entry).__name__}.")
    if isinstance(entry.get("id"), str):
        where = f"{file.name}: actor {entry['id']!r}"
    missing = _ACTOR_REQUIRED - set(entry)
    if missing:
        raise KnowledgeBaseError(f"{where}: missing required keys {sorted(missing)}.")
    unknown = set(entry) - _ACTOR_KEYS
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(_ACTOR_KEYS)}.")
    actor_id = entry["id"]
    if not isinstance(actor_id, str) or not _ID.match(actor_id):
        raise KnowledgeBaseError(f"{where}: id {actor_id!r} must be upper-case letters, digits and '_'.")
    if entry["type"] not in ACTOR_TYPES:
        raise KnowledgeBaseError(f"{where}: type {entry['type']!r} is not one of {list(ACTOR_TYPES)}.")
    wikidata = entry.get("wikidata")
    if wikidata is not None and (not isinstance(wikidata, str) or not _WIKIDATA.match(wikidata)):
        raise KnowledgeBaseError(f"{where}: wikidata {wikidata!r} must look like 'Q1065' or be null.")
    cameo = entry.get("cameo")
    if cameo is not None and (not isinstance(cameo, str) or not cameo.isalnum() or not cameo.isupper()):
        raise KnowledgeBaseError(f"{where}: cameo {cameo!r} must be an upper-case CAMEO code or null.")
    note = entry.get("note")
    if note is not None and not isinstance(note, str):
        raise KnowledgeBaseError(f"{where}: note must be a string.")
    return Actor(
        id=actor_id,
        type=entry["type"],
        names=_strings(entry["names"], f"{where}: names", required=True),
        abbreviations=_strings(entry.get("abbreviations"), f"{where}: abbreviations"),
        aliases=_strings(entry.get("aliases"), f"{where}: aliases"),
        wikidata=wikidata,
        cameo=cameo,
        codebook=_flag(entry, "codebook", where),
        migration=_flag(entry, "migration", where),
        match_case=_flag(entry, "match_case", where),
        plurals=_flag(entry, "plurals", where),
        note=note,
    )


def _parse_ambiguous(entry: Any, file: Path, index: int, actors: dict[str, Actor]) -> AmbiguousForm:
    where = f"{file.name}: ambiguous[{index}]"
    if not isinstance(entry, dict):
        raise KnowledgeBaseError(f"{where}: must be a mapping.")
    missing = _AMBIGUOUS_REQUIRED - set(entry)
    if missing:
        raise KnowledgeBaseError(f"{where}: missing required keys {sorted(missing)}.")
    unknown = set(entry) - _AMBIGUOUS_KEYS
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(_AMBIGUOUS_KEYS)}.")
    form = entry["form"]
    forms = (
        (form.strip(),) if isinstance(form, str) and form.strip() else _strings(form, f"{where}: form", required=True)
    )
    where = f"{file.name}: ambiguous form {forms[0]!r}"
    if not isinstance(entry["candidates"], list) or not entry["candidates"]:
        raise KnowledgeBaseError(f"{where}: candidates must be a non-empty list.")
    candidates = []
    for c_index, raw in enumerate(entry["candidates"]):
        c_where = f"{where}: candidates[{c_index}]"
        if not isinstance(raw, dict) or "id" not in raw:
            raise KnowledgeBaseError(f"{c_where}: must be a mapping with an 'id'.")
        extra = set(raw) - _CANDIDATE_KEYS
        if extra:
            raise KnowledgeBaseError(f"{c_where}: unknown keys {sorted(extra)}; allowed: {sorted(_CANDIDATE_KEYS)}.")
        cue_ids = _strings(raw.get("cue_ids"), f"{c_where}: cue_ids")
        for ref in (raw["id"], *cue_ids):
            if ref not in actors:
                raise KnowledgeBaseError(f"{c_where}: {ref!r} is not an actor id of the knowledge base.")
        candidates.append(Candidate(raw["id"], _strings(raw.get("cues"), f"{c_where}: cues"), cue_ids))
    default = entry["default"]
    if default is not None and default not in {c.id for c in candidates}:
        raise KnowledgeBaseError(f"{where}: default {default!r} must be one of the candidate ids or null.")
    window = entry.get("window", 50)
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise KnowledgeBaseError(f"{where}: window must be a non-negative integer, got {window!r}.")
    return AmbiguousForm(
        forms=forms,
        candidates=tuple(candidates),
        default=default,
        match_case=_flag(entry, "match_case", where),
        preceded_by=_strings(entry.get("preceded_by"), f"{where}: preceded_by"),
        not_preceded_by=_strings(entry.get("not_preceded_by"), f"{where}: not_preceded_by"),
        not_followed_by=_strings(entry.get("not_followed_by"), f"{where}: not_followed_by"),
        window=window,
    )


def _check_unique_forms(
    actors: dict[str, Actor], origin: dict[str, Path], ambiguous: tuple[AmbiguousForm, ...]
) -> None:
    """A surface form names one actor; forms that name several belong in ``ambiguous``."""
    owner: dict[tuple[bool, str], str] = {}

    def claim(form: str, exact: bool, actor_id: str) -> None:
        key = (exact, form if exact else form.casefold())
        other = owner.setdefault(key, actor_id)
        if other != actor_id:
            raise KnowledgeBaseError(
                f"{origin[actor_id].name}: actor {actor_id!r} reuses the form {form!r} of {other!r}; "
                "list forms that name several actors under 'ambiguous'."
            )

    for actor in actors.values():
        for form in (*actor.names, *actor.aliases):
            claim(form, actor.match_case, actor.id)
        for form in actor.abbreviations:
            claim(form, True, actor.id)
    for entry in ambiguous:
        for form in entry.forms:
            key = (True, form) if entry.match_case else (False, form.casefold())
            if key in owner or (False, form.casefold()) in owner:
                raise KnowledgeBaseError(
                    f"ambiguous form {form!r} is also an unambiguous form of {owner.get(key) or owner[(False, form.casefold())]!r}."
                )
