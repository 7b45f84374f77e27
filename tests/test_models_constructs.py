"""Issue 10: rejection, sovereignty-first reasoning and failure of the system move the shipped model.

Short texts built on the constructs of the issue, each beside a supportive
counterpart that names the same actors and topic words. The assertions are
labels and orderings of probabilities, never exact values.
"""

from __future__ import annotations

import pytest

from ggtext.models import load_model
from ggtext.models.labels import CLASSES

#: What the shipped model still gets wrong (model card, "Limits"): short supportive sentences with a bare
#: "the Compact" lean to "against" (most compact-naming government paragraphs of train_v2 reject it),
#: and one-line failure claims stay "none" (the model is trained on paragraphs). Strict xfail: a fix shows.
WEAK_SUPPORT = pytest.mark.xfail(strict=True, reason="short supportive sentence about 'the Compact' not read as for")
WEAK_FAILURE = pytest.mark.xfail(strict=True, reason="one-line failure claim stays 'none' (trained on paragraphs)")

#: (rejecting or failure text, supportive counterpart, dimension)
PAIRS = [
    ("We cannot support the Compact and will not sign it.", "We support the Compact and will sign it.", "desirability"),
    (
        "The United States objects to its adoption and is not bound by any of its commitments.",
        "The United States welcomes its adoption and will honour all of its commitments.",
        "desirability",
    ),
    (
        "Decisions on our borders are not subject to negotiation or review in international instruments.",
        "Decisions on migration are best taken together, through negotiation and review in international instruments.",
        "desirability",
    ),
    (
        "Migration should not be governed by an international body.",
        "Migration should be governed together, through international cooperation.",
        "desirability",
    ),
    (
        "Burden sharing remains an empty promise.",
        "Burden sharing has become a reality and is working well.",
        "feasibility",
    ),
    (
        "UNHCR is stretched to its limits.",
        "UNHCR is delivering on its mandate and has the means to do its job.",
        "feasibility",
    ),
]
#: The expected labels (rejecting, counterpart) of each pair, with the cases the model still misses.
LABEL_CASES = [
    pytest.param(*PAIRS[0], marks=WEAK_SUPPORT),
    pytest.param(*PAIRS[1], marks=WEAK_SUPPORT),
    pytest.param(*PAIRS[2], marks=WEAK_SUPPORT),
    pytest.param(*PAIRS[3]),
    pytest.param(*PAIRS[4], marks=WEAK_FAILURE),
    pytest.param(*PAIRS[5], marks=WEAK_FAILURE),
]
ORDER_CASES = [pytest.param(*pair) for pair in PAIRS[:5]] + [pytest.param(*PAIRS[5], marks=WEAK_FAILURE)]
#: Sovereignty-first texts whose framing is realist.
REALIST_TEXTS = [
    "Decisions on our borders are not subject to negotiation or review in international instruments.",
    "We have the sovereign right to decide who enters our country; no international body may decide it for us.",
]
INSTITUTIONALIST_TEXT = "Migration is best governed through multilateral institutions such as IOM and UNHCR."


@pytest.fixture(scope="module")
def shipped():
    return load_model()


def _column(dim: str, label: str) -> int:
    return list(CLASSES[dim]).index(label)


@pytest.mark.parametrize("rejecting, supportive, dim", ORDER_CASES)
def test_rejection_and_failure_move_the_probability_against(shipped, rejecting, supportive, dim):
    proba = shipped.predict_proba([rejecting, supportive])[dim]
    against, pro = _column(dim, "against"), _column(dim, "for")
    assert proba[0, against] > proba[1, against]
    assert proba[1, pro] > proba[0, pro]


@pytest.mark.parametrize("rejecting, supportive, dim", LABEL_CASES)
def test_rejecting_texts_are_labelled_against_and_their_counterparts_for(shipped, rejecting, supportive, dim):
    labels = shipped.predict([rejecting, supportive])[dim]
    assert labels == ["against", "for"]


@pytest.mark.parametrize("rejecting", [p[0] for p in PAIRS[:4]])
def test_refused_support_and_sovereignty_first_rejection_are_against(shipped, rejecting):
    assert shipped.predict([rejecting])["desirability"] == ["against"]


def test_the_codebook_example_of_rejection_is_no_longer_read_as_support(shipped):
    proba = shipped.predict_proba(["Migration should not be governed by an international body."])["desirability"]
    assert proba[0, _column("desirability", "for")] < 0.5
    assert proba[0, _column("desirability", "against")] == proba[0].max()


def test_sovereignty_first_texts_are_realist(shipped):
    texts = REALIST_TEXTS + [INSTITUTIONALIST_TEXT]
    labels = shipped.predict(texts)["framing"]
    proba = shipped.predict_proba(texts)["framing"]
    realist = _column("framing", "realist")
    assert labels[: len(REALIST_TEXTS)] == ["realist"] * len(REALIST_TEXTS) and labels[-1] != "realist"
    assert min(proba[: len(REALIST_TEXTS), realist]) > proba[-1, realist]


def test_a_refusal_in_a_longer_paragraph_carries_it(shipped):
    """Multiple-instance reading: one refusing sentence among neutral ones still moves the paragraph."""
    neutral = (
        "Our delegation thanks the President of the General Assembly for convening this meeting. "
        "We have listened carefully to the statements of many delegations today. "
    )
    refusing = neutral + "The United States will not participate in the new global compact and will not sign it."
    supporting = neutral + "The United States will participate in the new global compact and will sign it."
    proba = shipped.predict_proba([refusing, supporting])["desirability"]
    against = _column("desirability", "against")
    assert proba[0, against] > proba[1, against]
    assert shipped.predict([refusing])["desirability"] == ["against"]
