"""The documentation site builds offline with ``mkdocs build --strict``; the API pages hold the public names."""

from __future__ import annotations

import importlib
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import ggtext

ROOT = Path(__file__).resolve().parents[1]
#: API page -> the module whose public names (``__all__``) it documents.
API_PAGES = {
    "api-reading": "ggtext.reading",
    "api-pipeline": "ggtext.pipeline",
    "api-models": "ggtext.models",
    "api-scoring": "ggtext.scoring",
    "api-annotation": "ggtext.annotation",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    pytest.importorskip("mkdocs", reason="the docs extra is not installed (pip install -e '.[docs]')")
    pytest.importorskip("mkdocstrings_handlers.python", reason="mkdocstrings[python] is not installed")
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _page(site: Path, name: str) -> str:
    return (site / name / "index.html").read_text(encoding="utf-8")


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.mark.slow
def test_top_level_api_page_documents_analyze_and_load(site):
    import ggtext

    page = _page(site, "api-ggtext")
    for name in ("analyze", "load", "score", "read", "read_text"):
        assert f'id="ggtext.{name}"' in page, name
        first_line = inspect.getdoc(getattr(ggtext, name)).splitlines()[0]
        words = re.sub(r"[`*]", "", first_line).split()[:4]  # rendered from the docstring itself
        assert " ".join(words) in _text(page).replace("`", ""), (name, words)


@pytest.mark.slow
@pytest.mark.parametrize("page_name", sorted(API_PAGES))
def test_module_api_pages_document_the_public_callables(site, page_name):
    module = importlib.import_module(API_PAGES[page_name])
    page = _page(site, page_name)
    public = [n for n in module.__all__ if callable(getattr(module, n)) and inspect.getdoc(getattr(module, n))]
    assert public
    # a function named as its module (ggtext.annotation.suggest) is shown from that module
    missing = [n for n in public if not re.search(rf'id="{re.escape(module.__name__)}\.{n}(\.{n})?"', page)]
    assert not missing, missing
    assert not re.search(r":(func|class|meth|mod|attr):", _text(page)), "a Sphinx role was left in a docstring"


@pytest.mark.slow
def test_reports_page_and_tutorials_are_there(site):
    reports = _page(site, "api-reports")
    for anchor in (
        "ggtext.reports.analysis.analyze",
        "ggtext.reports.analysis.Analysis.to_displacy",
        "ggtext.reports.html.render_html",
        "ggtext.reports.summaries.summarize",
    ):
        assert f'id="{anchor}"' in reports, anchor
    seed = _text(_page(site, "tutorial-seed-essay"))
    assert "ggtext analyze corpora/seed_essay.txt --json" in seed
    # The tutorial quotes the verdict the shipped model gives today (rounded as the console prints it).
    verdict = ggtext.analyze(ROOT / "corpora" / "seed_essay.txt").verdict
    quoted = f"feasibility: {verdict['feasibility_label']} (score {verdict['feasibility_score']:.2f})"
    assert quoted in seed, f"the tutorial's quoted output is stale: {quoted}"
    assert "ggtext summarize scores.parquet --by year" in _text(_page(site, "tutorial-scoring"))
    assert "--frozen-split" in _text(_page(site, "tutorial-labelling"))
    for image in ("html_report.png", "summary_by_year.png"):
        assert (site / image).is_file()


@pytest.mark.slow
def test_site_loads_nothing_from_the_network(site):
    for path in site.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        assert not re.search(r'<script[^>]+src="(https?:)?//', page), path
        assert not re.search(r'<link[^>]+href="(https?:)?//', page), path
