"""Which texts discuss the governance of migration, and the per-group summaries of the corpus sections.

A text **discusses the governance of migration** when (a) its verdict takes a
position on the feasibility or the desirability of GGIM (``feasibility_label``
or ``desirability_label`` is not ``none``) and (b) it names at least one of the
actors that count (:func:`migration_actors`: the knowledge base's actors whose
``discussion.actor_flag`` of the study settings is true, by default
``migration``: migrants, refugees, the IOM, UNHCR, the compacts, ...).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from ..knowledge import load_knowledge_base
from .settings import load_settings

if TYPE_CHECKING:
    import pandas as pd


def takes_position(frame: pd.DataFrame) -> pd.Series:
    """True where the verdict takes a position on the feasibility or desirability of GGIM."""
    return (frame["feasibility_label"].fillna("none") != "none") | (
        frame["desirability_label"].fillna("none") != "none"
    )


def migration_actors(flag: str | None = None) -> tuple[str, ...]:
    """Ids of the knowledge base's actors with ``flag`` set (the study settings' ``actor_flag`` when None)."""
    flag = flag or load_settings().actor_flag
    return tuple(a.id for a in load_knowledge_base().actors.values() if getattr(a, flag))


def names_migration_actor(frame: pd.DataFrame, flag: str | None = None) -> pd.Series:
    """True where the text names one of the :func:`migration_actors`."""
    wanted = set(migration_actors(flag))
    return frame["actors"].map(lambda value: any(entry["id"] in wanted for entry in actors_of(value))).astype(bool)


def discusses(frame: pd.DataFrame, flag: str | None = None) -> pd.Series:
    """True for texts that discuss the governance of migration (see the module docstring)."""
    return takes_position(frame) & names_migration_actor(frame, flag) & frame["error"].isna()


def actors_of(value: Any) -> list[dict[str, Any]]:
    """The ``actors`` JSON cell of a score table as a list of ``{"id", "mentions", ...}``."""
    return json.loads(value) if isinstance(value, str) and value else []


def stance_summary(group: pd.DataFrame, flag: str | None = None) -> dict[str, Any]:
    """Counts, share on GGIM, and stance and framing means among the texts on GGIM."""
    import numpy as np

    ok = group[group["error"].isna()]
    on = ok[discusses(ok, flag)]
    framing = on["framing_label"].value_counts()
    realist, inst = on["realist_share"].mean(), on["institutionalist_share"].mean()
    return {
        "n_texts": len(ok),
        "n_errors": int(group["error"].notna().sum()),
        "share_positioned": takes_position(ok).mean() if len(ok) else np.nan,
        "share_naming_migration_actor": names_migration_actor(ok, flag).mean() if len(ok) else np.nan,
        "n_discussing": len(on),
        "share_discussing": len(on) / len(ok) if len(ok) else np.nan,
        "mean_feasibility_score": on["feasibility_score"].mean(),
        "mean_desirability_score": on["desirability_score"].mean(),
        "n_feasibility_for": int((on["feasibility_label"] == "for").sum()),
        "n_feasibility_against": int((on["feasibility_label"] == "against").sum()),
        "n_desirability_for": int((on["desirability_label"] == "for").sum()),
        "n_desirability_against": int((on["desirability_label"] == "against").sum()),
        "mean_realist_share": realist,
        "mean_institutionalist_share": inst,
        # 1 = all institutionalist, 0 = all realist, among the framed probability mass
        "institutionalist_balance": inst / (realist + inst) if (realist + inst) > 0 else np.nan,
        "n_framing_realist": int(framing.get("realist", 0)),
        "n_framing_institutionalist": int(framing.get("institutionalist", 0)),
    }


def top_actors(
    group: pd.DataFrame, *, own: pd.Series | None = None, n: int | None = None
) -> list[tuple[str, int, int]]:
    """``(id, texts naming it, mentions)`` of the ``n`` actors named in the most texts (all when None).

    ``own`` (an actor id per row, e.g. the speaker's state) is not counted in its own text.
    """
    texts: dict[str, int] = {}
    mentions: dict[str, int] = {}
    for index, value in group["actors"].items():
        skip = own.get(index) if own is not None else None
        for entry in actors_of(value):
            if entry["id"] == skip:
                continue
            texts[entry["id"]] = texts.get(entry["id"], 0) + 1
            mentions[entry["id"]] = mentions.get(entry["id"], 0) + int(entry["mentions"])
    ranked = sorted(texts, key=lambda a: (-texts[a], -mentions[a], a))[:n]
    return [(a, texts[a], mentions[a]) for a in ranked]


def actor_list(top: Iterable[tuple[str, int, int]]) -> str:
    """``"UN (4); IOM (2)"``: ids with the number of texts naming them."""
    return "; ".join(f"{a} ({k})" for a, k, _ in top)


def summarise(
    scores: pd.DataFrame,
    by: Sequence[str],
    *,
    own: Callable[[pd.DataFrame], pd.Series],
    n_actors: int,
    flag: str | None = None,
    extra: Callable[[pd.DataFrame], dict[str, Any]] = lambda group: {},
) -> pd.DataFrame:
    """One row per group of ``scores`` by the columns ``by``, in sorted order.

    Each row: the group's keys, ``extra(group)``, the :func:`stance_summary` and
    ``top_actors``, the ``n_actors`` actors named in most of its texts on GGIM
    (``own(rows)`` gives each row's own actor, not counted). ``scores`` needs a
    boolean ``discusses_ggim`` column.
    """
    import pandas as pd

    rows = []
    for key, group in scores.groupby(list(by), sort=True):
        keys = key if isinstance(key, tuple) else (key,)
        on = group[group["discusses_ggim"]]
        rows.append(
            {
                **dict(zip(by, keys)),
                **extra(group),
                **stance_summary(group, flag),
                "top_actors": actor_list(top_actors(on, own=own(on), n=n_actors)),
            }
        )
    return pd.DataFrame(rows)
