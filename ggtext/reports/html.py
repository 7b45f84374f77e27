"""A self-contained HTML page for one analysed text.

The page shows the verdict, the framing balance, the evidence, the actor table
and the text itself with every actor mention marked and typed (as displaCy
marks entities) and every sentence tinted by its stance. It has inline CSS and
nothing else: no JavaScript, no fonts, images or scripts from the network, so
it opens offline, archives as one file and prints readably.

Sentence tints come from the passage model applied to each sentence on its own
(:func:`sentence_stance`): the background is feasibility and the underline is
desirability, green for ``for`` and orange for ``against``, stronger the larger
``|p(for) - p(against)|``. Sentences that report someone else's view are set in
italics with their source, since the verdict does not count them as the author's.
"""

from __future__ import annotations

import html
import os
import re
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any, Sequence

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..knowledge import ACTOR_TYPES, load_knowledge_base
from ..pipeline.doc_index import doc_text, has_word, sentences_of
from ..version import __version__

if TYPE_CHECKING:
    from .analysis import Analysis

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Largest background/underline opacity of a sentence tint.
MAX_TINT = 0.45
#: Stance positions ``|p(for) - p(against)|`` below this are left untinted.
MIN_TINT = 0.1
_RGB = {"for": "30, 132, 73", "against": "211, 84, 0"}


@lru_cache(maxsize=None)
def _template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _e(value: Any) -> str:
    """HTML-escaped text of ``value`` (quotes too, so it is safe in attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


def _num(value: Any, digits: int = 2) -> str:
    return "–" if value is None else f"{float(value):.{digits}f}"


# -- sentence stance -----------------------------------------------------------------


def report_sentences(doc: Doc) -> list[Span]:
    """The sentences the report tints: those of the body paragraphs that contain a word."""
    return [s for p in doc._.ggtext.paragraphs for s in sentences_of(p) if has_word(s)]


def sentence_stance(sentences: Sequence[Span], model: Any) -> list[dict[str, float]]:
    """``{"<dim>_p_<class>": p}`` for each sentence, from the passage ``model`` on the sentence alone."""
    if not sentences:
        return []
    probs = model.predict_proba(list(sentences))
    rows: list[dict[str, float]] = [{} for _ in sentences]
    for dim, matrix in probs.items():
        for j, cls in enumerate(model.classes_[dim]):
            for i, row in enumerate(rows):
                row[f"{dim}_p_{cls}"] = float(matrix[i, j])
    return rows


def _tint(probs: dict[str, float] | None, dim: str) -> tuple[str | None, float]:
    """The side (``for``/``against``/None) and opacity of a sentence on ``dim``."""
    if not probs or f"{dim}_p_for" not in probs:
        return None, 0.0
    position = probs[f"{dim}_p_for"] - probs[f"{dim}_p_against"]
    if abs(position) < MIN_TINT:
        return None, 0.0
    return ("for" if position > 0 else "against"), round(MAX_TINT * min(abs(position), 1.0), 3)


def _label(probs: dict[str, float] | None, dim: str) -> str | None:
    if not probs:
        return None
    keys = [k for k in probs if k.startswith(f"{dim}_p_")]
    return max(keys, key=lambda k: probs[k])[len(dim) + 3 :] if keys else None


# -- markup of the text --------------------------------------------------------------


def _actor_mark(text: str, span: Span, actor_type: str | None) -> str:
    actor_id = span.label_
    kind = actor_type or "unknown"
    return (
        f'<mark class="actor t-{_e(kind)}" data-actor-id="{_e(actor_id)}" data-actor-type="{_e(kind)}" '
        f'title="{_e(actor_id)} ({_e(kind.replace("_", " "))})">{_e(text)}'
        f'<span class="actor-label">{_e(actor_id)} <span class="actor-type">{_e(kind.replace("_", " "))}</span>'
        f"</span></mark>"
    )


def _marked(text: str, start: int, end: int, actors: list[Span], types: dict[str, str | None]) -> str:
    """Characters ``start:end`` of the doc's ``text`` as HTML, with the actor mentions inside marked."""
    out, cursor = [], start
    for span in actors:
        if span.start_char < cursor or span.end_char > end:
            continue  # outside this stretch (a mention crossing a sentence edge stays unmarked)
        out.append(_e(text[cursor : span.start_char]))
        out.append(_actor_mark(text[span.start_char : span.end_char], span, types.get(span.label_)))
        cursor = span.end_char
    out.append(_e(text[cursor:end]))
    return "".join(out)


def _sentence_html(text: str, sentence: Span, probs, actors: list[Span], types) -> str:
    feas_side, feas_alpha = _tint(probs, "feasibility")
    des_side, des_alpha = _tint(probs, "desirability")
    style = []
    if feas_side:
        style.append(f"background-color: rgba({_RGB[feas_side]}, {feas_alpha})")
    if des_side:
        style.append(
            f"text-decoration: underline; text-decoration-color: rgba({_RGB[des_side]}, {min(1.0, 2 * des_alpha):.3f})"
        )
    attribution = sentence._.ggtext.attribution
    classes = "sent reported" if attribution else "sent"
    title = []
    if probs:
        for dim in ("feasibility", "desirability"):
            if f"{dim}_p_for" in probs:
                title.append(
                    f"{dim}: for {probs[f'{dim}_p_for']:.2f}, against {probs[f'{dim}_p_against']:.2f}, "
                    f"none {probs[f'{dim}_p_none']:.2f}"
                )
    if attribution:
        title.append(f"reported view: {attribution}")
    attrs = [f'class="{classes}"', f'id="s{sentence.start_char}"']
    for dim in ("feasibility", "desirability", "framing"):
        label = _label(probs, dim)
        if label:
            attrs.append(f'data-{dim}="{_e(label)}"')
    if attribution:
        attrs.append(f'data-attribution="{_e(attribution)}"')
    printed = [
        f"{dim} {side} {probs[f'{dim}_p_{side}']:.2f}"
        for dim, side in (("feasibility", feas_side), ("desirability", des_side))
        if side
    ]
    if printed:  # shown after the sentence on paper, where there is no hover
        attrs.append(f'data-p="{_e("; ".join(printed))}"')
    if style:
        attrs.append(f'style="{"; ".join(style)}"')
    if title:
        attrs.append(f'title="{_e("; ".join(title))}"')
    inner = _marked(text, sentence.start_char, sentence.end_char, actors, types)
    return f"<span {' '.join(attrs)}>{inner}</span>"


def _paragraph_meta(index: int, passage: dict[str, Any] | None) -> str:
    parts = [f"<b>¶ {index}</b>"]  # numbered as in the score table and --json (from 0)
    if passage:
        if passage.get("reported_only"):
            parts.append("reported views only (not scored)")
        else:
            for dim in ("feasibility", "desirability", "framing"):
                label = passage.get(f"{dim}_label")
                p = passage.get(f"{dim}_p_{label}")
                if label is not None:
                    parts.append(f'{dim}: <span class="label-{_e(label)}">{_e(label)}</span> {_num(p)}')
    return f'<div class="para-meta">{" · ".join(parts)}</div>'


def _body(doc: Doc, sections: Sequence[str | None] | None, passages, sentence_probs) -> str:
    paragraphs = doc._.ggtext.paragraphs
    actors = sorted(filter_spans(doc._.ggtext.actors), key=lambda s: s.start)
    types = {a.label_: a._.ggtext.actor_type for a in actors}
    probs_at = dict(sentence_probs)
    by_paragraph = {row["paragraph"]: row for row in passages}
    text = doc_text(doc)
    out, current = [], None
    for index, paragraph in enumerate(paragraphs):
        section = sections[index] if sections is not None else None
        if section and section != current:
            out.append(f'<h3 class="section">{_e(section)}</h3>')
        current = section
        pieces, cursor = [], paragraph.start_char
        for sentence in paragraph.sents:
            if sentence.start_char > cursor:
                pieces.append(_e(text[cursor : sentence.start_char]))
            pieces.append(_sentence_html(text, sentence, probs_at.get(sentence.start_char), actors, types))
            cursor = sentence.end_char
        pieces.append(_e(text[cursor : paragraph.end_char]))
        out.append(
            f'<section class="para" id="p{index}">{_paragraph_meta(index, by_paragraph.get(index))}'
            f"<p>{''.join(pieces)}</p></section>"
        )
    return "\n".join(out)


# -- the other parts of the page -----------------------------------------------------


def _verdict(verdict: dict[str, Any]) -> str:
    if not verdict:
        return (
            '<p class="note">No stance model was used (<code>--no-model</code>): stance and framing are not shown.</p>'
        )
    cards = []
    for dim in ("feasibility", "desirability"):
        label = verdict.get(f"{dim}_label") or "none"
        cards.append(
            f'<div class="card"><div class="dim">{dim}</div><div class="label label-{_e(label)}">{_e(label)}</div>'
            f'<div class="score">score {_num(verdict.get(f"{dim}_score"))} (share of the stance that is <i>for</i>)</div></div>'
        )
    framing = verdict.get("framing_label") or "none"
    cards.append(
        f'<div class="card"><div class="dim">framing</div><div class="label">{_e(framing)}</div>'
        f'<div class="score">realist {_num(verdict.get("realist_share"))} · institutionalist '
        f"{_num(verdict.get('institutionalist_share'))}</div></div>"
    )
    return f'<div class="verdict">{"".join(cards)}</div>'


def _framing(verdict: dict[str, Any], passages: list[dict[str, Any]]) -> str:
    realist, inst = verdict.get("realist_share"), verdict.get("institutionalist_share")
    if realist is None or inst is None:
        return '<p class="note">No framing (no stance model or no paragraphs).</p>'
    none = max(0.0, 1.0 - realist - inst)
    counts = {"realist": 0, "institutionalist": 0, "none": 0}
    for row in passages:
        if row.get("framing_label") in counts:
            counts[row["framing_label"]] += 1
    bar = "".join(
        f'<span class="{name}" style="width: {100 * share:.1f}%" title="{name} {share:.2f}"></span>'
        for name, share in (("realist", realist), ("institutionalist", inst), ("none", none))
    )
    return (
        f'<div class="bar" role="img" aria-label="realist {realist:.2f}, institutionalist {inst:.2f}">{bar}</div>'
        f'<div class="bar-labels"><span>realist {realist:.2f}</span><span>institutionalist {inst:.2f}</span>'
        f"<span>no frame {none:.2f}</span></div>"
        f'<p class="note">Expected share of paragraphs framed each way (mean probability). Paragraph labels: '
        f"{counts['realist']} realist, {counts['institutionalist']} institutionalist, {counts['none']} without a frame.</p>"
    )


def _evidence(evidence: list[dict[str, Any]]) -> str:
    if not evidence:
        return '<p class="note">No sentence is more likely than not to take a position.</p>'
    items = []
    for item in evidence:
        who = f' <span class="note">reported: {_e(item["attribution"])}</span>' if item.get("attribution") else ""
        items.append(
            f'<li><span class="tag label-{_e(item["label"])}">{_e(item["dimension"])} {_e(item["label"])} '
            f'p={_num(item["probability"])}</span>{who}<br><a href="#s{int(item["start_char"])}">{_e(item["text"])}</a></li>'
        )
    return '<ol class="evidence">' + "".join(items) + "</ol>"


def _stance_cell(record: dict[str, Any] | None, dim: str) -> str:
    """An actor's stance on one dimension (Analysis.actor_stance), its evidence clauses as the tooltip."""
    if record is None:
        return "<td></td>"
    reported = record["voice"] == "reported"
    label = record[f"reported_{dim}_label" if reported else f"{dim}_label"]
    tip = " | ".join(f"{e['clause']} ({e[f'{dim}_label']})" for e in record["evidence"][:3])
    who = ' <span class="note">reported</span>' if reported else ""
    return f'<td title="{_e(tip)}"><span class="tag label-{_e(label)}">{_e(label)}</span>{who}</td>'


def _actor_table(actors: list[dict[str, Any]], stance: list[dict[str, Any]] | None = None) -> str:
    if not actors:
        return '<p class="note">No governance actor is named.</p>'
    kb = load_knowledge_base()
    by_actor = {r["actor"]: r for r in stance or []}
    rows = []
    for row in actors:
        name = kb[row["id"]].names[0] if row["id"] in kb else ""
        kind = row.get("type") or "unknown"
        record = by_actor.get(row["id"])
        cells = "".join(_stance_cell(record, d) for d in ("desirability", "feasibility")) if stance else ""
        rows.append(
            f'<tr><td><mark class="actor t-{_e(kind)}">{_e(row["id"])}</mark></td><td>{_e(name)}</td>'
            f'<td>{_e(kind.replace("_", " "))}</td><td class="num">{int(row["mentions"])}</td>'
            f'<td class="num">{_num(row.get("paragraph_share"))}</td>{cells}</tr>'
        )
    head = (
        '<tr><th>id</th><th>name</th><th>type</th><th class="num">mentions</th>'
        '<th class="num">share of paragraphs</th>'
        + ("<th>desirable (toward it)</th><th>feasible (it works)</th>" if stance else "")
        + "</tr>"
    )
    return f"<table>{head}{''.join(rows)}</table>"


def _legend(with_stance: bool) -> str:
    parts = [f'<span><mark class="actor t-{t}">{t.replace("_", " ")}</mark></span>' for t in ACTOR_TYPES]
    if with_stance:
        parts += [
            f'<span><span class="swatch" style="background: rgba({_RGB["for"]}, {MAX_TINT})"></span>feasible (for)</span>',
            f'<span><span class="swatch" style="background: rgba({_RGB["against"]}, {MAX_TINT})"></span>not feasible (against)</span>',
            f'<span><span style="text-decoration: underline; text-decoration-color: rgb({_RGB["for"]}); '
            f'text-decoration-thickness: 2px">desirable</span> / <span style="text-decoration: underline; '
            f'text-decoration-color: rgb({_RGB["against"]}); text-decoration-thickness: 2px">undesirable</span></span>',
            '<span><span class="sent reported">reported view</span></span>',
        ]
    return f'<div class="legend">{"".join(parts)}</div>'


def _about(analysis: Any) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in sorted(analysis.versions.items()))
    return (
        f'<p class="note">Made by <code>ggtext analyze --html</code> ({_e(versions)}). Sentence tints are the passage '
        "model applied to each sentence on its own (hover a sentence for its probabilities); the paragraph lines give "
        "the labels of each paragraph without its reported views, which the verdict aggregates. Actor ids are the "
        "canonical ids of ggtext's actor knowledge base.</p>"
    )


# -- the page ------------------------------------------------------------------------


def _page_fields(analysis: "Analysis") -> dict[str, str]:
    """The values of the report template's fields for ``analysis`` (all but the CSS)."""
    doc, document = analysis.doc, analysis.document
    if doc is None:
        raise ValueError("this Analysis has no Doc (it was not made by ggtext.analyze); analyse the text again")
    model = analysis.model
    sentence_probs = sentence_stance(report_sentences(doc), model) if model is not None else None
    sections = [p.section for p in document.paragraphs] if document is not None else None
    verdict = analysis.verdict.fields() if analysis.verdict is not None else {}
    sentences = report_sentences(doc)
    probs = list(zip((s.start_char for s in sentences), sentence_probs or []))
    if sections is not None and len(sections) != len(doc._.ggtext.paragraphs):
        sections = None  # the reader and the pipeline disagree on paragraphs: leave headings out
    structure = analysis.structure
    title = structure.get("title") or analysis.id
    byline = [f"by {structure['author']}"] if structure.get("author") else []
    stats = analysis.statistics
    byline.append(f"{stats.get('n_words', 0)} words in {stats.get('n_paragraphs', 0)} paragraphs")
    byline.append(f"{len(analysis.actors)} actors")
    return dict(
        ggtext_version=_e(__version__),
        title_text=_e(title),
        title=_e(title),
        byline=_e(" · ".join(byline)),
        verdict=_verdict(verdict),
        framing=_framing(verdict, analysis.passages),
        evidence=_evidence(verdict.get("evidence", [])) if verdict else _verdict({}),
        actor_table=_actor_table(analysis.actors, getattr(analysis, "actor_stance", None)),
        legend=_legend(bool(sentence_probs)),
        body=_body(doc, sections, analysis.passages, probs),
        about=_about(analysis),
    )


#: The element that holds a report fragment; its CSS applies only inside it.
FRAGMENT_CLASS = "ggtext-report"
_PAGE_SELECTORS = {":root", "html", "body"}


def scope_css(css: str, scope: str = f".{FRAGMENT_CLASS}") -> str:
    """``css`` with every selector put under ``scope`` (``:root``, ``html`` and ``body`` become it).

    Handles the report's own CSS: plain rules and ``@media`` blocks holding rules.
    """
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out, i = [], 0
    while True:
        brace = css.find("{", i)
        if brace < 0:
            return "".join(out)
        head = css[i:brace].strip()
        if head.startswith("@"):
            depth, j = 1, brace + 1
            while depth:
                depth += {"{": 1, "}": -1}.get(css[j], 0)
                j += 1
            out.append(f"{head} {{\n{scope_css(css[brace + 1 : j - 1], scope)}}}\n")
        else:
            j = css.index("}", brace) + 1
            selectors = []
            for selector in (part.strip() for part in head.split(",")):
                first, _, rest = selector.partition(" ")
                if first in _PAGE_SELECTORS:
                    selectors.append(f"{scope} {rest}".strip())
                else:
                    selectors.append(f"{scope} {selector}")
            out.append(f"{', '.join(selectors)} {css[brace:j]}\n")
        i = j


def render_html(analysis: "Analysis", *, fragment: bool = False) -> str:
    """The report page of ``analysis`` (from :func:`ggtext.analyze`), from its own Doc and model.

    The sentences are tinted by the analysis's passage model (each sentence
    alone); the reader's section headings go back into the text. With
    ``fragment=True``, the page's body alone, in a ``<div class="ggtext-report">``
    with the CSS scoped to it (:func:`scope_css`), for a notebook or another page.
    """
    fields = _page_fields(analysis)
    page = _template("report.html")
    if not fragment:
        return Template(page).substitute(css=_template("report.css"), **fields)
    body = page[page.index("<body>") + len("<body>") : page.index("</body>")]
    return (
        f'<div class="{FRAGMENT_CLASS}">\n<style>\n{scope_css(_template("report.css"))}</style>'
        f"{Template(body).substitute(**fields)}</div>"
    )


def write_html(analysis: "Analysis", out: str | os.PathLike) -> Path:
    """Write the report page of ``analysis`` to ``out`` (UTF-8)."""
    out = Path(out)
    out.write_text(render_html(analysis), encoding="utf-8")
    return out
