"""What to score: folders, globs, files, tables and in-memory texts as a stream of work items.

Work items are small and picklable: a file item is only its id and path (the
worker reads the file), a text item carries its text and metadata. Streams are
lazy, so a corpus is never held in memory; ``count()`` gives the total for the
progress bar where that is cheap.

Ids: a file found in a folder (or by a glob) is named by its path relative to
that folder, without suffix (``Session 55 - 2000/AFG_55_2000``); a file named
directly by its stem; a table row by its ``id_field`` value, or
``<table stem>:<row number>`` when the table has no such column. An id that
is not valid Unicode (a file name with bytes that are not UTF-8, a lone
surrogate in a JSON id) is written with backslash escapes (``caf\\udce9``,
:func:`~ggtext.scoring.escapes.safe_text`), so every output format holds it
and ``--resume`` recognises it.

Only regular files are read: a device, FIFO or socket (or a link to one) is
an error row, never opened. Folders and ``**`` globs do not follow symbolic
links to folders (no loops); a subfolder that cannot be listed becomes an
error row named after it.
"""

from __future__ import annotations

import csv
import glob
import json
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import InputError
from .escapes import safe_text

#: Suffixes of documents picked up in folders (any file named directly is read).
DOCUMENT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
#: Suffixes read as tables of texts, one document per row.
TABLE_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet", ".pq")
DEFAULT_TEXT_FIELD = "text"
DEFAULT_ID_FIELD = "id"
_GLOB_CHARS = set("*?[")
_TABLE_CHUNK = 1000


@dataclass(frozen=True)
class FileItem:
    """A document file; the worker that scores it reads it."""

    id: str
    path: str

    def read(self, **read_options: Any):
        from ..reading import read

        return read(self.path, id=self.id, **read_options)


@dataclass(frozen=True)
class TextItem:
    """A text from a table row or an iterable, with the row's other fields as metadata."""

    id: str
    text: Any
    metadata: dict[str, Any] = field(default_factory=dict)

    def read(self, **read_options: Any):
        from ..reading import read_text

        if not isinstance(self.text, str):
            raise InputError(f"{self.id}: the text field is {_describe(self.text)}, not text")
        read_options.pop("encoding", None)  # already decoded: the table's encoding was the reader's
        document = read_text(self.text, id=self.id, **read_options)
        document.metadata.update(self.metadata)
        return document


@dataclass(frozen=True)
class ErrorItem:
    """An input that is broken before reading (bad JSON line): scored as an error row."""

    id: str
    message: str

    def read(self, **read_options: Any):
        raise InputError(self.message)


def _describe(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "empty"
    return f"a {type(value).__name__}"


@dataclass
class ItemStream:
    """A re-iterable, lazy stream of work items with a cheap ``count()`` when possible."""

    make: Callable[[], Iterator[Any]]
    counter: Callable[[], int | None] = lambda: None
    #: The files and folders read, when the items come from paths (to refuse writing over one).
    paths: tuple[Path, ...] = ()

    def __iter__(self) -> Iterator[Any]:
        return self.make()

    def count(self) -> int | None:
        return self.counter()


# -- paths ---------------------------------------------------------------------------


def _is_table(path: Path) -> bool:
    return path.suffix.lower() in TABLE_SUFFIXES


def _walk(folder: Path, *, errors: list[OSError] | None = None) -> Iterator[Path]:
    """Document files under ``folder``, recursively, in a stable (sorted) order; hidden ones skipped.

    Links to folders are not followed (no loops). Folders that cannot be listed
    are added to ``errors`` (when given) as they are met.
    """
    for root, dirs, files in os.walk(folder, onerror=errors.append if errors is not None else None):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in DOCUMENT_SUFFIXES:
                yield Path(root) / name


def _walk_items(folder: Path, root: Path) -> Iterator[Any]:
    """File items under ``folder`` (ids relative to ``root``) and an error item per unlistable subfolder."""
    errors: list[OSError] = []
    for found in _walk(folder, errors=errors):
        while errors:
            yield _folder_error(errors.pop(0), root)
        yield FileItem(_relative_id(found, root), str(found))
    for error in errors:
        yield _folder_error(error, root)


def _folder_error(error: OSError, root: Path) -> Any:
    where = Path(error.filename) if error.filename else root
    try:
        item_id = where.relative_to(root).as_posix() + "/"
    except ValueError:
        item_id = where.as_posix() + "/"
    return ErrorItem(safe_text(item_id), safe_text(f"{where}: cannot list the folder ({error.strerror or error})"))


def _special_file(path: Path) -> str | None:
    """What ``path`` is when it exists but is not a regular file (a device, FIFO, socket), else None."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kinds = {
        stat.S_ISFIFO: "a FIFO (named pipe)",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
        stat.S_ISSOCK: "a socket",
    }
    return next((name for test, name in kinds.items() if test(mode)), "not a regular file")


def _relative_id(path: Path, base: Path) -> str:
    return safe_text(path.relative_to(base).with_suffix("").as_posix())


def _glob_base(pattern: str) -> Path:
    """The folder before the first wildcard: ids of glob matches are relative to it."""
    parts = Path(pattern).parts
    fixed = []
    for part in parts:
        if _GLOB_CHARS & set(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def _expand(entry: str | os.PathLike) -> list[tuple[Path, Path | None]]:
    """``(path, base)`` pairs for one input: base is the folder ids are relative to (None: use the stem)."""
    text = os.fspath(entry)
    path = Path(text).expanduser()
    if path.exists():
        return [(path, path if path.is_dir() else None)]
    if _GLOB_CHARS & set(text):
        base = _glob_base(text)
        matches = sorted(_glob(os.path.expanduser(text)))
        if not matches:
            raise InputError(f"{text}: the pattern matches no files")
        return [(Path(m), base) for m in matches]
    raise InputError(f"{text}: no such file or folder")


def _glob_regex(pattern: str) -> re.Pattern:
    """A regex for a glob pattern over ``/``-separated paths: ``**`` any folders, ``*`` ``?`` ``[]`` in one name."""
    out = []
    parts = pattern.split("/")
    for k, part in enumerate(parts):
        last = k == len(parts) - 1
        if part == "**":
            out.append("(?:[^/]+/)*" if not last else "(?:[^/]+/)*[^/]*")
            continue
        i = 0
        while i < len(part):
            char = part[i]
            if char == "*":
                out.append("[^/]*")
            elif char == "?":
                out.append("[^/]")
            elif char == "[" and "]" in part[i + 2 :]:
                close = part.index("]", i + 2)
                body = part[i + 1 : close]
                body = "^" + body[1:] if body.startswith("!") else body
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = close
            else:
                out.append(re.escape(char))
            i += 1
        if not last:
            out.append("/")
    return re.compile("".join(out))


def _glob(pattern: str) -> list[str]:
    """Paths matching ``pattern``; ``**`` walks folders without following links to folders.

    (:func:`glob.glob` follows them, so a link loop never ends.) Hidden names
    are not matched, as with :func:`glob.glob`; folders that cannot be listed
    are reported with a warning.
    """
    if "**" not in pattern:
        return glob.glob(pattern)
    import warnings

    base = _glob_base(pattern)
    prefix = "" if base == Path(".") and not pattern.startswith("./") else os.fspath(base).rstrip("/") + "/"
    rest = pattern[len(prefix) :] if pattern.startswith(prefix) else pattern
    regex = _glob_regex(rest)
    found = [os.fspath(base)] if regex.fullmatch("") else []
    errors: list[OSError] = []
    for root, dirs, files in os.walk(base, onerror=errors.append):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        relative = Path(root).relative_to(base).as_posix()
        relative = "" if relative == "." else relative + "/"
        for name in [*dirs, *files]:
            if not name.startswith(".") and regex.fullmatch(relative + name):
                found.append(prefix + relative + name)
    for error in errors:
        warnings.warn(
            f"{error.filename}: cannot list the folder ({error.strerror or error}); its files are skipped", stacklevel=3
        )
    return found


def _path_items(path: Path, base: Path | None, text_field: str, id_field: str | None) -> Iterator[Any]:
    if path.is_dir():
        root = base if base is not None and base != path else path
        yield from _walk_items(path, root)
    elif _is_table(path) and _special_file(path) is None:
        yield from _table_items(path, text_field, id_field)
    else:
        item_id = _relative_id(path, base) if base is not None else safe_text(path.stem)
        yield FileItem(item_id, str(path))


def _path_count(path: Path) -> int | None:
    if path.is_dir():
        return sum(1 for _ in _walk(path))
    if _is_table(path):
        return _table_count(path)
    return 1


def from_paths(
    inputs: Iterable[str | os.PathLike],
    *,
    text_field: str = DEFAULT_TEXT_FIELD,
    id_field: str | None = None,
) -> ItemStream:
    """Items from folders (recursive), globs, document files and tables.

    Every input is checked now (missing paths, tables without the text column),
    so a typo fails before any scoring starts.
    """
    expanded = [pair for entry in inputs for pair in _expand(entry)]
    if not expanded:
        raise InputError("no inputs given")
    for path, _ in expanded:
        kind = _special_file(path)
        if kind is not None and _is_table(path):
            raise InputError(f"{path}: is {kind}, not a regular file; ggtext reads only regular files")
        if _is_table(path) and not path.is_dir():
            _check_table(path, text_field, id_field)

    def make() -> Iterator[Any]:
        for path, base in expanded:
            yield from _path_items(path, base, text_field, id_field)

    def counter() -> int | None:
        counts = [_path_count(path) for path, _ in expanded]
        return None if None in counts else sum(counts)

    return ItemStream(make, counter, paths=tuple(path for path, _ in expanded))


# -- tables --------------------------------------------------------------------------


def _table_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}[suffix]


def _table_columns(path: Path) -> list[str] | None:
    kind = _table_kind(path)
    if kind == "parquet":
        import pyarrow.parquet as pq

        try:
            return pq.ParquetFile(path).schema_arrow.names
        except Exception as error:  # pyarrow raises several types for broken files
            raise InputError(f"{path}: not a readable Parquet file ({error})") from None
    if kind == "csv":
        with open(path, newline="", encoding="utf-8", errors="replace") as handle:
            return next(csv.reader(handle), [])
    return None  # JSONL: fields may differ per line, checked per record


def _check_table(path: Path, text_field: str, id_field: str | None) -> None:
    names = _table_columns(path)
    if names is None:
        return
    if text_field not in names:
        raise InputError(f"{path}: no column {text_field!r} (columns: {', '.join(names)}); use --text-field")
    if id_field is not None and id_field not in names:
        raise InputError(f"{path}: no column {id_field!r} (columns: {', '.join(names)}); use --id-field")


def _plain(value: Any) -> Any:
    """A JSON-friendly Python value for metadata (numpy scalars and arrays, NaN and infinity, timestamps).

    Lists, tuples, arrays and dicts are converted inside too: JSON has no NaN,
    so a NaN anywhere becomes null.
    """
    if hasattr(value, "tolist") and not isinstance(value, (list, dict, str)):
        try:
            value = value.tolist()  # numpy arrays and scalars
        except (ValueError, AttributeError, TypeError):
            pass
    elif hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def record_item(record: dict[str, Any], fallback_id: str, text_field: str, id_field: str | None) -> Any:
    """A table row or dict as a work item: text, id and the other fields as metadata."""
    key = id_field if id_field is not None else DEFAULT_ID_FIELD
    raw_id = _plain(record.get(key))
    if id_field is not None and raw_id is None:
        return ErrorItem(fallback_id, f"{fallback_id}: no value in the id field {id_field!r}")
    item_id = fallback_id if raw_id is None else safe_text(str(raw_id))
    if text_field not in record:
        return ErrorItem(item_id, f"{item_id}: no field {text_field!r}")
    metadata = {k: _plain(v) for k, v in record.items() if k not in (text_field, key)}
    return TextItem(item_id, _plain(record[text_field]), metadata)


def _table_items(path: Path, text_field: str, id_field: str | None) -> Iterator[Any]:
    kind = _table_kind(path)
    stem = path.stem
    if kind == "jsonl":
        with open(path, encoding="utf-8", errors="replace") as handle:
            number = 0
            for line in handle:
                if not line.strip():
                    continue
                fallback = f"{stem}:{number}"
                number += 1
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    yield ErrorItem(fallback, f"{fallback}: invalid JSON ({error})")
                    continue
                if not isinstance(record, dict):
                    yield ErrorItem(fallback, f"{fallback}: a JSON {type(record).__name__}, not an object")
                    continue
                yield record_item(record, fallback, text_field, id_field)
    elif kind == "csv":
        import pandas as pd

        # Strings stay strings ("NA" is Namibia, not a missing value); empty cells are missing.
        reader = pd.read_csv(path, chunksize=_TABLE_CHUNK, dtype=str, keep_default_na=False, na_values=[""])
        number = 0
        for chunk in reader:
            for record in chunk.to_dict(orient="records"):
                yield record_item(record, f"{stem}:{number}", text_field, id_field)
                number += 1
    else:
        import pyarrow.parquet as pq

        number = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=_TABLE_CHUNK):
            for record in batch.to_pylist():
                yield record_item(record, f"{stem}:{number}", text_field, id_field)
                number += 1


def _table_count(path: Path) -> int | None:
    kind = _table_kind(path)
    if kind == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    if kind == "jsonl":
        with open(path, "rb") as handle:
            return sum(1 for line in handle if line.strip())
    with open(path, newline="", encoding="utf-8", errors="replace") as handle:
        return max(sum(1 for _ in csv.reader(handle)) - 1, 0)


# -- in-memory sources ---------------------------------------------------------------


def from_frame(frame: Any, *, text_field: str = DEFAULT_TEXT_FIELD, id_field: str | None = None) -> ItemStream:
    """Items from a pandas DataFrame: one per row, other columns as metadata."""
    if text_field not in frame.columns:
        raise InputError(f"the DataFrame has no column {text_field!r} (columns: {', '.join(map(str, frame.columns))})")
    if id_field is not None and id_field not in frame.columns:
        raise InputError(f"the DataFrame has no column {id_field!r}")

    def make() -> Iterator[Any]:
        for number, record in enumerate(frame.to_dict(orient="records")):
            yield record_item(record, f"row:{number}", text_field, id_field)

    return ItemStream(make, lambda: len(frame))


def from_texts(
    texts: Iterable[Any], *, text_field: str = DEFAULT_TEXT_FIELD, id_field: str | None = None
) -> ItemStream:
    """Items from an iterable of texts, ``(id, text)`` pairs or dicts (like table rows).

    Plain texts are named ``text:<n>``. The iterable is consumed once, lazily.
    """
    consumed = False

    def make() -> Iterator[Any]:
        nonlocal consumed
        if consumed and iter(texts) is texts:
            raise InputError("the iterable of texts was already consumed")
        consumed = True
        for number, value in enumerate(texts):
            fallback = f"text:{number}"
            if isinstance(value, dict):
                yield record_item(value, fallback, text_field, id_field)
            elif isinstance(value, tuple) and len(value) == 2:
                yield TextItem(safe_text(str(value[0])), value[1])
            else:
                yield TextItem(fallback, value)

    counter = (lambda: len(texts)) if hasattr(texts, "__len__") else (lambda: None)
    return ItemStream(make, counter)


def _is_path_like(value: Any) -> bool:
    """A path object, an existing path or glob match, or a one-line string that looks like a path:
    a file suffix we read, or a path separator and no spaces ("folder/", "data/speeches")."""
    if isinstance(value, os.PathLike):
        return True
    if not isinstance(value, str) or "\n" in value or len(value) > 4096:
        return False
    if Path(value).suffix.lower() in DOCUMENT_SUFFIXES + TABLE_SUFFIXES:
        return True  # a missing file is then reported, not scored as the text "notes.txt"
    if any(sep in value for sep in {"/", os.sep}) and not any(c.isspace() for c in value):
        return True  # a missing folder is reported, not scored as the text "folder/"
    try:
        return Path(value).expanduser().exists() or bool(_GLOB_CHARS & set(value) and glob.glob(value, recursive=True))
    except OSError:  # e.g. a one-line text longer than a file name may be
        return False


def resolve(source: Any, *, text_field: str = DEFAULT_TEXT_FIELD, id_field: str | None = None) -> ItemStream:
    """The item stream of what :func:`ggtext.score` accepts.

    * a path, glob or ``os.PathLike`` (or a list of them) -> :func:`from_paths`
    * a pandas DataFrame -> :func:`from_frame`
    * any other iterable of texts, ``(id, text)`` pairs or dicts -> :func:`from_texts`

    A list of strings is taken as paths when every one names an existing file,
    folder or glob match, ends in a suffix ggtext reads (``.txt``, ``.csv``,
    ...) or has a path separator and no spaces (``"folder/"``); a missing one is
    an :class:`~ggtext.errors.InputError`; a list mixing paths and texts is
    refused as ambiguous.
    """
    if isinstance(source, ItemStream):
        return source
    if isinstance(source, (str, os.PathLike)):
        return from_paths([source], text_field=text_field, id_field=id_field)
    if hasattr(source, "to_dict") and hasattr(source, "columns"):
        return from_frame(source, text_field=text_field, id_field=id_field)
    if isinstance(source, (list, tuple)) and source and all(isinstance(v, (str, os.PathLike)) for v in source):
        flags = [_is_path_like(v) for v in source]
        if all(flags):
            return from_paths(source, text_field=text_field, id_field=id_field)
        if any(flags):
            raise InputError("the list mixes paths and texts; pass pathlib.Path objects for files, or only texts")
    return from_texts(source, text_field=text_field, id_field=id_field)
