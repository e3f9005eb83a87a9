"""The database keeps every deal, step and shipment whole, whatever code writes it.

Each check is tried with a raw ORM save (no service in between): the database itself refuses
the broken row with an ``IntegrityError``.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from bumdes_export.reference.models import ExportGateway
from matchmaking.deals.models import Deal, DealChannel, DealStage, DealStep, LostReason, Shipment

pytestmark = pytest.mark.django_db

#: The origin each channel names (a deal made outside the portal names none).
CHANNEL_ORIGIN = {
    "forum_meeting": "meeting",
    "inquiry": "inquiry",
    "sample_request": "inquiry",
    "offer": "offer",
    "outside": None,
}


def refused(save) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        save()


def a_deal(world, organisation, **fields) -> Deal:
    return Deal(product=world.crab, organisation=organisation, channel="outside", **fields)


# --- Deals: channel and origin ---------------------------------------------------------------


def test_the_channels_are_the_five_ways_a_deal_starts():
    assert set(DealChannel.values) == set(CHANNEL_ORIGIN)


@pytest.mark.parametrize("channel", DealChannel.values)
@pytest.mark.parametrize("origin", ["meeting", "inquiry", "offer", None])
def test_a_deal_names_exactly_the_origin_of_its_channel(scene, meeting, org_a, channel, origin):
    records = {"meeting": meeting, "inquiry": scene.inquiry, "offer": scene.offer}
    deal = Deal(
        product=scene.world.crab,
        organisation=org_a,
        channel=channel,
        **({origin: records[origin]} if origin else {}),
    )
    if CHANNEL_ORIGIN[channel] == origin:
        deal.save()
        assert deal.origin == (records[origin] if origin else None)
    else:
        refused(deal.save)


def test_a_deal_names_one_origin_only(scene, meeting, org_a):
    refused(
        Deal(
            product=scene.world.crab,
            organisation=org_a,
            channel="forum_meeting",
            meeting=meeting,
            inquiry=scene.inquiry,
        ).save
    )


def test_an_unknown_channel_or_stage_is_refused(world, org_a):
    refused(Deal(product=world.crab, organisation=org_a, channel="phone").save)
    refused(a_deal(world, org_a, stage="won").save)


# --- Deals: lost and open --------------------------------------------------------------------


@pytest.mark.parametrize("reason", LostReason.values)
def test_a_lost_deal_keeps_any_reason_of_the_list(world, org_a, reason):
    deal = a_deal(world, org_a, stage="lost", lost_reason=reason, lost_note="What happened")
    deal.save()
    assert deal.is_lost


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"stage": "lost"}, "lost without a reason"),
        ({"stage": "interest", "lost_reason": "price"}, "a reason on an open deal"),
        ({"stage": "lost", "lost_reason": "other"}, "other without saying what"),
        ({"stage": "lost", "lost_reason": "bribery", "lost_note": "x"}, "a reason not listed"),
    ],
)
def test_lost_needs_a_reason_and_other_needs_words(world, org_a, fields, why):
    refused(a_deal(world, org_a, **fields).save)


def test_one_open_deal_per_product_and_organisation(world, org_a, org_b):
    a_deal(world, org_a).save()
    refused(a_deal(world, org_a, stage="contract").save)
    # Another organisation, or another product, has its own.
    a_deal(world, org_b).save()
    Deal.objects.create(product=world.oil, organisation=org_a, channel="outside")


def test_a_lost_deal_leaves_room_for_a_new_one(world, org_a):
    first = a_deal(world, org_a)
    first.save()
    Deal.objects.filter(pk=first.pk).update(stage="lost", lost_reason="price")
    a_deal(world, org_a, stage="lost", lost_reason="volume").save()
    a_deal(world, org_a).save()
    assert Deal.objects.filter(product=world.crab, organisation=org_a).count() == 3


# --- Steps -----------------------------------------------------------------------------------


def a_step(deal: Deal, **fields) -> DealStep:
    return DealStep(
        deal=deal, **{"stage": "sample_sent", "occurred_on": timezone.localdate()} | fields
    )


def test_each_stage_once_per_deal(crab_deal):
    a_step(crab_deal).save()
    refused(a_step(crab_deal).save)
    refused(a_step(crab_deal, stage="interest").save)  # the deal was opened with it


@pytest.mark.parametrize(
    "fields",
    [
        {"stage": "signed"},
        {"occurred_on": timezone.localdate() + timedelta(days=2)},
        {"volume_kg": Decimal(0)},
        {"volume_kg": Decimal(-1)},
        {"value_usd": Decimal("-0.01")},
    ],
)
def test_a_step_is_dated_no_later_than_today_with_sensible_numbers(crab_deal, fields):
    refused(a_step(crab_deal, **fields).save)


def test_a_step_may_say_nothing_of_volume_or_value_or_a_value_of_zero(crab_deal):
    a_step(crab_deal, value_usd=Decimal(0)).save()
    a_step(crab_deal, stage="loi_mou", volume_kg=None, value_usd=None).save()
    assert crab_deal.steps.count() == 3


# --- Shipments -------------------------------------------------------------------------------


def a_shipment(deal: Deal, **fields) -> Shipment:
    values = {
        "shipped_on": timezone.localdate() - timedelta(days=1),
        "hs_code_id": "030633",
        "quantity": Decimal(500),
        "unit": "kg",
        "volume": Decimal(500),
        "volume_unit": "kg",
        "value_usd": Decimal(6250),
        "idr_per_usd": Decimal(15800),
        "value_idr": Decimal(6250 * 15800),
        "destination_id": "HK",
        "gateway": ExportGateway.objects.get(code="KDI"),
        "bumdes_id": deal.product.bumdes_id,
        "village_id": deal.product.bumdes.village_id,
        "organisation_id": deal.organisation_id,
    }
    return Shipment(deal=deal, **(values | fields))


def test_a_whole_shipment_is_kept(crab_deal):
    a_shipment(crab_deal).save()
    # Shipments moved over from forum outcomes have neither rate nor rupiah, nor a gateway.
    a_shipment(crab_deal, idr_per_usd=None, value_idr=None, gateway=None).save()
    assert crab_deal.shipments.count() == 2


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"quantity": Decimal(0)}, "no quantity"),
        ({"volume": Decimal(0)}, "no volume"),
        ({"volume": Decimal(-3)}, "a negative volume"),
        ({"value_usd": Decimal(0)}, "no value"),
        ({"value_usd": Decimal(-1)}, "a negative value"),
        ({"shipped_on": timezone.localdate() + timedelta(days=2)}, "a date in the future"),
        ({"destination_id": "ID"}, "a shipment to Indonesia"),
        ({"value_idr": None}, "a rate without the value in rupiah"),
        ({"idr_per_usd": None}, "rupiah without the rate"),
        ({"idr_per_usd": Decimal(0)}, "a rate of zero"),
        ({"value_idr": Decimal(0)}, "no rupiah"),
        ({"unit": "bucket"}, "an unknown unit"),
        ({"volume_unit": "gl"}, "neither kg nor litres"),
    ],
)
def test_the_database_refuses_a_broken_shipment(crab_deal, fields, why):
    refused(a_shipment(crab_deal, **fields).save)


def test_the_stage_constants_agree_with_the_choices():
    from matchmaking.deals.models import MANUAL_STAGES, SHIPMENT_STAGES, STAGE_ORDER

    assert set(STAGE_ORDER) == set(DealStage.values) - {"lost"}
    assert set(MANUAL_STAGES) | set(SHIPMENT_STAGES) == set(STAGE_ORDER)
    assert not set(MANUAL_STAGES) & set(SHIPMENT_STAGES)
    assert list(STAGE_ORDER[-2:]) == list(SHIPMENT_STAGES)
