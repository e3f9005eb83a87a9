"""Writes of deals (``matchmaking.deals.services``), read as the rules of a deal's life.

A deal opens at "interest" from any channel, once per product and organisation; either side
records the stages it reaches by hand (up to a contract), each once and never in the future;
shipment records alone move it to "first shipment" and "repeat shipments"; it closes as lost
with a reason, after which it takes nothing more. The people of both sides are told.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bumdes_export.notifications.models import Notification
from bumdes_export.reference.models import Country, ExportGateway, HsCode
from matchmaking.deals import services
from matchmaking.deals.models import Deal, DealStep, Shipment
from tests.matchmaking.conftest import MM_ROLES
from tests.matchmaking.deals.conftest import RECORDS, SEES, DealScene, shipment_data
from tests.products.factories import ProductFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days_ago(n: int) -> date:
    return TODAY() - timedelta(days=n)


def field_errors(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


def stages(deal: Deal) -> list[str]:
    return list(deal.steps.order_by("occurred_on", "id").values_list("stage", flat=True))


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def user_of(request):
    return request.getfixturevalue


# --- Opening a deal, from every channel ------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "origin"),
    [
        ("forum_meeting", "meeting"),
        ("inquiry", "inquiry"),
        ("sample_request", "inquiry"),
        ("offer", "offer"),
        ("outside", None),
    ],
)
def test_every_channel_opens_a_deal_at_interest_linked_to_its_record(
    scene, meeting, org_a, linked_operator, channel, origin
):
    records = {"meeting": meeting, "inquiry": scene.inquiry, "offer": scene.offer}
    opening = services.open_deal(
        actor=linked_operator,
        product=scene.world.crab,
        organisation=org_a,
        channel=channel,
        origin=records.get(origin),
        occurred_on=days_ago(4),
        note="  Met at the stand  ",
    )
    deal = opening.deal
    assert opening.created
    assert (deal.channel, deal.stage, deal.note) == (channel, "interest", "Met at the stand")
    assert deal.origin == records.get(origin) and deal.opened_by == linked_operator
    step = deal.steps.get()
    assert (step.stage, step.occurred_on, step.recorded_by) == (
        "interest",
        days_ago(4),
        linked_operator,
    )


@pytest.mark.parametrize(
    ("channel", "origin"),
    [
        ("forum_meeting", None),
        ("inquiry", None),
        ("offer", "inquiry"),
        ("inquiry", "offer"),
        ("sample_request", "meeting"),
        ("outside", "inquiry"),
    ],
)
def test_a_deal_names_the_record_of_its_own_channel(
    scene, meeting, org_a, ministry, channel, origin
):
    records = {"meeting": meeting, "inquiry": scene.inquiry, "offer": scene.offer}
    with pytest.raises(ValidationError):
        services.open_deal(
            actor=ministry,
            product=scene.world.crab,
            organisation=org_a,
            channel=channel,
            origin=records.get(origin),
        )
    assert not Deal.objects.exists()


def test_an_unknown_channel_is_a_field_error(world, org_a, ministry):
    with pytest.raises(ValidationError) as excinfo:
        services.open_deal(actor=ministry, product=world.crab, organisation=org_a, channel="fax")
    assert field_errors(excinfo) == {"channel"}


def test_opening_again_from_any_channel_records_into_the_open_deal(
    scene, meeting, org_a, verified_exporter, linked_operator
):
    first = services.open_deal(
        actor=verified_exporter,
        product=scene.world.crab,
        organisation=org_a,
        channel="inquiry",
        origin=scene.inquiry,
    )
    for channel, origin in (("offer", scene.offer), ("forum_meeting", meeting), ("outside", None)):
        again = services.open_deal(
            actor=linked_operator,
            product=scene.world.crab,
            organisation=org_a,
            channel=channel,
            origin=origin,
        )
        assert (again.deal, again.created) == (first.deal, False)
    deal = Deal.objects.get()
    assert (deal.channel, deal.inquiry, deal.offer, deal.meeting) == (
        "inquiry",
        scene.inquiry,
        None,
        None,
    )
    assert stages(deal) == ["interest"]


def test_a_lost_deal_makes_room_for_a_new_one(crab_deal, world, org_a, ministry):
    services.close_as_lost(actor=ministry, deal=crab_deal, reason="price")
    opening = services.open_deal(
        actor=ministry, product=world.crab, organisation=org_a, channel="outside"
    )
    assert opening.created and opening.deal != crab_deal
    assert Deal.objects.filter(product=world.crab, organisation=org_a).count() == 2


def test_a_deal_cannot_open_in_the_future(world, org_a, ministry):
    with pytest.raises(ValidationError) as excinfo:
        services.open_deal(
            actor=ministry,
            product=world.crab,
            organisation=org_a,
            channel="outside",
            occurred_on=TODAY() + timedelta(days=1),
        )
    assert field_errors(excinfo) == {"occurred_on"}
    assert not Deal.objects.exists()


# --- Deals made outside the portal -----------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in MM_ROLES if r != "anonymous"])
def test_ministry_staff_and_the_products_officers_enter_deals_made_outside(
    world, org_b, user_of, role
):
    enter = {"ministry", "officer_sultra", "officer_konawe"}
    user = user_of(role)
    if role in enter:
        deal = services.open_outside_deal(actor=user, product=world.crab, organisation=org_b)
        assert (deal.channel, deal.stage, deal.opened_by) == ("outside", "interest", user)
        return
    with pytest.raises(PermissionDenied):
        services.open_outside_deal(actor=user, product=world.crab, organisation=org_b)
    # Refused before the input is looked at.
    if role != "officer_sulteng":
        with pytest.raises(PermissionDenied):
            services.open_outside_deal(actor=user, product=None, organisation=None)
    assert not Deal.objects.exists()


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"product": None}, {"product"}),
        ({"organisation": None}, {"organisation"}),
        ({"product": None, "organisation": None}, {"product", "organisation"}),
        ({"stage": "first_shipment"}, {"stage"}),
        ({"stage": "repeat_shipments"}, {"stage"}),
        ({"stage": "lost"}, {"stage"}),
        ({"stage": "won"}, {"stage"}),
        ({"occurred_on": "FUTURE"}, {"occurred_on"}),
        ({"occurred_on": "1 May"}, {"occurred_on"}),
        ({"stage": "lost", "occurred_on": "FUTURE"}, {"stage", "occurred_on"}),
    ],
)
def test_an_outside_deal_needs_product_organisation_and_a_stage_up_to_contract(
    world, org_b, officer_sultra, change, fields
):
    if change.get("occurred_on") == "FUTURE":
        change = {**change, "occurred_on": TODAY() + timedelta(days=2)}
    data = {"product": world.crab, "organisation": org_b, **change}
    with pytest.raises(ValidationError) as excinfo:
        services.open_outside_deal(actor=officer_sultra, **data)
    assert field_errors(excinfo) == fields
    assert not Deal.objects.exists()


def test_an_outside_deal_for_a_pair_with_an_open_deal_is_refused_on_the_organisation(
    crab_deal, world, org_a, officer_konawe
):
    with pytest.raises(ValidationError) as excinfo:
        services.open_outside_deal(actor=officer_konawe, product=world.crab, organisation=org_a)
    assert field_errors(excinfo) == {"organisation"}
    assert Deal.objects.get() == crab_deal


def test_an_outside_deal_entered_at_a_later_stage_has_its_history(world, org_b, ministry):
    deal = services.open_outside_deal(
        actor=ministry,
        product=world.oil,
        organisation=org_b,
        stage="loi_mou",
        occurred_on=days_ago(20),
        note="LoI signed at SIAL",
    )
    assert deal.stage == "loi_mou"
    assert [(s.stage, s.occurred_on) for s in deal.steps.all()] == [
        ("interest", days_ago(20)),
        ("loi_mou", days_ago(20)),
    ]


# --- Stages recorded by hand -----------------------------------------------------------------


@pytest.mark.parametrize("stage", ["first_shipment", "repeat_shipments"])
def test_no_shipment_stage_without_a_shipment_record(crab_deal, ministry, stage):
    with pytest.raises(ValidationError) as excinfo:
        services.record_step(actor=ministry, deal=crab_deal, data={"stage": stage})
    assert field_errors(excinfo) == {"stage"}
    assert "shipments are recorded" in str(excinfo.value)
    crab_deal.refresh_from_db()
    assert crab_deal.stage == "interest" and stages(crab_deal) == ["interest"]


@pytest.mark.parametrize("stage", ["lost", "", None, "signed", ["contract"]])
def test_lost_and_unknown_stages_are_not_steps(crab_deal, ministry, stage):
    with pytest.raises(ValidationError) as excinfo:
        services.record_step(actor=ministry, deal=crab_deal, data={"stage": stage})
    assert field_errors(excinfo) == {"stage"}


def test_each_stage_once(crab_deal, verified_exporter):
    services.record_step(actor=verified_exporter, deal=crab_deal, data={"stage": "sample_sent"})
    for stage in ("sample_sent", "interest"):
        with pytest.raises(ValidationError) as excinfo:
            services.record_step(actor=verified_exporter, deal=crab_deal, data={"stage": stage})
        assert "already reached" in str(excinfo.value.message_dict["stage"])


@pytest.mark.parametrize(
    "occurred_on",
    [lambda: TODAY() + timedelta(days=1), "2999-01-01", "next week", "2025-02-30"],
)
def test_a_step_in_the_future_or_without_a_real_date_is_refused(crab_deal, ministry, occurred_on):
    # "Tomorrow" is worked out when the test runs, not when it is collected.
    occurred_on = occurred_on() if callable(occurred_on) else occurred_on
    with pytest.raises(ValidationError) as excinfo:
        services.record_step(
            actor=ministry,
            deal=crab_deal,
            data={"stage": "contract", "occurred_on": occurred_on},
        )
    assert field_errors(excinfo) == {"occurred_on"}


def test_a_step_takes_a_date_a_datetime_or_iso_text_and_today_when_left_out(crab_deal, ministry):
    given = {
        "sample_sent": days_ago(9).isoformat(),
        "loi_mou": datetime.combine(days_ago(5), datetime.min.time()),
        "contract": None,
    }
    for stage, occurred_on in given.items():
        services.record_step(
            actor=ministry, deal=crab_deal, data={"stage": stage, "occurred_on": occurred_on}
        )
    dates = dict(crab_deal.steps.values_list("stage", "occurred_on"))
    assert (dates["sample_sent"], dates["loi_mou"], dates["contract"]) == (
        days_ago(9),
        days_ago(5),
        TODAY(),
    )


def test_steps_out_of_order_keep_the_furthest_stage(crab_deal, verified_exporter):
    contract = services.record_step(
        actor=verified_exporter,
        deal=crab_deal,
        data={
            "stage": "contract",
            "occurred_on": days_ago(2),
            "volume_kg": "2000",
            "value_usd": Decimal("25000"),
            "destination": Country.objects.get(code="HK"),
            "note": " Monthly, 2 t ",
        },
    )
    assert (contract.volume_kg, contract.value_usd, contract.destination_id, contract.note) == (
        Decimal(2000),
        Decimal(25000),
        "HK",
        "Monthly, 2 t",
    )
    services.record_step(
        actor=verified_exporter,
        deal=crab_deal,
        data={"stage": "sample_sent", "occurred_on": days_ago(30)},
    )
    crab_deal.refresh_from_db()
    assert crab_deal.stage == "contract"
    assert stages(crab_deal) == ["sample_sent", "contract", "interest"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"volume_kg": "0"}, "volume_kg"),
        ({"volume_kg": "-2"}, "volume_kg"),
        ({"volume_kg": "two tonnes"}, "volume_kg"),
        ({"volume_kg": "1e30"}, "volume_kg"),
        ({"volume_kg": "0.0001"}, "volume_kg"),
        ({"value_usd": "-1"}, "value_usd"),
        ({"value_usd": "NaN"}, "value_usd"),
        ({"value_usd": "Infinity"}, "value_usd"),
        ({"value_usd": "123456789012345"}, "value_usd"),
        ({"destination": "HK"}, "destination"),
    ],
)
def test_a_steps_numbers_and_destination_are_checked(crab_deal, ministry, data, field):
    with pytest.raises(ValidationError) as excinfo:
        services.record_step(actor=ministry, deal=crab_deal, data={"stage": "contract", **data})
    assert field_errors(excinfo) == {field}
    assert stages(crab_deal) == ["interest"]


def test_a_value_of_zero_is_a_step_without_a_price(crab_deal, ministry):
    step = services.record_step(
        actor=ministry, deal=crab_deal, data={"stage": "sample_sent", "value_usd": "0"}
    )
    assert step.value_usd == 0


@pytest.mark.parametrize("role", [r for r in MM_ROLES if r != "anonymous"])
def test_who_records_a_step(ds: DealScene, user_of, role):
    for name in ("crab", "pending"):
        deal = getattr(ds, name)
        if role in RECORDS[name]:
            step = services.record_step(
                actor=user_of(role), deal=deal, data={"stage": "sample_sent"}
            )
            assert step.recorded_by == user_of(role)
            continue
        with pytest.raises(PermissionDenied) as excinfo:
            services.record_step(actor=user_of(role), deal=deal, data={"stage": "sample_sent"})
        # Members of an organisation awaiting verification read their deal; they are told why
        # they may not record into it yet.
        says_why = role in SEES[name]
        assert ("not verified yet" in str(excinfo.value)) == says_why
        assert not deal.steps.filter(stage="sample_sent").exists()


# --- Closing as lost -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "note", "fields"),
    [
        ("", "", {"reason"}),
        (None, "", {"reason"}),
        ("bad luck", "", {"reason"}),
        ("other", "", {"note"}),
        ("other", "   ", {"note"}),
    ],
)
def test_lost_needs_a_reason_and_other_says_what(crab_deal, ministry, reason, note, fields):
    with pytest.raises(ValidationError) as excinfo:
        services.close_as_lost(actor=ministry, deal=crab_deal, reason=reason, note=note)
    assert field_errors(excinfo) == fields
    crab_deal.refresh_from_db()
    assert crab_deal.stage == "interest"


def test_closing_as_lost_keeps_the_history_and_says_why(ds: DealScene, verified_exporter):
    deal = services.close_as_lost(
        actor=verified_exporter,
        deal=ds.crab,
        reason="other",
        note=" The buyer's importer licence lapsed ",
        occurred_on=days_ago(1),
    )
    deal.refresh_from_db()
    assert (deal.stage, deal.lost_reason, deal.lost_note) == (
        "lost",
        "other",
        "The buyer's importer licence lapsed",
    )
    assert stages(deal) == ["first_shipment", "lost", "interest"]
    assert deal.steps.get(stage="lost").occurred_on == days_ago(1)
    assert deal.shipments.get() == ds.shipment


def test_a_lost_deal_takes_no_step_shipment_or_second_closing(crab_deal, ministry):
    services.close_as_lost(actor=ministry, deal=crab_deal, reason="volume")
    writes = [
        lambda: services.record_step(actor=ministry, deal=crab_deal, data={"stage": "contract"}),
        lambda: services.record_shipment(actor=ministry, deal=crab_deal, data=shipment_data()),
        lambda: services.close_as_lost(actor=ministry, deal=crab_deal, reason="price"),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as excinfo:
            write()
        assert "closed as lost" in str(excinfo.value)
    crab_deal.refresh_from_db()
    assert (crab_deal.stage, crab_deal.lost_reason) == ("lost", "volume")
    assert not crab_deal.shipments.exists()


def test_a_stranger_cannot_close_a_deal_and_a_pending_member_is_told_why(
    ds: DealScene, second_exporter, pending_exporter
):
    with pytest.raises(PermissionDenied) as excinfo:
        services.close_as_lost(actor=second_exporter, deal=ds.crab, reason="price")
    assert str(excinfo.value) == ""
    with pytest.raises(PermissionDenied) as excinfo:
        services.close_as_lost(actor=pending_exporter, deal=ds.pending, reason="price")
    assert "not verified yet" in str(excinfo.value)
    assert not Deal.objects.filter(stage="lost").exists()


# --- Shipments -------------------------------------------------------------------------------


def test_the_first_shipment_record_makes_the_first_shipment_and_the_second_the_repeats(
    crab_deal, verified_exporter
):
    first = services.record_shipment(
        actor=verified_exporter, deal=crab_deal, data=shipment_data(shipped_on=days_ago(20))
    )
    crab_deal.refresh_from_db()
    assert crab_deal.stage == "first_shipment"
    assert crab_deal.steps.get(stage="first_shipment").occurred_on == days_ago(20)
    second = services.record_shipment(
        actor=verified_exporter, deal=crab_deal, data=shipment_data(shipped_on=days_ago(5))
    )
    crab_deal.refresh_from_db()
    assert crab_deal.stage == "repeat_shipments"
    assert crab_deal.steps.get(stage="repeat_shipments").occurred_on == days_ago(5)
    services.record_shipment(actor=verified_exporter, deal=crab_deal, data=shipment_data())
    crab_deal.refresh_from_db()
    assert crab_deal.stage == "repeat_shipments"
    assert stages(crab_deal) == ["first_shipment", "repeat_shipments", "interest"]
    assert list(crab_deal.shipments.all())[:2] == [first, second]


def test_a_shipment_keeps_both_values_and_the_rate(crab_deal, ministry):
    shipment = services.record_shipment(
        actor=ministry,
        deal=crab_deal,
        data=shipment_data(value_usd="1.50", idr_per_usd="15851"),
    )
    shipment.refresh_from_db()
    assert (shipment.value_usd, shipment.idr_per_usd) == (Decimal("1.50"), Decimal(15851))
    # 1.50 × 15 851 = 23 776.5, rounded half up to whole rupiah.
    assert shipment.value_idr == Decimal(23777)
    assert (shipment.hs_code_id, shipment.unit, shipment.volume_unit) == ("030633", "kg", "kg")
    assert (shipment.peb_number, shipment.coo_number) == ("000123", "AHK-2026-0001")
    assert shipment.recorded_by == ministry


def test_the_volume_follows_the_products_unit(world, org_a, ministry):
    oil = services.open_outside_deal(actor=ministry, product=world.oil, organisation=org_a)
    shipment = services.record_shipment(
        actor=ministry, deal=oil, data=shipment_data(quantity="800", volume="1")
    )
    assert (shipment.unit, shipment.volume, shipment.volume_unit) == ("l", Decimal(800), "l")
    tons = ProductFactory(bumdes=world.konawe, unit="ton", status="export_ready")
    deal = services.open_outside_deal(actor=ministry, product=tons, organisation=org_a)
    shipment = services.record_shipment(
        actor=ministry, deal=deal, data=shipment_data(quantity="2.5")
    )
    assert (shipment.quantity, shipment.volume, shipment.volume_unit) == (
        Decimal("2.5"),
        Decimal(2500),
        "kg",
    )


def test_a_product_counted_in_pieces_gives_its_weight_or_volume(world, org_a, ministry):
    boxes = ProductFactory(bumdes=world.konawe, unit="box", status="export_ready")
    deal = services.open_outside_deal(actor=ministry, product=boxes, organisation=org_a)
    with pytest.raises(ValidationError) as excinfo:
        services.record_shipment(actor=ministry, deal=deal, data=shipment_data(quantity="40"))
    assert field_errors(excinfo) == {"volume"}
    with pytest.raises(ValidationError) as excinfo:
        services.record_shipment(
            actor=ministry,
            deal=deal,
            data=shipment_data(quantity="40", volume="400", volume_unit="gallon"),
        )
    assert field_errors(excinfo) == {"volume_unit"}
    shipment = services.record_shipment(
        actor=ministry,
        deal=deal,
        data=shipment_data(quantity="40", volume="380.5", volume_unit="l"),
    )
    assert (shipment.unit, shipment.volume, shipment.volume_unit) == (
        "box",
        Decimal("380.5"),
        "l",
    )


def test_the_hs_subheading_defaults_to_the_products_and_may_be_given(crab_deal, ministry):
    given = services.record_shipment(
        actor=ministry, deal=crab_deal, data=shipment_data(hs_code=" 030633 ")
    )
    assert given.hs_code_id == "030633"
    other = HsCode.objects.filter(level=HsCode.Level.SUBHEADING).exclude(code="030633").first()
    assert other is not None
    assert (
        services.record_shipment(
            actor=ministry, deal=crab_deal, data=shipment_data(hs_code=other)
        ).hs_code
        == other
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"shipped_on": None}, "shipped_on"),
        ({"shipped_on": ""}, "shipped_on"),
        ({"shipped_on": "FUTURE"}, "shipped_on"),
        ({"shipped_on": "someday"}, "shipped_on"),
        ({"quantity": None}, "quantity"),
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "-1"}, "quantity"),
        ({"quantity": "lots"}, "quantity"),
        ({"quantity": "1e20"}, "quantity"),
        ({"value_usd": None}, "value_usd"),
        ({"value_usd": "0"}, "value_usd"),
        ({"value_usd": "sNaN"}, "value_usd"),
        ({"value_usd": "1e40"}, "value_usd"),
        ({"value_usd": "999999999999", "idr_per_usd": "99999999"}, "value_usd"),
        ({"idr_per_usd": None}, "idr_per_usd"),
        ({"idr_per_usd": "0"}, "idr_per_usd"),
        ({"idr_per_usd": "1234567890"}, "idr_per_usd"),
        ({"destination": None}, "destination"),
        ({"destination": "HK"}, "destination"),
        ({"destination": "ID"}, "destination"),
        ({"gateway": None}, "gateway"),
        ({"gateway": "KDI"}, "gateway"),
        ({"hs_code": "0306"}, "hs_code"),
        ({"hs_code": "nope"}, "hs_code"),
        ({"hs_code": 306}, "hs_code"),
        ({"peb_number": "1" * 41}, "peb_number"),
        ({"coo_number": "C" * 41}, "coo_number"),
    ],
)
def test_a_shipment_is_refused_field_by_field(crab_deal, ministry, change, field):
    if change.get("destination") == "ID":
        change = {**change, "destination": Country.objects.get(code="ID")}
    if change.get("shipped_on") == "FUTURE":
        change = {**change, "shipped_on": TODAY() + timedelta(days=1)}
    if change.get("hs_code") == "0306":
        change = {**change, "hs_code": HsCode.objects.get(code="0306")}
    with pytest.raises(ValidationError) as excinfo:
        services.record_shipment(actor=ministry, deal=crab_deal, data=shipment_data(**change))
    assert field_errors(excinfo) == {field}
    assert not Shipment.objects.exists()
    crab_deal.refresh_from_db()
    assert crab_deal.stage == "interest"


def test_every_bad_field_is_said_at_once(crab_deal, ministry):
    with pytest.raises(ValidationError) as excinfo:
        services.record_shipment(actor=ministry, deal=crab_deal, data={})
    assert field_errors(excinfo) == {
        "shipped_on",
        "quantity",
        "value_usd",
        "idr_per_usd",
        "destination",
        "gateway",
    }


def test_a_converted_volume_too_large_to_keep_is_said_on_the_quantity(world, org_a, ministry):
    tons = ProductFactory(bumdes=world.konawe, unit="ton", status="export_ready")
    deal = services.open_outside_deal(actor=ministry, product=tons, organisation=org_a)
    with pytest.raises(ValidationError) as excinfo:
        services.record_shipment(
            actor=ministry, deal=deal, data=shipment_data(quantity="99999999999")
        )
    assert field_errors(excinfo) == {"quantity"}


@pytest.mark.parametrize("role", [r for r in MM_ROLES if r != "anonymous"])
def test_who_records_a_shipment(ds: DealScene, user_of, role):
    deal = ds.pending
    if role in RECORDS["pending"]:
        shipment = services.record_shipment(
            actor=user_of(role), deal=deal, data=shipment_data(quantity="60")
        )
        assert shipment.recorded_by == user_of(role)
        return
    with pytest.raises(PermissionDenied):
        services.record_shipment(actor=user_of(role), deal=deal, data=shipment_data())
    assert not deal.shipments.exists()


def test_a_new_shipment_starts_from_the_last_ones_destination_gateway_and_rate(crab_deal, ministry):
    assert services.shipment_defaults(crab_deal) == {
        "hs_code": "030633",
        "unit": "kg",
        "destination": None,
        "gateway": None,
        "idr_per_usd": None,
    }
    services.record_shipment(
        actor=ministry,
        deal=crab_deal,
        data=shipment_data(
            destination=Country.objects.get(code="SG"),
            gateway=ExportGateway.objects.get(code="IDKDI"),
            idr_per_usd="16000",
        ),
    )
    defaults = services.shipment_defaults(crab_deal)
    assert (defaults["destination"], defaults["gateway"], defaults["idr_per_usd"]) == (
        "SG",
        "IDKDI",
        Decimal(16000),
    )


# --- Who is told -----------------------------------------------------------------------------

KONAWE_PEOPLE = {"t-sultra", "t-konawe", "t-bumdes-linked"}


def test_both_sides_are_told_of_each_change_but_not_the_one_who_made_it(
    world,
    org_a,
    ministry,
    officer_sultra,
    officer_konawe,
    officer_sulteng,
    linked_operator,
    verified_exporter,
    colleague_a,
    second_exporter,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        deal = services.open_outside_deal(actor=ministry, product=world.crab, organisation=org_a)
    # Ministry staff follow deals from their lists, without an email for each.
    assert told("deal.opened") == KONAWE_PEOPLE | {"t-buyer-a", "t-buyer-a2"}
    assert {m.to[0] for m in mail.outbox} == {
        u.email for u in (officer_sultra, officer_konawe, linked_operator)
    } | {verified_exporter.email, colleague_a.email}
    assert "Kepiting bakau" in mail.outbox[0].subject
    services.record_step(actor=verified_exporter, deal=deal, data={"stage": "sample_sent"})
    assert told("deal.step") == KONAWE_PEOPLE | {"t-buyer-a2"}
    services.record_shipment(actor=linked_operator, deal=deal, data=shipment_data())
    assert told("deal.shipment") == {"t-sultra", "t-konawe", "t-buyer-a", "t-buyer-a2"}
    body = Notification.objects.filter(kind="deal.shipment").first().body
    assert "Hong Kong" in body and "6250" in body
    services.close_as_lost(actor=officer_konawe, deal=deal, reason="logistics")
    assert told("deal.lost") == {"t-sultra", "t-bumdes-linked", "t-buyer-a", "t-buyer-a2"}
    assert not Notification.objects.filter(
        recipient__in=[ministry, officer_sulteng, second_exporter]
    ).exists()
    assert all(n.link.endswith(f"/deals/{deal.pk}/") for n in Notification.objects.all())


def test_a_refused_write_tells_nobody(crab_deal, ministry, django_capture_on_commit_callbacks):
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.record_shipment(actor=ministry, deal=crab_deal, data=shipment_data(value_usd="0"))
    assert not Notification.objects.exists() and not mail.outbox
    assert DealStep.objects.filter(deal=crab_deal).count() == 1


def test_a_deal_made_outside_the_portal_needs_a_verified_product_and_a_trading_organisation(
    world, ministry, org_pending, platform
):
    with pytest.raises(ValidationError) as refused:
        services.open_outside_deal(
            actor=ministry, product=world.crab_draft, organisation=org_pending
        )
    assert set(refused.value.message_dict) == {"product", "organisation"}
    with pytest.raises(ValidationError) as refused:
        services.open_outside_deal(actor=ministry, product=world.crab, organisation=platform)
    assert set(refused.value.message_dict) == {"organisation"}
