"""The HTML report: self-contained, escaped, actors marked and typed, sentences tinted,
verdict and evidence shown; rendered in headless Chromium without errors or network requests."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import ggtext
from ggtext.cli import main
from ggtext.reports.html import MAX_TINT, render_html, report_sentences, sentence_stance

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


@pytest.fixture(scope="module")
def seed_page(seed_path, tmp_path_factory) -> tuple[Path, str, dict]:
    """The seed essay's report written by the command line, and its --json result."""
    out = tmp_path_factory.mktemp("html") / "seed.html"
    result = CliRunner().invoke(main, ["analyze", str(seed_path), "--html", str(out), "--json"])
    assert result.exit_code == 0, result.output
    return out, out.read_text(encoding="utf-8"), json.loads(result.output)


def _marks(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<mark class="actor t-[a-z_]+" data-actor-id="([A-Z0-9_]+)" data-actor-type="([a-z_]+)"', page)


def test_seed_page_marks_every_actor_with_its_id_and_type(seed_page):
    _, page, result = seed_page
    marks = _marks(page)
    expected = {row["id"]: row["type"] for row in result["actors"]}
    assert {"UN", "UNHCR", "IOM", "ILO", "BERNE", "GMG"} <= {actor for actor, _ in marks}
    for actor, kind in marks:
        assert expected[actor] == kind
    # every mention is marked once (mentions that overlap another are the only exception)
    assert len(marks) <= sum(row["mentions"] for row in result["actors"])
    assert len(marks) >= 0.9 * sum(row["mentions"] for row in result["actors"])


def test_seed_page_shows_verdict_evidence_framing_and_actor_table(seed_page):
    _, page, result = seed_page
    verdict = result["verdict"]
    for dim in ("feasibility", "desirability"):
        assert f'<div class="label label-{verdict[f"{dim}_label"]}">{verdict[f"{dim}_label"]}</div>' in page
    assert f"realist {verdict['realist_share']:.2f}" in page
    assert f"institutionalist {verdict['institutionalist_share']:.2f}" in page
    evidence = re.findall(r'<li><span class="tag label-(for|against)">(\w+) \1 p=([0-9.]+)</span>', page)
    assert len(evidence) == len(verdict["evidence"])
    for item, (label, dim, p) in zip(verdict["evidence"], evidence):
        assert (item["label"], item["dimension"], f"{item['probability']:.2f}") == (label, dim, p)
        assert f'href="#s{item["start_char"]}"' in page and f'id="s{item["start_char"]}"' in page
    table = page[page.index('<h2 id="actors">') :]
    assert table.count("<tr>") == len(result["actors"]) + 1  # header + one row per actor
    assert ">United Nations High Commissioner for Refugees<" in table


def test_seed_sentences_are_tinted_by_their_stance(seed_page):
    _, page, _ = seed_page
    sentences = re.findall(r'<span (class="sent[^"]*" id="s\d+"[^>]*)>', page)
    assert len(sentences) > 100
    tinted = [s for s in sentences if "background-color: rgba(" in s]
    assert tinted, "no sentence is tinted"
    for attrs in tinted:
        colour, alpha = re.search(r"background-color: rgba\((\d+, \d+, \d+), ([0-9.]+)\)", attrs).groups()
        assert 0 < float(alpha) <= MAX_TINT
        side = re.search(r'data-feasibility="(\w+)"', attrs).group(1)
        if side != "none":  # the most probable side is the side of p(for) - p(against)
            assert colour == ("30, 132, 73" if side == "for" else "211, 84, 0")
    reported = [s for s in sentences if "reported" in s]
    assert reported and all("data-attribution=" in s for s in reported)


def test_page_is_self_contained_and_printable(seed_page):
    _, page, _ = seed_page
    assert "<script" not in page.lower()
    assert "<link" not in page.lower() and "@import" not in page and "url(" not in page
    # links and sources only to anchors in the page (URLs in the essay's text stay text)
    assert all(v.startswith("#") for v in re.findall(r'(?:href|src)="([^"]*)"', page))
    assert "@media print" in page and "print-color-adjust: exact" in page


def test_text_is_escaped_and_no_model_still_marks_actors():
    text = (
        'The UNHCR & the IOM said <b>loudly</b> "migration <script>alert(1)</script> must be governed".\n\n'
        "States disagree about the Global Compact for Migration."
    )
    analysis = ggtext.analyze(text=text, model=None)
    page = render_html(analysis)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;" in page and "&amp; the" in page
    assert {"UNHCR", "IOM", "GCM"} <= {actor for actor, _ in _marks(page)}
    assert "No stance model was used" in page
    assert "background-color: rgba(" not in page  # no stance without a model
    assert analysis.verdict is None and analysis.to_dict()["verdict"] == {}


def test_the_report_renders_the_analysis_it_is_given_without_a_second_analysis(monkeypatch):
    analysis = ggtext.analyze(text="We reject the Global Compact for Migration.\n\nUNHCR does good work.")
    import ggtext.reports.analysis as analysis_module

    monkeypatch.setattr(analysis_module, "analyze_doc", lambda *a, **k: pytest.fail("analysed again"))
    page = render_html(analysis)
    assert page == render_html(analysis) and "Global Compact for Migration" in page


def test_html_into_a_missing_folder_fails_before_the_analysis(tmp_path, seed_path):
    result = CliRunner().invoke(main, ["analyze", str(seed_path), "--html", str(tmp_path / "missing" / "out.html")])
    assert result.exit_code == 2 and "no such folder" in result.output and "Traceback" not in result.output


def test_sentence_stance_gives_one_distribution_per_sentence(nlp):
    from ggtext.models import load_model

    model = load_model()
    doc = nlp("Global governance of migration is feasible and desirable. It is not feasible at all.\n\nThe weather.")
    sentences = report_sentences(doc)
    rows = sentence_stance(sentences, model)
    assert len(rows) == len(sentences) == 3
    for row in rows:
        for dim in ("feasibility", "desirability", "framing"):
            total = sum(p for k, p in row.items() if k.startswith(f"{dim}_p_"))
            assert total == pytest.approx(1.0, abs=1e-6)


def test_bad_input_for_html_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    out = tmp_path / "out.html"
    result = CliRunner().invoke(main, ["analyze", str(empty), "--html", str(out)])
    assert result.exit_code == 2 and "error:" in result.output
    assert not out.exists()


# -- the browser test ------------------------------------------------------------------


def _chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="module")
def chromium() -> str:
    found = _chromium()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (CI installs Debian's chromium package: see .ci/run)")
        pytest.skip("chromium not found (install Debian's chromium package to run the browser test)")
    return found


def _run(chromium: str, args: list[str], profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _page_requests(netlog: Path) -> list[str]:
    """URLs the page itself asked for (Chromium's own background traffic is not the page's)."""
    events = json.loads(netlog.read_text())["events"]
    return sorted(
        {
            e["params"]["url"]
            for e in events
            if "url" in e.get("params", {})
            and "file://" in str(e["params"].get("network_isolation_key", ""))
            and not e["params"]["url"].startswith("file:")
        }
    )


@pytest.mark.slow
def test_seed_page_renders_in_headless_chromium(seed_page, chromium, tmp_path):
    path, _, result = seed_page
    netlog = tmp_path / "netlog.json"
    run = _run(
        chromium,
        ["--enable-logging=stderr", "--v=0", f"--log-net-log={netlog}", "--dump-dom", path.as_uri()],
        tmp_path / "profile-dom",
    )
    assert run.returncode == 0, run.stderr[-2000:]
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, console
    assert _page_requests(netlog) == []
    dom = run.stdout
    assert '<h2 id="verdict">' in dom and '<main id="document">' in dom and "</html>" in dom
    marks = dict(_marks(dom))
    assert {"UN", "UNHCR", "IOM", "ILO"} <= set(marks)
    assert marks["UNHCR"] == "un_body" and marks["IOM"] == "intergovernmental_organisation"
    assert result["verdict"]["feasibility_label"] in dom

    shot = tmp_path / "page.png"
    run = _run(chromium, ["--window-size=1100,1400", f"--screenshot={shot}", path.as_uri()], tmp_path / "profile-shot")
    assert run.returncode == 0 and shot.exists(), run.stderr[-2000:]
    from matplotlib.image import imread

    pixels = imread(shot)[..., :3]
    non_white = (pixels < 0.95).any(axis=-1).mean()
    assert 0.02 < non_white < 0.9, f"screenshot looks blank ({non_white:.3f} of pixels not white)"


def test_chromium_check_detects_console_errors_and_requests(chromium, tmp_path):
    """The browser test can fail: a page with a script error and a remote image is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text('<html><body><script>missing()</script><img src="https://example.com/x.png"></body></html>')
    netlog = tmp_path / "netlog.json"
    run = _run(
        chromium,
        ["--enable-logging=stderr", "--v=0", f"--log-net-log={netlog}", "--dump-dom", bad.as_uri()],
        tmp_path / "profile",
    )
    assert any(":CONSOLE" in line for line in run.stderr.splitlines())
    assert _page_requests(netlog) == ["https://example.com/x.png"]


def test_json_offsets_point_into_the_text_it_carries_and_paragraphs_number_alike(seed_page):
    _, page, result = seed_page
    text = result["text"]
    for item in result["verdict"]["evidence"]:
        assert text[item["start_char"] : item["end_char"]].strip() == item["text"]
    for row in result["passages"][:5]:
        assert f'id="p{row["paragraph"]}"' in page and f"<b>¶ {row['paragraph']}</b>" in page
    assert result["passages"][0]["paragraph"] == 0


def test_framing_labels_follow_the_bar_and_probabilities_print(seed_page):
    _, page, _ = seed_page
    segments = re.findall(r'<div class="bar"[^>]*>(.*?)</div>', page)[0]
    order = re.findall(r'<span class="(\w+)"', segments)
    labels = re.findall(r"<span>(realist|institutionalist|no frame) ", page.split('class="bar-labels"')[1])
    assert [label.replace("no frame", "none") for label in labels] == order == ["realist", "institutionalist", "none"]
    printed = re.findall(r'data-p="([^"]+)"', page)
    assert printed and all(
        re.fullmatch(r"(?:(?:feasibility|desirability) (?:for|against) \d\.\d\d(?:; )?)+", p) for p in printed
    )
    assert '.sent[data-p]::after { content: " [" attr(data-p) "]"' in page  # in @media print
