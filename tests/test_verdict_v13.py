"""Document verdicts by the codebook's v1.3 rule: the author's own voice decides; titles count;
reported views do not; naming the compact often is not support."""

from __future__ import annotations

import pytest

import ggtext

REJECTION = (
    "The United States objects to the adoption of the Global Compact for Migration and is not bound by any of "
    "the commitments in the Global Compact for Migration.\n\n"
    "Decisions about the security of our borders, and about who is admitted to our country, are not subject to "
    "negotiation or review in international instruments. We cannot support a Compact that imposes international "
    "guidelines on migration.\n\n"
    "The Global Compact for Migration is not consistent with our sovereign right to govern our own borders."
)
SUPPORT = (
    "We welcome the Global Compact for Migration and will implement it with IOM and UNHCR.\n\n"
    "Only multilateral cooperation can make migration safe, orderly and regular; we call on all States to "
    "support the compact."
)
REPORTED_REJECTION = (
    "Global Compact debated in Marrakech\n\n"
    "Critics say the compact should be rejected and that migration must remain a national matter. "
    "According to several governments, the compact undermines sovereignty.\n\n"
    "The conference was held on 10 and 11 December 2018 and was attended by delegations of 164 States."
)


@pytest.fixture(scope="module")
def verdict():
    return lambda text: ggtext.analyze(text=text).verdict


def test_a_text_that_rejects_the_compact_is_against_however_often_it_names_it(verdict):
    assert verdict(REJECTION)["desirability_label"] == "against"
    assert verdict(SUPPORT)["desirability_label"] == "for"
    assert verdict(REJECTION)["desirability_score"] < verdict(SUPPORT)["desirability_score"]


def test_a_title_is_part_of_the_text(verdict):
    body = "The meeting took place in a large hall in December.\n\nIt lasted two days."
    titled = verdict("Why we will not sign the Global Compact for Migration\n\n" + body)
    plain = verdict(body)
    assert plain["desirability_label"] == "none"
    assert titled["desirability_label"] == "against"
    assert titled["desirability_score"] < plain["desirability_score"]


def test_reported_views_are_not_the_authors_position(verdict):
    body = REPORTED_REJECTION.split("\n\n", 1)[1]  # without the headline
    assert verdict(body)["desirability_label"] != "against"


@pytest.mark.xfail(
    strict=True,
    reason="known miss of the train_v2 model: a neutral headline naming the Compact "
    "('Global Compact debated in Marrakech') is read as against",
)
def test_a_neutral_headline_does_not_make_reported_rejection_the_authors(verdict):
    assert verdict(REPORTED_REJECTION)["desirability_label"] != "against"


@pytest.mark.xfail(
    strict=True,
    reason="known miss of the train_v2 model: short supportive sentences naming the "
    "Compact lean to against (tests/test_models_constructs.py has more)",
)
def test_a_welcoming_headline_is_for(verdict):
    text = (
        "We welcome the Global Compact for Migration\n\nThe meeting took place in a large hall.\n\nIt lasted two days."
    )
    assert verdict(text)["desirability_label"] == "for"


def test_failure_of_the_system_is_against_on_feasibility(verdict):
    text = (
        "The international refugee system has failed. Burden sharing remains an empty promise and UNHCR is "
        "stretched to its limits.\n\nStates have been unwilling to give up control over migration."
    )
    assert verdict(text)["feasibility_label"] == "against"
