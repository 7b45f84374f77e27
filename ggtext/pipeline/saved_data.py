"""The data files a component carries in ``nlp.to_disk`` (as spaCy's SpanRuler carries its patterns).

A component built from custom data (a knowledge base, lexicons) keeps the
files' bytes when it loads them, writes them into its own folder of the saved
pipeline and reads them back from there, so a saved pipeline needs nothing
outside its folder and its ``config.cfg`` holds no path.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable


def read_files(files: Iterable[str | Path]) -> dict[str, bytes]:
    """``{file name: bytes}`` of data files (names must be unique)."""
    out: dict[str, bytes] = {}
    for file in files:
        path = Path(file)
        if path.name in out:
            raise ValueError(f"two data files are named {path.name!r}")
        out[path.name] = path.read_bytes()
    return out


def write_files(folder: str | Path, files: dict[str, bytes]) -> Path:
    """Write ``files`` into ``folder`` (created) and return it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def fingerprint(files: dict[str, bytes]) -> str:
    """sha256 over the files' names and bytes, in name order."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    return digest.hexdigest()
