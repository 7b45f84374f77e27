"""Every example of the README and the docs pages runs as written, or says why not.

Each page's ```python and ```bash (``sh``, ``console``) blocks run in order in one working folder
(``tests/doc_examples.py``) that holds what a user of the examples has: the checkout's ``corpora/``
and shipped model, the files the examples name (``speech1.txt``, ``my_corpus/``, coders' label
files, label-tool exports, ...) and ``GGTEXT_DATA`` set to a slice of the shared data directory
(a few speeches a year: the whole-corpus commands run as written, on less). A block that cannot run
here is marked ``<!-- not-run: reason -->`` just before it, and every skip is checked to have one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from doc_examples import RUNNABLE, blocks

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: Fences that hold output, listings or data, not something to run.
SHOWN = {"", "text", "json"}
DIMENSIONS = ("feasibility", "desirability", "framing")


def _id(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_every_block_runs_or_is_marked_with_a_reason(page):
    found, stray = blocks(page)
    assert not stray, f"{_id(page)}: not-run markers that are not just before a code block, lines {stray}"
    for block in found:
        assert block.language in RUNNABLE | SHOWN, f"{block}: unknown block language {block.language!r}"
        if block.not_run is not None:
            assert block.language in RUNNABLE, f"{block}: a not-run marker on a block that is never run"
            assert len(block.not_run.split()) >= 3, f"{block}: give a reason, not {block.not_run!r}"


def test_the_readme_quick_start_is_run():
    found, _ = blocks(ROOT / "README.md")
    run = [b for b in found if b.language in RUNNABLE and b.not_run is None]
    assert any("ggtext.analyze" in b.code and "ggtext.score" in b.code for b in run)
    assert any("ggtext analyze corpora/seed_essay.txt" in b.code for b in run)


def _link_slice(source: Path, target: Path, files: list[Path]) -> None:
    for path in files:
        link = target / path.relative_to(source)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(path)


def data_slice(data: Path, root: Path) -> Path:
    """A small data directory of links into ``data``: every 100th UNGDC speech of 2016-2018, every
    80th White House text, the GCM objectives and the annotation folder as they are."""
    root.mkdir()
    ungdc = data / "corpora" / "ungdc" / "TXT"
    speeches = [
        p for year in ("71 - 2016", "72 - 2017", "73 - 2018") for p in sorted(ungdc.glob(f"Session {year}/*.txt"))
    ]
    _link_slice(data, root, speeches[::100])
    _link_slice(data, root, sorted((data / "corpora" / "wh_briefings" / "files").rglob("*.md"))[::80])
    (root / "corpora" / "gcm").symlink_to(data / "corpora" / "gcm")
    (root / "annotation").symlink_to(data / "annotation")
    return root


def _labelled(data: Path, name: str, keep) -> list[dict]:
    with open(data / "annotation" / name, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    return [r for k, r in enumerate(records) if keep(k, r)]


def _write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def _second_coder(records: list[dict], every: int, dimension: str) -> list[dict]:
    """The same units, with every ``every``-th unit's ``dimension`` coded with the next class."""
    from ggtext.models.labels import CLASSES

    other = [dict(r) for r in records]
    for r in other[::every]:
        classes = CLASSES[dimension]
        r[dimension] = classes[(classes.index(r[dimension]) + 1) % len(classes)]
    return other


def _exports(records: list[dict], folder: Path) -> None:
    """What Label Studio, doccano and Prodigy export for these units, labelled as in the records."""
    tasks = []
    for k, r in enumerate(records, start=1):
        result = [
            {"from_name": d, "to_name": "text", "type": "choices", "value": {"choices": [r[d]]}} for d in DIMENSIONS
        ]
        tasks.append({"id": k, "data": {"text": r["text"], "ggtext_id": r["id"]}, "annotations": [{"result": result}]})
    (folder / "project-1-export.json").write_text(json.dumps(tasks), encoding="utf-8")
    chosen = [[f"{d}:{r[d]}" for d in DIMENSIONS] for r in records]
    _write_jsonl(
        folder / "doccano_export.jsonl",
        [
            {"id": k, "text": r["text"], "ggtext_id": r["id"], "label": c}
            for k, (r, c) in enumerate(zip(records, chosen))
        ],
    )
    _write_jsonl(
        folder / "prodigy_export.jsonl",
        [
            {"text": r["text"], "meta": {"ggtext_id": r["id"]}, "accept": c, "answer": "accept"}
            for r, c in zip(records, chosen)
        ],
    )


def user_folder(workdir: Path, data: Path) -> Path:
    """The working folder of someone trying the examples, with the files they name."""
    workdir.mkdir()
    (workdir / "corpora").symlink_to(ROOT / "corpora")
    models = workdir / "models"
    models.mkdir()
    (models / "ggtext-stance").symlink_to(ROOT / "models" / "ggtext-stance")
    for trained in ("my-model", "mine"):  # what the (not-run) `ggtext train` examples write
        shutil.copytree(ROOT / "models" / "ggtext-stance", models / trained)
    shutil.copytree(ROOT / "ggtext" / "data" / "actors", workdir / "my_kb")
    shutil.copytree(ROOT / "ggtext" / "data" / "lexicons", workdir / "my_lexicons")
    (workdir / "speech1.txt").write_text("We welcome the Global Compact for Migration.\n", encoding="utf-8")
    (workdir / "folder").mkdir()
    (workdir / "folder" / "speech2.txt").write_text("The IOM and UNHCR work well together.\n", encoding="utf-8")
    corpus = workdir / "my_corpus"
    corpus.mkdir()
    for path in sorted((data / "corpora" / "ungdc" / "TXT" / "Session 73 - 2018").glob("*.txt"))[:150:30]:
        (corpus / path.name).symlink_to(path)
    coder_a = _labelled(data, "train.jsonl", lambda k, r: k < 60)
    _write_jsonl(workdir / "coder_a.jsonl", coder_a)
    _write_jsonl(workdir / "coder_b.jsonl", _second_coder(coder_a, 4, "feasibility"))
    _write_jsonl(workdir / "coder_c.jsonl", _second_coder(coder_a, 5, "framing"))
    held_out = set(json.loads((ROOT / "corpora" / "annotation" / "dev_split_v2.json").read_text())["ids"])
    _write_jsonl(workdir / "my_labels.jsonl", _labelled(data, "train_v2.jsonl", lambda k, r: r["id"] in held_out)[:80])
    _exports(_labelled(data, "train.jsonl", lambda k, r: 60 <= k < 90), workdir)
    return workdir


RUN_PAGES = [p for p in PAGES if any(b.language in RUNNABLE and b.not_run is None for b in blocks(p)[0])]


@pytest.mark.slow
@pytest.mark.shared_data
@pytest.mark.parametrize("page", RUN_PAGES, ids=_id)
def test_the_examples_run_as_written(page, data_dir, tmp_path):
    workdir = user_folder(tmp_path / "work", data_dir)
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "GGTEXT_DATA": str(data_slice(data_dir, tmp_path / "data")),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "MPLBACKEND": "Agg",
    }
    driver = Path(__file__).with_name("doc_examples.py")
    done = subprocess.run(
        [sys.executable, str(driver), str(page), str(workdir)], capture_output=True, text=True, timeout=900, env=env
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
