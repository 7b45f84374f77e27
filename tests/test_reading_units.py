"""Small cases for each reading step: lines, page furniture, unwrapping, structure, citations."""

from __future__ import annotations

import pytest

from ggtext.reading import read_text
from ggtext.reading.citations import (
    find_author_year,
    link_author_year,
    link_endnote,
    parse_reference,
    remove_endnote_markers,
)
from ggtext.reading.decoding import normalize_characters
from ggtext.reading.language import english_function_share, language_sample
from ggtext.reading.lines import PAGE_BREAK, ends_sentence, ends_unfinished, looks_like_heading
from ggtext.reading.naming import format_from_path, metadata_from_name
from ggtext.reading.pdf_text import Vocabulary, join_lines, remove_page_furniture
from ggtext.reading.unwrap import split_sentences, unwrap

# --- lines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        ("It ends here.", True),
        ("A question?", True),
        ("levels.[1]", True),
        ("he said “never.”", True),
        ("together.” (A/55/PV.4, p. 20)", True),
        ("hearts.”12", True),
        ("I thank your predecessor, Mr.", False),
        ("in R. Kunz, S.", False),
        ("and the World Trade", False),
        ("Excellencies,", False),
        ("pp. 1-45.", True),
    ],
)
def test_ends_sentence(line, expected):
    assert ends_sentence(line) is expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("GGIM within the UN", True),
        ("Conclusion", True),
        ("Frameworks outside the UN System", True),
        ("CLIMATE CHANGE AND GLOBAL WARMING", True),
        ("2. Gratitude to the International Community", True),
        ("Why?", True),
        ("Mr. President,", False),
        ("Secretary-General Ban Ki-moon remarked that", False),
        ("“Caracas, 26 September 2011", False),
        ("A/64/470", False),
        ("The world has changed dramatically since then.", False),
        ("the role of the state", False),
    ],
)
def test_looks_like_heading(line, expected):
    assert looks_like_heading(line) is expected


def test_ends_unfinished():
    assert ends_unfinished("we welcome the recent adoption by the")
    assert not ends_unfinished("Vanuatu situation")


# --- page furniture ------------------------------------------------------------------


def test_un_record_lines_become_page_breaks():
    lines = [
        "the text goes",
        "15-29701 7/28",
        "\f",
        "A/70/PV.21 30/09/2015",
        "on here.",
        "8/28 15-29701",
        "30/09/2015 A/70/PV.21",
        "12",
        "08-51839 2",
        "21-00394",
        "17-29597 (E) *1729597*",
        "(spoke in French)",
        "16-29811 51/52 action to pursue",
    ]
    furniture = remove_page_furniture(lines)
    assert furniture.lines == [
        "the text goes",
        PAGE_BREAK,
        PAGE_BREAK,
        PAGE_BREAK,
        "on here.",
        *[PAGE_BREAK] * 7,
        PAGE_BREAK,
        "action to pursue",
    ]
    assert furniture.running == []


def test_running_header_found_by_repetition_and_interruption():
    page = ["Some Journal Title", "", "text that runs", "", "Some Journal Title", "", "on over pages."]
    lines = ["Some Journal Title", "", "Start."] + page * 2
    furniture = remove_page_furniture(lines)
    assert furniture.running == ["Some Journal Title"]
    assert "Some Journal Title" not in furniture.lines


def test_repeated_lines_that_never_interrupt_stay():
    lines = ["Intro line here.", "Thank you all", "We begin.", "Thank you all", "We go on.", "Thank you all", "We end."]
    assert remove_page_furniture(lines).lines == lines


def test_numbered_page_footers():
    lines = []
    for n in range(1, 5):
        lines += [f"Paragraph on page {n}.", "", f"Page {n} of 4", ""]
    furniture = remove_page_furniture(lines)
    assert not any(line.startswith("Page ") for line in furniture.lines)


def test_join_lines_dehyphenates_only_when_the_document_says_so():
    vocabulary = Vocabulary("international law and the Secretary-General and non-aligned States")
    assert join_lines("The inter-", "national order", vocabulary) == "The international order"
    assert join_lines("the Secretary-", "General said", vocabulary) == "the Secretary-General said"
    assert join_lines("the non-", "aligned", vocabulary) == "the non-aligned"
    assert join_lines("the Guinea-", "Bissau", vocabulary) == "the Guinea-Bissau"
    assert join_lines("experience —", "from the", vocabulary) == "experience — from the"
    assert join_lines("(see A/70/", "PV.15)", vocabulary) == "(see A/70/PV.15)"


# --- unwrapping ----------------------------------------------------------------------

WRAPPED = """The first paragraph of a hard-wrapped speech runs
over several lines of about the same width, and each
line ends wherever the width ran out, in mid-sentence.
It ends on a short line.
The second paragraph starts here and it goes on for
a while with more words than fit on one line of text
until it stops.
"""


def texts(lines):
    return [block.text for block in unwrap(lines)]


def test_hard_wrapped_lines_are_joined_and_short_lines_end_paragraphs():
    assert texts(WRAPPED.splitlines()) == [
        "The first paragraph of a hard-wrapped speech runs over several lines of about the same "
        "width, and each line ends wherever the width ran out, in mid-sentence. It ends on a short line.",
        "The second paragraph starts here and it goes on for a while with more words than fit on "
        "one line of text until it stops.",
    ]


def test_indented_paragraph_starts():
    lines = [
        " The first paragraph of an indented speech runs",
        "over several lines. A sentence may end on a short",
        "line.",
        "That is no paragraph break: only the indent is one.",
        " The second paragraph starts with an indent and",
        "goes on for a while with more words than fit on a",
        "line of text.",
        " The third paragraph starts with an indent too and",
        "it ends here.",
    ]
    assert len(texts(lines)) == 3
    assert texts(lines)[0].endswith("short line. That is no paragraph break: only the indent is one.")


def test_one_paragraph_a_line_rejoins_split_sentences():
    long = "This is a long paragraph of a speech " * 5
    lines = [
        "Mr. President,",
        "Excellencies",
        long + "that was cut by the",
        "Secretary of the conference. It goes on.",
        long + "and the delegation of the Republic of",
        "Korea thanks you.",
        "A line without a stop before a lower-case one",
        "continues it.",
        "Thank you.",
    ]
    assert texts(lines) == [
        "Mr. President,",
        "Excellencies",
        long + "that was cut by the Secretary of the conference. It goes on.",
        long + "and the delegation of the Republic of Korea thanks you.",
        "A line without a stop before a lower-case one continues it.",
        "Thank you.",
    ]


def test_blank_lines_and_page_breaks():
    lines = [
        "A paragraph that is split",
        "",
        "",
        "",
        "by a page break.",
        "",
        "Next one.",
        "",
        "A Heading",
        "",
        "More text of the",
        PAGE_BREAK,
        "section.",
    ]
    assert texts(lines) == [
        "A paragraph that is split by a page break.",
        "Next one.",
        "A Heading",
        "More text of the section.",
    ]


def test_markdown_style_lines_in_plain_text():
    blocks = unwrap(["### 2. The Agenda", "Text one.", "---", "Text two.", "- an item"])
    assert [(b.text, b.kind, b.level) for b in blocks] == [
        ("2. The Agenda", "heading", 3),
        ("Text one.", "paragraph", 0),
        ("Text two.", "paragraph", 0),
        ("an item", "item", 0),
    ]


def test_giant_paragraph_split_at_sentences():
    sentence = "Mr. Smith said that the U.N. must act now. "
    warnings = []
    blocks = unwrap([sentence * 200], warnings=warnings)
    assert len(blocks) > 5 and all(len(b.text) <= 1300 for b in blocks)
    assert all(b.text.startswith("Mr. Smith") and b.text.endswith("act now.") for b in blocks)
    assert warnings and "split" in warnings[0]


def test_split_sentences_respects_abbreviations():
    assert split_sentences("Mr. Guterres spoke. Dr. No answered? Yes. In R. Kunz, S. Lavenex wrote.") == [
        "Mr. Guterres spoke.",
        "Dr. No answered?",
        "Yes.",
        "In R. Kunz, S. Lavenex wrote.",
    ]


# --- structure -----------------------------------------------------------------------


def test_front_matter_title_author_and_boilerplate():
    text = """A Study of Compacts

By Jane Doe

Publisher notice: this copy is for reference only.

https://example.org/study

States keep control of their borders. International organisations have few powers.

Second paragraph of the study, about the same subject and more.

Written by: Jane Doe

Written at: Example University
"""
    document = read_text(text, id="study")
    assert document.title == "A Study of Compacts"
    assert document.author == "Jane Doe"
    assert document.metadata["url"] == "https://example.org/study"
    assert document.metadata["front_matter"] == ["Publisher notice: this copy is for reference only."]
    assert document.metadata["written_at"] == "Example University"
    assert [p.text[:6] for p in document.paragraphs] == ["States", "Second"]


def test_no_front_matter_taken_from_a_speech():
    text = (
        "I have the honour to speak on behalf of my country, and I thank the President. " * 3
        + "\n\nBy Our Own Efforts\n\nWe will succeed in the end, as we always have.\n"
    )
    document = read_text(text, id="speech")
    assert document.paragraphs[0].text.startswith("I have the honour")
    assert "front_matter" not in document.metadata


def test_headings_are_not_forms_of_address():
    text = "\n".join(
        [
            "Mr President",
            "We meet in difficult times for the world and for this Organization.",
            "Climate Change",
            "The climate crisis is the defining issue of our time.",
            "Excellencies",
            "I thank you.",
        ]
    )
    document = read_text(text, id="speech")
    assert document.headings == ["Climate Change"]
    assert document.paragraphs[0].text == "Mr President"
    assert document.paragraphs[-1].section == "Climate Change"


def test_endnotes_in_numbered_style_and_continuations():
    text = """Body text cites a study.[1] And another one.[2]

Notes

1. A. Author (2001) First work.

2. B. Author (2002) Second work,

continued on the next page.
"""
    document = read_text(text, id="notes")
    assert document.endnotes == {
        "1": "A. Author (2001) First work.",
        "2": "B. Author (2002) Second work, continued on the next page.",
    }
    assert [c.endnote for c in document.citations] == list(document.endnotes.values())


# --- citations -----------------------------------------------------------------------


def test_parse_reference():
    key = parse_reference("Landau, L.B. and Segatti, A. (2013) 'The Southern Crossroads'")
    assert key.surnames == ("landau", "segatti") and key.year == "2013"
    corporate = parse_reference("International Labour Organization (No date) Ratifications")
    assert corporate.surnames == ("international labour organization",) and corporate.year == "n.d."
    assert parse_reference("A line without a year") is None


def test_find_author_year():
    text = (
        "However, Koser (2010) and Smith et al. (2019: 4) disagree with Martin and "
        "Callaway (2011), unlike earlier work (Betts, 2011; Newland 2010, p. 5)."
    )
    found = [(marker, surnames, year) for marker, _, _, surnames, year in find_author_year(text)]
    assert found == [
        ("Koser (2010)", ["koser"], "2010"),
        ("Smith et al. (2019: 4)", ["smith"], "2019"),
        ("Martin and Callaway (2011)", ["martin", "callaway"], "2011"),
        ("Betts, 2011", ["betts"], "2011"),
        ("Newland 2010, p. 5", ["newland"], "2010"),
    ]


def test_linking_prefers_the_matching_work():
    references = [
        "Koser, K. (2010) Introduction.",
        "Newland, K. (2010) The Governance of International Migration.",
        "International Labour Organization (No date) Ratifications of C097 – Migration for Employment",
        "International Labour Organization (No date) Ratifications of C143 – Migrant Workers",
    ]
    keys = [parse_reference(r) for r in references]
    assert link_author_year(["newland"], "2010", keys) == 1
    assert link_author_year(["koser"], "2011", keys) is None
    assert link_endnote("K. Koser (2010) 'Introduction', p. 308.", keys, references) == 0
    endnote = "International Labour Organization (No date) Ratifications of C143 – Migrant Workers Convention"
    assert link_endnote(endnote, keys, references) == 3


def test_remove_endnote_markers():
    assert remove_endnote_markers("levels.[1] Next 49[5] and 23.[6]", always=True) == (
        "levels. Next 49 and 23.",
        [("[1]", 7), ("[5]", 15), ("[6]", 23)],
    )
    # Without endnotes only markers glued to a word are taken.
    assert remove_endnote_markers("see item [2] below", always=False) == ("see item [2] below", [])


# --- characters, language, names ------------------------------------------------------


def test_normalize_characters():
    assert normalize_characters("a\r\nb\u00a0c\u00adde\u200bf\fg") == "a\nb cdef\n\f\ng"


def test_language_sample_and_function_words():
    paragraphs = [f"paragraph {i} " * 50 for i in range(20)]
    sample = language_sample(paragraphs)
    assert len(sample) <= 1004 and "paragraph 0" in sample and "paragraph 16" in sample
    assert english_function_share("the state of the world is in the hands of all of us") > 0.4
    assert english_function_share("le monde est dans les mains de tous") == 0.0


def test_names():
    assert metadata_from_name("USA_70_2015") == {"iso3": "USA", "session": 70, "year": 2015}
    assert metadata_from_name("EU_66_2011")["iso3"] == "EU"
    assert metadata_from_name("seed_essay") == {}
    from pathlib import Path

    assert format_from_path(Path("a.MD")) == "markdown"
    assert format_from_path(Path("a.htm")) == "html"
    assert format_from_path(Path("a.pdf")) is None
