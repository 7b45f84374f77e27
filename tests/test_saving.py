"""A saved pipeline carries its data: ``nlp.to_disk`` then ``spacy.load`` in a fresh process, data folders gone."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ggtext
from ggtext.config import PACKAGE_DATA
from ggtext.models.io import resolve_model_dir

TEXT = (
    "The Foo Forum is on track, and the IOM and UNHCR welcomed the Global Compact for Migration.\n\n"
    "We reject the compact: migration must remain a sovereign national matter. Critics say the UN has failed."
)

#: Printed by the fresh process and by this one: what a pipeline makes of TEXT.
REPORT = """
import json, sys, spacy
nlp = spacy.load(sys.argv[1])
doc = nlp(sys.argv[2])
g = doc._.ggtext
print(json.dumps({
    "pipe_names": nlp.pipe_names,
    "actors": [(s.text, s.label_, s._.ggtext.actor_type) for s in g.actors],
    "cues": [(c.text, c.label_, c._.ggtext.polarity) for c in g.cues],
    "scores": [g.results.get(k) for k in ("feasibility_score", "desirability_score", "realist_share")],
    "labels": [g.results.get(k) for k in ("feasibility_label", "desirability_label", "framing_label")],
}))
"""


def report_of(nlp_path: Path) -> dict:
    """REPORT run in a new interpreter, from another folder (no in-process cache can help)."""
    result = subprocess.run(
        [sys.executable, "-c", REPORT, str(nlp_path), TEXT], capture_output=True, text=True, timeout=300, cwd="/"
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture()
def custom_data(tmp_path) -> dict[str, Path]:
    """A knowledge base with one more actor, lexicons with one more cue, a copy of the shipped model."""
    kb = shutil.copytree(PACKAGE_DATA / "actors", tmp_path / "kb", ignore=shutil.ignore_patterns("*.md"))
    (kb / "extra.yaml").write_text(
        "actors:\n- id: FOO\n  type: forum_or_process\n  names: [Foo Forum]\n", encoding="utf-8"
    )
    lexicons = shutil.copytree(PACKAGE_DATA / "lexicons", tmp_path / "lexicons", ignore=shutil.ignore_patterns("*.md"))
    (lexicons / "feasible_extra.yaml").write_text("label: FEASIBLE\nentries: [on track]\n", encoding="utf-8")
    model = shutil.copytree(resolve_model_dir(), tmp_path / "my-model")
    return {"kb": kb, "lexicons": lexicons, "model": model}


@pytest.mark.slow
def test_custom_data_travels_with_the_saved_pipeline(custom_data, tmp_path):
    nlp = ggtext.load(
        stance=True, kb_path=custom_data["kb"], lexicon_dir=custom_data["lexicons"], model=custom_data["model"]
    )
    doc = nlp(TEXT)
    assert "FOO" in {s.label_ for s in doc._.ggtext.actors}
    assert ("on track", "FEASIBLE") in {(c.text, c.label_) for c in doc._.ggtext.cues}
    saved = tmp_path / "saved"
    nlp.to_disk(saved)
    expected = {
        "pipe_names": nlp.pipe_names,
        "actors": [[s.text, s.label_, s._.ggtext.actor_type] for s in doc._.ggtext.actors],
        "cues": [[c.text, c.label_, c._.ggtext.polarity] for c in doc._.ggtext.cues],
        "scores": [doc._.ggtext.results.get(k) for k in ("feasibility_score", "desirability_score", "realist_share")],
        "labels": [doc._.ggtext.results.get(k) for k in ("feasibility_label", "desirability_label", "framing_label")],
    }
    for folder in custom_data.values():
        shutil.rmtree(folder)
    config = (saved / "config.cfg").read_text(encoding="utf-8")
    assert str(tmp_path) not in config and "kb_path" not in config and "model_path" not in config
    assert report_of(saved) == expected
    assert (saved / "ggtext_stance" / "model" / "model.skops").is_file()


@pytest.mark.slow
def test_the_default_pipeline_saves_without_copying_shipped_data(tmp_path):
    nlp = ggtext.load(stance=True)
    saved = tmp_path / "saved"
    nlp.to_disk(saved)
    assert not any(
        p.is_file() for name in ("ggtext_actors", "ggtext_cues", "ggtext_stance") for p in (saved / name).rglob("*")
    )
    report = report_of(saved)
    assert report["pipe_names"] == nlp.pipe_names
    assert ["IOM", "IOM", "intergovernmental_organisation"] in report["actors"]
    assert "FOO" not in {label for _, label, _ in report["actors"]}
    assert report["labels"][1] in {"for", "against", "none"}
    doc = nlp(TEXT)
    assert report["scores"] == [
        doc._.ggtext.results.get(k) for k in ("feasibility_score", "desirability_score", "realist_share")
    ]
