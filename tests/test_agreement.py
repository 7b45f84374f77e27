"""Agreement between coders against hand-computed and published values; the agreement command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ggtext.annotation import (
    CodingFileError,
    agreement,
    disagreements,
    krippendorff_alpha,
    read_coding,
)
from ggtext.annotation.agreement import cohen_kappa
from ggtext.cli import main

A = ["for", "for", "for", "for", "against", "against", "none", "none", "none", "none"]
B = ["for", "for", "for", "against", "against", "none", "none", "none", "none", "for"]


def _write(path, labels, *, framing="none", skip=()):
    lines = [
        json.dumps({"id": f"DOC{k // 4}#p{k}", "feasibility": label, "desirability": "for", "framing": framing})
        for k, label in enumerate(labels)
        if k not in skip
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_coders_against_a_hand_computed_example():
    """Ten units, feasibility, coders A and B (A's label first):

    for/for x3, for/against, against/against, against/none, none/none x3, none/for.

    Cohen's kappa: observed agreement p_o = 7/10 = 0.7. A's margins (for,
    against, none) = (4, 2, 4), B's = (4, 2, 4); chance p_e = (4*4 + 2*2 + 4*4)
    / 100 = 0.36; kappa = (0.7 - 0.36) / (1 - 0.36) = 0.34 / 0.64 = 0.53125.

    Krippendorff's alpha (nominal): n = 20 values with n_for = 8, n_against =
    4, n_none = 8. The 3 disagreeing units each add 1 to two off-diagonal
    coincidences: sum_{c != k} o_ck = 6. Expected: sum_{c != k} n_c n_k =
    2 * (8*4 + 8*8 + 4*8) = 256. alpha = 1 - (n - 1) * 6 / 256 = 1 - 114/256
    = 142/256 = 0.5546875.
    """
    assert cohen_kappa(A, B, ("against", "for", "none")) == pytest.approx(0.53125)
    assert krippendorff_alpha(list(zip(A, B))) == pytest.approx(142 / 256)


def test_alpha_matches_krippendorffs_published_example_with_missing_values():
    """Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 coders, 12 units,
    values 1-5 with gaps; the nominal alpha is 0.743 (the paper's hand computation)."""
    n = None
    coders = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    assert krippendorff_alpha(list(zip(*coders))) == pytest.approx(0.743, abs=5e-4)
    assert krippendorff_alpha([[1, 1], [2, 2], [1, None]]) == pytest.approx(1.0)
    assert krippendorff_alpha([["for", "for"], ["for", "for"]]) is None  # no variation: undefined


def test_report_confusion_intervals_and_disagreements(tmp_path):
    a = read_coding(_write(tmp_path / "a.jsonl", A))
    b = read_coding(_write(tmp_path / "b.jsonl", B))
    report = agreement([a, b], n_boot=300, seed=0)
    block = report["labels"]["feasibility"]
    pair = block["pairs"][0]
    assert pair["kappa"]["estimate"] == pytest.approx(0.5312, abs=1e-4)
    assert block["alpha"]["estimate"] == pytest.approx(0.5547, abs=1e-4)
    assert pair["kappa"]["ci_low"] < 0.53 < pair["kappa"]["ci_high"]
    assert pair["confusion"]["for"] == {"against": 1, "for": 3, "none": 0}
    assert pair["confusion"]["none"] == {"against": 0, "for": 1, "none": 3}
    assert pair["observed_agreement"] == 0.7 and block["n_units"] == 10
    assert report["labels"]["desirability"]["alpha"]["estimate"] is None  # both always "for"
    assert agreement([a, b], n_boot=300, seed=0) == report
    found = disagreements([a, b])
    assert [d["id"] for d in found] == ["DOC0#p3", "DOC1#p5", "DOC2#p9"]
    assert found[0]["labels"] == {
        "a": {"feasibility": "for", "desirability": "for", "framing": "none"},
        "b": {"feasibility": "against", "desirability": "for", "framing": "none"},
    }


def test_three_coders_with_missing_units(tmp_path):
    files = [
        _write(tmp_path / "a.jsonl", A),
        _write(tmp_path / "b.jsonl", B),
        _write(tmp_path / "c.jsonl", A, skip={0, 1}),
    ]
    report = agreement([read_coding(f) for f in files], n_boot=50)
    pairs = report["labels"]["feasibility"]["pairs"]
    assert [p["coders"] for p in pairs] == [["a", "b"], ["a", "c"], ["b", "c"]]
    assert [p["n_units"] for p in pairs] == [10, 8, 8]
    assert pairs[1]["kappa"]["estimate"] == 1.0 and pairs[1]["kappa"]["ci_low"] == 1.0
    assert report["n_units"] == {"any": 10, "in_common": 8}


def test_bad_coder_files_are_clear_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x#p1", "feasibility": "maybe"}\n{"nope": 1}\n', encoding="utf-8")
    with pytest.raises(CodingFileError, match="line 1: feasibility label 'maybe'.*\n.*line 2: no 'id'"):
        read_coding(bad)
    with pytest.raises(CodingFileError, match="at least two"):
        agreement([read_coding(_write(tmp_path / "a.jsonl", A))])


def test_agreement_command(tmp_path):
    a, b = _write(tmp_path / "a.jsonl", A), _write(tmp_path / "b.jsonl", B)
    out = tmp_path / "adjudicate.jsonl"
    runner = CliRunner()
    result = runner.invoke(
        main, ["agreement", str(a), str(b), "--json", "--disagreements", str(out), "--n-boot", "200"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["labels"]["feasibility"]["pairs"][0]["kappa"]["estimate"] == pytest.approx(0.5312, abs=1e-4)
    assert report["disagreements"]["n_units"] == 3
    assert len(out.read_text().splitlines()) == 3
    text = runner.invoke(main, ["agreement", str(a), str(b), "--n-boot", "200"])
    assert text.exit_code == 0
    assert "Cohen's kappa 0.531" in text.output and "Krippendorff's alpha 0.555" in text.output
    assert "Example:" in runner.invoke(main, ["agreement", "--help"]).output
