"""Fault injection for batch scoring: bad ids, cut outputs, concurrent runs, special files, dead schedulers.

Every test ends with the same check (``assert_no_data_lost``): no id lost,
none doubled, every output readable (by ggtext and by plain readers), and no
lock, part or temporary file left behind.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import threading
import time
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from faults_helpers import assert_no_data_lost, assert_no_leftovers, deadline

import ggtext
from ggtext.cli import main
from ggtext.errors import InputError, ModelError, NonEnglishError, OutputError
from ggtext.scoring import read_scores, score_file, writers
from ggtext.scoring.batch import ScoringSettings, run
from ggtext.scoring.executors import executor_for
from ggtext.scoring.inputs import TextItem, from_paths
from ggtext.scoring.writers import ScoreWriter, parts_dir


@pytest.fixture(scope="module")
def texts(seed_path) -> list[str]:
    """Short English documents: pairs of the seed essay's paragraphs."""
    paragraphs = [p.text for p in ggtext.read(seed_path).paragraphs]
    return ["\n\n".join(paragraphs[k : k + 2]) for k in range(0, 16, 2)]


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _records(texts: list[str], n: int, start: int = 0) -> list[dict]:
    return [{"id": f"d{k}", "text": texts[k % len(texts)]} for k in range(start, start + n)]


def _quiet_score(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return score_file(*args, **kwargs)


# -- ids and metadata that are not valid Unicode -------------------------------------


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_a_file_name_with_a_non_utf8_byte_is_scored_and_resumed(tmp_path, texts, fmt):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(texts[0], encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as handle:
        handle.write(texts[1].encode("utf-8"))
    output = tmp_path / f"out.{fmt}"
    tally = score_file(folder, output, batch_size=8)
    assert tally.errors == 0
    expected = {
        "good",
        "caf\\udce9",
    }  # the undecodable byte, escaped (documented in scoring.inputs)
    again = score_file(folder, output, resume=True)
    assert again.skipped == 2 and again.documents == 0
    assert_no_data_lost(output, expected)


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_lone_surrogates_in_jsonl_ids_and_metadata_lose_nothing(tmp_path, texts, fmt):
    source = tmp_path / "in.jsonl"
    # JSON escapes of lone surrogates: valid JSON, not valid Unicode.
    source.write_text(
        '{"id": "s\\ud800", "text": %s, "note": "m\\udfff"}\n{"id": "plain", "text": %s, "note": "ok"}\n'
        % (json.dumps(texts[0]), json.dumps(texts[1])),
        encoding="utf-8",
    )
    output = tmp_path / f"out.{fmt}"
    score_file(source, output)
    frame = read_scores(output).set_index("id")
    assert json.loads(frame.loc["s\\ud800", "metadata"])["note"] == "m\udfff"  # the JSON escape round-trips
    assert score_file(source, output, resume=True).skipped == 2
    assert_no_data_lost(output, {"s\\ud800", "plain"})


def test_in_memory_scores_with_a_lone_surrogate_id(texts):
    frame = ggtext.score([("x\udce9", texts[0]), ("y", texts[1])])
    assert list(frame["id"]) == ["x\\udce9", "y"]


# -- resume on a cut or damaged text output --------------------------------------------


def _cut_last_row_newline(data: bytes) -> bytes:
    return data.rstrip(b"\r\n")


def _cut_mid_last_line(data: bytes) -> bytes:
    body = data.rstrip(b"\r\n")
    start = body.rfind(b"\n") + 1
    return data[: start + (len(body) - start) // 2]


def _garbage(data: bytes) -> bytes:
    return data + b'{"id": "d9", "text": \x00\xff garbage\n\xfe\xfe'


def _cut_inside_quoted_field(data: bytes) -> bytes:
    start = data.rstrip(b"\r\n").rfind(b"\n") + 1
    quote = data.index(b'"[', start)  # the evidence column: a quoted JSON list
    cut = data.index(b"\n", quote) + 1 if b"\n" in data[quote:-2] else quote + 20
    return data[:cut]


@pytest.mark.parametrize(
    "fmt,damage",
    [
        ("jsonl", _cut_last_row_newline),
        ("jsonl", _cut_mid_last_line),
        ("jsonl", _garbage),
        ("csv", _cut_last_row_newline),
        ("csv", _cut_mid_last_line),
        ("csv", _cut_inside_quoted_field),
        ("csv", _garbage),
    ],
)
def test_resume_drops_a_partial_last_row_and_scores_it_again(tmp_path, texts, fmt, damage):
    first = _jsonl(tmp_path / "a.jsonl", _records(texts, 3))
    output = tmp_path / f"out.{fmt}"
    score_file(first, output)
    output.write_bytes(damage(output.read_bytes()))
    more = _jsonl(tmp_path / "b.jsonl", _records(texts, 2, start=3))
    with pytest.warns(UserWarning, match="not complete rows"):
        tally = score_file([first, more], output, resume=True)
    # d2 again when its row was cut (not when only garbage followed it), d3 and d4 new
    assert tally.documents == (2 if damage is _garbage else 3)
    assert_no_data_lost(output, {f"d{k}" for k in range(5)})


def test_resume_of_a_cut_paragraph_table_scores_its_last_document_again(tmp_path, texts):
    source = _jsonl(tmp_path / "a.jsonl", _records(texts, 3))
    output = tmp_path / "out.jsonl"
    score_file(source, output, unit="paragraph")
    complete = read_scores(output)
    output.write_bytes(_cut_mid_last_line(output.read_bytes()))
    with pytest.warns(UserWarning, match="not complete rows"):
        score_file(source, output, unit="paragraph", resume=True)
    again = read_scores(output)
    assert sorted(zip(again["id"], again["paragraph"])) == sorted(zip(complete["id"], complete["paragraph"]))
    assert_no_data_lost(output, {"d0", "d1", "d2"}, unit="paragraph")


# -- concurrent runs, output = input, 0-byte and refused outputs ------------------------


def test_a_second_run_on_a_locked_output_refuses(tmp_path, texts):
    source = _jsonl(tmp_path / "a.jsonl", _records(texts, 2))
    output = tmp_path / "out.parquet"
    first = ScoreWriter(output, "document")  # a run in progress
    with pytest.raises(OutputError, match="being written by another ggtext run"):
        score_file(source, output, resume=True)
    result = CliRunner().invoke(main, ["score", str(source), "-o", str(output), "--resume", "--no-progress"])
    assert result.exit_code == 2 and "error:" in result.output and "another ggtext run" in result.output
    first.finish()  # the first run ends normally
    score_file(source, output, resume=True)
    assert_no_data_lost(output, {"d0", "d1"})


def test_two_concurrent_processes_on_one_output_lose_no_row(tmp_path, texts):
    """Real concurrency: a second process refuses while the first holds the output."""
    import subprocess
    import sys

    source = _jsonl(tmp_path / "a.jsonl", _records(texts, 2))
    output = tmp_path / "out.parquet"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from ggtext.scoring.writers import ScoreWriter; "
            f"w = ScoreWriter({str(output)!r}, 'document'); print('locked', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(OutputError, match="another ggtext run"):
            score_file(source, output)
    finally:
        holder.kill()
        holder.wait()
    score_file(source, output)  # the lock dies with its process
    assert_no_data_lost(output, {"d0", "d1"})


def test_overwrite_with_the_input_as_output_is_refused(tmp_path, texts):
    source = _jsonl(tmp_path / "a.jsonl", _records(texts, 2))
    before = source.read_bytes()
    with pytest.raises(OutputError, match="also an input"):
        score_file(source, source, overwrite=True)
    result = CliRunner().invoke(main, ["score", str(source), "-o", str(source), "--overwrite", "--no-progress"])
    assert result.exit_code == 2 and "also an input" in result.output
    assert source.read_bytes() == before
    output = tmp_path / "out.jsonl"
    score_file(source, output)
    assert_no_data_lost(output, {"d0", "d1"})


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
@pytest.mark.parametrize("resume", [True, False])
def test_a_zero_byte_output_is_treated_as_empty(tmp_path, texts, fmt, resume):
    source = _jsonl(tmp_path / "a.jsonl", _records(texts, 2))
    output = tmp_path / f"out.{fmt}"
    output.write_bytes(b"")  # what a run stopped before its first batch used to leave
    score_file(source, output, resume=resume)
    assert_no_data_lost(output, {"d0", "d1"})


def test_a_run_stopped_before_its_first_batch_leaves_no_output(tmp_path, texts):
    source = _jsonl(tmp_path / "a.jsonl", _records(texts, 2))
    bad_model = tmp_path / "model"
    bad_model.mkdir()
    output = tmp_path / "out.jsonl"
    with pytest.raises(ModelError):
        score_file(source, output, model=bad_model)
    assert not output.exists()
    assert_no_leftovers(output)
    score_file(source, output, resume=True)  # and both a resume and a plain run go on from nothing
    assert_no_data_lost(output, {"d0", "d1"})


def test_ctrl_c_before_the_first_batch_leaves_no_output(tmp_path, texts, monkeypatch):
    from ggtext.scoring.batch import Scorer

    source = _jsonl(tmp_path / "a.jsonl", _records(texts, 2))
    output = tmp_path / "out.jsonl"

    def interrupted(self, items):
        raise KeyboardInterrupt

    monkeypatch.setattr(Scorer, "score_batch", interrupted)
    result = CliRunner().invoke(main, ["score", str(source), "-o", str(output), "--no-progress"])
    assert result.exit_code == 130 and "nothing was written" in result.output
    assert not output.exists()
    assert_no_leftovers(output)
    monkeypatch.undo()
    result = CliRunner().invoke(main, ["score", str(source), "-o", str(output), "--no-progress"])
    assert result.exit_code == 0, result.output  # a plain rerun, not "exists"
    assert_no_data_lost(output, {"d0", "d1"})


def test_a_refused_resume_leaves_no_parts_folder_and_leftover_merges_are_removed(tmp_path, texts):
    source = _jsonl(tmp_path / "a.jsonl", _records(texts, 2))
    output = tmp_path / "out.parquet"
    score_file(source, output, unit="paragraph")
    with pytest.raises(OutputError, match="--unit paragraph"):
        score_file(source, output, unit="document", resume=True)
    assert not parts_dir(output).exists()
    stale = tmp_path / f".{output.name}.12345.tmp"  # a merge killed by kill -9
    stale.write_bytes(b"half a parquet file")
    more = _jsonl(tmp_path / "b.jsonl", _records(texts, 1, start=2))
    score_file([source, more], output, unit="paragraph", resume=True)
    assert not stale.exists()
    assert_no_data_lost(output, {"d0", "d1", "d2"}, unit="paragraph")


# -- special files, links and folders ----------------------------------------------------


def test_devices_and_fifos_are_error_rows_and_nothing_blocks(tmp_path, texts):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(texts[0], encoding="utf-8")
    os.mkfifo(folder / "f.txt")
    os.mkfifo(folder / "sub" / "g.txt")
    os.symlink("/dev/zero", folder / "zlink.txt")
    output = tmp_path / "out.jsonl"
    with deadline(60):
        with pytest.raises(InputError, match="not a regular file"):
            ggtext.read(folder / "f.txt")
        with pytest.raises(InputError, match="not a regular file"):
            ggtext.read("/dev/zero", format="text")
        score_file([folder, "/dev/zero"], output)
    frame = read_scores(output).set_index("id")
    for name in ("f", "sub/g", "zlink", "zero"):
        assert "not a regular file" in frame.loc[name, "error"]
    assert pd.isna(frame.loc["good", "error"])
    assert_no_data_lost(output, {"good", "f", "sub/g", "zlink", "zero"})


def test_a_fifo_named_like_a_table_is_refused_before_scoring(tmp_path):
    os.mkfifo(tmp_path / "pipe.jsonl")
    with deadline(20):
        with pytest.raises(InputError, match="not a regular file"):
            from_paths([tmp_path / "pipe.jsonl"])


def test_the_analyze_command_refuses_a_device(tmp_path):
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    with deadline(20):
        result = CliRunner().invoke(main, ["analyze", str(tmp_path / "zero.txt"), "--no-model"])
    assert result.exit_code == 2 and "not a regular file" in result.output


def test_recursive_globs_do_not_follow_symlink_loops(tmp_path, texts):
    root = tmp_path / "loop"
    (root / "a").mkdir(parents=True)
    (root / "a" / "one.txt").write_text(texts[0], encoding="utf-8")
    (root / "two.txt").write_text(texts[1], encoding="utf-8")
    os.symlink("..", root / "a" / "back")  # loop/a/back -> loop
    os.symlink(root, root / "self")
    output = tmp_path / "out.parquet"
    with deadline(60):
        score_file([str(root / "**" / "*.txt")], output)
    assert_no_data_lost(output, {"a/one", "two"})


def test_an_unlistable_subfolder_is_an_error_row(tmp_path, texts, monkeypatch):
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "hidden.txt").write_text(texts[1], encoding="utf-8")
    (root / "ok.txt").write_text(texts[0], encoding="utf-8")
    real_scandir = os.scandir

    def scandir(
        path=".",
    ):  # the tests run as root, where chmod 000 does not stop reading
        if not isinstance(path, int) and Path(os.fsdecode(path)) == root / "locked":
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    output = tmp_path / "out.jsonl"
    score_file(root, output)
    frame = read_scores(output).set_index("id")
    assert "cannot list the folder" in frame.loc["locked/", "error"]
    with pytest.warns(UserWarning, match="cannot list the folder"):
        score_file([str(root / "**" / "*.txt")], tmp_path / "glob.jsonl")
    assert_no_data_lost(output, {"ok", "locked/"})


# -- text that is not English -----------------------------------------------------------


def test_text_without_spaces_is_not_one_english_word(tmp_path, texts):
    chinese = "国际移民全球治理是一个复杂的问题，各国政府和国际组织需要共同努力，以实现安全、有序和正常的移民。" * 3
    with pytest.raises(NonEnglishError):
        ggtext.read_text(chinese)
    output = tmp_path / "out.parquet"
    score_file(
        _jsonl(
            tmp_path / "a.jsonl",
            [{"id": "zh", "text": chinese}, {"id": "en", "text": texts[0]}],
        ),
        output,
    )
    frame = read_scores(output).set_index("id")
    assert "looks like 'zh" in frame.loc["zh", "error"] and pd.isna(frame.loc["en", "error"])
    assert_no_data_lost(output, {"zh", "en"})


# -- time: linear verdicts and a per-document limit -------------------------------------


class _CountingCue:
    """A stand-in for a cue Span that counts how often its offsets are read."""

    reads = 0

    def __init__(self, start: int, label: str):
        self._start, self._label = start, label

    @property
    def start(self):
        _CountingCue.reads += 1
        return self._start

    @property
    def end(self):
        _CountingCue.reads += 1
        return self._start + 1

    @property
    def label_(self):
        _CountingCue.reads += 1
        return self._label


def test_cue_lookups_do_not_scan_every_cue_of_the_document():
    from ggtext.pipeline.cues import _within

    cues = [_CountingCue(k, "HEDGE" if k % 3 else "NEGATION") for k in range(5000)]
    brute = [c for c in cues if c._start >= 100 and c._start + 1 <= 130 and c._label == "NEGATION"]
    assert _within(cues, 100, 130, "NEGATION") == brute
    _CountingCue.reads = 0
    for k in range(1000):  # one lookup per sentence of a long document
        _within(cues, 5 * k, 5 * k + 5, "HEDGE")
    assert _CountingCue.reads < 20_000  # a scan per lookup reads 5,000 x 1,000 offsets


def _assert_lookups_match_a_full_scan(doc) -> None:
    from ggtext.pipeline.cues import _cues, _within
    from ggtext.pipeline.doc_index import sentences_of

    cues = _cues(doc)
    sentences = [s for p in doc._.ggtext.paragraphs for s in sentences_of(p)]
    assert len(cues) > 50 and len(sentences) > 50
    for sentence in sentences:
        for label in ("HEDGE", "NEGATION", "ATTRIBUTION", None):
            expected = [
                c
                for c in cues
                if c.start >= sentence.start and c.end <= sentence.end and (label is None or c.label_ == label)
            ]
            assert _within(cues, sentence.start, sentence.end, label) == expected


def test_cue_lookups_match_a_full_scan_on_the_seed_essay(nlp, seed_text):
    _assert_lookups_match_a_full_scan(nlp(ggtext.read_text(seed_text).text))


@pytest.mark.shared_data
def test_cue_lookups_match_a_full_scan_on_ungdc_speeches(nlp, ungdc_dir):
    speeches = sorted(ungdc_dir.glob("Session 70 - 2015/*.txt"))[:40:8]
    text = "\n\n".join(path.read_text(encoding="utf-8") for path in speeches)
    _assert_lookups_match_a_full_scan(nlp(ggtext.read_text(text).text))


def test_verdicts_are_the_same_as_with_a_full_scan(nlp, seed_text, monkeypatch):
    import ggtext.pipeline.cues as cues_module
    from ggtext.models import load_model
    from ggtext.scoring.verdict import document_verdict

    model = load_model()
    doc = nlp(ggtext.read_text(seed_text).text)
    indexed = document_verdict(doc, model).fields()

    def full_scan(cues, start, end, label):
        return [c for c in cues if c.start >= start and c.end <= end and (label is None or c.label_ == label)]

    monkeypatch.setattr(cues_module, "_within", full_scan)
    assert document_verdict(nlp(ggtext.read_text(seed_text).text), model).fields() == indexed


class _SlowItem:
    """A work item whose reading never ends (a runaway document)."""

    def __init__(self, id: str):
        self.id = id

    def read(self, **options):
        time.sleep(30)


def test_a_runaway_document_becomes_an_error_row(tmp_path, texts):
    items = [TextItem("fast", texts[0]), _SlowItem("slow"), TextItem("after", texts[1])]
    output = tmp_path / "out.parquet"
    writer = ScoreWriter(output, "document")
    started = time.perf_counter()
    with deadline(25):
        run(items, executor_for(ScoringSettings(doc_timeout=1.0)), sink=writer.write)
    writer.finish()
    assert time.perf_counter() - started < 20
    frame = read_scores(output).set_index("id")
    assert "time limit of 1 s" in frame.loc["slow", "error"]
    assert pd.isna(frame.loc["after", "error"])
    assert_no_data_lost(output, {"fast", "slow", "after"})


def test_the_time_limit_also_holds_in_worker_processes(tmp_path, texts):
    items = [TextItem("fast", texts[0]), _SlowItem("slow"), TextItem("after", texts[1])]
    output = tmp_path / "out.parquet"
    writer = ScoreWriter(output, "document")
    with deadline(40):
        run(
            items,
            executor_for(ScoringSettings(doc_timeout=1.0), n_process=2),
            sink=writer.write,
            batch_size=1,
        )
    writer.finish()
    frame = read_scores(output).set_index("id")
    assert "time limit of 1 s" in frame.loc["slow", "error"]
    assert_no_data_lost(output, {"fast", "slow", "after"})


# -- Dask: dead, malformed and foreign schedulers; no workers -----------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def fast_dask(monkeypatch):
    from ggtext.scoring import distributed

    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", 2.0, raising=False)
    monkeypatch.setattr(distributed, "NO_WORKERS_TIMEOUT", 2.0, raising=False)
    monkeypatch.setattr(distributed, "POLL_SECONDS", 0.2, raising=False)
    return distributed


def _plain_server() -> tuple[int, socket.socket]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            connection.sendall(b"HTTP/1.0 200 OK\r\n\r\nnot dask\n")

    threading.Thread(target=serve, daemon=True).start()
    return server.getsockname()[1], server


@pytest.mark.parametrize("kind", ["dead", "malformed", "not dask"])
def test_a_bad_scheduler_is_a_clear_error_within_the_timeout(tmp_path, texts, fast_dask, kind):
    source = _jsonl(tmp_path / "a.jsonl", _records(texts, 2))
    server = None
    if kind == "dead":
        address = f"tcp://127.0.0.1:{_free_port()}"
    elif kind == "malformed":
        address = "tcp//127.0.0.1"
    else:
        port, server = _plain_server()
        address = f"tcp://127.0.0.1:{port}"
    output = tmp_path / "out.parquet"
    started = time.perf_counter()
    try:
        with deadline(30), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = CliRunner().invoke(
                main,
                [
                    "score",
                    str(source),
                    "-o",
                    str(output),
                    "--scheduler",
                    address,
                    "--no-progress",
                ],
            )
    finally:
        if server is not None:
            server.close()
    assert time.perf_counter() - started < 15
    assert result.exit_code == 2, result.output
    assert "error:" in result.output and "Traceback" not in result.output
    assert not output.exists()
    assert_no_leftovers(output)
    score_file(source, output)  # the same output is then written locally
    assert_no_data_lost(output, {"d0", "d1"})


def test_a_cluster_without_workers_is_an_error_not_a_hang(tmp_path, texts, fast_dask):
    from distributed import Client, LocalCluster

    source = _jsonl(tmp_path / "a.jsonl", _records(texts, 2))
    output = tmp_path / "out.parquet"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with (
            LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster,
            Client(cluster, set_as_default=False) as client,
            deadline(30),
        ):
            with pytest.raises(fast_dask.SchedulerError, match="no workers"):
                score_file(source, output, scheduler=client)
    assert not output.exists()
    score_file(source, output)
    assert_no_data_lost(output, {"d0", "d1"})


# -- write errors are error messages, not tracebacks --------------------------------------


def test_a_read_only_output_folder_is_an_error_message(tmp_path, texts, monkeypatch):
    source = _jsonl(tmp_path / "a.jsonl", _records(texts, 2))
    folder = tmp_path / "ro"
    folder.mkdir()
    real_open = os.open

    def read_only(path, flags, *args, **kwargs):  # root ignores chmod, so the folder refuses here
        if Path(os.fsdecode(path)).parent == folder and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    result = CliRunner().invoke(main, ["score", str(source), "-o", str(folder / "out.parquet"), "--no-progress"])
    assert result.exit_code == 2, result.output
    assert "error: cannot write" in result.output and "Permission denied" in result.output
    monkeypatch.undo()
    output = tmp_path / "out.parquet"
    score_file(source, output)
    assert_no_data_lost(output, {"d0", "d1"})


def test_a_full_disk_is_an_error_message_and_keeps_finished_batches(tmp_path, texts, monkeypatch):
    source = _jsonl(tmp_path / "a.jsonl", _records(texts, 4))
    output = tmp_path / "out.parquet"
    real_write = pq.write_table
    calls = []

    def write_table(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:  # the second part finds the disk full
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(writers.pq, "write_table", write_table)
    result = CliRunner().invoke(
        main,
        ["score", str(source), "-o", str(output), "--batch-size", "2", "--no-progress"],
    )
    assert result.exit_code == 2, result.output
    assert "error: cannot write" in result.output and "disk is full" in result.output
    assert set(read_scores(output)["id"]) == {"d0", "d1"}  # the finished batch was kept
    monkeypatch.undo()
    assert score_file(source, output, resume=True).documents == 2
    assert_no_data_lost(output, {"d0", "d1", "d2", "d3"})


def test_html_into_a_missing_folder_fails_before_the_analysis(tmp_path, seed_path, monkeypatch):
    import ggtext.reports.analysis as analysis

    def not_called(*args, **kwargs):
        raise AssertionError("the analysis ran before the folder was checked")

    monkeypatch.setattr(analysis, "analyze", not_called)
    result = CliRunner().invoke(
        main,
        ["analyze", str(seed_path), "--html", str(tmp_path / "missing" / "r.html")],
    )
    assert result.exit_code == 2 and "error:" in result.output and "no such folder" in result.output
    assert "Traceback" not in result.output


# -- metadata, model files, duplicate ids -------------------------------------------------


def test_nan_inside_a_parquet_list_becomes_null_in_the_metadata(tmp_path, texts):
    source = tmp_path / "in.parquet"
    table = pa.table(
        {
            "id": ["a", "b"],
            "text": texts[:2],
            "scores": pa.array([[1.0, float("nan")], [float("inf"), 2.0]], pa.list_(pa.float64())),
            "plain": [float("nan"), 3.0],
        }
    )
    pq.write_table(table, source)
    output = tmp_path / "out.jsonl"
    score_file(source, output)
    frame = read_scores(output).set_index("id")
    a, b = (json.loads(frame.loc[k, "metadata"]) for k in "ab")
    assert (a["plain"], a["scores"]) == (None, [1.0, None])
    assert (b["plain"], b["scores"]) == (3.0, [None, 2.0])
    assert_no_data_lost(output, {"a", "b"})


def test_a_zip_bomb_model_is_refused_before_it_is_unpacked(tmp_path):
    from ggtext.models.data import file_sha256
    from ggtext.models.io import (
        METADATA_FILE,
        MODEL_FILE,
        load_model,
        resolve_model_dir,
    )

    folder = tmp_path / "bomb"
    folder.mkdir()
    with zipfile.ZipFile(folder / MODEL_FILE, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("schema.json", "w", force_zip64=True) as member:
            block = b" " * (1 << 20)
            for _ in range(600):  # 600 MB of spaces: about 0.6 MB packed
                member.write(block)
    assert (folder / MODEL_FILE).stat().st_size < 5_000_000
    metadata = json.loads((resolve_model_dir() / METADATA_FILE).read_text(encoding="utf-8"))
    metadata["model_sha256"] = file_sha256(folder / MODEL_FILE)  # a consistent, crafted folder
    (folder / METADATA_FILE).write_text(json.dumps(metadata), encoding="utf-8")
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(ModelError, match="would unpack to 629,145,600 bytes"):
        load_model(folder)
    assert time.perf_counter() - started < 3
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KB: nothing unpacked


def test_duplicate_ids_are_reported_and_resume_gets_past_them(tmp_path, texts):
    records = _records(texts, 3) + [{"id": "d1", "text": texts[5]}] + _records(texts, 2, start=3)
    source = _jsonl(tmp_path / "a.jsonl", records)
    output = tmp_path / "out.csv"
    with pytest.warns(UserWarning, match="duplicate id 'd1'"):
        tally = score_file(source, output, batch_size=2)
    assert tally.duplicates == 1 and "1 repeated ids skipped" in str(tally)
    with pytest.warns(UserWarning, match="duplicate id 'd1'"):
        again = score_file(source, output, resume=True)
    assert again.documents == 0 and again.skipped == 5
    assert_no_data_lost(output, {f"d{k}" for k in range(5)})


# -- kill -9 at random moments, including the final merge ---------------------------------

_KILLED_RUN = """
import os, signal, sys
from ggtext.scoring import writers
from ggtext.scoring.api import score_file
where = sys.argv[3]
if where != "none":
    real = getattr(writers, where)
    def killed(*args, **kwargs):
        real(*args, **kwargs)  # the temporary file is complete; die before it is renamed
        os.kill(os.getpid(), signal.SIGKILL)
    setattr(writers, where, killed)
score_file(sys.argv[1], sys.argv[2], batch_size=2, resume=True)
"""


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv"])
def test_kill_9_in_the_final_merge_loses_and_doubles_nothing(tmp_path, texts, fmt):
    import subprocess
    import sys

    source = _jsonl(tmp_path / "a.jsonl", _records(texts, 5))
    output = tmp_path / f"out.{fmt}"
    merge = "_merge_parquet" if fmt == "parquet" else "_merge_text"
    child = subprocess.run(
        [sys.executable, "-c", _KILLED_RUN, str(source), str(output), merge],
        timeout=120,
    )
    assert child.returncode == -9
    assert list(tmp_path.glob(f".{output.name}.*.tmp")), "the kill did not come during the merge"
    score_file(source, output, resume=True)
    assert_no_data_lost(output, {f"d{k}" for k in range(5)})


@pytest.mark.slow
def test_kill_9_at_random_moments_then_resume_loses_and_doubles_nothing(tmp_path, texts):
    import random
    import signal
    import subprocess
    import sys

    source = _jsonl(tmp_path / "a.jsonl", _records(texts, 16))
    output = tmp_path / "out.jsonl"
    rng = random.Random(11)
    for _attempt in range(4):
        child = subprocess.Popen([sys.executable, "-c", _KILLED_RUN, str(source), str(output), "none"])
        time.sleep(rng.uniform(2.0, 8.0))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    score_file(source, output, resume=True)
    assert_no_data_lost(output, {f"d{k}" for k in range(16)})
