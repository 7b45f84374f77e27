"""Document ids and metadata from file names."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

# UN General Debate Corpus: ISO 3166-1 alpha-3 code (or "EU"), session, year ("USA_70_2015.txt").
UNGDC_NAME = re.compile(r"^(?P<iso3>[A-Z]{2,3})_(?P<session>\d{1,3})_(?P<year>\d{4})$")

#: File extensions and the format they hold.
EXTENSION_FORMATS = {
    ".txt": "text",
    ".text": "text",
    "": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}


def metadata_from_name(stem: str) -> dict[str, Any]:
    """``USA_70_2015`` -> ``{"iso3": "USA", "session": 70, "year": 2015}``; else ``{}``."""
    match = UNGDC_NAME.match(stem)
    if not match:
        return {}
    return {"iso3": match["iso3"], "session": int(match["session"]), "year": int(match["year"])}


def format_from_path(path: Path) -> str | None:
    """The format a file's extension stands for, or None if unknown."""
    return EXTENSION_FORMATS.get(path.suffix.lower())
