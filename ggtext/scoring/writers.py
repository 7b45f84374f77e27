"""Write score tables so that no work is lost: atomic part files, then one atomic merge.

While a run goes, every finished batch becomes its own Parquet part file in
``OUTPUT.parts/`` (written to a temporary name, synced, then renamed), so a
killed run leaves only complete parts. At the end, or when the run is
interrupted, the existing output and the parts are merged into a temporary
file that replaces ``OUTPUT`` in one rename; only then are the parts removed.
The output file is therefore never half-written, and ``resume`` reads the ids
already in the output and in the parts. The format follows the suffix:
``.parquet`` (default), ``.csv`` or ``.jsonl``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import OutputError
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


class ScoreWriter:
    """Batches of rows -> atomic part files -> one atomic output file.

    ``resume=True`` keeps what is there (``done_ids`` lists it); otherwise an
    existing output or parts folder is an error unless ``overwrite=True``.
    """

    def __init__(self, output: str | os.PathLike, unit: str, *, resume: bool = False, overwrite: bool = False):
        self.output = Path(output)
        self.format = output_format(self.output)
        self.unit = unit
        self.parts_dir = parts_dir(self.output)
        self.rows_written = 0
        if not self.output.parent.is_dir():
            raise OutputError(f"{self.output.parent}: no such folder for the output")
        there = self.output.exists() or bool(_parts(self.parts_dir))
        if there and not resume:
            if not overwrite:
                raise OutputError(
                    f"{self.output} (or its parts folder) exists: pass --resume to continue it "
                    "or --overwrite to replace it"
                )
            self.output.unlink(missing_ok=True)
            shutil.rmtree(self.parts_dir, ignore_errors=True)
        self.parts_dir.mkdir(exist_ok=True)
        for leftover in self.parts_dir.glob("*.tmp"):  # a part a killed run was writing
            leftover.unlink()
        self._check_existing()
        self.done_ids: set[str] = self._existing_ids()
        parts = _parts(self.parts_dir)
        self._next = int(_PART.match(parts[-1].name).group(1)) + 1 if parts else 0

    def _check_existing(self) -> None:
        expected = columns(self.unit)
        sources = [(self.output, self.format)] if self.output.exists() else []
        sources += [(p, "parquet") for p in _parts(self.parts_dir)[:1]]
        for path, fmt in sources:
            names = _names(path, fmt)
            if names != expected:
                found = unit_of(names)
                hint = f"it was scored with --unit {found}" if found else "its columns differ"
                raise OutputError(f"cannot resume {self.output}: {hint} (this run: --unit {self.unit})")

    def _existing_ids(self) -> set[str]:
        done: set[str] = set()
        if self.output.exists():
            done.update(_ids(self.output, self.format))
        for part in _parts(self.parts_dir):
            done.update(_ids(part, "parquet"))
        return done

    def write(self, rows: list[dict[str, Any]]) -> None:
        """Write one batch as a part file, atomically."""
        if not rows:
            return
        table = to_table(rows, self.unit)
        final = self.parts_dir / f"part-{self._next:06d}.parquet"
        tmp = final.with_name(final.name + ".tmp")
        with open(tmp, "wb") as handle:
            pq.write_table(table, handle)
            handle.flush()
            os.fsync(handle.fileno())
        _synced_replace(tmp, final)
        self._next += 1
        self.rows_written += len(rows)

    def finish(self) -> Path:
        """Merge the output and the parts into the output (atomically), then drop the parts."""
        parts = _parts(self.parts_dir)
        if not parts and self.output.exists():
            shutil.rmtree(self.parts_dir, ignore_errors=True)
            return self.output
        # Rows of ids already in the output are dropped from the parts: a crash between
        # the rename below and removing the parts must not duplicate them on resume.
        in_output = set(_ids(self.output, self.format)) if self.output.exists() else set()
        tmp = self.output.with_name(f".{self.output.name}.{os.getpid()}.tmp")
        try:
            _MERGERS[self.format](self.output if self.output.exists() else None, parts, in_output, tmp, self.unit)
            _synced_replace(tmp, self.output)
        finally:
            tmp.unlink(missing_ok=True)
        shutil.rmtree(self.parts_dir, ignore_errors=True)
        return self.output


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


def _merge_text(existing: Path | None, parts: list[Path], skip: set[str], tmp: Path, unit: str, fmt: str) -> None:
    names = columns(unit)
    with open(tmp, "w", newline="", encoding="utf-8") as handle:
        if existing is not None:
            with open(existing, newline="", encoding="utf-8") as old:
                shutil.copyfileobj(old, handle)
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


_MERGERS = {
    "parquet": _merge_parquet,
    "csv": lambda e, p, s, t, u: _merge_text(e, p, s, t, u, "csv"),
    "jsonl": lambda e, p, s, t, u: _merge_text(e, p, s, t, u, "jsonl"),
}
