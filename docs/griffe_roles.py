"""Griffe extension for the docs build: Sphinx roles in docstrings become Markdown code.

ggtext's docstrings cross-reference with Sphinx roles (``:func:`ggtext.load```,
``:class:`~ggtext.errors.InputError```); mkdocstrings reads Markdown, so each role
becomes inline code of its target (the last part with ``~``), as Sphinx shows it.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|attr|data|obj|exc|const):`(~?)([^`]+)`")


def _code(match: re.Match) -> str:
    target = match.group(2)
    return f"`{target.rsplit('.', 1)[-1] if match.group(1) else target}`"


class SphinxRoles(griffe.Extension):
    """Rewrite the roles of every docstring griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _ROLE.sub(_code, obj.docstring.value)
