"""The research replication: every table, figure and ``REPORT.md`` from the raw inputs.

``replicate(data, out)`` rebuilds four sections into ``out``:

1. the seed essay: structure, actors by type, stance and framing paragraph by
   paragraph, the verdict and its evidence, the stance trajectory figure;
2. the passage models: cross-validated metrics per label against the
   baselines and the confusion matrices, as recorded in the model card;
3. the UN General Debate by year, and by country for the year of the Global
   Compact for Migration;
4. White House texts by month and administration.

What it reads, how it groups and which actors count are the study settings in
``ggtext/data/study.yaml`` (:mod:`.settings`). Every table is a CSV, every
figure a PNG, and ``REPORT.md`` shows each with one sentence written from its
numbers. The run is deterministic (sorted inputs, fixed seeds, rounded numbers,
figures without timestamps): a second run gives identical files. A section
whose input is missing is reported and skipped. ``limit`` scores only an evenly
spaced slice of each corpus (for tests).

Modules: :mod:`.settings` (the settings file), :mod:`.corpora` (finding the
inputs), :mod:`.scores` (the scoring step sections 3 and 4 share),
:mod:`.aggregate` (which texts discuss GGIM, summaries per group),
:mod:`.sections` (one module per section), :mod:`.report` (Markdown and
``REPORT.md``), :mod:`.run` (``replicate``).

Definition used throughout: a text **discusses the governance of migration**
when (a) its verdict takes a position on the feasibility or the desirability of
GGIM (``feasibility_label`` or ``desirability_label`` is not ``none``: at least
one paragraph is more likely than not to take such a position) and (b) it
names at least one migration actor (:func:`.aggregate.migration_actors`: the
knowledge base's actors marked ``migration: true``, e.g. migrants, refugees,
the IOM, UNHCR, the compacts, fora and conventions on migration).
(b) keeps speeches whose only "position" is on multilateralism in general
(the passage model fires on those too) from counting; the tables also give the
share meeting (a) alone, ``share_positioned``.
"""

from .run import replicate
from .settings import StudySettings, load_settings

__all__ = ["StudySettings", "load_settings", "replicate"]
