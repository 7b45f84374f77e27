"""Plain-text rendering of an :class:`~ggtext.reports.analysis.Analysis` for the terminal."""

from __future__ import annotations

import textwrap
from typing import Any


def _section(title: str) -> list[str]:
    return ["", title, "-" * len(title)]


def _table(rows: list[dict[str, Any]], columns: list[str]) -> list[str]:
    if not rows:
        return ["(none)"]
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in cells]
    return lines


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return "" if value is None else str(value)


def format_analysis(result: Any) -> str:
    """A readable report: structure, statistics, key terms, actors, verdict and evidence."""
    s = result.structure
    lines = [f"ggtext analysis of {result.id}"]
    lines += _section("Structure")
    lines.append(f"title: {s['title'] or '-'}")
    lines.append(f"author: {s['author'] or '-'}")
    lines.append(
        f"{s['n_paragraphs']} body paragraphs, {len(s['headings'])} headings, "
        f"{s['n_references']} references, {s['n_endnotes']} endnotes, {len(s['citations'])} citations"
    )
    for heading in s["headings"]:
        lines.append(f"  - {heading}")
    for warning in s["warnings"]:
        lines.append(f"warning: {warning}")

    lines += _section("Statistics")
    lines += [f"{k}: {_cell(v)}" for k, v in result.statistics.items()]
    lines += _section("Key terms (YAKE, lower is more key)")
    lines += [f"{term}  {score:.3f}" for term, score in result.key_terms] or ["(none)"]
    lines += _section("Actors")
    lines += _table(result.actors, ["id", "type", "mentions", "first_position", "paragraph_share"])

    if result.verdict:
        v = result.verdict
        lines += _section("Verdict")
        for dim in ("feasibility", "desirability"):
            lines.append(f"{dim}: {v[f'{dim}_label']} (score {_cell(v[f'{dim}_score'])})")
        lines.append(
            f"framing: {v['framing_label']} (realist share {_cell(v['realist_share'])}, "
            f"institutionalist share {_cell(v['institutionalist_share'])})"
        )
        lines += _section("Evidence")
        for item in v.get("evidence", []):
            who = f" [reported: {item['attribution']}]" if item.get("attribution") else ""
            head = f"{item['dimension']} {item['label']} p={item['probability']:.2f}{who}: "
            lines += textwrap.wrap(head + item["text"], width=100, subsequent_indent="    ")
    return "\n".join(lines)
