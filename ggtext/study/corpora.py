"""Finding the study's inputs: the seed essay, the corpus files in a stable order, and the manifest of what was read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from .settings import SeedSettings, UngdcSettings, WhiteHouseSettings, load_settings


@dataclass
class Inputs:
    """What the run read: files with their sha256, grouped by corpus."""

    files: list[dict[str, Any]] = field(default_factory=list)

    def add(self, corpus: str, path: Path, relative: str) -> None:
        from ..models.data import file_sha256

        self.files.append({"corpus": corpus, "path": relative, "sha256": file_sha256(path)})

    def digest(self, corpus: str) -> tuple[int, str]:
        """Number of files and the sha256 of the corpus manifest (sorted ``path sha256`` lines)."""
        lines = sorted(f"{f['path']} {f['sha256']}" for f in self.files if f["corpus"] == corpus)
        return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def evenly_spaced(items: Sequence[Any], limit: int | None) -> list[Any]:
    """``limit`` items spread evenly over ``items`` (all of them when ``limit`` is None or larger)."""
    if limit is None or limit >= len(items):
        return list(items)
    if limit <= 0:
        return []
    if limit == 1:
        return [items[0]]
    picks = sorted({round(i * (len(items) - 1) / (limit - 1)) for i in range(limit)})
    return [items[i] for i in picks]


def _name_hash(path: Path) -> str:
    # Within a period, files are ordered by the hash of their name, so a slice takes
    # varied countries rather than the alphabetically first ones.
    return hashlib.sha1(path.name.encode()).hexdigest()


def ungdc_files(data: Path, settings: UngdcSettings | None = None) -> list[Path]:
    """UN General Debate speeches of the studied years, ordered by year then by a hash of the name."""
    settings = settings or load_settings().ungdc
    first, last = settings.years
    found = []
    for path in (data / settings.folder).glob(settings.glob):
        match = settings.name.match(path.stem)
        if match and first <= int(match["year"]) <= last:
            found.append((int(match["year"]), _name_hash(path), path))
    return [p for *_, p in sorted(found)]


def whitehouse_files(data: Path, settings: WhiteHouseSettings | None = None) -> list[Path]:
    """White House texts, ordered by the date in their name, then by path."""
    settings = settings or load_settings().whitehouse
    files = (data / settings.folder).glob(settings.glob)
    return sorted(files, key=lambda p: (p.name[:10], p.as_posix()))


def seed_file(data: Path | None, settings: SeedSettings) -> Path | None:
    """The seed essay of the checkout, else the first ``*.txt`` in the data directory's seed folder."""
    from ..config import SEED_ESSAY

    if SEED_ESSAY.is_file():
        return SEED_ESSAY
    if data is not None:
        found = sorted((data / settings.folder).glob("*.txt"))
        return found[0] if found else None
    return None
