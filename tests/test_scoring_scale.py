"""Batch scoring at scale: processes, a Dask cluster, killed runs, flat memory."""

from __future__ import annotations

import gc
import signal
import subprocess
import sys
import time

import pandas as pd
import psutil
import pytest

import ggtext
from ggtext.errors import GGTextError
from ggtext.scoring import read_scores, score_file
from ggtext.scoring.writers import parts_dir


@pytest.fixture(scope="module")
def seed_paragraphs(seed_path) -> list[str]:
    return [p.text for p in ggtext.read(seed_path).paragraphs]


def _documents(paragraphs: list[str], n: int, per_doc: int) -> list[tuple[str, str]]:
    """``n`` documents of ``per_doc`` essay paragraphs each, cycling through the essay."""
    k = len(paragraphs)
    return [(f"doc{i:04d}", "\n\n".join(paragraphs[(i * per_doc + j) % k] for j in range(per_doc))) for i in range(n)]


@pytest.fixture(scope="module")
def folder(tmp_path_factory, seed_paragraphs):
    """Twelve essay documents and two bad files."""
    root = tmp_path_factory.mktemp("folder")
    for doc_id, text in _documents(seed_paragraphs, 12, 3):
        (root / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (root / "empty.txt").write_text("   \n", encoding="utf-8")
    (root / "binary.txt").write_bytes(b"\x00\x01PK\x03\x04" * 100)
    return root


@pytest.fixture(scope="module")
def local_scores(folder):
    frame = ggtext.score(folder, unit="paragraph", batch_size=2)
    assert frame["error"].notna().sum() == 2
    return frame


@pytest.mark.slow
def test_two_processes_give_the_same_rows_as_one(folder, local_scores):
    parallel = ggtext.score(folder, unit="paragraph", batch_size=2, n_process=2)
    pd.testing.assert_frame_equal(parallel, local_scores)


@pytest.mark.slow
def test_worker_start_failure_is_an_error_not_a_hang(tmp_path):
    with pytest.raises(GGTextError):
        ggtext.score(["Migration is governed by states."], n_process=2, model=tmp_path / "missing.skops")


@pytest.mark.slow
def test_dask_cluster_gives_the_same_rows_as_a_local_run(folder, local_scores, tmp_path):
    from distributed import Client, LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        dashboard_address=None,
        protocol="tcp",
        host="127.0.0.1",
        scheduler_port=0,
    ) as cluster:
        on_cluster = ggtext.score(folder, unit="paragraph", batch_size=2, scheduler=cluster.scheduler_address)
        pd.testing.assert_frame_equal(on_cluster, local_scores)
        with Client(cluster) as client:  # a Client works as the scheduler too, and so does the CLI
            texts = ["The IOM and UNHCR cooperate on migration.", "States guard their sovereignty."]
            pd.testing.assert_frame_equal(ggtext.score(texts, scheduler=client), ggtext.score(texts))
        from click.testing import CliRunner

        from ggtext.cli import main

        out = tmp_path / "cluster.parquet"
        result = CliRunner().invoke(
            main,
            [
                "score",
                str(folder),
                "-o",
                str(out),
                "--unit",
                "paragraph",
                "--scheduler",
                cluster.scheduler_address,
                "--no-progress",
            ],
        )
        assert result.exit_code == 0, result.output
        pd.testing.assert_frame_equal(read_scores(out), local_scores)


# -- killed runs ----------------------------------------------------------------------


@pytest.fixture
def big_folder(tmp_path, seed_paragraphs):
    root = tmp_path / "big"
    root.mkdir()
    docs = _documents(seed_paragraphs, 160, 5)  # enough that a loaded machine cannot finish before the signal
    for doc_id, text in docs:
        (root / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return root, [doc_id for doc_id, _ in docs]


def _start(folder, out, *extra: str) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "ggtext.cli",
        "score",
        str(folder),
        "-o",
        str(out),
        "--batch-size",
        "2",
        "--no-progress",
        *extra,
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_parts(process: subprocess.Popen, out, n: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = len(list(parts_dir(out).glob("part-*.parquet"))) if parts_dir(out).is_dir() else 0
        if found >= n:
            return found
        if process.poll() is not None:
            pytest.fail(f"the run ended before it could be interrupted: {process.stderr.read()}")
        time.sleep(0.05)
    process.kill()
    pytest.fail("no part files appeared")


def _check_complete(out, expected_ids: list[str]) -> None:
    ids = list(read_scores(out)["id"])
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert sorted(ids) == sorted(expected_ids), "missing ids"
    assert not parts_dir(out).exists()


@pytest.mark.slow
def test_a_killed_run_loses_only_unfinished_batches_and_resumes(big_folder, tmp_path):
    folder, expected = big_folder
    n_process = "2"
    out = tmp_path / "scores.parquet"
    process = _start(folder, out, "--n-process", n_process)
    written = _wait_for_parts(process, out, 4)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert not out.exists()  # never half-written: only the atomic parts are there
    kept = read_scores_parts(out)
    assert len(kept) >= 2 * written  # every finished batch (2 documents) is kept
    assert kept == expected[: len(kept)]  # batches are written in input order
    assert len(kept) < len(expected)  # it really was interrupted

    resumed = _start(folder, out, "--resume", "--n-process", n_process)
    assert resumed.wait(timeout=300) == 0, resumed.stderr.read()
    assert f"{len(kept)} documents already in the output skipped" in resumed.stderr.read()
    _check_complete(out, expected)


def read_scores_parts(out) -> list[str]:
    import pyarrow.parquet as pq

    ids: list[str] = []
    for part in sorted(parts_dir(out).glob("part-*.parquet")):
        ids += pq.read_table(part, columns=["id"]).column("id").to_pylist()
    return ids


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_merges_finished_batches_into_the_output(big_folder, tmp_path, stop):
    folder, expected = big_folder
    out = tmp_path / "scores.csv"
    process = _start(folder, out, "--n-process", "2")
    _wait_for_parts(process, out, 3)
    process.send_signal(stop)
    assert process.wait(timeout=60) == 130
    assert "--resume" in process.stderr.read()
    kept = list(read_scores(out)["id"])  # a complete, readable file
    assert 6 <= len(kept) < len(expected) and kept == expected[: len(kept)]
    assert not parts_dir(out).exists()

    resumed = _start(folder, out, "--resume")
    assert resumed.wait(timeout=300) == 0, resumed.stderr.read()
    _check_complete(out, expected)


# -- memory ---------------------------------------------------------------------------


@pytest.mark.slow
def test_memory_stays_flat_over_a_large_stream(tmp_path, seed_paragraphs):
    """2,000 documents, each with words never seen before: RSS after warm-up vs at the end."""
    process = psutil.Process()
    marks: dict[str, int] = {}

    def stream(n: int = 2000, warm_up: int = 500):
        for i in range(n):
            if i in (warm_up, n - 1):
                gc.collect()
                marks["warm" if i == warm_up else "end"] = process.memory_info().rss
            # new strings in every document: the vocabulary would grow without memory_zone
            unique = " ".join(f"Zq{i}x{j}" for j in range(20))
            first_sentence = seed_paragraphs[i % len(seed_paragraphs)].split(". ")[0]
            yield f"m{i}", f"{first_sentence}. Also {unique}."

    # allow_non_english: made-up words can tip the language check; this test is about memory
    tally = score_file(stream(), tmp_path / "m.parquet", batch_size=50, allow_non_english=True)
    assert tally.documents == 2000 and tally.errors == 0
    growth = marks["end"] - marks["warm"]
    assert growth < 20 * 2**20, f"RSS grew by {growth / 2**20:.1f} MB over 1,500 documents"


def test_only_a_workers_first_batches_add_to_the_vocabulary(seed_paragraphs):
    """The first WARM_BATCHES warm the vocabulary; later batches run in a memory zone and leave nothing behind."""
    from ggtext.scoring.batch import WARM_BATCHES, Scorer, ScoringSettings
    from ggtext.scoring.inputs import from_texts

    scorer = Scorer(ScoringSettings())
    strings = scorer.nlp.vocab.strings
    batches = [
        list(from_texts([f"{seed_paragraphs[b]} Qzbatch{b}x{k}." for k in range(2)])) for b in range(WARM_BATCHES + 2)
    ]
    results = [scorer.score_batch(batch) for batch in batches]
    assert all(r.n_errors == 0 for r in results)
    kept = [all(f"Qzbatch{b}x{k}" in strings for k in range(2)) for b in range(len(batches))]
    assert kept == [True] * WARM_BATCHES + [False, False]
