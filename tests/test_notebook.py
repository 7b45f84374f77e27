"""In a notebook: Analysis._repr_html_ (the report's body with scoped CSS) and the displaCy export."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections import Counter

import pytest
from spacy import displacy
from spacy.util import filter_spans

import ggtext
from ggtext.reports.analysis import Analysis
from ggtext.reports.html import FRAGMENT_CLASS, render_html, scope_css


@pytest.fixture(scope="module")
def seed(seed_path) -> Analysis:
    return ggtext.analyze(seed_path)


def _css_selectors(css: str) -> list[str]:
    """Every selector of the rules in ``css`` (the contents of @media blocks included)."""
    heads = re.findall(r"([^{}]+)\{[^{}]*\}", css)
    return [s.strip() for head in heads for s in head.split(",")]


def test_repr_html_is_the_report_body_with_scoped_css(seed):
    fragment = seed._repr_html_()
    assert fragment.startswith(f'<div class="{FRAGMENT_CLASS}">') and fragment.endswith("</div>")
    for page_tag in ("<!DOCTYPE", "<html", "<head>", "<body", "<title"):
        assert page_tag not in fragment
    css = fragment[fragment.index("<style>") + 7 : fragment.index("</style>")]
    selectors = _css_selectors(css)
    assert len(selectors) > 50
    assert all(s == f".{FRAGMENT_CLASS}" or s.startswith(f".{FRAGMENT_CLASS} ") for s in selectors), selectors
    assert "@media print" in css
    # the same markup as the page: the page's body is the fragment after its <style>
    page = render_html(seed)
    body = page[page.index("<body>") + 6 : page.index("</body>")]
    assert fragment[fragment.index("</style>") + 8 : -len("</div>")] == body
    assert fragment.count('<mark class="actor') == page.count('<mark class="actor') > 50
    assert '<h2 id="verdict">Verdict</h2>' in fragment


def test_repr_html_without_a_doc_is_a_note():
    bare = Analysis(id="speech<1>", metadata={}, structure={}, statistics={}, key_terms=[], actors=[])
    note = bare._repr_html_()
    assert "no Doc" in note and "speech&lt;1&gt;" in note and "<style>" not in note
    with pytest.raises(ValueError):
        bare.to_displacy()


def test_scope_css_prefixes_every_rule_and_media_block():
    css = (
        "/* c { x } */ :root { --a: 1; }\nhtml { color: red; }\n* { margin: 0; }\nbody p, a.b { x: y; }\n"
        "@media print {\n  body { x: 1; }\n  h2 { y: 2; }\n}\n"
    )
    assert scope_css(css, ".r") == (
        ".r { --a: 1; }\n.r { color: red; }\n.r * { margin: 0; }\n.r p, .r a.b { x: y; }\n"
        "@media print {\n.r { x: 1; }\n.r h2 { y: 2; }\n}\n"
    )


def test_displacy_span_export_matches_the_actor_spans(seed):
    data = seed.to_displacy()
    doc = seed.doc
    actors = doc._.ggtext.actors
    assert data["text"] == doc.text and data["tokens"] == [t.text for t in doc]
    assert len(data["spans"]) == len(actors)
    assert sorted((s.start, s.end, s.label_) for s in actors) == sorted(
        (s["start_token"], s["end_token"], s["label"]) for s in data["spans"]
    )
    for span in data["spans"]:
        assert doc[span["start_token"] : span["end_token"]].text == data["text"][span["start"] : span["end"]]
    labels = {s["label"] for s in data["spans"]}
    assert {"UN", "UNHCR", "IOM", "ILO", "BERNE", "GMG"} <= labels
    assert {row["id"] for row in seed.actors} == labels
    html = displacy.render(data, style="span", manual=True, jupyter=False)
    drawn = re.findall(r"z-index: 10;[^>]*>\s*([^<\s]+)\s*</span>", html)  # one label at each span's start
    assert Counter(drawn) == Counter(s["label"] for s in data["spans"])
    assert html.count('class="spans"') == 1


def test_displacy_ent_export_matches_the_actor_spans(seed):
    data = seed.to_displacy("ent")
    expected = sorted(filter_spans(seed.doc._.ggtext.actors), key=lambda s: s.start)
    assert [(e["start"], e["end"], e["label"]) for e in data["ents"]] == [
        (s.start_char, s.end_char, s.label_) for s in expected
    ]
    ends = [e["end"] for e in data["ents"]]
    assert all(a["end"] <= b["start"] for a, b in zip(data["ents"], data["ents"][1:])), "ents overlap"
    assert max(ends) <= len(data["text"])
    html = displacy.render(data, style="ent", manual=True, jupyter=False)
    assert html.count("<mark") == len(data["ents"])
    un = next(e for e in data["ents"] if e["label"] == "UNHCR")
    assert data["text"][un["start"] : un["end"]] in html


def test_displacy_labels_by_actor_type(seed):
    types = {row["id"]: row["type"] for row in seed.actors}
    by_id, by_type = seed.to_displacy("ent"), seed.to_displacy("ent", label="type")
    assert [types[e["label"]] for e in by_id["ents"]] == [e["label"] for e in by_type["ents"]]
    assert "un_body" in {e["label"] for e in by_type["ents"]}
    html = displacy.render(by_type, style="ent", manual=True, jupyter=False)
    assert "un_body" in html
    with pytest.raises(ValueError):
        seed.to_displacy("dep")
    with pytest.raises(ValueError):
        seed.to_displacy(label="name")


def test_fragment_css_styles_the_report_and_nothing_around_it(seed, tmp_path):
    """In headless Chromium, a notebook-like page: the report's rules apply inside the fragment only."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium not found (install Debian's chromium package to run the browser test)")
    probe = (
        "<script>const s = (q) => getComputedStyle(document.querySelector(q));"
        "document.body.setAttribute('data-probe', JSON.stringify({"
        "outside_h2: s('#outside').borderBottomStyle, inside_h2: s('.ggtext-report h2').borderBottomStyle,"
        "outside_font: s('#outside-p').fontFamily, inside_font: s('.ggtext-report').fontFamily,"
        "outside_mark: s('#outside-mark').backgroundColor, inside_mark: s('.ggtext-report mark.actor').paddingLeft,"
        "outside_mark_pad: s('#outside-mark').paddingLeft}));</script>"
    )
    page = tmp_path / "notebook.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
        '<h2 id="outside">A notebook heading</h2>'
        '<p id="outside-p">A cell <mark id="outside-mark" class="actor">x</mark></p>'
        f"{seed._repr_html_()}{probe}</body></html>",
        encoding="utf-8",
    )
    run = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = re.search(r'data-probe="([^"]+)"', run.stdout)
    assert found, run.stderr[-2000:]
    probe = json.loads(html.unescape(found.group(1)))
    assert probe["inside_h2"] == "solid" and probe["outside_h2"] == "none"
    assert "Georgia" in probe["inside_font"] and "Georgia" not in probe["outside_font"]
    assert probe["inside_mark"] != "0px" and probe["outside_mark_pad"] == "0px"
