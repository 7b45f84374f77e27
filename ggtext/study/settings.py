"""Load and check the study settings (``ggtext/data/study.yaml``).

The settings say what the replication reads (corpus folders, file patterns,
years), how it groups texts (years, months, administrations), which actors
count, how many actors and rows it lists and what its figures are called.
:func:`load_settings` reads them into frozen dataclasses; a missing, unknown or
wrongly typed key raises :class:`StudySettingsError` naming the file and the
key (e.g. ``study.yaml: ungdc.years: must be two years [first, last]``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..config import PACKAGE_DATA
from ..errors import StudySettingsError

#: The shipped study settings.
DEFAULT_SETTINGS = PACKAGE_DATA / "study.yaml"
#: Knowledge-base flags that can mark the actors a text must name (see ``ggtext.knowledge.Actor``).
ACTOR_FLAGS = ("migration", "codebook")


@dataclass(frozen=True)
class ReportSettings:
    digits: int
    rows_shown: int
    rows_shown_per_table: dict[str, int]
    libraries: tuple[str, ...]
    bootstrap_replicates: int  # of the summaries with intervals (ggtext summarize)
    bootstrap_seed: int

    def rows_for(self, table: str) -> int:
        """Rows of ``table`` shown in REPORT.md."""
        return self.rows_shown_per_table.get(table, self.rows_shown)


@dataclass(frozen=True)
class SeedSettings:
    title: str
    folder: str
    figure_title: str


@dataclass(frozen=True)
class ModelSettings:
    title: str
    training_file: str


@dataclass(frozen=True)
class CorpusSettings:
    """What every scored corpus has: where its files are and how messages name it."""

    key: str  # the corpus's name in inputs_sha256.csv
    title: str
    label: str
    unit: str
    units: str
    folder: str
    glob: str


@dataclass(frozen=True)
class UngdcSettings(CorpusSettings):
    name: re.Pattern
    years: tuple[int, int]
    country_year: int
    speaker_column: str
    actors_ranked_per_year: int
    actors_listed_per_year: int
    actors_listed_per_country: int
    figure_title: str


@dataclass(frozen=True)
class AdministrationChange:
    date: date
    before: str
    after: str


@dataclass(frozen=True)
class WhiteHouseSettings(CorpusSettings):
    administration_change: AdministrationChange
    speaker: str
    actors_listed_per_month: int
    actors_listed_per_administration: int
    figure_title: str


@dataclass(frozen=True)
class StudySettings:
    report: ReportSettings
    actor_flag: str
    seed: SeedSettings
    models: ModelSettings
    ungdc: UngdcSettings
    whitehouse: WhiteHouseSettings


def load_settings(path: str | os.PathLike | None = None) -> StudySettings:
    """The study settings in ``path`` (the shipped ``study.yaml`` when None), checked."""
    return _load_cached(str(Path(path).resolve() if path is not None else DEFAULT_SETTINGS))


@lru_cache(maxsize=8)
def _load_cached(target: str) -> StudySettings:
    file = Path(target)
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise StudySettingsError(f"{file}: cannot read the study settings ({exc}).") from exc
    except yaml.YAMLError as exc:
        raise StudySettingsError(f"{file}: not valid YAML ({exc}).") from exc
    return _Reader(file.name).study(raw)


class _Reader:
    """Checks one settings file; every error names the file and the dotted key."""

    def __init__(self, name: str):
        self.name = name

    def fail(self, key: str, problem: str) -> StudySettingsError:
        return StudySettingsError(f"{self.name}: {key}: {problem}.")

    def mapping(self, value: Any, key: str, keys: tuple[str, ...]) -> dict[str, Any]:
        """``value`` as a mapping with exactly ``keys``."""
        if not isinstance(value, dict):
            raise self.fail(key or "top level", f"must be a mapping with keys {list(keys)}, got {value!r}")
        for missing in (k for k in keys if k not in value):
            raise self.fail(_join(key, missing), "missing")
        for unknown in sorted(set(map(str, value)) - set(keys)):
            raise self.fail(_join(key, unknown), f"unknown key; allowed here: {list(keys)}")
        return value

    def integer(self, value: Any, key: str, *, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(key, f"must be an integer >= {minimum}, got {value!r}")
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a non-empty string, got {value!r}")
        return value

    def texts(self, value: Any, key: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(key, f"must be a non-empty list of strings, got {value!r}")
        return tuple(self.text(v, f"{key}[{i}]") for i, v in enumerate(value))

    def day(self, value: Any, key: str) -> date:
        if not isinstance(value, date):
            raise self.fail(key, f"must be a date YYYY-MM-DD, got {value!r}")
        return value

    def pattern(self, value: Any, key: str) -> re.Pattern:
        try:
            return re.compile(self.text(value, key))
        except re.error as exc:
            raise self.fail(key, f"not a valid regular expression ({exc})") from exc

    def study(self, raw: Any) -> StudySettings:
        raw = self.mapping(raw, "", ("report", "discussion", "seed", "models", "ungdc", "whitehouse"))
        flag = self.mapping(raw["discussion"], "discussion", ("actor_flag",))["actor_flag"]
        if flag not in ACTOR_FLAGS:
            raise self.fail("discussion.actor_flag", f"must be one of {list(ACTOR_FLAGS)}, got {flag!r}")
        return StudySettings(
            report=self.report(raw["report"]),
            actor_flag=flag,
            seed=SeedSettings(**self.strings(raw["seed"], "seed", ("title", "folder", "figure_title"))),
            models=ModelSettings(**self.strings(raw["models"], "models", ("title", "training_file"))),
            ungdc=self.ungdc(raw["ungdc"]),
            whitehouse=self.whitehouse(raw["whitehouse"]),
        )

    def strings(self, value: Any, key: str, keys: tuple[str, ...]) -> dict[str, str]:
        value = self.mapping(value, key, keys)
        return {k: self.text(value[k], f"{key}.{k}") for k in keys}

    def report(self, value: Any) -> ReportSettings:
        value = self.mapping(
            value,
            "report",
            ("digits", "rows_shown", "rows_shown_per_table", "libraries", "bootstrap_replicates", "bootstrap_seed"),
        )
        per_table = value["rows_shown_per_table"]
        if not isinstance(per_table, dict):
            raise self.fail(
                "report.rows_shown_per_table", f"must be a mapping of table name to rows, got {per_table!r}"
            )
        return ReportSettings(
            digits=self.integer(value["digits"], "report.digits", minimum=1),
            rows_shown=self.integer(value["rows_shown"], "report.rows_shown"),
            rows_shown_per_table={
                self.text(name, "report.rows_shown_per_table"): self.integer(
                    rows, f"report.rows_shown_per_table.{name}"
                )
                for name, rows in per_table.items()
            },
            libraries=self.texts(value["libraries"], "report.libraries"),
            bootstrap_replicates=self.integer(value["bootstrap_replicates"], "report.bootstrap_replicates", minimum=1),
            bootstrap_seed=self.integer(value["bootstrap_seed"], "report.bootstrap_seed"),
        )

    def corpus(self, value: Any, key: str, corpus: str, keys: tuple[str, ...]) -> dict[str, Any]:
        common = ("title", "label", "unit", "units", "folder", "glob")
        value = self.mapping(value, key, common + keys)
        return {"key": corpus, **{k: self.text(value[k], f"{key}.{k}") for k in common}}

    def ungdc(self, value: Any) -> UngdcSettings:
        counts = ("actors_ranked_per_year", "actors_listed_per_year", "actors_listed_per_country")
        keys = ("name", "years", "country_year", "speaker_column", *counts, "figure_title")
        common = self.corpus(value, "ungdc", "ungdc", keys)
        years = value["years"]
        if (
            not isinstance(years, list)
            or len(years) != 2
            or any(isinstance(y, bool) or not isinstance(y, int) for y in years)
            or years[0] > years[1]
        ):
            raise self.fail("ungdc.years", f"must be two years [first, last], first <= last, got {years!r}")
        name = self.pattern(value["name"], "ungdc.name")
        if not {"iso3", "year"} <= set(name.groupindex):
            raise self.fail("ungdc.name", "must have the named groups (?P<iso3>...) and (?P<year>...)")
        return UngdcSettings(
            **common,
            name=name,
            years=(years[0], years[1]),
            country_year=self.integer(value["country_year"], "ungdc.country_year"),
            speaker_column=self.text(value["speaker_column"], "ungdc.speaker_column"),
            **{k: self.integer(value[k], f"ungdc.{k}", minimum=1) for k in counts},
            figure_title=self.text(value["figure_title"], "ungdc.figure_title"),
        )

    def whitehouse(self, value: Any) -> WhiteHouseSettings:
        counts = ("actors_listed_per_month", "actors_listed_per_administration")
        keys = ("administration_change", "speaker", *counts, "figure_title")
        common = self.corpus(value, "whitehouse", "wh_briefings", keys)
        change = self.mapping(
            value["administration_change"], "whitehouse.administration_change", ("date", "before", "after")
        )
        return WhiteHouseSettings(
            **common,
            administration_change=AdministrationChange(
                date=self.day(change["date"], "whitehouse.administration_change.date"),
                before=self.text(change["before"], "whitehouse.administration_change.before"),
                after=self.text(change["after"], "whitehouse.administration_change.after"),
            ),
            speaker=self.text(value["speaker"], "whitehouse.speaker"),
            **{k: self.integer(value[k], f"whitehouse.{k}", minimum=1) for k in counts},
            figure_title=self.text(value["figure_title"], "whitehouse.figure_title"),
        )


def _join(key: str, child: str) -> str:
    return f"{key}.{child}" if key else child
