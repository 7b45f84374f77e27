"""The study package: its settings file and loader, and the scoring step the UN and White House sections share."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ggtext.errors import StudySettingsError
from ggtext.study import load_settings, replicate
from ggtext.study.aggregate import discusses, summarise
from ggtext.study.corpora import Inputs, ungdc_files, whitehouse_files
from ggtext.study.scores import SkipSection, score_corpus
from ggtext.study.settings import DEFAULT_SETTINGS

# -- the settings loader -----------------------------------------------------------------


def _write(tmp_path: Path, change) -> Path:
    """The shipped settings with ``change(raw)`` applied, written to ``tmp_path/study.yaml``."""
    raw = yaml.safe_load(DEFAULT_SETTINGS.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def test_shipped_settings_load():
    settings = load_settings()
    assert settings.ungdc.years == (2000, 2024)
    assert settings.ungdc.country_year == 2018
    assert settings.whitehouse.administration_change.date.isoformat() == "2025-01-20"
    assert settings.ungdc.name.match("EU_73_2018")["iso3"] == "EU"
    assert settings.report.rows_for("wh_by_month") == 80 and settings.report.rows_for("anything") == 30


def test_a_copy_of_the_shipped_settings_loads_the_same(tmp_path):
    assert load_settings(_write(tmp_path, lambda raw: None)) == load_settings()


BAD = [
    (lambda raw: raw["ungdc"].pop("years"), "study.yaml: ungdc.years: missing"),
    (lambda raw: raw["ungdc"].update(years=[2024, 2000]), "study.yaml: ungdc.years: must be two years"),
    (lambda raw: raw["ungdc"].update(years="2000-2024"), "ungdc.years: must be two years"),
    (lambda raw: raw["report"].update(digits="four"), "study.yaml: report.digits: must be an integer >= 1, got 'four'"),
    (lambda raw: raw["report"].update(digits=True), "report.digits: must be an integer"),
    (
        lambda raw: raw["report"]["rows_shown_per_table"].update(wh_scores=-1),
        "report.rows_shown_per_table.wh_scores: must be an integer >= 0",
    ),
    (lambda raw: raw["whitehouse"].update(speakr="USA"), "study.yaml: whitehouse.speakr: unknown key"),
    (
        lambda raw: raw["whitehouse"]["administration_change"].update(date="next spring"),
        "whitehouse.administration_change.date: must be a date YYYY-MM-DD, got 'next spring'",
    ),
    (
        lambda raw: raw["whitehouse"]["administration_change"].pop("after"),
        "whitehouse.administration_change.after: missing",
    ),
    (lambda raw: raw["ungdc"].update(name="^(?P<iso3>[A-Z]+"), "ungdc.name: not a valid regular expression"),
    (lambda raw: raw["ungdc"].update(name=r"^(?P<iso3>[A-Z]+)_\d+$"), "ungdc.name: must have the named groups"),
    (lambda raw: raw["discussion"].update(actor_flag="important"), "discussion.actor_flag: must be one of"),
    (lambda raw: raw["seed"].update(title=""), "seed.title: must be a non-empty string"),
    (lambda raw: raw["report"].update(libraries=[]), "report.libraries: must be a non-empty list"),
    (lambda raw: raw.pop("models"), "study.yaml: models: missing"),
    (lambda raw: raw.update(extra=1), "study.yaml: extra: unknown key"),
]


@pytest.mark.parametrize(
    ("change", "message"), BAD, ids=[m.split(": ")[1 if m.startswith("study") else 0] for _, m in BAD]
)
def test_a_bad_settings_file_names_the_key(tmp_path, change, message):
    with pytest.raises(StudySettingsError) as error:
        load_settings(_write(tmp_path, change))
    assert message in str(error.value)


def test_settings_that_are_not_yaml_or_not_a_mapping(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("report: [digits: 4\n", encoding="utf-8")
    with pytest.raises(StudySettingsError, match="broken.yaml: not valid YAML"):
        load_settings(broken)
    broken.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(StudySettingsError, match="top level: must be a mapping"):
        load_settings(broken)
    with pytest.raises(StudySettingsError, match="cannot read"):
        load_settings(tmp_path / "missing.yaml")


def test_replicate_stops_on_bad_settings_before_writing(tmp_path):
    bad = _write(tmp_path, lambda raw: raw["ungdc"].update(country_year="GCM"))
    out = tmp_path / "out"
    with pytest.raises(StudySettingsError, match="ungdc.country_year"):
        replicate(None, out, settings=bad, log=lambda message: None)
    assert not out.exists()


def test_the_settings_choose_the_years_read(tmp_path, data_dir):
    settings = load_settings(_write(tmp_path, lambda raw: raw["ungdc"].update(years=[2018, 2019])))
    files = ungdc_files(data_dir, settings.ungdc)
    assert {p.stem[-4:] for p in files} == {"2018", "2019"}
    assert set(files) == {p for p in ungdc_files(data_dir) if p.stem[-4:] in {"2018", "2019"}}


# -- the shared scoring step ---------------------------------------------------------------


def test_score_corpus_scores_with_ggtext_score_and_marks_ggim(data_dir):
    from ggtext.scoring.api import score

    wh = load_settings().whitehouse
    inputs = Inputs()
    seen = {}

    def derive(scores, meta):
        seen["meta"] = meta
        return scores.assign(n_meta=len(meta.columns))

    scored = score_corpus(
        wh,
        lambda data: whitehouse_files(data, wh),
        data_dir,
        inputs,
        derive=derive,
        limit=3,
        n_process=1,
        model_path=None,
        flag=None,
        log=lambda message: None,
    )
    everything = whitehouse_files(data_dir)
    assert scored.files == [everything[0], everything[len(everything) // 2], everything[-1]]
    assert [f["corpus"] for f in inputs.files] == ["wh_briefings"] * 3
    assert [f["path"] for f in inputs.files] == [p.relative_to(data_dir).as_posix() for p in scored.files]
    frame = scored.scores
    root = data_dir / wh.folder
    assert frame["id"].tolist() == sorted(p.relative_to(root).with_suffix("").as_posix() for p in scored.files)
    assert seen["meta"].index.equals(frame.index) and "date" in seen["meta"].columns
    assert (frame["n_meta"] == len(seen["meta"].columns)).all()
    assert frame["discusses_ggim"].dtype == bool
    assert frame["discusses_ggim"].tolist() == discusses(frame).tolist()

    direct = score([str(p) for p in scored.files], n_process=1)
    direct = direct.assign(id=[p.relative_to(root).with_suffix("").as_posix() for p in scored.files])
    direct = direct.sort_values("id").reset_index(drop=True)
    for column in ("feasibility_label", "desirability_label", "framing_label", "n_words", "actors"):
        assert frame[column].tolist() == direct[column].tolist(), column


def test_score_corpus_skips_a_missing_or_empty_corpus(tmp_path):
    un, wh = load_settings().ungdc, load_settings().whitehouse
    options = dict(derive=lambda s, m: s, limit=None, n_process=1, model_path=None, flag=None, log=lambda m: None)
    with pytest.raises(SkipSection, match=r"^the UN General Debate corpus is missing \(expected corpora/ungdc/TXT"):
        score_corpus(un, lambda data: [], tmp_path, Inputs(), **options)
    with pytest.raises(SkipSection, match="the White House corpus is missing"):
        score_corpus(wh, lambda data: [], None, Inputs(), **options)
    (tmp_path / wh.folder).mkdir(parents=True)
    with pytest.raises(SkipSection, match="^no White House text was found$"):
        score_corpus(wh, lambda data: whitehouse_files(data, wh), tmp_path, Inputs(), **options)


def test_summarise_groups_by_one_or_two_columns():
    def actors(*ids):
        return json.dumps([{"id": i, "mentions": 1} for i in ids])

    scores = pd.DataFrame(
        {
            "year": [2001, 2001, 2000, 2001],
            "side": ["b", "a", "a", "a"],
            "feasibility_label": ["for", "none", "against", "for"],
            "desirability_label": ["none", "none", "none", "for"],
            "feasibility_score": [0.8, 0.1, 0.2, 0.6],
            "desirability_score": [0.5, 0.5, 0.5, 0.9],
            "framing_label": ["realist", "none", "institutionalist", "institutionalist"],
            "realist_share": [0.6, 0.0, 0.1, 0.2],
            "institutionalist_share": [0.2, 0.0, 0.7, 0.6],
            "actors": [actors("FRA", "IOM"), actors("UNHCR"), actors("IOM", "DEU"), actors("FRA", "UNHCR", "DEU")],
            "iso3": ["FRA", "DEU", "DEU", "FRA"],
            "error": [None, None, None, None],
        }
    )
    scores["discusses_ggim"] = discusses(scores)
    own = lambda rows: rows["iso3"]  # noqa: E731
    by_year = summarise(scores, ["year"], own=own, n_actors=2, extra=lambda group: {"first_side": group["side"].min()})
    assert by_year.columns[:3].tolist() == ["year", "first_side", "n_texts"]
    assert by_year["year"].tolist() == [2000, 2001]
    assert by_year["n_texts"].tolist() == [1, 3]
    assert by_year["n_discussing"].tolist() == [1, 2]
    assert by_year["top_actors"].tolist() == ["IOM (1)", "DEU (1); IOM (1)"]  # FRA's own name is not counted
    both = summarise(scores, ["year", "side"], own=own, n_actors=5)
    assert both[["year", "side"]].values.tolist() == [[2000, "a"], [2001, "a"], [2001, "b"]]
    assert both["n_texts"].sum() == len(scores)
