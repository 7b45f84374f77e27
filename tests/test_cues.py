"""Cue tagger: lexicon validation, negation, hedges, attribution, framing and topic cues.

Behaviour is checked on real sentences: the seed essay (shipped in corpora/),
UN General Debate speeches and the labelled training paragraphs (read from
GGTEXT_DATA at run time, never copied here), plus small cases that isolate
one rule.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import spacy
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from ggtext.errors import KnowledgeBaseError
from ggtext.pipeline.cue_lexicons import CUE_LABELS, DEFAULT_LEXICON_DIR, load_lexicon, load_lexicons
from ggtext.pipeline.cues import (
    CUE_COUNT_KEYS,
    attribution,
    cue_polarity,
    is_hedged,
    is_negated,
    sentence_cue_counts,
)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def cue_nlp():
    """The minimal pipeline the cues need: paragraphs, sentences, cues."""
    nlp = spacy.blank("en")
    nlp.add_pipe("ggtext_paragraphs")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("ggtext_cues")
    return nlp


@pytest.fixture(scope="module")
def seed_doc(cue_nlp, seed_text):
    return cue_nlp(seed_text)


def sentence_with(doc: Doc, fragment: str):
    """The sentence of ``doc`` that contains ``fragment``."""
    offset = doc.text.index(fragment)
    token = doc.char_span(offset, offset + len(fragment), alignment_mode="expand")[0]
    return token.sent


def cues_in(span, label: str | None = None):
    return [
        c
        for c in span.doc.spans["ggtext_cues"]
        if span.start <= c.start and c.end <= span.end and (label is None or c.label_ == label)
    ]


def stance_cue(span, label: str, text: str):
    """The ``label`` cue in ``span`` whose text is ``text`` (case-insensitive)."""
    found = [c for c in cues_in(span, label) if c.text.lower() == text.lower()]
    assert found, f"no {label} cue {text!r} in: {[(c.text, c.label_) for c in cues_in(span)]}"
    return found[0]


# ---------------------------------------------------------------- lexicons


def test_every_label_has_a_packaged_lexicon():
    lexicons = load_lexicons()
    assert {lex.label for lex in lexicons} == set(CUE_LABELS)
    assert all(lex.entries and lex.description for lex in lexicons)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "content, message",
    [
        ("label: FEASIBLE\nentries: [effective", "not valid YAML"),
        ("label: FEASABLE\nentries: [effective]", "is not one of"),
        ("label: FEASIBLE\nentries: []", "non-empty list"),
        ("label: FEASIBLE\nentries: [effective]\nextra: 1", "unknown top-level keys"),
        ("label: FEASIBLE\nentries: [Effective]", "must be lower case"),
        ("label: FEASIBLE\nentries: [{phrase: a, pattern: [{LOWER: a}]}]", "exactly one of"),
        ("label: FEASIBLE\nentries: [{phrase: a, colour: red}]", "unknown keys"),
        ("label: FEASIBLE\nentries: [{pattern: [{LEMMA: work}]}]", "does not set"),
        ("label: FEASIBLE\nentries: [{pattern: [{LOWR: work}]}]", "invalid token pattern"),
        ("label: FEASIBLE\nentries: [{pattern: [{LOWER: Work}]}]", "must be lower case"),
        ("label: FEASIBLE\nentries: [{pattern: [{TEXT: {REGEX: '(unclosed'}}]}]", "bad regular expression"),
        ("label: FEASIBLE\nentries: [{pattern: [{LOWER: a, OP: '?'}]}]", "all optional"),
        ("label: FEASIBLE\nentries: [{phrase: a, role: verb}]", "role 'verb' is not allowed"),
        ("label: ATTRIBUTION\nentries: [according to]", "need a role"),
        ("label: ATTRIBUTION\nentries: [{phrase: x, role: frame, gap: 2}]", "'gap'"),
        ("label: FEASIBLE\nentries: [{phrase: a, exclude: maybe}]", "true or false"),
        ("label: FEASIBLE\nentries: [{phrase: a, keep: middle}]", "'keep'"),
        ("- just a list", "expected a mapping"),
    ],
)
def test_broken_lexicon_files_raise_knowledge_base_error(tmp_path, content, message):
    path = write(tmp_path, "broken.yaml", content)
    with pytest.raises(KnowledgeBaseError, match=message) as info:
        load_lexicon(path)
    assert "broken.yaml" in str(info.value)


def test_json_lexicons_follow_the_same_schema(tmp_path):
    write(tmp_path, "feasible.json", json.dumps({"label": "FEASIBLE", "entries": ["works", {"phrase": "on track"}]}))
    (lexicon,) = load_lexicons(tmp_path)
    assert [e.value for e in lexicon.entries] == ["works", "on track"]


def test_yaml_words_like_on_and_no_stay_words(tmp_path):
    path = write(tmp_path, "neg.yaml", "label: NEGATION\nentries: [no, {pattern: [{LOWER: {IN: [on, off, yes]}}]}]")
    entries = load_lexicon(path).entries
    assert entries[0].value == "no"
    assert entries[1].pattern == [{"LOWER": {"IN": ["on", "off", "yes"]}}]


def test_missing_or_empty_lexicon_directory(tmp_path):
    with pytest.raises(KnowledgeBaseError, match="does not exist"):
        load_lexicons(tmp_path / "nowhere")
    with pytest.raises(KnowledgeBaseError, match="no .yaml"):
        load_lexicons(tmp_path)


def test_pipeline_with_a_broken_lexicon_directory_fails_when_built(tmp_path):
    shutil.copytree(DEFAULT_LEXICON_DIR, tmp_path / "lex")
    write(tmp_path / "lex", "hedge.yaml", "label: HEDGE\nentries: [{pattern: [{POS: VERB}]}]")
    nlp = spacy.blank("en")
    with pytest.raises(KnowledgeBaseError, match="hedge.yaml#0"):
        nlp.add_pipe("ggtext_cues").load_lexicons(tmp_path / "lex")


def test_custom_lexicon_directory(tmp_path):
    write(tmp_path, "feasible.yaml", "label: FEASIBLE\nentries: [on track]")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("ggtext_cues").load_lexicons(tmp_path)
    doc = nlp("The compact is on track. It is effective.")
    assert [(c.text, c.label_) for c in doc.spans["ggtext_cues"]] == [("on track", "FEASIBLE")]
    assert nlp.get_pipe("ggtext_cues").labels == ("FEASIBLE",)


# ---------------------------------------------------------------- negation


@pytest.mark.parametrize(
    "text, cue, polarity",
    [
        ("The global compact is feasible.", "feasible", 1),
        ("The global compact is not feasible.", "feasible", -1),
        ("The global compact isn't feasible.", "feasible", -1),
        ("The refugee regime no longer works well.", "works well", -1),
        ("The international refugee system no longer works.", "works", -1),
        ("The international refugee system works.", "works", 1),
        ("Global migration governance is far from effective.", "effective", -1),
        ("Such a framework has never proved effective.", "proved effective", -1),
        ("The system is not cheap, but the compact is effective.", "effective", 1),
    ],
)
def test_negation_flips_feasibility(cue_nlp, text, cue, polarity):
    doc = cue_nlp(text)
    span = [c for c in doc.spans["ggtext_cues"] if c.text == cue and c.label_ == "FEASIBLE"][0]
    assert cue_polarity(span) == polarity
    assert is_negated(span) is (polarity < 0)


def test_hyphens_join_words_but_spaced_dashes_end_clauses(cue_nlp):
    (milestone,) = cues_in(cue_nlp("The compact is not a long-term milestone.")[:], "FEASIBLE")
    assert is_negated(milestone)
    (milestone,) = cues_in(cue_nlp("The compact is not funded - a milestone nonetheless.")[:], "FEASIBLE")
    assert not is_negated(milestone)


def test_not_only_is_not_a_negation(cue_nlp):
    doc = cue_nlp("States must not only identify the shortcomings but also strengthen cooperation on migration.")
    assert not cues_in(doc[:], "NEGATION")
    assert [cue_polarity(c) for c in cues_in(doc[:], "DESIRABLE")] == [1]


def test_negation_stays_within_its_window(cue_nlp):
    # "not" is six tokens and a clause away from "successful".
    doc = cue_nlp("We did not expect that, after years of talks, the negotiations were successful.")
    (cue,) = [c for c in cues_in(doc[:], "FEASIBLE") if c[-1].lower_ == "successful"]
    assert not is_negated(cue)


def test_seed_not_very_plausible_is_negative_and_hedged(seed_doc):
    sent = sentence_with(seed_doc, "it can be argued that the GGIM is not very plausible")
    plausible = stance_cue(sent, "FEASIBLE", "plausible")
    assert is_negated(plausible) and cue_polarity(plausible) == -1
    assert is_hedged(plausible)
    assert attribution(sent) is None  # "it can be argued" is the author's own voice


def test_seed_double_negation_is_positive(seed_doc):
    sent = sentence_with(seed_doc, "does not render the concept of GGIM as less feasible")
    less_feasible = stance_cue(sent, "INFEASIBLE", "less feasible")
    assert is_negated(less_feasible)
    assert cue_polarity(less_feasible) == 1


def test_negation_inside_a_cue_belongs_to_the_cue(seed_doc):
    sent = sentence_with(seed_doc, "some immigration frameworks within the UN have not been ratified")
    cue = stance_cue(sent, "INFEASIBLE", "not been ratified")
    assert not is_negated(cue) and cue_polarity(cue) == -1


# ---------------------------------------------------------------- attribution


@pytest.mark.parametrize(
    "fragment, source",
    [
        ("Realism perceives the current state of the GGIM as", "Realism"),
        ("According to Landau and Segatti (2013), however, IM frameworks based on the UN", "Landau and Segatti (2013)"),
        ("Shaw and Mbabazi (2011) state that the involvement of civil societies", "Shaw and Mbabazi (2011)"),
        ("Institutionalists commonly tend to consider the concept of GGIM as less plausible", "Institutionalists"),
        ("Its proponents stress the importance of institutions", "Its proponents"),
        ("as some authors have argued, these deficits are being counter-balanced", "some authors"),
        ("Those supporting institutionalisation of the processes tackling IM argue", "Those supporting"),
    ],
)
def test_reported_views_are_attributed(seed_doc, fragment, source):
    offset = seed_doc.text.index(fragment)
    span = seed_doc.char_span(offset, offset + len(fragment), alignment_mode="expand")
    assert attribution(span) == source


def test_critics_frame_names_the_critics(seed_doc):
    sent = sentence_with(seed_doc, "the critics of the plausibility of GGIM emphasise")
    assert attribution(sent) == "critics"


def test_pronoun_continues_the_previous_reported_view(seed_doc):
    sent = sentence_with(seed_doc, "More specifically, they point at the way that globalisation")
    assert attribution(sent) == "Institutionalists"


def test_authors_own_conclusion_is_not_attributed(seed_doc):
    sent = sentence_with(seed_doc, "This unwillingness has then rendered the feasibility of GGIM significantly low.")
    assert attribution(sent) is None
    infeasible = cues_in(sent, "INFEASIBLE")
    assert infeasible and all(cue_polarity(c) == -1 for c in infeasible)
    assert sentence_cue_counts(sent)["feasibility_polarity_own"] < 0


@pytest.mark.parametrize(
    "text",
    [
        "We believe that the global compact is a milestone.",
        "Many states have ratified the convention.",
        "According to the principles of international law, refugees must be protected.",
        "One should emphasise that cooperation is needed.",
        "The sacrifices made by others must be acknowledged.",
    ],
)
def test_speakers_own_voice_is_not_attributed(cue_nlp, text):
    assert attribution(cue_nlp(text)[:]) is None


def test_according_to_a_named_agency_is_attributed(cue_nlp):
    doc = cue_nlp("According to the UNHCR, the number of displaced people has doubled.")
    assert attribution(doc[:]) == "UNHCR"
    # Hard-wrapped speeches (UNGDC 2000-2014): the source comes out on one line.
    doc = cue_nlp("According to \nthe International Monetary \nFund, remittances have grown.")
    assert attribution(doc[:]) == "International Monetary Fund"
    doc = cue_nlp("Even those who criticize it have benefited from the order.")
    assert attribution(doc[:]) == "those who criticize"


@pytest.mark.parametrize(
    "text, source",
    [
        ('"The compact is a failure," Senator McKim said.', "Senator McKim"),
        ('"The compact is a failure," said Senator McKim.', "Senator McKim"),
        ("“We will not sign it,” the minister told reporters.", "minister"),
        (
            "The agreement was hailed by the UN Secretary General as a triumph of multilateralism.",
            "UN Secretary General",
        ),
        ("The compact is widely seen by many as a success.", "many"),
        ("Some argued that the compact would fail.", "Some"),
        ("Those who believe in the compact are wrong.", "Those who believe"),
    ],
)
def test_quotations_passive_agents_and_quantifiers_are_reported(cue_nlp, text, source):
    assert attribution(cue_nlp(text)[:]) == source


@pytest.mark.parametrize(
    "text",
    [
        "However, some of its proposed solutions would weaken the sovereignty of states.",
        "Some proposed solutions would weaken the sovereignty of states.",
        "Most observed cases show that cooperation works.",
        "The compact matters to those who live or think about migration every day.",
        '"We reject the compact," I said, and I meant it.',
        "The target should be reached by 2030.",
        "In recent years, the Council has been characterized by blocking tactics rather than cooperation.",
        "The summit was called by the Secretary-General.",
        "The compact was adopted by 152 states in Marrakech.",
    ],
)
def test_look_alikes_of_reported_views_stay_in_the_authors_voice(cue_nlp, text):
    assert attribution(cue_nlp(text)[:]) is None


def test_every_sentence_of_a_quotation_is_reported_and_the_text_after_it_is_not(cue_nlp):
    doc = cue_nlp('"We will not sign it. It is a bad deal," she said. The compact is still a milestone.')
    assert [attribution(sent) for sent in doc.sents] == ["she", "she", None]


def test_a_speaker_is_not_read_across_a_paragraph_break(cue_nlp):
    doc = cue_nlp("“These children deserve better.”\n\nThe United States will intensify dialogue with the UN.")
    assert all(attribution(sent) is None for sent in doc.sents)


def test_quotations_can_count_as_the_authors_voice():
    """A government release quoting its own minister: ``quotations="own"`` keeps the quotation the author's."""
    nlp = spacy.blank("en")
    nlp.add_pipe("ggtext_paragraphs")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("ggtext_cues", config={"quotations": "own"})
    assert attribution(nlp('"The compact is dangerous," the minister said.')[:]) is None
    assert attribution(nlp("It was hailed by critics as a failure.")[:]) == "critics"  # other frames stay
    with pytest.raises(ValueError, match="quotations"):
        spacy.blank("en").add_pipe("ggtext_cues", config={"quotations": "sometimes"})


def test_quotations_in_a_real_press_release_are_the_spokeswomans(cue_nlp):
    path = REPO / "corpora" / "realworld" / "texts" / "usembassy-2018-08-31-us-ends-support-unrwa.txt"
    doc = cue_nlp(path.read_text(encoding="utf-8"))
    quoted = sentence_with(doc, "will no longer commit further funding to this irredeemably flawed operation")
    assert attribution(quoted) == "State Department spokeswoman Heather Nauert"
    own = sentence_with(doc, "The United States in January cut its last payment to UNRWA in half")
    assert attribution(own) is None


# ---------------------------------------------------------------- hedges


def test_hedges(cue_nlp, seed_doc):
    sent = sentence_with(seed_doc, "may already be in place")
    assert is_hedged(stance_cue(sent, "FEASIBLE", "in place"))
    doc = cue_nlp("Although the process may be slow, the compact has been adopted.")
    (adopted,) = cues_in(doc[:], "FEASIBLE")
    assert not is_hedged(adopted)  # "may" qualifies the other clause
    doc = cue_nlp("Arguably, the compact has been adopted.")
    assert is_hedged(cues_in(doc[:], "FEASIBLE")[0])


def test_the_month_of_may_is_not_a_hedge(cue_nlp):
    doc = cue_nlp("In May 2016 the summit met. On 19 May the declaration was adopted.")
    assert not cues_in(doc[:], "HEDGE")


# ---------------------------------------------------------------- framing and topics


def test_seed_framing_vocabulary(seed_doc):
    realist = {c.text.lower() for c in cues_in(seed_doc[:], "REALIST")}
    institutionalist = {c.text.lower() for c in cues_in(seed_doc[:], "INSTITUTIONALIST")}
    assert {"state-centric", "national interests", "power struggle", "nation states"} <= realist
    assert {"institutions", "international law", "global governance", "interdependence"} & institutionalist
    assert {"institutions", "global governance"} <= institutionalist


def test_topic_cues(cue_nlp):
    doc = cue_nlp("Smugglers exploit refugees, while the international community debates a global compact.")
    assert {c.text.lower() for c in cues_in(doc[:], "MIGRATION")} >= {"smugglers", "refugees"}
    assert {c.text.lower() for c in cues_in(doc[:], "GOVERNANCE")} >= {"the international community", "global compact"}
    doc = cue_nlp("Drug traffickers were arrested.")
    assert not cues_in(doc[:], "MIGRATION")


@pytest.mark.shared_data
def test_ungdc_rejection_of_the_compact(cue_nlp, ungdc_dir):
    text = (ungdc_dir / "Session 74 - 2019" / "HUN_74_2019.txt").read_text(encoding="utf-8")
    doc = cue_nlp(text)
    sent = sentence_with(doc, "We reject this notion.")
    assert sentence_cue_counts(sent)["desirability_polarity"] < 0
    sent = sentence_with(doc, "It is our sole prerogative to decide")
    assert cues_in(sent, "UNDESIRABLE")


@pytest.mark.shared_data
def test_ungdc_realist_and_institutionalist_sentences(cue_nlp, ungdc_dir):
    usa = cue_nlp((ungdc_dir / "Session 73 - 2018" / "USA_73_2018.txt").read_text(encoding="utf-8"))
    sent = sentence_with(usa, "threats to sovereignty from uncontrolled migration")
    assert cues_in(sent, "REALIST") and cues_in(sent, "MIGRATION")
    bgr = cue_nlp((ungdc_dir / "Session 73 - 2018" / "BGR_73_2018.txt").read_text(encoding="utf-8"))
    sent = sentence_with(bgr, "based on the principle of shared responsibility")
    counts = sentence_cue_counts(sent)
    assert counts["desirability_polarity"] > 0 and counts["INSTITUTIONALIST"] > 0 and counts["GOVERNANCE"] > 0


@pytest.mark.shared_data
def test_cues_carry_signal_on_the_training_paragraphs(cue_nlp, data_dir):
    """Stance cues separate the labelled classes (numbers in the cues report)."""
    rows = [json.loads(line) for line in (data_dir / "annotation" / "train.jsonl").open(encoding="utf-8")]
    feats = [sentence_cue_counts(doc[:]) for doc in cue_nlp.pipe(r["text"] for r in rows)]

    def mean(field, label, key):
        values = [f[key] for r, f in zip(rows, feats) if r[field] == label]
        return sum(values) / len(values)

    assert mean("feasibility", "for", "feasibility_polarity") > mean("feasibility", "none", "feasibility_polarity")
    assert mean("feasibility", "none", "feasibility_polarity") > mean("feasibility", "against", "feasibility_polarity")
    assert mean("feasibility", "against", "INFEASIBLE") > 3 * mean("feasibility", "for", "INFEASIBLE")
    assert mean("desirability", "for", "desirability_polarity") > mean("desirability", "none", "desirability_polarity")
    assert mean("desirability", "against", "UNDESIRABLE") > 5 * mean("desirability", "none", "UNDESIRABLE")
    assert mean("framing", "realist", "REALIST") > 3 * mean("framing", "institutionalist", "REALIST")
    assert mean("framing", "institutionalist", "INSTITUTIONALIST") > mean("framing", "none", "INSTITUTIONALIST")


# ---------------------------------------------------------------- counts, determinism, integration


def test_sentence_cue_counts(seed_doc):
    paragraph = [p for p in seed_doc.spans["ggtext_paragraphs"] if "Institutionalism represents another" in p.text][0]
    counts = sentence_cue_counts(paragraph)
    assert tuple(counts) == CUE_COUNT_KEYS
    assert counts["ATTRIBUTION"] == 2 and 0 < counts["attributed"] < 1
    assert counts["n_sentences"] == len(list(paragraph.sents))
    own, reported = counts["feasibility_polarity_own"], counts["feasibility_polarity_reported"]
    assert own + reported == counts["feasibility_polarity"]
    sentences = [sentence_cue_counts(s) for s in paragraph.sents]
    assert sum(s["INFEASIBLE"] for s in sentences) == counts["INFEASIBLE"]
    assert all(s["hedged"] in (0.0, 1.0) for s in sentences)


def test_determinism(cue_nlp, seed_text):
    def snapshot(doc):
        return [(c.start, c.end, c.label_, c.id_, c.kb_id_) for c in doc.spans["ggtext_cues"]]

    first = snapshot(cue_nlp(seed_text))
    fresh = spacy.blank("en")
    fresh.add_pipe("ggtext_paragraphs")
    fresh.add_pipe("sentencizer")
    fresh.add_pipe("ggtext_cues")
    assert snapshot(fresh(seed_text)) == first == snapshot(cue_nlp(seed_text))
    assert len(first) > 300


def test_fast_matcher_finds_what_plain_matchers_find(cue_nlp, seed_doc):
    """The phrase expansion and anchored windows lose no match."""
    tagger = cue_nlp.get_pipe("ggtext_cues")
    phrases, patterns = PhraseMatcher(cue_nlp.vocab, attr="LOWER"), Matcher(cue_nlp.vocab)
    for key, entry in tagger._entries.items():
        name = cue_nlp.vocab.strings[key]
        if entry.mode == "phrase":
            phrases.add(name, [cue_nlp.make_doc(entry.value)])
        else:
            patterns.add(name, [entry.pattern])
    expected = set(phrases(seed_doc)) | set(patterns(seed_doc))
    assert set(tagger._matcher(seed_doc)) == expected


def test_without_sentence_boundaries_and_on_empty_text():
    nlp = spacy.blank("en")
    nlp.add_pipe("ggtext_cues")
    doc = nlp("The compact is not effective. According to critics, it has failed.")
    (effective,) = [c for c in doc.spans["ggtext_cues"] if c.text == "effective"]
    assert cue_polarity(effective) == -1
    assert attribution(doc[:]) == "critics"
    assert nlp("").spans["ggtext_cues"] is not None
    assert sentence_cue_counts(nlp("")[:])["n_tokens"] == 0


def test_extension_views_and_serialization(nlp, tmp_path, seed_text):
    doc = nlp(seed_text)
    sent = sentence_with(doc, "Realism perceives the current state")
    assert sent._.ggtext.attribution == "Realism" and sent._.ggtext.attributed
    cue = stance_cue(sentence_with(doc, "not very plausible"), "FEASIBLE", "plausible")
    assert cue._.ggtext.negated and cue._.ggtext.polarity == -1 and cue._.ggtext.hedged
    # The source survives Doc serialization, and the lexicons travel with a saved pipeline.
    restored = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert attribution(sentence_with(restored, "Realism perceives the current state")) == "Realism"
    nlp.to_disk(tmp_path / "pipeline")
    again = spacy.load(tmp_path / "pipeline")(seed_text)
    assert [(c.start, c.label_) for c in again.spans["ggtext_cues"]] == [
        (c.start, c.label_) for c in doc.spans["ggtext_cues"]
    ]
