"""Actor recognition on small cases, the seed essay and hand-labelled UNGDC passages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import spacy

from ggtext.config import REPO_DIR, SEED_ESSAY
from ggtext.pipeline.actors import TABLE_COLUMNS, ActorRecognizer, actor_table, actor_type

GOLD = REPO_DIR / "corpora" / "annotation" / "actors_gold.jsonl"


def actors(nlp, text: str) -> list[tuple[str, str]]:
    return [(span.text, span.label_) for span in nlp(text)._.ggtext.actors]


def ids(nlp, text: str) -> set[str]:
    return {label for _, label in actors(nlp, text)}


# -- matching rules ----------------------------------------------------------------------------
def test_names_match_in_any_case_abbreviations_only_as_written(nlp):
    assert actors(nlp, "The united nations and the UN.") == [("united nations", "UN"), ("UN", "UN")]
    assert ids(nlp, "Let us un-do this; un peu.") == set()
    assert ids(nlp, "We met the eu and the Eu.") == set()
    assert ids(nlp, "the International labour organisation") == {"ILO"}


def test_state_names_are_case_sensitive(nlp):
    assert actors(nlp, "Turkey and Chad hosted talks.") == [("Turkey", "TUR"), ("Chad", "TCD")]
    assert ids(nlp, "We ate turkey in chad-coloured rooms.") == set()
    assert actors(nlp, "the US and the United States of America") == [
        ("US", "USA"),
        ("United States of America", "USA"),
    ]


def test_plurals_and_possessives(nlp):
    found = actors(nlp, "The UNHCR's staff, the IOM\u2019s report, civil societies and NGOs, smugglers' boats.")
    assert found == [
        ("UNHCR", "UNHCR"),
        ("IOM", "IOM"),
        ("civil societies", "CIVIL_SOCIETY"),
        ("NGOs", "CIVIL_SOCIETY"),
        ("smugglers", "SMUGGLERS"),
    ]


def test_names_broken_across_whitespace_and_line_breaks(nlp):
    text = "the United\nNations and the European\n   Union\n\nand the Global  Migration\nGroup"
    doc = nlp(text)
    expected = [("UN", text.index("United")), ("EU", text.index("European")), ("GMG", text.index("Global"))]
    assert [(s.label_, s.start_char) for s in doc._.ggtext.actors] == expected
    assert doc._.ggtext.actors[0].text == "United\nNations"


def test_longest_match_wins(nlp):
    assert ids(nlp, "the UN Convention on the Status of refugees") == {"REFUGEE_CONVENTION"}
    assert actors(nlp, "the ILO Conventions") == [("ILO", "ILO")]
    assert ids(nlp, "the ILO Migration for Employment Convention of 1949") == {"ILO_C97"}
    assert ids(nlp, "the ILO Migrant Workers Convention of 1975") == {"ILO_C143"}
    assert ids(nlp, "the Migrant Workers Convention") == {"ICRMW"}
    assert ids(nlp, "the Global Forum on International Migration and Development") == {"GFMD"}
    assert ids(nlp, "the High Level Dialogue on Migration and Development") == {"HLD"}
    assert ids(nlp, "the UN Department on Social and Economic Affairs") == {"UNDESA"}
    assert ids(nlp, "the Office of the United Nations High Commissioner for Refugees") == {"UNHCR"}
    assert ids(nlp, "the Global Compact for Safe, Orderly and Regular Migration") == {"GCM"}


def test_predecessors_count_under_the_current_id(nlp):
    assert ids(nlp, "The Organization of African Unity") == {"AU"}
    assert ids(nlp, "the Commission on Human Rights and the Human Rights Council") == {"OHCHR"}
    assert ids(nlp, "the post-2015 development agenda") == {"AGENDA_2030"}


def test_imo_is_the_iom_in_migration_context_and_maritime_elsewhere(nlp):
    iom = (
        "The International Organisation for Migration (IOM) governs migration. The benefits of the IMO "
        "are that it has a large number of member states."
    )
    assert actors(nlp, iom)[-1] == ("IMO", "IOM")
    maritime = "We value the efforts of the IMO against maritime piracy and for the safety of ships."
    assert actors(nlp, maritime) == [("IMO", "IMO")]
    assert actor_type(nlp(maritime)._.ggtext.actors[0]) == "un_body"


def test_unchr_is_a_misspelling_of_unhcr(nlp):
    assert actors(nlp, "The UNCHR helps refugees.")[0] == ("UNCHR", "UNHCR")
    assert ids(nlp, "Institutions such as the UNCHR or the ILO.") == {"UNHCR", "ILO"}


def test_the_organization_is_the_un_only_where_it_plainly_is(nlp):
    speech = "The United Nations turns seventy. We must reform the Organization and this Organization."
    assert actors(nlp, speech) == [("United Nations", "UN"), ("Organization", "UN"), ("Organization", "UN")]
    assert ids(nlp, "The United Nations is here; the organization failed.") == {"UN"}
    assert ids(nlp, "The United Nations and the Organization of American States") == {"UN", "OAS"}
    assert ids(nlp, "We thank the Organization for its report.") == set()  # no United Nations in sight


def test_assembly_council_and_secretary_general_in_un_speeches(nlp):
    text = (
        "I thank the Secretary-General of the United Nations. This Assembly must act, and the Security "
        "Council too: the Council has failed. The Deputy Secretary-General and the Secretary-General agree."
    )
    assert actors(nlp, text) == [
        ("Secretary-General of the United Nations", "UNSG"),
        ("Assembly", "UNGA"),
        ("Security Council", "UNSC"),
        ("Council", "UNSC"),
        ("Secretary-General", "UNSG"),
    ]


def test_trafficking_rule(nlp):
    assert ids(nlp, "We fight drug trafficking and arms trafficking.") == set()
    assert ids(nlp, "We fight drug traffickers and narco-traffickers.") == set()
    assert ids(nlp, "We fight human trafficking and the smuggling of migrants.") == {"SMUGGLERS"}
    assert ids(nlp, "Traffickers and smugglers exploit migrants.") == {"SMUGGLERS", "MIGRANTS"}
    assert ids(nlp, "the Protocol to Prevent, Suppress and Punish Trafficking in Persons") == {"PALERMO"}


def test_non_actors_block_state_names(nlp):
    assert ids(nlp, "Latin America, the Gulf of Guinea and Northern Ireland") == set()
    assert ids(nlp, "America and Papua New Guinea") == {"USA", "PNG"}


def test_spans_carry_label_and_kb_id(nlp):
    span = nlp("The UNHCR helps.")._.ggtext.actors[0]
    assert span.label_ == span.kb_id_ == "UNHCR"
    assert span._.ggtext.actor_id == "UNHCR" and span._.ggtext.actor_type == "un_body"


# -- the table -------------------------------------------------------------------------------
def test_actor_table(nlp):
    doc = nlp("The UNHCR and the IOM.\n\nThe IOM again, with the UNHCR.\n\nOnly the IOM here, and Jordan.")
    table = doc._.ggtext.actor_table
    assert list(table.columns) == TABLE_COLUMNS
    assert table["id"].tolist() == ["IOM", "UNHCR", "JOR"]
    iom = table.iloc[0]
    assert (iom["type"], iom["mentions"], iom["first_position"]) == ("intergovernmental_organisation", 3, 18)
    assert iom["paragraph_share"] == pytest.approx(1.0)
    assert table.iloc[1]["paragraph_share"] == pytest.approx(2 / 3)
    assert table.iloc[2]["type"] == "state"


def test_actor_table_of_a_document_without_actors(nlp):
    table = actor_table(nlp("Nothing to see here."))
    assert list(table.columns) == TABLE_COLUMNS and table.empty
    assert isinstance(table, pd.DataFrame)


# -- component contract ------------------------------------------------------------------------
def test_custom_knowledge_base(tmp_path):
    kb = tmp_path / "kb.yaml"
    kb.write_text(
        "actors:\n- id: FOO\n  type: forum_or_process\n  names: [Foo Forum]\n  abbreviations: [FF]\n", encoding="utf-8"
    )
    nlp = spacy.blank("en")
    nlp.add_pipe("ggtext_actors").load_knowledge_base(kb)
    doc = nlp("The foo forum and the FF, not the ff.")
    assert [(s.text, s.label_) for s in doc.spans["ggtext_actors"]] == [("foo forum", "FOO"), ("FF", "FOO")]
    assert actor_type(doc.spans["ggtext_actors"][0]) == "forum_or_process"
    assert doc._.ggtext.actor_table["type"].tolist() == ["forum_or_process"]
    shipped = spacy.blank("en")
    shipped.add_pipe("ggtext_actors")
    other = shipped("The IOM and the Foo Forum.")
    assert [s.label_ for s in other.spans["ggtext_actors"]] == ["IOM"]


def test_add_pipe_works_through_the_entry_point_on_a_fresh_blank_pipeline():
    code = (
        "import spacy; nlp = spacy.blank('en'); nlp.add_pipe('ggtext_actors'); "
        "doc = nlp('The IOM and the UNHCR.'); print([(s.text, s.label_) for s in doc.spans['ggtext_actors']])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd="/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[('IOM', 'IOM'), ('UNHCR', 'UNHCR')]"


def test_knowledge_base_is_shared_between_components():
    first, second = spacy.blank("en"), spacy.blank("en")
    a = ActorRecognizer(first, "a")
    b = ActorRecognizer(second, "b")
    assert a.kb is b.kb


# -- real text: the seed essay ------------------------------------------------------------------
def gold_passages(doc_filter) -> list[dict]:
    return [p for p in map(json.loads, GOLD.read_text(encoding="utf-8").splitlines()) if doc_filter(p["doc"])]


def passage(item: dict, data_dir: Path | None) -> str:
    path = SEED_ESSAY if item["doc"] == "seed_essay" else data_dir / item["doc"]
    return " ".join(path.read_text(encoding="utf-8")[item["start"] : item["end"]].split())


@pytest.fixture(scope="module")
def seed_gold():
    (item,) = gold_passages(lambda doc: doc == "seed_essay")
    return item


def test_seed_essay_names_exactly_the_hand_labelled_codebook_actors(nlp, seed_gold):
    import ggtext
    from ggtext.knowledge import load_knowledge_base

    codebook = load_knowledge_base().codebook_ids
    doc = nlp(ggtext.read(SEED_ESSAY).text)
    found = {s.label_ for s in doc._.ggtext.actors if s.label_ in codebook}
    expected = {m["id"] for m in seed_gold["mentions"]}
    assert found == expected
    assert {
        "UN",
        "EU",
        "UNHCR",
        "IOM",
        "ILO",
        "ILO_C97",
        "ILO_C143",
        "REFUGEE_CONVENTION",
        "UNDESA",
        "BERNE",
        "GFMD",
        "HLD",
        "GCIM",
        "GMG",
        "CIVIL_SOCIETY",
        "PRIVATE_SECTOR",
        "SMUGGLERS",
    } == expected


def test_seed_essay_misspellings_resolve_in_context(nlp):
    import ggtext

    doc = nlp(ggtext.read(SEED_ESSAY).text)
    by_text = {}
    for span in doc._.ggtext.actors:
        by_text.setdefault(span.text, set()).add(span.label_)
    assert by_text["IMO"] == {"IOM"} and by_text["UNCHR"] == {"UNHCR"}
    assert by_text["UN Convention on the Status of refugees"] == {"REFUGEE_CONVENTION"}


def test_seed_gold_mentions_on_the_raw_passage(nlp, seed_gold):
    """Exact spans on the labelled raw passage; endnote markers glued to words ("refugees.[2]")
    defeat the blank tokenizer, so a few mentions are lost there: at most 5%."""
    text = passage(seed_gold, None)
    gold = {(m["start"], m["end"], m["id"]) for m in seed_gold["mentions"]}
    found = {
        (s.start_char, s.end_char, s.label_)
        for s in nlp(text)._.ggtext.actors
        if s.label_ not in {"MIGRANTS", "REFUGEES", "NATION_STATES", "INTERNATIONAL_COMMUNITY"}
    }
    assert len(found & gold) >= 0.95 * len(gold)
    assert len(found - gold) <= 2


# -- real text: UNGDC passages --------------------------------------------------------------------
@pytest.fixture(scope="module")
def ungdc_gold(data_dir):
    return [{**p, "text": passage(p, data_dir)} for p in gold_passages(lambda doc: doc != "seed_essay")]


def evaluated(label: str) -> bool:
    from ggtext.knowledge import load_knowledge_base

    kb = load_knowledge_base()
    return label in kb.codebook_ids or kb.type_of(label) == "state"


def test_ungdc_passages_against_hand_labels(nlp, ungdc_gold):
    tp = fp = fn = 0
    for item, doc in zip(ungdc_gold, nlp.pipe(p["text"] for p in ungdc_gold)):
        gold = {(m["start"], m["end"], m["id"]) for m in item["mentions"]}
        found = {(s.start_char, s.end_char, s.label_) for s in doc._.ggtext.actors if evaluated(s.label_)}
        tp, fp, fn = tp + len(gold & found), fp + len(found - gold), fn + len(gold - found)
    assert len(ungdc_gold) >= 40
    assert tp / (tp + fp) >= 0.95  # measured 0.99 (benchmarks/results/actor_accuracy.md)
    assert tp / (tp + fn) >= 0.85  # measured 0.89


def test_ungdc_traps(nlp, ungdc_gold):
    by_file = {Path(p["doc"]).name: p["text"] for p in ungdc_gold}
    for maritime in ("KIR_75_2020.txt", "UKR_64_2009.txt", "PHL_75_2020.txt", "MHL_79_2024.txt"):
        assert "IOM" not in ids(nlp, by_file[maritime]), maritime
    assert "SMUGGLERS" not in ids(nlp, by_file["GNQ_70_2015.txt"])  # drug trafficking only
    assert "SMUGGLERS" in ids(nlp, by_file["COL_75_2020.txt"])  # ... beside human trafficking
    assert "NYD" not in ids(nlp, by_file["MRT_59_2004.txt"])  # 2004 declaration on hunger
    assert "USA" not in ids(nlp, by_file["JAM_65_2010.txt"])  # Latin America
    assert "GCM" not in ids(nlp, by_file["PRT_64_2009.txt"])  # UN Global Compact with business
    assert {"UN", "UNGA", "UNSG"} <= ids(nlp, by_file["LBY_69_2014.txt"])  # "the Organization", SG
