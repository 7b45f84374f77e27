"""Text every output format can hold: lone surrogates become backslash escapes.

File names with bytes that are not UTF-8 reach Python as lone surrogates
(``os.fsdecode`` uses ``surrogateescape``: byte ``\\xe9`` -> ``\\udce9``), and
JSON may carry them too (``"s\\ud800"``). UTF-8 (Parquet, CSV, JSONL) cannot
encode them, so ids, metadata and messages holding one are written with the
surrogate as the six characters ``\\udce9``. Valid text is never changed.
"""

from __future__ import annotations

from typing import Any


def safe_text(value: str) -> str:
    """``value`` with lone surrogates written as ``\\udcXX`` escapes, so UTF-8 can hold it.

    File names with bytes that are not UTF-8 come to Python as lone surrogates
    (``surrogateescape``); JSON may carry them too (``"\\ud800"``). Valid text is
    returned unchanged; the escape is also how resume compares such ids.
    """
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")


def safe_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with every string made writable by :func:`safe_text` (same rows when all are valid)."""
    out = []
    for row in rows:
        bad = [k for k, v in row.items() if isinstance(v, str) and not _encodable(v)]
        out.append({**row, **{k: safe_text(row[k]) for k in bad}} if bad else row)
    return out


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False
