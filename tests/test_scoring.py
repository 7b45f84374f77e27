"""Batch scoring: inputs, the score table, its formats, error rows, resume and the CLI."""

from __future__ import annotations

import json
import math

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import ggtext
from ggtext.errors import InputError, OutputError
from ggtext.models.labels import CLASSES
from ggtext.scoring import SCHEMA_VERSION, columns, read_scores, score_file
from ggtext.scoring.inputs import FileItem, resolve
from ggtext.scoring.writers import ScoreWriter, parts_dir


@pytest.fixture(scope="module")
def seed_paragraphs(seed_path) -> list[str]:
    return [p.text for p in ggtext.read(seed_path).paragraphs]


def _write(path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seed_paragraphs):
    """A folder of essay excerpts in .txt, .md (front matter) and .html, plus files to ignore."""
    root = tmp_path_factory.mktemp("corpus")
    p = seed_paragraphs
    _write(root / "alpha.txt", "\n\n".join(p[0:4]))
    _write(root / "nested" / "beta.md", "---\ntitle: Beta essay\nyear: 2015\n---\n\n" + "\n\n".join(p[4:8]))
    _write(
        root / "nested" / "deeper" / "gamma.html",
        "<html><body>" + "".join(f"<p>{t}</p>" for t in p[8:11]) + "</body></html>",
    )
    _write(root / "nested" / "notes.csv", "id,text\nx,not picked up from folders\n")
    _write(root / ".hidden.txt", p[11])
    return root


# -- inputs ---------------------------------------------------------------------------


def test_folder_is_searched_recursively_with_relative_ids(corpus):
    stream = resolve(corpus)
    items = list(stream)
    assert [i.id for i in items] == ["alpha", "nested/beta", "nested/deeper/gamma"]
    assert all(isinstance(i, FileItem) for i in items)
    assert stream.count() == 3


def test_glob_ids_are_relative_to_the_folder_before_the_wildcard(corpus):
    items = list(resolve(str(corpus / "**" / "*.md")))
    assert [i.id for i in items] == ["nested/beta"]
    assert [i.id for i in resolve(corpus / "alpha.txt")] == ["alpha"]


def test_missing_inputs_fail_before_scoring(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        resolve(str(tmp_path / "nope"))
    with pytest.raises(InputError, match="matches no files"):
        resolve(str(tmp_path / "*.txt"))
    with pytest.raises(InputError, match="no such file"):  # not scored as the text "gone.txt"
        resolve([str(tmp_path / "gone.txt"), "notes.csv"])


@pytest.fixture(scope="module")
def tables(tmp_path_factory, seed_paragraphs):
    """The same three texts as JSONL, CSV and Parquet, with extra columns."""
    root = tmp_path_factory.mktemp("tables")
    records = [
        {"doc": f"d{i}", "body": seed_paragraphs[16 + i], "country": c, "year": 2000 + i}
        for i, c in enumerate(["NA", "FRA", "KEN"])  # "NA" (Namibia) must stay a string
    ]
    frame = pd.DataFrame(records)
    with open(root / "t.jsonl", "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
    frame.to_csv(root / "t.csv", index=False)
    frame.to_parquet(root / "t.parquet", index=False)
    return root, frame


@pytest.mark.parametrize("name", ["t.jsonl", "t.csv", "t.parquet"])
def test_tables_give_one_item_per_row_with_other_columns_as_metadata(tables, name):
    root, frame = tables
    stream = resolve(root / name, text_field="body", id_field="doc")
    items = list(stream)
    assert [i.id for i in items] == ["d0", "d1", "d2"]
    assert [i.text for i in items] == list(frame["body"])
    assert items[0].metadata["country"] == "NA"
    assert str(items[2].metadata["year"]) == "2002"  # CSV cells are strings
    assert stream.count() == 3


def test_table_without_id_field_uses_row_numbers_and_missing_text_column_fails(tables):
    root, _ = tables
    assert [i.id for i in resolve(root / "t.parquet", text_field="body")] == ["t:0", "t:1", "t:2"]
    for name in ("t.csv", "t.parquet"):
        with pytest.raises(InputError, match="no column 'text'"):
            resolve(root / name)
        with pytest.raises(InputError, match="no column 'key'"):
            resolve(root / name, text_field="body", id_field="key")


def test_in_memory_sources():
    frame = pd.DataFrame({"text": ["one text", "two"], "id": ["a", "b"], "year": [1, 2]})
    assert [(i.id, i.metadata) for i in resolve(frame)] == [("a", {"year": 1}), ("b", {"year": 2})]
    assert [i.id for i in resolve(["first text", "second text"])] == ["text:0", "text:1"]
    long_line = "Migration is governed by states. " * 40  # longer than a file name may be
    assert [i.id for i in resolve([long_line, "second text"])] == ["text:0", "text:1"]
    assert [i.id for i in resolve(iter([("x", "a text")]))] == ["x"]
    dicts = [{"id": "k", "text": "t", "lang": "en"}]
    assert [(i.id, i.metadata) for i in resolve(dicts)] == [("k", {"lang": "en"})]


def test_list_mixing_paths_and_texts_is_refused(corpus):
    with pytest.raises(InputError, match="mixes"):
        resolve([str(corpus / "alpha.txt"), "Migration is a global issue."])


# -- the table ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_scores(corpus):
    return ggtext.score(corpus)


def test_score_table_has_the_schema_and_reader_metadata(corpus_scores):
    frame = corpus_scores
    assert list(frame.columns) == columns("document")
    assert list(frame["id"]) == ["alpha", "nested/beta", "nested/deeper/gamma"]
    assert frame["error"].isna().all()
    beta = json.loads(frame.set_index("id").loc["nested/beta", "metadata"])
    assert beta["title"] == "Beta essay" and beta["year"] == 2015
    for dim in ("feasibility", "desirability"):
        assert set(frame[f"{dim}_label"]) <= set(CLASSES[dim])
        assert frame[f"{dim}_score"].between(0, 1).all()
    assert set(frame["framing_label"]) <= set(CLASSES["framing"])
    assert (frame["n_words"] > 50).all()
    assert (frame["ggtext_version"] == ggtext.__version__).all()
    assert frame["model_version"].notna().all()


def test_document_row_has_the_same_fields_and_values_as_analyze(seed_path):
    from ggtext.reports.analysis import analyze

    result = analyze(seed_path)
    row = ggtext.score([seed_path]).iloc[0]
    assert row["id"] == result.id
    assert json.loads(row["metadata"]) == json.loads(json.dumps(result.metadata, default=str))
    for name, value in result.verdict.fields().items():
        if name == "evidence":
            assert json.loads(row["evidence"]) == value
        elif value is None:
            assert pd.isna(row[name])
        else:
            assert row[name] == value, name
    actors = json.loads(row["actors"])
    assert actors == [{"id": a["id"], "mentions": a["mentions"]} for a in result.actors]
    assert len(actors) >= 3  # the essay names states and organisations
    assert row["n_words"] == result.statistics["n_words"]
    assert row["model_version"] == result.versions["model"]


def test_paragraph_unit_gives_one_row_per_body_paragraph(seed_path):
    document = ggtext.read(seed_path)
    frame = ggtext.score([seed_path], unit="paragraph")
    assert list(frame.columns) == columns("paragraph")
    assert len(frame) == len(document.paragraphs)
    assert list(frame["paragraph"]) == list(range(len(document.paragraphs)))
    for row in frame.itertuples():
        assert document.analysis_text[row.start_char : row.end_char] == row.text
    scored = frame[frame["feasibility_label"].notna()]
    assert len(scored) >= 0.8 * len(frame)  # only paragraphs of reported views alone are unlabelled
    assert scored["feasibility_label"].isin(CLASSES["feasibility"]).all()
    mass = scored["realist_share"] + scored["institutionalist_share"]
    assert (mass <= 1.0001).all()


def test_sentence_unit_rows_locate_their_sentence(corpus):
    document = ggtext.read(corpus / "alpha.txt")
    frame = ggtext.score([corpus / "alpha.txt"], unit="sentence")
    assert list(frame.columns) == columns("sentence")
    assert len(frame) > len(document.paragraphs)
    for row in frame.itertuples():
        assert document.analysis_text[row.start_char : row.end_char] == row.text
    assert frame.groupby("paragraph")["sentence"].min().eq(0).all()
    assert frame["desirability_label"].isin(CLASSES["desirability"]).all()


# -- bad documents --------------------------------------------------------------------


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory, seed_paragraphs):
    root = tmp_path_factory.mktemp("bad")
    _write(root / "a_good.txt", "\n\n".join(seed_paragraphs[12:14]))
    _write(root / "b_empty.txt", "")
    _write(root / "c_binary.txt", bytes(range(256)) * 40)
    _write(root / "d_gbk.txt", ("国际移民的全球治理是否可行和可取？" * 30).encode("gbk"))
    _write(root / "e_good.txt", "\n\n".join(seed_paragraphs[14:16]))
    return root


def test_bad_documents_become_error_rows_and_the_run_goes_on(bad_corpus):
    frame = ggtext.score(bad_corpus).set_index("id")
    assert list(frame.index) == ["a_good", "b_empty", "c_binary", "d_gbk", "e_good"]
    assert frame.loc[["a_good", "e_good"], "error"].isna().all()
    errors = frame["error"].dropna()
    assert list(errors.index) == ["b_empty", "c_binary", "d_gbk"]
    assert "empty" in errors["b_empty"].lower()
    assert "binary" in errors["c_binary"].lower()
    assert "d_gbk" in errors["d_gbk"]
    bad = frame.loc[errors.index]
    for name in ("n_words", "feasibility_score", "feasibility_label", "framing_label", "actors"):
        assert bad[name].isna().all(), name
    assert bad["ggtext_version"].notna().all()


def test_table_rows_without_text_are_error_rows(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text(
        '{"id": "ok", "text": "Migration is governed by states and the IOM."}\n'
        '{"id": "none", "text": null}\n'
        "this is not json\n"
        '{"id": "notext"}\n',
        encoding="utf-8",
    )
    frame = ggtext.score(path).set_index("id")
    assert list(frame.index) == ["ok", "none", "rows:2", "notext"]
    assert pd.isna(frame.loc["ok", "error"])
    assert "empty" in frame.loc["none", "error"]
    assert "invalid JSON" in frame.loc["rows:2", "error"]
    assert "no field 'text'" in frame.loc["notext", "error"]


def test_duplicate_ids_are_skipped_and_reported(tables):
    """A repeated id is scored once and reported (scoring it again would double it in the output)."""
    root, _ = tables
    with pytest.warns(UserWarning, match="duplicate id 'd0'"):
        frame = ggtext.score([root / "t.jsonl", root / "t.csv"], text_field="body", id_field="doc")
    assert frame["id"].is_unique
    assert set(frame["id"]) == set(ggtext.score(root / "t.jsonl", text_field="body", id_field="doc")["id"])


# -- output formats -------------------------------------------------------------------


def _raw_read(path, fmt: str) -> pd.DataFrame:
    if fmt == "parquet":
        return pd.read_parquet(path)
    if fmt == "csv":
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    return pd.read_json(path, lines=True, dtype=False, precise_float=True)


def _same_value(a, b) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=0, abs_tol=0)
    return a == b


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_each_format_round_trips_with_pandas(tmp_path, bad_corpus, fmt):
    expected = ggtext.score(bad_corpus, unit="paragraph")
    out = tmp_path / f"scores.{fmt}"
    tally = score_file(bad_corpus, out, unit="paragraph")
    assert tally.rows == len(expected) and tally.errors == 3
    assert not parts_dir(out).exists()
    pd.testing.assert_frame_equal(read_scores(out), expected)
    raw = _raw_read(out, fmt)
    assert list(raw.columns) == list(expected.columns)
    for name in expected.columns:
        for a, b in zip(raw[name], expected[name]):
            assert _same_value(a, b), (name, a, b)


def test_parquet_output_carries_the_schema(tmp_path, corpus):
    out = tmp_path / "s.parquet"
    score_file(corpus, out)
    stored = pq.read_schema(out)
    assert stored.names == columns("document")
    assert stored.field("n_words").type == pa.int64()
    assert stored.metadata[b"ggtext.schema_version"] == SCHEMA_VERSION.encode() == b"2"


def test_output_errors(tmp_path, corpus):
    with pytest.raises(OutputError, match="unknown output format"):
        score_file(corpus, tmp_path / "s.xlsx")
    out = tmp_path / "s.csv"
    score_file(corpus, out)
    with pytest.raises(OutputError, match="--resume"):
        score_file(corpus, out)
    with pytest.raises(OutputError, match="--unit document"):
        score_file(corpus, out, unit="paragraph", resume=True)
    score_file(corpus, out, overwrite=True)
    assert len(read_scores(out)) == 3


def test_resume_scores_only_new_ids(tmp_path, seed_paragraphs):
    table = tmp_path / "in.jsonl"
    out = tmp_path / "out.jsonl"
    lines = [json.dumps({"id": f"p{i}", "text": seed_paragraphs[20 + i]}) for i in range(6)]
    table.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    first = score_file(table, out)
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    second = score_file(table, out, resume=True)
    assert (first.documents, second.documents, second.skipped) == (3, 3, 3)
    ids = list(read_scores(out)["id"])
    assert ids == [f"p{i}" for i in range(6)]
    pd.testing.assert_frame_equal(read_scores(out), ggtext.score(table))


def test_finishing_never_duplicates_rows_already_merged(tmp_path, corpus):
    """A crash between replacing the output and removing the parts must not duplicate rows."""
    out = tmp_path / "s.parquet"
    rows = ggtext.score(corpus)
    writer = ScoreWriter(out, "document")
    writer.write(rows.iloc[:2].astype(object).where(rows.iloc[:2].notna(), None).to_dict("records"))
    writer.finish()
    # the state such a crash leaves: output with rows 0-1 and a part with rows 1-2
    again = ScoreWriter(out, "document", resume=True)
    records = rows.iloc[1:].astype(object).where(rows.iloc[1:].notna(), None).to_dict("records")
    again.write(records)
    assert again.done_ids == {"alpha", "nested/beta"}
    again.finish()
    assert list(read_scores(out)["id"]) == ["alpha", "nested/beta", "nested/deeper/gamma"]


# -- command line ---------------------------------------------------------------------


def test_score_command(tmp_path, corpus, bad_corpus):
    from ggtext.cli import main

    out = tmp_path / "scores.csv"
    result = CliRunner().invoke(
        main,
        ["score", str(corpus), str(bad_corpus / "b_empty.txt"), "-o", str(out), "--unit", "paragraph", "--no-progress"],
    )
    assert result.exit_code == 0, result.output
    assert "1 errors" in result.output and "4 documents" in result.output
    frame = read_scores(out)
    assert set(frame["id"]) == {"alpha", "nested/beta", "nested/deeper/gamma", "b_empty"}
    again = CliRunner().invoke(main, ["score", str(corpus), "-o", str(out)])
    assert again.exit_code == 2 and "--resume" in again.output
    missing = CliRunner().invoke(main, ["score", str(tmp_path / "nope"), "-o", str(tmp_path / "x.parquet")])
    assert missing.exit_code == 2 and "no such file or folder" in missing.output


# -- the shared corpora ---------------------------------------------------------------


@pytest.mark.shared_data
def test_ungdc_file_names_and_front_matter_give_metadata(ungdc_dir, data_dir):
    speech = ungdc_dir / "Session 70 - 2015" / "USA_70_2015.txt"
    briefings = data_dir / "corpora" / "wh_briefings" / "files"
    briefing = sorted(briefings.rglob("*.md"))[0]
    frame = ggtext.score([speech, briefing]).set_index("id")
    usa = json.loads(frame.loc["USA_70_2015", "metadata"])
    assert (usa["iso3"], usa["session"], usa["year"]) == ("USA", 70, 2015)
    wh = json.loads(frame.loc[briefing.stem, "metadata"])
    assert wh["title"] and wh["source_url"].startswith("https://")
    assert frame["error"].isna().all()
    assert "USA" in {a["id"] for a in json.loads(frame.loc["USA_70_2015", "actors"])}


@pytest.mark.slow
@pytest.mark.shared_data
def test_a_ungdc_session_by_paragraph_from_the_command_line(ungdc_dir, tmp_path):
    """One row per body paragraph of every speech of the 2024 session (2 processes)."""
    from ggtext.cli import main

    session = ungdc_dir / "Session 79 - 2024"
    out = tmp_path / "session.parquet"
    result = CliRunner().invoke(
        main, ["score", str(session), "-o", str(out), "--unit", "paragraph", "--n-process", "2", "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    frame = read_scores(out)
    files = sorted(session.glob("*.txt"))
    assert frame["id"].nunique() == len(files) and frame["error"].isna().all()
    counts = frame.groupby("id").size()
    for path in files[::10]:
        assert counts[path.stem] == len(ggtext.read(path).paragraphs), path.stem
    years = {json.loads(m)["year"] for m in frame["metadata"]}
    assert years == {2024}


def test_a_document_the_model_fails_on_costs_only_its_own_row(monkeypatch, seed_paragraphs):
    """A batch is classified in one model call; when that fails, each document is scored alone."""
    from ggtext.models.features import passage_texts
    from ggtext.models.model import StanceModel

    original = StanceModel.predict_proba

    def failing(self, passages):
        if any("POISON" in text for text in passage_texts(passages)):
            raise ValueError("the model cannot read this passage")
        return original(self, passages)

    monkeypatch.setattr(StanceModel, "predict_proba", failing)
    texts = [seed_paragraphs[12], "Migration POISON governance.\n\nSecond paragraph.", seed_paragraphs[14]]
    frame = ggtext.score(texts)
    assert frame["error"].isna().tolist() == [True, False, True]
    assert "ValueError: the model cannot read this passage" in frame["error"][1]
    assert frame["feasibility_label"].notna().tolist() == [True, False, True]
    monkeypatch.setattr(StanceModel, "predict_proba", original)
    assert ggtext.score([texts[0]])["feasibility_score"][0] == frame["feasibility_score"][0]


def test_one_options_object_for_score_and_score_file(corpus, tmp_path):
    from ggtext.scoring import ScoreOptions, score_file

    options = ScoreOptions(unit="paragraph", batch_size=2)
    assert ScoreOptions.of(options, allow_non_english=True).read_options == {"allow_non_english": True}
    assert ScoreOptions.of(options, unit="sentence").unit == "sentence" and options.unit == "paragraph"
    table = ggtext.score([corpus / "alpha.txt"], options)
    score_file([corpus / "alpha.txt"], tmp_path / "out.csv", options)
    written = ggtext.scoring.read_scores(tmp_path / "out.csv")
    assert list(written["paragraph"]) == list(table["paragraph"]) == list(range(len(table)))
    assert list(table.columns) == columns("paragraph")


def test_strings_that_look_like_paths_are_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="folder.*no such file or folder"):
        ggtext.score(["folder/"])
    with pytest.raises(InputError, match="speech1.txt: no such file or folder"):
        ggtext.score(["speech1.txt", "folder/"])
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "b.txt").write_text("We support the IOM.\n", encoding="utf-8")
    (tmp_path / "speech1.txt").write_text("The compact is working well.\n", encoding="utf-8")
    table = ggtext.score(["speech1.txt", "folder/"], unit="paragraph")  # the README's example, as written
    assert set(table["id"]) == {"speech1", "b"} and table["error"].isna().all()
    with pytest.raises(InputError, match="mixes paths and texts"):
        ggtext.score(["speech1.txt", "We support the compact."])
