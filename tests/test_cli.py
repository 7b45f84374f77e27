"""The command line: help, version, analyze (text and JSON), clear errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ggtext import __version__
from ggtext.cli import main


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def test_help_lists_every_command(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("analyze", "train", "evaluate", "score", "summarize", "suggest", "import-labels", "agreement"):
        assert command in result.output


@pytest.mark.parametrize("command", ["analyze", "train", "evaluate", "score"])
def test_every_command_has_help(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


@pytest.mark.parametrize("command", ["score", "train", "summarize", "suggest", "import-labels", "agreement"])
def test_research_commands_show_an_example(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Example:\n    ggtext {command} " in result.output


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_analyze_seed_essay_json(runner, seed_path):
    result = runner.invoke(main, ["analyze", str(seed_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["structure"]["title"].startswith("Is the Global Governance of International Migration")
    assert data["structure"]["n_references"] > 20
    assert data["statistics"]["n_words"] > 3000
    terms = [t["term"] for t in data["key_terms"]]
    assert any("migration" in t for t in terms), terms
    ids = {row["id"] for row in data["actors"]}
    assert {"UN", "UNHCR", "IOM", "ILO", "BERNE", "GMG"} <= ids
    for field in (
        "feasibility_score",
        "feasibility_label",
        "desirability_score",
        "desirability_label",
        "realist_share",
        "institutionalist_share",
        "framing_label",
        "evidence",
    ):
        assert field in data["verdict"]


def test_analyze_prints_readable_report(runner, seed_path):
    result = runner.invoke(main, ["analyze", str(seed_path)])
    assert result.exit_code == 0, result.output
    for heading in ("Structure", "Statistics", "Key terms", "Actors", "Verdict", "Evidence"):
        assert heading in result.output
    assert "UNHCR" in result.output


def test_analyze_bad_input_is_a_clear_error(runner, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n\n  ")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    for path in (empty, binary):
        result = runner.invoke(main, ["analyze", str(path)])
        assert result.exit_code == 2
        assert "error:" in result.output
        assert "Traceback" not in result.output


def test_analyze_missing_file(runner, tmp_path):
    result = runner.invoke(main, ["analyze", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_encoding_option_reads_a_legacy_file(tmp_path):
    from click.testing import CliRunner

    from ggtext.cli import main

    legacy = tmp_path / "legacy.txt"
    text = "The Global Compact for Migration was welcomed in Marrakech, said the délégué of Côte d'Ivoire. " * 3
    legacy.write_bytes(("Title\n\n" + text + "\n\nMore text about the IOM and UNHCR cooperation.\n").encode("cp1252"))
    wrong = CliRunner().invoke(main, ["analyze", str(legacy), "--encoding", "utf-16", "--no-model"])
    assert wrong.exit_code == 2 and "error:" in wrong.output
    result = CliRunner().invoke(main, ["analyze", str(legacy), "--encoding", "cp1252", "--no-model", "--json"])
    assert result.exit_code == 0, result.output
    assert "Côte d'Ivoire" in json.loads(result.output)["text"]
    out = tmp_path / "s.csv"
    scored = CliRunner().invoke(main, ["score", str(legacy), "-o", str(out), "--encoding", "cp1252", "--no-progress"])
    assert scored.exit_code == 0, scored.output
