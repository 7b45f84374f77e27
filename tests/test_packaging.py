"""The built wheel carries the data files and models and works outside the repository."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: build with the hatchling already installed, nothing is downloaded.
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("ggtext-*.whl")
    return path


def test_wheel_contains_data_models_and_entry_points(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("ggtext/data/actors/") for n in names)
    assert any(n.startswith("ggtext/data/lexicons/") for n in names)
    assert "ggtext/data/study.yaml" in names and "ggtext/study/sections/ungdc.py" in names
    assert any(n.startswith("ggtext/_models/") and n.endswith(".skops") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[spacy_factories]" in text and "ggtext_actors" in text
    assert "ggtext = ggtext.cli:main" in text


def test_installed_wheel_works_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    script = (
        "import ggtext, json\n"
        "from pathlib import Path\n"
        f"assert Path(ggtext.__file__).is_relative_to({str(target)!r}), ggtext.__file__\n"
        "text = ('The International Organization for Migration and UNHCR welcomed the Global Compact '"
        "'for Safe, Orderly and Regular Migration. We must work together through multilateral '"
        "'cooperation to govern migration.')\n"
        "result = ggtext.analyze(text=text)\n"
        "ids = {row['id'] for row in result.actors}\n"
        "assert {'IOM', 'UNHCR', 'GCM'} <= ids, ids\n"
        "assert result.verdict['desirability_label'] in {'for', 'against', 'none'}\n"
        "print(json.dumps(sorted(ids)))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(target)
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "IOM" in done.stdout
