"""Titles, headings and page furniture of plain-text web pages (issue 11).

A page saved as text starts with its title, then by-lines, office lines, places and dates,
then the text; section labels ("Abstract") and headings stand on lines of their own. The
reader keeps the title as the title, headings as headings (not body paragraphs, so never
evidence) and the furniture in ``metadata``; short real sentences stay paragraphs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ggtext.reading import read, read_text
from ggtext.reading.headings import byline, is_date_line, is_furniture, is_office_line, split_inline_label

REALWORLD = Path(__file__).resolve().parents[1] / "corpora" / "realworld" / "texts"

# Hard-wrapped lines of about the same width: most end mid-sentence.
WRAPPED_BODY = (
    "This paper argues that the global governance of migration is neither feasible nor\n"
    "desirable in the form proposed by the compact, because states keep control of their\n"
    "borders and the institutions that exist have no power to bind them.\n"
    "The second paragraph starts here and goes on for a while so that its lines are all of\n"
    "about the same length as the others, which is how hard-wrapped text looks in e-mail\n"
    "and in old web pages that were saved as plain text files by the people who read them.\n"
)

WEB_PAGE = """3 reasons all countries should share responsibility for refugees

Press Statement

Jane Doe
Bureau of Population, Refugees, and Migration
Washington, DC
June 20, 2019

Share

More people are displaced today than at any time since the Second World War. No country can meet their needs alone, and the Global Compact on Refugees gives us a way to share the work.

Hosting countries need support

Most refugees live in countries that neighbour their own. Those countries carry a burden that the rest of the world should share, through funding, resettlement and trade.

We will not sign.

The compact is not binding, and we respect the right of every state to decide whom it admits, but cooperation on this scale is both possible and worth the effort it takes.

Share
"""


def bodies(document) -> list[str]:
    return [p.text for p in document.paragraphs]


# --- section labels: never merged with the title or the first sentence ------------------


@pytest.mark.parametrize(
    "head",
    [
        "Why the Compact Fails\nAbstract\n",  # no blank lines at all
        "Why the Compact Fails\n\nAbstract\n",
        "Why the Compact Fails\n\nAbstract\n\n",
        "Why the Compact Fails\n\nABSTRACT\n",
    ],
)
def test_a_title_abstract_label_and_first_sentence_are_three_parts(head):
    document = read_text(head + WRAPPED_BODY)
    assert document.title == "Why the Compact Fails"
    assert [h.lower() for h in document.headings] == ["abstract"]
    first = document.paragraphs[0]
    assert first.text.startswith("This paper argues") and first.section.lower() == "abstract"
    assert len(document.paragraphs) == 2
    assert not any("Abstract" in text or "ABSTRACT" in text for text in bodies(document))


def test_an_abstract_label_on_the_line_of_the_text_is_split_off():
    document = read_text("Why the Compact Fails\nAbstract: " + WRAPPED_BODY)
    assert document.title == "Why the Compact Fails"
    assert document.headings == ["Abstract"]
    assert document.paragraphs[0].text.startswith("This paper argues")
    assert split_inline_label("Abstract: This paper") == ("Abstract", "This paper")
    assert split_inline_label("Abstraction is a habit of mind.") is None
    assert split_inline_label("Summary judgments are rare.") is None


def test_markdown_abstract_label_is_not_joined_with_the_next_line():
    text = "# Why the Compact Fails\n\n**Abstract**\nThis paper argues that the compact fails.\n\nMore text.\n"
    document = read_text(text, format="markdown")
    assert document.title == "Why the Compact Fails" and document.headings == ["Abstract"]
    assert bodies(document) == ["This paper argues that the compact fails.", "More text."]
    joined = read_text("# On Compacts\n\nSummary judgements\nwere rare.\n", format="markdown")
    assert bodies(joined) == ["Summary judgements were rare."]


def test_a_word_of_a_sentence_is_not_a_label():
    document = read_text("Why the Compact Fails\n\nSummary judgements were rare in that court.\n\n" + WRAPPED_BODY)
    assert document.headings == []
    assert bodies(document)[0] == "Summary judgements were rare in that court."


# --- a web page: title, furniture, headings, and what stays text ---------------------------


@pytest.fixture(scope="module")
def page():
    return read_text(WEB_PAGE)


def test_the_first_line_is_the_title_even_in_sentence_case_with_a_number(page):
    assert page.title == "3 reasons all countries should share responsibility for refugees"
    assert page.analysis_text.startswith(page.title + "\n\n")


def test_by_lines_office_lines_places_dates_and_sharing_are_furniture(page):
    furniture = ["Press Statement", "Jane Doe", "Bureau of Population, Refugees, and Migration", "Washington, DC"]
    assert page.metadata["front_matter"][:4] == furniture
    assert page.author == "Jane Doe"  # the name above an office line
    assert page.metadata["date"] == "2019-06-20"
    for text in [*furniture, "June 20, 2019", "Share"]:
        assert text not in bodies(page)
        assert text not in page.analysis_text.split("\n\n")
    assert "Share" in page.metadata["furniture"]


def test_a_sentence_case_heading_is_a_heading_and_a_short_sentence_stays_a_paragraph(page):
    assert page.headings == ["Hosting countries need support"]
    assert "Hosting countries need support" not in bodies(page)
    assert "We will not sign." in bodies(page)  # short, but a sentence
    assert len(page.paragraphs) == 4
    assert page.paragraphs[1].section == "Hosting countries need support"


def test_a_line_without_furniture_under_the_title_is_left_as_it_was():
    text = "On Compacts\n\nA quiet note\n\nThe compact is not binding, and states keep the right to decide whom they admit.\n"
    document = read_text(text)
    assert document.title == "On Compacts"
    assert "front_matter" not in document.metadata


def test_a_sentence_naming_an_office_under_the_title_is_text():
    text = (
        "On Compacts\n\nThe Secretary said we would sign it\n\nAs Delivered\n\n"
        "The compact is not binding, and states keep the right to decide whom they admit to their territory.\n"
    )
    document = read_text(text)
    assert document.title == "On Compacts"
    assert bodies(document)[0] == "The Secretary said we would sign it"
    assert document.metadata["furniture"] == ["As Delivered"] and len(document.paragraphs) == 2


def test_short_lines_that_are_text_are_not_headings():
    text = (
        "We came here to talk about the compact and what it asks of us all as members of this body.\n\n"
        "Thank you\n\n"
        "It is a pleasure to be here in this hall again, and to see so many friends around the table today.\n\n"
        "migration is a shared responsibility of states\n\n"
        "And that is why we support the compact, its objectives and the review forum that follows its progress.\n"
    )
    document = read_text(text)
    assert document.headings == []
    assert "Thank you" in bodies(document) and "migration is a shared responsibility of states" in bodies(document)


def test_a_heading_like_line_that_goes_on_in_lower_case_is_one_sentence():
    lines = [
        "The United States welcomes the report of the Secretary-General on the compact and its review.",
        "The Government of Trinidad and Tobago",
        "recognizes the SAMOA Pathway as an essential component of the development frameworks we need.",
        "We look forward to the next session and to the work of the committee on these questions.",
    ]
    document = read_text("\n".join(lines))
    assert document.headings == []
    assert bodies(document)[1].startswith("The Government of Trinidad and Tobago recognizes the SAMOA")


def test_line_predicates():
    assert is_date_line("Monday, October 5, 2020") and is_date_line("Geneva, October 7, 2019")
    assert is_date_line("April 15 (legislative day, April 14), 2026") and is_date_line("7 December 2011")
    assert not is_date_line("On October 5, 2020, we signed.")
    assert is_furniture("AS DELIVERED") and is_furniture("118th CONGRESS") and is_furniture("H. R. 552")
    assert not is_furniture("Share the burden of hosting refugees.")
    assert byline("Delivered by Ambassador David M Robinson") == "Ambassador David M Robinson"
    assert byline("By Our Own Efforts We Will Succeed.") is None  # a sentence
    assert byline("bypass roads") is None
    assert is_office_line("U.S. Deputy Representative to ECOSOC")
    assert not is_office_line("The Secretary of State met the Ambassador.")


# --- real pages of corpora/realworld ------------------------------------------------------


def realworld(name: str):
    return read(REALWORLD / f"{name}.txt")


def test_realworld_office_line_and_name_are_not_body_paragraphs():
    document = realworld("usun-2018-12-19-gcm-resolution-remarks")
    assert document.title == "Remarks to the UN General Assembly on the Global Compact for Migration Resolution"
    assert document.author == "Andrew Veprek"
    assert document.metadata["date"] == "2018-12-19"
    for line in ("Bureau of Population, Refugees, and Migration", "Deputy Assistant Secretary", "AS DELIVERED"):
        assert line not in bodies(document)
        assert line in document.metadata["front_matter"]
    assert bodies(document)[0].startswith("Thank you, Madam President. The United States cannot support")


def test_realworld_long_title_is_the_title_and_the_release_note_is_furniture():
    document = realworld("usun-2018-12-07-gcm-national-statement")
    assert document.title.startswith("National Statement of the United States of America on the Adoption")
    assert document.metadata["front_matter"] == ["FOR IMMEDIATE RELEASE"]
    assert bodies(document)[0].startswith("The United States did not participate")
    assert len(document.paragraphs) == 3  # was 3, the first of them title + note + sentence


def test_realworld_title_repeated_in_full_is_the_title_not_glued_to_the_first_paragraph():
    document = realworld("usun-2022-02-16-gcm-sg-report-briefing")
    assert document.title.endswith("on the Global Compact for Safe, Orderly and Regular Migration")
    assert document.author == "Marta Youth"
    assert bodies(document)[0].startswith("Madame Moderator, Director General, thank you")
    assert not any(text.startswith("Statement at the Informal meeting") for text in bodies(document))


def test_realworld_subtitle_is_a_heading_and_dates_are_metadata():
    document = realworld("state-2007-10-01-unhcr-excom-58")
    assert document.headings == ["Remarks to the 58th Session of the UNHCR Executive Committee"]
    assert "October 1, 2007" not in bodies(document) and "Geneva, Switzerland" not in bodies(document)
    assert document.metadata["date"] == "2007-10-01"
    assert bodies(document)[:2] == ["Mr. Chairman,", bodies(document)[1]]
    assert bodies(document)[1].startswith("Thank you for your leadership")


def test_realworld_short_real_sentence_stays_a_paragraph():
    document = realworld("usmission-geneva-2021-01-26-gfmd-summit")
    assert document.author == "Daniel McNicholas"
    assert bodies(document)[0] == "Migration is a shared challenge and responsibility."
    assert "January 26, 2021" not in bodies(document)


def test_realworld_bill_header_is_furniture():
    document = realworld("congress-2024-01-29-hr7111-unrwa-elimination-act")
    assert document.title == "H.R. 7111: UNRWA Elimination Act"
    for line in ("118th CONGRESS", "2d Session", "H. R. 7111", "IN THE HOUSE OF REPRESENTATIVES", "A BILL"):
        assert line not in bodies(document)
    assert bodies(document)[0].startswith("To establish the policy of the United States")


def test_realworld_bill_section_headings_end_with_a_stop_but_are_headings():
    document = realworld("congress-2020-02-12-hr5878-global-migration-agreement-act")
    assert document.headings == ["SECTION 1. SHORT TITLE.", "SEC. 2. FINDINGS."]
    assert "This Act may be cited as the ``Global Migration Agreement Act''." in bodies(document)
    assert not any("SEC. 2" in text or "SECTION 1" in text for text in bodies(document))


@pytest.mark.parametrize("path", sorted(REALWORLD.glob("*.txt")), ids=lambda p: p.stem)
def test_no_realworld_body_paragraph_is_a_date_furniture_or_the_title(path):
    document = read(path)
    for text in bodies(document):
        assert not is_date_line(text) and not is_furniture(text), text
        assert text != document.title
    assert document.title is not None or path.stem.startswith("congress-2022")  # that title is a sentence


# --- UN General Debate speeches: headings found, text kept ---------------------------------


def test_ungdc_section_labels_and_sentence_case_headings(ungdc_dir):
    suriname = read(ungdc_dir / "Session 75 - 2020" / "SUR_75_2020.txt")
    assert suriname.headings == ["Introduction"] and "Introduction" not in bodies(suriname)
    colombia = read(ungdc_dir / "Session 79 - 2024" / "COL_79_2024.txt")
    assert "The logic of genocide and inequality" in colombia.headings
    assert "The logic of genocide and inequality" not in bodies(colombia)


def test_ungdc_first_line_cut_mid_sentence_is_not_a_title(ungdc_dir):
    # "Since the last session of the General" + blank line + "Assembly, a number of crises ..."
    document = read(ungdc_dir / "Session 64 - 2009" / "MEX_64_2009.txt")
    assert document.title is None
    assert bodies(document)[0].startswith("Since the last session of the General Assembly, a number")


def test_realworld_furniture_is_not_analysed_by_either_route():
    import ggtext

    path = REALWORLD / "usun-2018-12-19-gcm-resolution-remarks.txt"
    analysis = ggtext.analyze(path)
    raw = ggtext.load()(path.read_text(encoding="utf-8"))
    for doc in (analysis.doc, raw):
        blocks = doc.text.split("\n\n")
        assert [span.text for span in doc.spans["ggtext_title"]] == [blocks[0]]
        assert blocks[0] == "Remarks to the UN General Assembly on the Global Compact for Migration Resolution"
        for line in ("Andrew Veprek", "Bureau of Population", "New York City", "December 19, 2018", "AS DELIVERED"):
            assert line not in doc.text
    assert raw.text == analysis.doc.text
    evidence = [item["text"] for item in analysis.verdict.fields()["evidence"]]
    assert evidence and not any("Bureau of Population" in text for text in evidence)
