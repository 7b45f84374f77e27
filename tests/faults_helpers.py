"""Helpers of the fault-injection suite (tests/test_faults.py): the one check every test ends with."""

from __future__ import annotations

import csv
import json
import os
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable

import pyarrow.parquet as pq

from ggtext.scoring import read_scores
from ggtext.scoring.writers import output_format, parts_dir


def _raw_ids(output: Path) -> list[str]:
    """The id column read with plain readers (not ggtext's), so "readable" means readable by anyone."""
    fmt = output_format(output)
    if fmt == "parquet":
        return pq.read_table(output, columns=["id"]).column("id").to_pylist()
    with open(output, newline="", encoding="utf-8") as handle:  # strict UTF-8
        if fmt == "csv":
            rows = list(csv.reader(handle, strict=True))
            width = len(rows[0])
            assert all(len(row) == width for row in rows), "a CSV row has the wrong number of fields"
            return [row[0] for row in rows[1:]]
        ids = []
        for line in handle:
            assert line.endswith("\n"), "a JSONL line without its newline"
            ids.append(json.loads(line, parse_constant=_no_constant)["id"])
        return ids


def _no_constant(name: str):
    raise AssertionError(f"{name} is not valid JSON")


def assert_no_data_lost(output: str | os.PathLike, expected_ids: Iterable[str], *, unit: str = "document") -> None:
    """No id lost, none doubled, every output readable; and no lock, part or temporary file left."""
    output = Path(output)
    expected = set(expected_ids)
    assert output.exists(), f"{output} was not written"
    frame = read_scores(output)
    raw = _raw_ids(output)
    assert sorted(raw) == sorted(frame["id"]), "ggtext and a plain reader disagree"
    keys = list(frame["id"]) if unit == "document" else list(zip(frame["id"], frame["paragraph"]))
    doubled = sorted({str(k) for k in keys if keys.count(k) > 1})
    assert not doubled, f"doubled: {doubled}"
    assert set(frame["id"]) == expected, (
        f"lost: {sorted(expected - set(frame['id']))}, extra: {sorted(set(frame['id']) - expected)}"
    )
    for column in ("metadata", "actors", "evidence"):
        for value in frame[column].dropna():
            json.loads(value, parse_constant=_no_constant)
    assert_no_leftovers(output)


def assert_no_leftovers(output: str | os.PathLike) -> None:
    output = Path(output)
    assert not parts_dir(output).exists(), "the parts folder was left"
    assert not Path(f"{output}.lock").exists(), "the lock file was left"
    leftovers = sorted(p.name for p in output.parent.glob(f".{output.name}.*.tmp"))
    assert not leftovers, f"temporary files left: {leftovers}"
    if output.exists():
        assert output.stat().st_size > 0, "a 0-byte output was left"


@contextmanager
def deadline(seconds: int):
    """Fail (instead of hanging the suite) if the block runs longer than ``seconds``."""

    def expire(signum, frame):
        raise AssertionError(f"still running after {seconds} s: it hangs")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
