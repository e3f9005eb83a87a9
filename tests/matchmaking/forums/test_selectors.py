"""Forum reads: suggested counterparts ranked by match score (or HS overlap), scoping of
participants, requests and meetings, a meeting's deals, the organiser's matrix, table plan and
statistics (with the deals opened at the meetings and their shipments)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bumdes_export.reference.models import HsCode
from matchmaking.forums import panels as forum_panels
from matchmaking.forums import reports
from matchmaking.forums import selectors as selectors
from matchmaking.forums import services as services
from matchmaking.forums.models import Forum, Meeting
from products import panels as product_panels
from products.models import Bumdes
from tests.matchmaking.forums.conftest import make_forum

pytestmark = pytest.mark.django_db


@dataclass
class FakeScore:
    score: float
    reasons: list[str]


def test_suggestions_rank_by_the_best_product_score(fs, monkeypatch):
    crab, oil, donggala = fs.world.crab, fs.world.oil, fs.world.donggala_crab
    org_a, org_b = fs.org_a.organisation_id, fs.org_b.organisation_id
    seen = []

    def scores(pairs):
        pairs = set(pairs)
        seen.append(pairs)
        return {
            (crab.pk, org_b): FakeScore(40.0, ["HS fit"]),
            (oil.pk, org_b): FakeScore(91.5, ["Oil fits", "Volume fits"]),
            (crab.pk, org_a): FakeScore(55.0, ["Crab fits"]),
            (donggala.pk, org_a): FakeScore(70.0, ["Donggala crab fits"]),
        }

    monkeypatch.setattr(selectors, "_pair_scores", scores)
    ranked = selectors.suggested_counterparts(fs.konawe)
    assert [s.participant for s in ranked] == [fs.org_b, fs.org_a]
    assert ranked[0].score == 91.5 and ranked[0].reasons == ["Oil fits", "Volume fits"]
    assert ranked[1].request == fs.request
    assert {(crab.pk, org_a), (oil.pk, org_b)} <= seen[0]
    for_org = selectors.suggested_counterparts(fs.org_a)
    assert [s.participant for s in for_org][:2] == [fs.donggala, fs.konawe]
    assert fs.government in [s.participant for s in for_org]


def test_without_scores_hs_overlap_then_name_ranks(fs, monkeypatch):
    monkeypatch.setattr(selectors, "_pair_scores", lambda pairs: {})
    fs.org_b.organisation.hs_interests.add(HsCode.objects.get(code="1515"))
    ranked = selectors.suggested_counterparts(fs.konawe)
    assert [s.participant for s in ranked] == [fs.org_b, fs.org_a]
    assert ranked[0].score is None and "1 product under" in ranked[0].reasons[0]


def test_the_real_adapter_never_fails(fs):
    # Whatever the matching engine holds (here: nothing scored), suggestions still come.
    assert len(selectors.suggested_counterparts(fs.konawe)) == 2


def test_lists_are_scoped(fs, officer_sulteng, second_exporter, exporter, linked_operator):
    other = services.send_request(actor=second_exporter, sender=fs.org_b, receiver=fs.donggala)
    assert set(selectors.visible_requests(officer_sulteng)) == {other}
    assert set(selectors.visible_requests(linked_operator)) == {fs.request}
    assert set(selectors.visible_requests(second_exporter)) == {other}
    assert not selectors.visible_requests(exporter).exists()
    assert selectors.visible_participants(exporter).count() == 0
    assert selectors.visible_participants(second_exporter).count() == 5
    assert set(selectors.own_participants(officer_sulteng)) == {fs.donggala}


def test_matrix_plan_and_statistics(
    fs, organiser, linked_operator, second_exporter, officer_sulteng
):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    declined = services.send_request(actor=second_exporter, sender=fs.org_b, receiver=fs.donggala)
    services.answer_request(actor=officer_sulteng, request=declined, accept=False)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    meeting = Meeting.objects.get()
    grid = reports.request_matrix(fs.forum)
    assert grid.rows == [fs.org_a, fs.org_b]
    assert grid.cells[(fs.org_a.pk, fs.konawe.pk)]["meeting"] == meeting
    assert grid.cells[(fs.org_b.pk, fs.donggala.pk)]["status"] == "declined"
    plan = reports.table_plan(fs.forum)
    assert plan.cells[(meeting.slot_id, meeting.table_id)] == meeting
    stats = reports.forum_statistics(fs.forum)
    assert stats["requests_sent"] == 2
    assert stats["requests_accepted"] == 1 and stats["requests_declined"] == 1
    assert stats["meetings_scheduled"] == 1 and stats["meetings_held"] == 0


def test_forums_offer_meetings_on_matches_and_catalogue_products_only(held):
    """Deals show on product, BUMDes and organisation pages through the deals package's panels;
    forums only offer meeting requests on matches and on catalogue products."""
    from exporters import panels as exporter_panels
    from matchmaking.matching import actions as matching_actions
    from products.catalogue import panels as catalogue_panels

    assert forum_panels.register() == ["CATALOGUE_PAGE_PANELS"]
    assert forum_panels.catalogue_panel in catalogue_panels.CATALOGUE_PAGE_PANELS
    assert selectors.meeting_openings in matching_actions.opening_providers()
    slots = [
        *product_panels.PRODUCT_PAGE_PANELS,
        *product_panels.BUMDES_PAGE_PANELS,
        *exporter_panels.EXPORTER_PAGE_PANELS,
    ]
    assert not [p for p in slots if p.__module__ == forum_panels.__name__]


def test_statistics_count_the_deals_opened_at_the_meetings_and_their_shipments(
    held, linked_operator, ministry, world, org_b
):
    from decimal import Decimal

    from matchmaking.deals import services as deal_services
    from tests.matchmaking.deals.conftest import shipment_data

    services.record_outcome(
        actor=linked_operator,
        meeting=held.meeting,
        data={
            "stage": "contract",
            "product": world.crab,
            "value_usd": "75000",
            "volume_kg": "6000",
        },
    )
    oil = services.record_outcome(
        actor=linked_operator, meeting=held.meeting, data={"stage": "loi_mou", "product": world.oil}
    ).deal
    deal_services.close_as_lost(actor=linked_operator, deal=oil, reason="price")
    deal_services.record_shipment(actor=linked_operator, deal=held.deal, data=shipment_data())
    deal_services.record_shipment(
        actor=linked_operator,
        deal=held.deal,
        data=shipment_data(quantity=Decimal("800"), value_usd=Decimal("10000")),
    )
    # Not this forum's: a deal made outside the portal, with its own shipment.
    outside = deal_services.open_outside_deal(
        actor=ministry, product=world.crab, organisation=org_b
    )
    deal_services.record_shipment(actor=ministry, deal=outside, data=shipment_data())

    stats = reports.forum_statistics(held.forum)
    assert stats["deals_opened"] == 2
    deals = {row["stage"]: row for row in stats["deals"]}
    assert deals["repeat_shipments"]["count"] == 1 and deals["lost"]["count"] == 1
    assert deals["interest"]["count"] == 0 and deals["interest"]["reached"] == 2
    assert deals["loi_mou"]["reached"] == 1 and deals["first_shipment"]["reached"] == 1
    assert stats["shipments"] == {
        "count": 2,
        "volume_kg": Decimal("1300"),
        "volume_l": Decimal("0"),
        "value_usd": Decimal("16250"),
    }
    outcomes = {row["stage"]: row for row in stats["outcomes"]}
    assert list(outcomes) == ["interest", "sample_sent", "loi_mou", "contract", "first_shipment"]
    assert outcomes["contract"]["count"] == 1 and outcomes["contract"]["value_usd"] == 75000
    assert outcomes["first_shipment"]["value_usd"] == Decimal("6250")
    assert outcomes["first_shipment"]["volume_kg"] == Decimal("500")


def test_a_meetings_deals(
    held, verified_exporter, second_exporter, officer_sulteng, ministry, world
):
    from matchmaking.deals import services as deal_services

    meeting = held.meeting
    assert selectors.meeting_organisation(meeting) == held.org_a.organisation
    # The organisation's deal of another product of the meeting, opened elsewhere, counts; a
    # deal of another BUMDes' product does not.
    oil = deal_services.open_outside_deal(
        actor=ministry, product=world.oil, organisation=held.org_a.organisation
    )
    deal_services.open_outside_deal(
        actor=ministry, product=world.donggala_crab, organisation=held.org_a.organisation
    )
    assert set(selectors.meeting_deals(meeting)) == {held.deal, oil}
    assert set(selectors.visible_meeting_deals(verified_exporter, meeting)) == {held.deal, oil}
    assert not selectors.visible_meeting_deals(second_exporter, meeting).exists()
    assert not selectors.visible_meeting_deals(officer_sulteng, meeting).exists()


def test_a_suggested_product_can_be_acted_on_at_a_forum_both_sides_attend(fs, org_a):
    """Matching's "act on it": the organisation's participation where it can ask for a meeting."""
    from matchmaking.forums.models import ForumStatus

    crab, oil, donggala_crab = fs.world.crab, fs.world.oil, fs.world.donggala_crab
    Forum.objects.filter(pk=fs.forum.pk).update(status=ForumStatus.PUBLISHED)

    openings = selectors.meeting_openings(org_a, [crab.pk, oil.pk, donggala_crab.pk])

    assert openings == {
        crab.pk: fs.org_a,
        oil.pk: fs.org_a,
        donggala_crab.pk: fs.org_a,
    }
    # Not once the forum is over, nor for an organisation that does not take part.
    Forum.objects.filter(pk=fs.forum.pk).update(status=ForumStatus.FINISHED)
    assert selectors.meeting_openings(org_a, [crab.pk]) == {}


# --- Choices of the forms and serializers ----------------------------------------------------


def test_registration_choices_leave_out_registered_bumdes(
    fs, world, organiser, officer_sultra, linked_operator
):
    Bumdes.objects.filter(pk__in=[world.konawe.pk, world.donggala.pk]).update(
        status=Bumdes.Status.VERIFIED
    )
    # Registered at this forum already: not offered again.
    assert not selectors.registrable_bumdes(officer_sultra, fs.forum).exists()
    other = make_forum(organiser, name="Another forum")
    bumdes = selectors.registrable_bumdes(linked_operator, other)
    assert list(bumdes) == [world.konawe]
    products = set(selectors.registrable_products(bumdes))
    assert world.crab in products and world.crab_draft not in products


def test_request_counterparts_are_approved_participants_of_the_other_side(fs):
    assert set(selectors.request_counterparts(fs.org_a)) == {fs.konawe, fs.donggala, fs.government}
    assert set(selectors.request_counterparts(fs.konawe)) == {fs.org_a, fs.org_b}


def test_co_organisers_are_active_ministry_staff(organiser, ministry, officer_sultra):
    candidates = set(selectors.co_organiser_candidates())
    assert {organiser, ministry} <= candidates and officer_sultra not in candidates


def test_a_meetings_deals_are_about_products_of_the_bumdes_side(held, world):
    assert set(selectors.meeting_products(held.meeting)) == set(
        world.konawe.products.all()
    ) and world.donggala_crab not in set(selectors.meeting_products(held.meeting))
