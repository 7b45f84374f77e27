"""The README's quick start runs as written: its Python block, and its commands on the seed essay."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
QUICK_START = README[README.index("## Quick start") : README.index("## Architecture")]


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", QUICK_START, flags=re.S)


@pytest.fixture()
def workdir(tmp_path):
    """A folder like the user's: the checkout's corpora, a speech and a folder of speeches."""
    (tmp_path / "corpora").symlink_to(ROOT / "corpora")
    (tmp_path / "speech1.txt").write_text("We welcome the Global Compact for Migration.\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "speech2.txt").write_text("The IOM and UNHCR work well together.\n", encoding="utf-8")
    return tmp_path


@pytest.mark.slow
def test_the_quick_start_python_block_runs_as_written(workdir):
    (code,) = blocks("python")
    assert "ggtext.analyze" in code and "ggtext.score" in code
    result = subprocess.run([sys.executable, "-c", code], cwd=workdir, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.slow
def test_the_quick_start_commands_on_the_seed_essay_run_as_written(workdir):
    (code,) = blocks("bash")
    lines = [line.split("#")[0].strip() for line in code.splitlines()]
    cheap = [line for line in lines if line.startswith("ggtext") and ("--help" in line or "seed_essay.txt" in line)]
    assert len(cheap) >= 4
    ggtext = Path(sys.executable).parent / "ggtext"
    env = {**os.environ, "PATH": f"{ggtext.parent}{os.pathsep}{os.environ['PATH']}"}
    for line in cheap:
        result = subprocess.run(shlex.split(line), cwd=workdir, capture_output=True, text=True, timeout=600, env=env)
        assert result.returncode == 0, (line, result.stderr[-2000:])
    assert (workdir / "seed.html").is_file()
