"""Reading real documents: the seed essay, UNGDC speeches, White House Markdown, HTML."""

from __future__ import annotations

import re
import time

import pytest

from ggtext.reading import Document, read, read_text
from ggtext.reading.lines import ends_clause

SEED_TITLE = "Is the Global Governance of International Migration Feasible and Desirable?"
SEED_HEADINGS = [
    "Global Governance of International Migration under Different Actors",
    "GGIM within the UN",
    "Frameworks outside the UN System",
    "Informal Governance of IM",
    "Inter-Agency Governance Platforms",
    "Civil Society and GGIM",
    "Considering Main Arguments",
    "Conclusion",
]


def paragraph_with(document: Document, text: str) -> str:
    """The one paragraph that contains ``text`` (fails if none or several do)."""
    found = [p.text for p in document.paragraphs if text in p.text]
    assert len(found) == 1, f"{text!r} is in {len(found)} paragraphs"
    return found[0]


# --- the seed essay (PDF converted to text) ------------------------------------------


@pytest.fixture(scope="module")
def seed(seed_path) -> Document:
    return read(seed_path)


def test_seed_title_author_and_metadata(seed):
    assert seed.id == "seed_essay"
    assert seed.title == SEED_TITLE
    assert seed.author == "Talgat Turmaganbet"
    assert seed.metadata["date"] == "2015-08-02"  # from "TALGAT TURMAGANBET, AUG 2 2015"
    assert seed.metadata["url"].startswith("https://www.e-ir.info/2015/08/02/")
    assert seed.metadata["written_at"] == "The University of Sheffield"
    assert seed.metadata["written_for"] == "Dr. Leila Hadj-Abdou and Dr. Oleg Korneev"
    assert seed.metadata["date_written"] == "March 2015"
    assert seed.metadata["front_matter"][0].startswith("This PDF is auto-generated")
    assert seed.format == "text" and seed.warnings == []


def test_seed_body_has_no_page_furniture_or_boilerplate(seed):
    body = seed.text
    for furniture in (
        "Feasible and Desirable?",  # the running title
        "Written by",  # the running author line and the closing block
        "This PDF is auto-generated",
        "e-ir.info",
        "TALGAT TURMAGANBET",
        "Written at",
        "Date written",
    ):
        assert furniture not in body


@pytest.mark.parametrize(
    "sentence",
    [
        # each is split by the repeated page header in the source
        "The vital role that international organisations play on the international political "
        "stage is that it provides a necessary platform in which different actors can cooperate",
        "it can be argued that the GGIM is not very plausible whilst also not being completely a negative phenomenon.",
        "In this context, one should emphasise that since IM essentially originates in the context of nation states",
        "This new development can be perceived as a logical consequence of an increasingly "
        "interconnected and globalised world, where the majority of the most pressing issues "
        "require at least regional if not international cooperation.",
    ],
)
def test_seed_sentences_split_by_page_headers_are_whole(seed, sentence):
    paragraph_with(seed, sentence)


def test_seed_paragraphs_keep_their_breaks_and_sections(seed):
    assert len(seed.paragraphs) == 37
    assert seed.headings == SEED_HEADINGS
    assert seed.paragraphs[0].text.startswith("Political, economic, and social systems")
    assert seed.paragraphs[0].section is None
    gg_un = [p for p in seed.paragraphs if p.section == "GGIM within the UN"]
    assert gg_un[0].text.startswith("International organisations bear mentioning as key actors")
    assert len(gg_un) == 7
    assert seed.paragraphs[-1].section == "Conclusion"
    assert seed.paragraphs[-1].text.startswith("As one of the main findings")
    assert all(ends_clause(p.text) for p in seed.paragraphs)


def test_seed_references_and_endnotes_are_apart_from_the_body(seed):
    # 25 works; "Trachtman" (split by a page header) and "Walt" (split by a blank
    # line) are each one entry again.
    assert len(seed.references) == 25
    assert seed.references[0].startswith("Betts, A. (2011) 'Introduction: Global migration Governance'")
    trachtman = next(r for r in seed.references if r.startswith("Trachtman"))
    assert "in R. Kunz, S. Lavenex and M. Panizzon (ed), Multilayered Migration Governance" in trachtman
    walt = next(r for r in seed.references if r.startswith("Walt"))
    assert "Foreign Policy, [Online] 110 (Special Edition" in walt
    assert not any(r.startswith(("-", "*")) or "*" in r for r in seed.references)

    assert list(seed.endnotes) == [str(n) for n in range(1, 30)]
    assert seed.endnotes["10"].startswith("J. Grugel and N. Piper (2007)")
    assert "in governing regimes, Abingdon, Oxon" in seed.endnotes["10"]  # across a page header
    assert seed.endnotes["29"].startswith("Tarrow, S. (2001)")

    body = seed.text
    for outside in ("Available from", "Oxford University Press", "References", "Endnotes", "[Accessed"):
        assert outside not in body


def test_seed_endnote_markers_become_linked_citations(seed):
    assert not re.search(r"\[\d+\]", seed.text)
    endnotes = [c for c in seed.citations if c.kind == "endnote"]
    assert [c.marker for c in endnotes] == [f"[{n}]" for n in range(1, 30)]
    assert all(c.reference is not None for c in endnotes)

    four = endnotes[3]
    assert four.endnote.startswith("L.B. Landau and A. Segatti (2013)")
    assert seed.references[four.reference].startswith("Landau, L.B. and Segatti, A. (2013)")
    text = seed.paragraphs[four.paragraph].text
    assert text[: four.start].endswith("to flee to Southern Europe from North Africa.")
    assert four.start == four.end

    five = endnotes[4]  # "49[5] and 23 states"
    assert seed.paragraphs[five.paragraph].text[five.start - 2 : five.start + 8] == "49 and 23 "

    def cited(n: int) -> str:
        return seed.references[endnotes[n - 1].reference]

    assert cited(2).startswith("Koser, K. (2010)")
    assert cited(5).startswith("International Labour Organization (No date) Ratifications of C097")
    assert cited(6).startswith("International Labour Organization (No date) Ratifications of C143")
    assert cited(12).startswith("Solimano, A. (2010)")
    assert cited(20).startswith("O'Rourke, D. (2007)")
    assert cited(21).startswith("Walt, S.M. (1998)")


def test_seed_author_year_citations_stay_in_text_and_are_linked(seed):
    author_year = [c for c in seed.citations if c.kind == "author_year"]
    assert [c.marker for c in author_year] == [
        "Landau and Segatti (2013)",
        "Shaw and Mbabazi (2011)",
        "Dauvergne (2014)",
        "O'Rourke (2007)",
        "Martin and Callaway (2011)",
    ]
    for citation in author_year:
        assert seed.paragraphs[citation.paragraph].text[citation.start : citation.end] == citation.marker
        surname = citation.marker.split()[0]
        assert seed.references[citation.reference].startswith(surname)


# --- UN General Debate speeches ------------------------------------------------------


def ungdc(ungdc_dir, name: str) -> Document:
    iso3, session, year = name.split("_")
    return read(ungdc_dir / f"Session {session} - {year}" / f"{name}.txt")


def test_ungdc_metadata_from_file_name(ungdc_dir):
    document = ungdc(ungdc_dir, "FJI_57_2002")
    assert document.id == "FJI_57_2002"
    assert document.metadata["iso3"] == "FJI"
    assert document.metadata["session"] == 57 and document.metadata["year"] == 2002
    assert document.title is None and document.author is None


def test_ungdc_hard_wrapped_speech_is_unwrapped(ungdc_dir):
    document = ungdc(ungdc_dir, "FJI_57_2002")  # 2002: ~52-character lines, no blank lines
    assert 20 <= len(document.paragraphs) <= 40  # 313 lines in the file
    assert all("\n" not in p.text for p in document.paragraphs)
    assert all(ends_clause(p.text) for p in document.paragraphs)  # no mid-sentence breaks
    assert document.paragraphs[0].text == (
        "Please accept, Mr. President, the warm congratulations of the Republic of the Fiji "
        "Islands on your election to lead this forum. I also extend my appreciation to your "
        "predecessor, Mr. Han Seung-soo of the Republic of Korea, for his guidance of the "
        "General Assembly during the past year. We also wish to congratulate Switzerland on its "
        "admission to the Organization, as well as East Timor on its imminent membership of the "
        "United Nations. Their membership gives them a direct share in the collective "
        "responsibility of the United Nations to promote world peace, security and development."
    )
    # Short last lines end paragraphs ...
    assert document.paragraphs[1].text.endswith("peace and harmony in our multiracial society.")
    assert document.paragraphs[2].text.startswith("Today I thank the Member States")
    # ... and a page number between two lines of a sentence is gone.
    paragraph_with(document, "Our thoughts and prayers have been with the American people. We remember")


def test_ungdc_hard_wrapped_page_breaks(ungdc_dir):
    usa = ungdc(ungdc_dir, "USA_60_2005")  # page number "8" and a blank line mid-sentence
    paragraph_with(
        usa, "lay firm foundations of moral principle and build institutions that reflect our unique moment in history."
    )
    deu = ungdc(ungdc_dir, "DEU_68_2013")  # blank lines between paragraphs, 3 at a page break
    paragraph_with(
        deu,
        "A Security Council without permanent seats for Africa and Latin America "
        "does not reflect the realities of today’s world.",
    )
    paragraph_with(deu, "The world has changed dramatically since then. New centres of economic")
    assert 15 <= len(deu.paragraphs) <= 25


def test_ungdc_indented_paragraphs(ungdc_dir):
    document = ungdc(ungdc_dir, "BRA_62_2007")  # paragraphs start with an indent
    paragraph_with(document, "Results like that should come as no surprise. Brazil will under no circumstance")
    assert document.paragraphs[1].text.startswith("Let us not delude ourselves.")


def test_ungdc_one_paragraph_a_line_with_un_page_headers(ungdc_dir):
    document = ungdc(ungdc_dir, "MDA_70_2015")  # 25 text lines and 3 page headers of 3 lines
    for furniture in ("15-29701", "A/70/PV.21", "30/09/2015", "7/28", "\f"):
        assert furniture not in document.text
    paragraph_with(
        document,
        "My country is on track to ratify the Low-Emission Development Strategies "
        "and Plans and, at the twenty-first session",
    )
    paragraph_with(document, "we are fully open to a further efficient dialogue")
    assert len(document.paragraphs) == 21


def test_ungdc_page_header_glued_to_a_line(ungdc_dir):
    document = ungdc(ungdc_dir, "DMA_71_2016")  # "16-29811 51/52 action to pursue ..."
    assert "16-29811" not in document.text and "51/52" not in document.text
    paragraph_with(document, "take strong and decisive action to pursue diplomatic solutions")


def test_ungdc_speech_without_paragraph_breaks_is_split_at_sentences(ungdc_dir):
    path = ungdc_dir / "Session 79 - 2024" / "HUN_79_2024.txt"
    document = read(path)  # one line of 13,000 characters
    assert len(document.paragraphs) >= 8
    assert all(len(p.text) <= 1300 for p in document.paragraphs)
    assert all(ends_clause(p.text) or p.text.endswith(("?", "!")) for p in document.paragraphs)
    assert " ".join(p.text for p in document.paragraphs).split() == path.read_text(encoding="utf-8").split()
    assert any("split at sentence ends" in warning for warning in document.warnings)


@pytest.mark.slow
def test_all_ungdc_speeches_read_fast(ungdc_dir):
    files = sorted(ungdc_dir.glob("*/*.txt"))
    assert len(files) == 4793
    start = time.process_time()  # CPU time: other processes on the machine do not count
    documents = [read(path) for path in files]
    seconds = time.process_time() - start
    assert seconds < 60, f"{seconds:.1f} s for {len(files)} files"
    header = re.compile(r"\b\d{2}-\d{5} +\d+/\d+\b|A/\d\d/PV\.\d+ \d\d/\d\d/\d{4}")
    assert not any(header.search(d.text) for d in documents)
    assert all(d.metadata["year"] == int(d.id[-4:]) for d in documents)


# --- White House Markdown ------------------------------------------------------------


def test_white_house_markdown_with_front_matter(data_dir):
    path = (
        data_dir
        / "corpora"
        / "wh_briefings"
        / "files"
        / "presidential-actions"
        / "2025-05"
        / "2025-05-09-establishing-project-homecoming.md"
    )
    document = read(path)
    assert document.format == "markdown"
    assert document.id == "2025-05-09-establishing-project-homecoming"
    assert document.title == "Establishing Project Homecoming"
    assert document.metadata["date"] == "2025-05-09"
    assert document.metadata["source_url"].startswith("https://www.whitehouse.gov/presidential-actions/")
    assert document.paragraphs[0].text.startswith(
        "Over the last 4 years, the United States has endured a full-scale invasion of aliens"
    )
    assert "title:" not in document.text and "---" not in document.text
    assert all("\n" not in p.text for p in document.paragraphs)  # wrapped lines joined
    paragraph_with(document, "the provision of financial incentives to encourage and assist aliens illegally")


def test_white_house_markdown_headings_and_list_items(data_dir):
    path = (
        data_dir
        / "corpora"
        / "wh_briefings"
        / "files"
        / "statements-releases"
        / "2024-06"
        / "2024-06-14-g7-leaders-statement-8.md"
    )
    document = read(path)
    assert document.title == "G7 Apulia Leaders’ Communiqué"
    assert document.headings[:3] == ["Preamble", "Steadfast support to Ukraine", "Conflict in Gaza"]
    assert "Fostering partnerships with African countries" in document.headings
    assert document.paragraphs[0].section == "Preamble"
    assert not any(p.text in ("###", "**") or p.text.startswith("-") for p in document.paragraphs)
    item = paragraph_with(document, "standing in solidarity to support Ukraine’s fight for freedom")
    assert item.startswith("standing in solidarity")  # a list item is a paragraph of its own


def test_transcript_time_stamps_go_to_metadata(data_dir):
    folder = data_dir / "corpora" / "wh_briefings" / "files" / "speeches-remarks" / "2024-10"
    path = next(folder.glob("2024-10-25-remarks-by-president-biden-on-the-biden-harris-*.md"))
    document = read(path)
    assert document.metadata["times"][0] == "10:44 A.M. MST"
    assert not any(re.fullmatch(r"\d+:\d\d [AP]\.M\. \w+", p.text) for p in document.paragraphs)


# --- small documents -----------------------------------------------------------------

BODY = (
    "States keep control of their borders. International organisations have few powers of "
    "their own, and cooperation between them grows slowly in regional forums."
)


def test_markdown_small():
    text = f"""---
title: On Compacts
author: [A. Author, B. Author]
date: 2019-01-02
---

# Introduction

**Migration** is *global*, and [the compact](https://example.org/gcm) is new.[^1]

- {BODY}
- The second item of a list
  continues on this line.

## References

Koser, K. (2010) Introduction. *Global Governance* 16(3).

[^1]: See Koser (2010).
"""
    document = read_text(text, id="md", format="markdown")
    assert document.title == "On Compacts"
    assert document.author == "A. Author, B. Author"
    assert document.metadata["date"] == "2019-01-02"
    assert document.headings == ["Introduction"]
    assert [p.text for p in document.paragraphs] == [
        "Migration is global, and the compact is new.",
        BODY,
        "The second item of a list continues on this line.",
    ]
    assert document.references == ["Koser, K. (2010) Introduction. Global Governance 16(3)."]
    assert document.endnotes == {"1": "See Koser (2010)."}
    [citation] = document.citations
    assert (citation.kind, citation.marker, citation.reference) == ("endnote", "[1]", 0)


def test_html_small():
    html = f"""<!DOCTYPE html><html><head><title>Compacts &amp; Migration</title>
<meta name="author" content="Jane Doe"><meta name="date" content="2020-05-01">
<style>p {{ color: red }}</style><script>alert("x")</script></head>
<body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
<h1>Compacts &amp; Migration</h1>
<p>{BODY}</p>
<h2>The Global Compact</h2>
<p>The compact was adopted in <b>2018</b>.<br>It is not binding.</p>
<ul><li>Objective one: data.</li><li>Objective two: drivers.</li></ul>
<h2>References</h2><p>Betts, A. (2011) Global Migration Governance. Oxford.</p>
<footer>© 2020 Example</footer></body></html>"""
    for document in (read_text(html, id="page", format="html"), read(html.encode("utf-8"), id="page")):
        assert document.format == "html"
        assert document.title == "Compacts & Migration"
        assert document.author == "Jane Doe" and document.metadata["date"] == "2020-05-01"
        assert document.headings == ["The Global Compact"]
        assert [p.text for p in document.paragraphs] == [
            BODY,
            "The compact was adopted in 2018. It is not binding.",
            "Objective one: data.",
            "Objective two: drivers.",
        ]
        assert [p.section for p in document.paragraphs] == [None] + ["The Global Compact"] * 3
        assert document.references == ["Betts, A. (2011) Global Migration Governance. Oxford."]
        assert "alert" not in document.text and "Home" not in document.text and "©" not in document.text


def test_plain_text_running_header_and_page_numbers():
    pages = [
        "Migration in Review\n\nThe first page argues that states and international\n\nPage 1\n\f",
        "Migration in Review\n\norganisations share the work of governing migration.\n\n"
        "Mr. President,\n\nThe second page ends a paragraph.\n\nPage 2\n\f",
        "Migration in Review\n\nMr. President,\n\nThe third page starts anew and then\n\nPage 3\n\f",
        "Migration in Review\n\ncontinues over the page.\n\nMr. President,\n\nThe end.\n\nPage 4\n",
    ]
    document = read_text("".join(pages), id="review")
    assert document.title == "Migration in Review"
    assert [p.text for p in document.paragraphs] == [
        "The first page argues that states and international organisations share the work of governing migration.",
        "Mr. President,",  # recurs, but never splits a sentence: text, not a header
        "The second page ends a paragraph.",
        "Mr. President,",
        "The third page starts anew and then continues over the page.",
        "Mr. President,",
        "The end.",
    ]


def test_plain_text_hyphenation_across_lines():
    text = (
        "The inter-\nnational community and the international order were discussed by the\n"
        "Secretary-\nGeneral, who spoke about non-\naligned States and the Secretary-General's\n"
        "report on the governance of migration in the coming decade.\n"
    ) * 2
    document = read_text(text, id="hyphens")
    paragraph = document.paragraphs[0].text
    assert paragraph.startswith("The international community")
    assert "Secretary-General, who spoke about non-aligned States" in paragraph
