"""Where ggtext finds data it does not ship: the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import DataDirectoryError

DATA_ENV = "GGTEXT_DATA"
PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_DATA = PACKAGE_DIR / "data"
#: The repository checkout, when ggtext runs from one (editable install or tests).
REPO_DIR = PACKAGE_DIR.parent
SEED_ESSAY = REPO_DIR / "corpora" / "seed_essay.txt"


def data_dir(path: str | os.PathLike | None = None, *, required: bool = True) -> Path | None:
    """Return the data directory: ``path`` if given, else ``$GGTEXT_DATA``.

    The directory holds ``corpora/ungdc/...``, ``corpora/wh_briefings/...`` and
    ``annotation/...``. Raises :class:`DataDirectoryError` when it is required
    but unset or missing.
    """
    chosen = path if path is not None else os.environ.get(DATA_ENV)
    if not chosen:
        if required:
            raise DataDirectoryError(
                f"No data directory: pass --data DIR or set {DATA_ENV} to the folder "
                "that holds corpora/ and annotation/."
            )
        return None
    directory = Path(chosen).expanduser().resolve()
    if not directory.is_dir():
        if required:
            raise DataDirectoryError(f"Data directory {directory} does not exist.")
        return None
    return directory


def data_path(*parts: str, data: str | os.PathLike | None = None) -> Path:
    """Path of ``parts`` inside the data directory; raises if it is missing."""
    target = data_dir(data).joinpath(*parts)
    if not target.exists():
        raise DataDirectoryError(f"{target} not found in the data directory.")
    return target


def models_dir() -> Path:
    """Folder of the shipped models: inside the wheel, or ``models/`` in a checkout."""
    installed = PACKAGE_DIR / "_models"
    if installed.is_dir():
        return installed
    return REPO_DIR / "models"
