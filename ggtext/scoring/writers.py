"""Write score tables so that no work is lost: atomic part files, then one atomic merge.

While a run goes, every finished batch becomes its own Parquet part file in
``OUTPUT.parts/`` (written to a temporary name, synced, then renamed), so a
killed run leaves only complete parts. At the end, or when the run is
interrupted, the existing output and the parts are merged into a temporary
file that replaces ``OUTPUT`` in one rename; only then are the parts removed.
The output file is therefore never half-written, and ``resume`` reads the ids
already in the output and in the parts. The format follows the suffix:
``.parquet`` (default), ``.csv`` or ``.jsonl``.

Faults handled: a lock file beside the output (``OUTPUT.lock``, ``flock``)
makes a second run on the same output refuse; text that is not valid Unicode
(lone surrogates from undecodable file names or JSON ids) is written with
backslash escapes (``\\udce9``, :func:`safe_text`) in every format; on
resume, a JSONL/CSV output whose last row is partial (no newline, cut inside a
quoted field, garbage) keeps only its complete rows (the rest is re-scored,
with a warning); a 0-byte output counts as empty; and a run that wrote no rows
before it stopped leaves no output behind.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import shutil
import warnings
from glob import escape as glob_escape
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import OutputError
from .escapes import safe_rows, safe_text  # noqa: F401  (safe_text: part of this module's API)
from .schema import columns, schema, to_frame, to_table, unit_of

FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
#: Rows per Parquet row group in the merged file (parts are merged until this size).
ROW_GROUP_ROWS = 10_000
_PART = re.compile(r"^part-(\d+)\.parquet$")


def output_format(path: str | os.PathLike) -> str:
    """``parquet``, ``csv`` or ``jsonl`` from the file's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(f"{path}: unknown output format {suffix or '(no suffix)'}; use .parquet, .csv or .jsonl")
    return FORMATS[suffix]


def parts_dir(output: str | os.PathLike) -> Path:
    return Path(os.fspath(output) + ".parts")


def _parts(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in directory.iterdir() if (m := _PART.match(p.name))]
    return [p for _, p in sorted(found)]


def _synced_replace(tmp: Path, final: Path) -> None:
    os.replace(tmp, final)
    try:  # make the rename itself durable
        fd = os.open(final.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


def _is_empty(path: Path) -> bool:
    """True for an absent or 0-byte file (what a run stopped before its first write may leave)."""
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True


def _os_error(action: str, path: Path, error: OSError) -> OutputError:
    reason = "the disk is full" if error.errno == errno.ENOSPC else (error.strerror or str(error))
    return OutputError(f"cannot {action} {path}: {reason}")


# -- reading what is there -----------------------------------------------------------


def _names(path: Path, fmt: str) -> list[str]:
    try:
        if fmt == "parquet":
            return pq.ParquetFile(path).schema_arrow.names
        with open(path, newline="", encoding="utf-8") as handle:
            if fmt == "csv":
                return next(csv.reader(handle), [])
            first = handle.readline()
            return list(json.loads(first)) if first.strip() else []
    except (OSError, ValueError, pa.ArrowException) as error:
        raise OutputError(f"{path}: cannot read it as {fmt} ({error})") from None


def _ids(path: Path, fmt: str) -> Iterator[str]:
    if fmt == "parquet":
        for batch in pq.ParquetFile(path).iter_batches(columns=["id"], batch_size=65_536):
            yield from batch.column(0).to_pylist()
    elif fmt == "csv":
        import pandas as pd

        for chunk in pd.read_csv(path, usecols=["id"], dtype=str, keep_default_na=False, chunksize=65_536):
            yield from chunk["id"]
    else:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)["id"]


def read_scores(path: str | os.PathLike):
    """A score table written by ggtext (any format) as a DataFrame with the schema's types."""
    path = Path(path)
    fmt = output_format(path)
    names = _names(path, fmt)
    unit = unit_of(names)
    if unit is None:
        raise OutputError(f"{path}: not a ggtext score table (columns: {', '.join(names)})")
    target = schema(unit)
    if fmt == "parquet":
        table = pq.read_table(path).cast(target)
    elif fmt == "csv":
        import pandas as pd

        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        arrays = [pa.array(frame[f.name], type=pa.string(), from_pandas=True).cast(f.type) for f in target]
        table = pa.Table.from_arrays(arrays, schema=target)
    else:
        with open(path, encoding="utf-8") as handle:
            table = pa.Table.from_pylist([json.loads(line) for line in handle if line.strip()], schema=target)
    return to_frame(table)


# -- writing -------------------------------------------------------------------------


def _lock(output: Path) -> tuple[Path, int | None]:
    """Hold ``OUTPUT.lock`` (``flock``, exclusive, not waiting); refuse if another run holds it."""
    lock = Path(os.fspath(output) + ".lock")
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks, so no refusal either
        return lock, None
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise _os_error("write the lock file", lock, error) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputError(
                f"{output} is being written by another ggtext run (it holds {lock.name}); "
                "wait for it to finish, or write to another output"
            ) from None
        try:  # the run that held it may have removed the file meanwhile: lock the current one
            same = os.stat(lock).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return lock, fd
        os.close(fd)


def _jsonl_rows(handle) -> Iterator[tuple[tuple[list[str], str] | None, int]]:
    """((columns, id) or None for a broken line, byte offset after it) per JSONL line."""
    offset = 0
    for line in handle:
        offset += len(line)
        if line.endswith(b"\n") and not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8")) if line.endswith(b"\n") else None
        except ValueError:
            record = None
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            yield None, offset
            return
        yield (list(record), record["id"]), offset


def _csv_rows(handle) -> Iterator[tuple[list[str] | None, int]]:
    """(fields or None for a broken row, byte offset after it) per CSV row (header first)."""
    state = {"offset": 0, "ended": True, "exhausted": False}

    def lines():
        for line in handle:
            state["offset"] += len(line)
            state["ended"] = line.endswith(b"\n")
            yield line.decode("utf-8")
        state["exhausted"] = True

    reader = csv.reader(lines(), strict=True)  # strict: a quote open at the end is an error
    limit = csv.field_size_limit(_CSV_FIELD_LIMIT)  # a long paragraph's text is not a broken row
    try:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError):
                yield None, state["offset"]
                return
            if not state["ended"] or state["exhausted"]:  # ended by the end of the file, not a newline
                yield None, state["offset"]
                return
            yield row, state["offset"]
    finally:
        csv.field_size_limit(limit)


_CSV_FIELD_LIMIT = 2**31 - 1


def _text_prefix(path: Path, fmt: str, unit: str) -> tuple[int, set[str], list[str] | None]:
    """The complete rows at the start of a JSONL/CSV output: (their bytes, their ids, the columns).

    A row is complete when it parses, has the table's columns and ends in a
    newline; reading stops at the first row that is not (a cut or garbage
    end). For paragraph and sentence units the last document's rows are left
    out too, since its missing rows may be the ones cut. Columns are None when
    not even a first row (the header) is complete.
    """
    names: list[str] | None = None
    ids: set[str] = set()
    good = run_start = 0
    run_id: str | None = None
    broken = False
    with open(path, "rb") as handle:
        for row, end in _jsonl_rows(handle) if fmt == "jsonl" else _csv_rows(handle):
            if row is None:
                broken = True
                break
            if fmt == "csv":
                if names is None:  # the header
                    names, good = row, end
                    continue
                if len(row) != len(names):
                    broken = True
                    break
                row_id = row[0]
            else:
                row_names, row_id = row
                if names is None:
                    names = row_names
                if row_names != names:
                    broken = True
                    break
            if row_id != run_id:
                run_id, run_start = row_id, good
            ids.add(row_id)
            good = end
    if broken and unit != "document" and run_id is not None:
        ids.discard(run_id)
        good = run_start
    return good, ids, names


class ScoreWriter:
    """Batches of rows -> atomic part files -> one atomic output file.

    ``resume=True`` keeps what is there (``done_ids`` lists it); otherwise an
    existing output or parts folder is an error unless ``overwrite=True``.
    The output is locked from here to :meth:`finish` (or :meth:`close`).
    """

    def __init__(self, output: str | os.PathLike, unit: str, *, resume: bool = False, overwrite: bool = False):
        self.output = Path(output)
        self.format = output_format(self.output)
        self.unit = unit
        self.parts_dir = parts_dir(self.output)
        self.rows_written = 0
        if not self.output.parent.is_dir():
            raise OutputError(f"{self.output.parent}: no such folder for the output")
        if self.output.is_dir():
            raise OutputError(f"{self.output}: is a folder, not an output file")
        self._lock_path, self._lock_fd = _lock(self.output)
        try:
            self._open(resume, overwrite)
        except OSError as error:
            self.close()
            raise _os_error("read", self.output, error) from None
        except BaseException:
            self.close()
            raise

    def _open(self, resume: bool, overwrite: bool) -> None:
        there = not _is_empty(self.output) or bool(_parts(self.parts_dir))
        if there and not resume:
            if not overwrite:
                raise OutputError(
                    f"{self.output} (or its parts folder) exists: pass --resume to continue it "
                    "or --overwrite to replace it"
                )
            self.output.unlink(missing_ok=True)
            shutil.rmtree(self.parts_dir, ignore_errors=True)
        # What a killed run was writing: a part, or the merged file (.OUTPUT.PID.tmp).
        leftovers = [*self.parts_dir.glob("*.tmp"), *self.output.parent.glob(f".{glob_escape(self.output.name)}.*.tmp")]
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        self._existing = not _is_empty(self.output)  # a 0-byte output is an empty one
        self._keep_bytes: int | None = None  # text outputs with a cut end: the bytes of complete rows
        self._output_ids: set[str] = set()
        if self._existing and self.format != "parquet":
            size = self.output.stat().st_size
            keep, self._output_ids, names = _text_prefix(self.output, self.format, self.unit)
            if names is None:  # not even a complete first row: nothing to keep
                self._existing = False
            else:
                self._check_names(names)
            if keep < size and self._existing:
                self._keep_bytes = keep
                warnings.warn(
                    f"{self.output}: its last {size - keep:,} bytes are not complete rows (a cut or damaged "
                    "end); they are dropped and their documents scored again",
                    stacklevel=3,
                )
        elif self._existing:
            self._check_names(_names(self.output, self.format))
            self._output_ids = set(_ids(self.output, self.format))
        parts = _parts(self.parts_dir)
        if parts:
            self._check_names(_names(parts[0], "parquet"))
        self.done_ids: set[str] = set(self._output_ids)
        for part in parts:
            self.done_ids.update(_ids(part, "parquet"))
        self._next = int(_PART.match(parts[-1].name).group(1)) + 1 if parts else 0

    def _check_names(self, names: list[str]) -> None:
        if names != columns(self.unit):
            found = unit_of(names)
            hint = f"it was scored with --unit {found}" if found else "its columns differ"
            raise OutputError(f"cannot resume {self.output}: {hint} (this run: --unit {self.unit})")

    def write(self, rows: list[dict[str, Any]]) -> None:
        """Write one batch as a part file, atomically."""
        if not rows:
            return
        table = to_table(safe_rows(rows), self.unit)
        final = self.parts_dir / f"part-{self._next:06d}.parquet"
        tmp = final.with_name(final.name + ".tmp")
        try:
            self.parts_dir.mkdir(exist_ok=True)
            with open(tmp, "wb") as handle:
                pq.write_table(table, handle)
                handle.flush()
                os.fsync(handle.fileno())
            _synced_replace(tmp, final)
        except OSError as error:
            tmp.unlink(missing_ok=True)
            raise _os_error("write", final, error) from None
        self._next += 1
        self.rows_written += len(rows)

    def finish(self) -> Path:
        """Merge the output and the parts into the output (atomically), drop the parts, unlock.

        Returns the output's path. A run that never wrote a row leaves no
        output file (a 0-byte one is removed).
        """
        try:
            return self._finish()
        except OSError as error:
            raise _os_error("write", self.output, error) from None
        finally:
            self.close()

    def _finish(self) -> Path:
        parts = _parts(self.parts_dir)
        if not parts and (not self._existing or self._keep_bytes is None):
            shutil.rmtree(self.parts_dir, ignore_errors=True)
            if not self._existing:
                self.output.unlink(missing_ok=True)  # a 0-byte leftover is not an output
            return self.output
        # Rows of ids already in the output are dropped from the parts: a crash between
        # the rename below and removing the parts must not duplicate them on resume.
        tmp = self.output.with_name(f".{self.output.name}.{os.getpid()}.tmp")
        existing = self.output if self._existing else None
        try:
            if self.format == "parquet":
                _merge_parquet(existing, parts, self._output_ids, tmp, self.unit)
            else:
                _merge_text(existing, self._keep_bytes, parts, self._output_ids, tmp, self.unit, self.format)
            _synced_replace(tmp, self.output)
        finally:
            tmp.unlink(missing_ok=True)
        shutil.rmtree(self.parts_dir, ignore_errors=True)
        return self.output

    def close(self) -> None:
        """Release the output's lock (safe to call twice)."""
        if getattr(self, "_lock_fd", None) is not None:
            self._lock_path.unlink(missing_ok=True)
            os.close(self._lock_fd)
            self._lock_fd = None


def _part_tables(parts: list[Path], skip: set[str]) -> Iterator[pa.Table]:
    import pyarrow.compute as pc

    for part in parts:
        table = pq.read_table(part)
        if skip:
            table = table.filter(pc.invert(pc.is_in(table["id"], value_set=pa.array(sorted(skip), pa.string()))))
        if table.num_rows:
            yield table


def _merge_parquet(existing: Path | None, parts: list[Path], skip: set[str], tmp: Path, unit: str) -> None:
    target = schema(unit)
    with open(tmp, "wb") as handle:
        with pq.ParquetWriter(handle, target) as writer:
            if existing is not None:
                source = pq.ParquetFile(existing)
                for group in range(source.num_row_groups):
                    writer.write_table(source.read_row_group(group).cast(target))
            pending: list[pa.Table] = []
            size = 0
            for table in _part_tables(parts, skip):
                pending.append(table.cast(target))
                size += table.num_rows
                if size >= ROW_GROUP_ROWS:
                    writer.write_table(pa.concat_tables(pending))
                    pending, size = [], 0
            if pending:
                writer.write_table(pa.concat_tables(pending))
        handle.flush()
        os.fsync(handle.fileno())


def _csv_cell(value: Any) -> Any:
    return "" if value is None else value


def _merge_text(
    existing: Path | None, keep_bytes: int | None, parts: list[Path], skip: set[str], tmp: Path, unit: str, fmt: str
) -> None:
    names = columns(unit)
    with open(tmp, "w", newline="", encoding="utf-8") as handle:
        if existing is not None:  # copied as bytes; only its complete rows (keep_bytes) when its end was cut
            handle.flush()
            with open(existing, "rb") as old:
                left = keep_bytes
                while left is None or left > 0:
                    chunk = old.read(1 << 20 if left is None else min(1 << 20, left))
                    if not chunk:
                        break
                    handle.buffer.write(chunk)
                    left = None if left is None else left - len(chunk)
            handle.buffer.flush()
        writer = csv.writer(handle) if fmt == "csv" else None
        if writer is not None and existing is None:
            writer.writerow(names)
        for table in _part_tables(parts, skip):
            for row in table.to_pylist():
                if writer is not None:
                    writer.writerow([_csv_cell(row[n]) for n in names])
                else:
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
