"""Migration ``0006_forum_outcomes_to_deals``, run forwards on a database filled with the demo's
forum outcomes and facilitation requests: every outcome becomes a step of a deal of the
forum-meeting channel (stage, date, volume, value, destination, note, author and time kept), a
first shipment also a shipment record, a follow-up moves to its deal, and the service requests
get the dates they were answered and completed from their status notes.

The rows are written with the historical models (matchmaking's schema as it was at
``0004_organisation_match_names``) and read back with those of ``0007``, so the test keeps
describing this migration whatever the models become. The database is migrated back to the
latest migrations at the end, so the tests after this one find it whole.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.products.factories import first_desa

BEFORE = [("matchmaking", "0004_organisation_match_names")]
AFTER = [("matchmaking", "0007_service_request_answer_dates_checked")]

FORUM_DAY = date(2025, 3, 10)


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def migrate(targets):
    """Migrate to ``targets``; the historical models (apps) of the database then (the other
    apps at the migrations applied)."""
    return MigrationExecutor(connection).migrate(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def fill(apps) -> SimpleNamespace:
    """The demo's story as it was recorded before deals: the Hong Kong buyer met BUMDes Mina
    Bahari at the Kendari forum and went from interest to the first shipment of live mud crab;
    the Alibaba partner met BUMDes Sigi Makmur (interest, naming no product: the BUMDes has one);
    the Kendari exporter met Mina Bahari too (interest naming no product, and Mina Bahari has
    two: no deal can be made of it). The Alibaba partner answered two facilitation requests."""
    get = apps.get_model
    User = get("accounts", "User")
    Bumdes, Product = get("products", "Bumdes"), get("products", "Product")
    Organisation = get("exporters", "Organisation")
    Forum, Participant = get("matchmaking", "Forum"), get("matchmaking", "ForumParticipant")
    Slot, Table = get("matchmaking", "ForumSlot"), get("matchmaking", "ForumTable")
    Request, Meeting = get("matchmaking", "MeetingRequest"), get("matchmaking", "Meeting")
    Outcome, FollowUp = get("matchmaking", "MeetingOutcome"), get("matchmaking", "FollowUp")
    ServiceRequest = get("matchmaking", "ServiceRequest")
    Note = get("matchmaking", "ServiceRequestNote")

    def user(name: str, role: str, region=None):
        return User.objects.create(
            username=name, email=f"{name}@example.id", password="!", role=role, region_id=region
        )

    kemendes, pembeli = user("m-kemendes", "ministry"), user("m-pembeli", "exporter")
    bumdes_user, mitra = user("m-bumdes", "operator"), user("m-mitra", "exporter")
    konawe = user("m-konawe", "officer", "74.02")
    mina = Bumdes.objects.create(name="BUMDes Mina Bahari", village_id=first_desa("74.02."))
    sigi = Bumdes.objects.create(name="BUMDes Sigi Makmur", village_id=first_desa("72.10."))
    mud_crab = Product.objects.create(
        bumdes=mina, name_id="Kepiting bakau hidup", form="live", hs_code_id="030633"
    )
    Product.objects.create(bumdes=mina, name_id="Rajungan hidup", form="live", hs_code_id="030633")
    flour = Product.objects.create(
        bumdes=sigi, name_id="Tepung pisang kepok", form="processed", hs_code_id="110630"
    )
    buyer = Organisation.objects.create(
        legal_name="Harbour Fresh Seafood Trading Ltd", kind="buyer", country_id="HK"
    )
    platform = Organisation.objects.create(
        legal_name="PT Gerbang Niaga Global", kind="platform", country_id="ID"
    )
    exporter = Organisation.objects.create(
        legal_name="PT Samudra Kepiting Sultra", kind="exporter", country_id="ID"
    )
    forum = Forum.objects.create(
        name="Forum BUMDes Ekspor",
        starts_on=FORUM_DAY,
        ends_on=FORUM_DAY + timedelta(days=1),
        venue="Hotel Claro Kendari",
        registration_opens=at(FORUM_DAY - timedelta(days=60)),
        registration_closes=at(FORUM_DAY - timedelta(days=10)),
        organiser=kemendes,
        status="finished",
    )

    def party(**kwargs):
        return Participant.objects.create(forum=forum, status="approved", **kwargs)

    hong_kong, alibaba = (
        party(kind="organisation", organisation=buyer),
        party(kind="organisation", organisation=platform),
    )
    kendari = party(kind="organisation", organisation=exporter)
    mina_bahari, sigi_makmur = party(kind="bumdes", bumdes=mina), party(kind="bumdes", bumdes=sigi)
    table = Table.objects.create(forum=forum, name="Meja 1")

    def meeting(a, b, hour):
        slot = Slot.objects.create(
            forum=forum,
            starts_at=at(FORUM_DAY, hour),
            ends_at=at(FORUM_DAY, hour) + timedelta(minutes=30),
        )
        request = Request.objects.create(
            forum=forum,
            from_participant=a,
            to_participant=b,
            pair="-".join(str(pk) for pk in sorted((a.pk, b.pk))),
            status="accepted",
            answered_at=at(FORUM_DAY - timedelta(days=5)),
        )
        return Meeting.objects.create(
            forum=forum,
            request=request,
            party_a=a,
            party_b=b,
            slot=slot,
            table=table,
            status="held",
            placed_by="scheduler",
        )

    crab_talk = meeting(hong_kong, mina_bahari, 1)
    flour_talk = meeting(alibaba, sigi_makmur, 2)
    kendari_talk = meeting(kendari, mina_bahari, 3)

    def outcome(meeting, stage, days, author, products=(), **values):
        row = Outcome.objects.create(
            meeting=meeting,
            stage=stage,
            occurred_on=FORUM_DAY + timedelta(days=days),
            recorded_by=author,
            **values,
        )
        row.products.set(products)
        Outcome.objects.filter(pk=row.pk).update(
            recorded_at=at(FORUM_DAY + timedelta(days=days), 15)
        )
        return row

    crab = [mud_crab]
    outcomes = [
        outcome(crab_talk, "interest", 0, pembeli, crab, note="Wants 2 t a month."),
        outcome(crab_talk, "sample_sent", 7, bumdes_user, crab, note="20 kg by air."),
        outcome(crab_talk, "loi_mou", 14, pembeli, crab, note="LoI: 2 t a month."),
        outcome(
            crab_talk,
            "contract",
            25,
            bumdes_user,
            crab,
            value_usd=Decimal("75000.00"),
            volume_kg=Decimal("6000.000"),
            destination_id="HK",
        ),
        outcome(
            crab_talk,
            "first_shipment",
            38,
            bumdes_user,
            crab,
            value_usd=Decimal("6250.00"),
            volume_kg=Decimal("500.000"),
            destination_id="HK",
            note="First air shipment, Form AHK used.",
        ),
    ]
    flour_interest = outcome(flour_talk, "interest", 0, mitra)
    orphan = outcome(kendari_talk, "interest", 1, pembeli, note="Both crabs, maybe.")
    second_shipment = FollowUp.objects.create(
        meeting=crab_talk,
        outcome=outcomes[-1],
        title="Second shipment: 1 tonne",
        due_on=FORUM_DAY + timedelta(days=45),
        owner=bumdes_user,
        created_by=pembeli,
    )
    untied = FollowUp.objects.create(
        meeting=crab_talk, title="Send the Form AHK", due_on=FORUM_DAY, owner=bumdes_user
    )

    def service_request(service, status, notes):
        row = ServiceRequest.objects.create(
            provider=platform,
            service=service,
            product=mud_crab,
            description="Help with the first Hong Kong shipment.",
            requested_by=konawe,
            status=status,
        )
        ServiceRequest.objects.filter(pk=row.pk).update(
            created_at=at(FORUM_DAY + timedelta(days=20)),
            updated_at=at(FORUM_DAY + timedelta(days=40)),
        )
        for days, from_status, to_status, body in notes:
            note = Note.objects.create(
                service_request=row,
                author=mitra,
                from_status=from_status,
                to_status=to_status,
                body=body,
            )
            Note.objects.filter(pk=note.pk).update(created_at=at(FORUM_DAY + timedelta(days=days)))
        return row

    documents = service_request(
        "documents",
        "accepted",
        [(21, "requested", "accepted", ""), (23, "", "", "Invoice drafted.")],
    )
    logistics = service_request(
        "logistics",
        "completed",
        [(22, "requested", "accepted", ""), (30, "accepted", "completed", "Cargo booked.")],
    )
    waiting = service_request("quality", "requested", [])
    return SimpleNamespace(
        users={u.username: u.pk for u in (pembeli, bumdes_user, mitra)},
        mud_crab=mud_crab.pk,
        flour=flour.pk,
        buyer=buyer.pk,
        platform=platform.pk,
        crab_talk=crab_talk.pk,
        flour_talk=flour_talk.pk,
        outcomes=[o.pk for o in outcomes],
        flour_interest=flour_interest.pk,
        orphan=orphan.pk,
        follow_up=second_shipment.pk,
        untied=untied.pk,
        documents=documents.pk,
        logistics=logistics.pk,
        waiting=waiting.pk,
    )


@pytest.mark.django_db(transaction=True)
def test_forum_outcomes_become_deals_without_losing_anything(regions):
    try:
        old = migrate(BEFORE)
        story = fill(old)
        expected = {
            o.stage: o
            for o in old.get_model("matchmaking", "MeetingOutcome")
            .objects.filter(pk__in=story.outcomes)
            .order_by("id")
        }
        new = migrate(AFTER)
        get = new.get_model
        Deal, Step = get("matchmaking", "Deal"), get("matchmaking", "DealStep")
        Shipment, FollowUp = get("matchmaking", "Shipment"), get("matchmaking", "FollowUp")
        Outcome = get("matchmaking", "MeetingOutcome")
        ServiceRequest = get("matchmaking", "ServiceRequest")

        # One deal per meeting and product it could name: crab and flour; not the Kendari
        # exporter's interest in "both crabs" (no product named, two possible).
        crab = Deal.objects.get(product_id=story.mud_crab)
        assert (crab.organisation_id, crab.channel, crab.meeting_id) == (
            story.buyer,
            "forum_meeting",
            story.crab_talk,
        )
        assert crab.inquiry_id is None and crab.offer_id is None
        assert crab.stage == "first_shipment" and crab.lost_reason == ""
        assert crab.opened_by_id == story.users["m-pembeli"]
        assert crab.opened_at == expected["interest"].recorded_at
        steps = {s.stage: s for s in Step.objects.filter(deal=crab)}
        assert list(steps) == list(expected)  # every stage, interest to the first shipment
        for stage, outcome in expected.items():
            step = steps[stage]
            assert (step.occurred_on, step.volume_kg, step.value_usd) == (
                outcome.occurred_on,
                outcome.volume_kg,
                outcome.value_usd,
            ), stage
            assert (step.destination_id, step.note) == (outcome.destination_id, outcome.note)
            assert (step.recorded_by_id, step.recorded_at) == (
                outcome.recorded_by_id,
                outcome.recorded_at,
            )
        assert steps["contract"].value_usd == Decimal("75000.00")
        assert steps["contract"].volume_kg == Decimal("6000.000")
        assert steps["first_shipment"].occurred_on == FORUM_DAY + timedelta(days=38)

        shipment = Shipment.objects.get(deal=crab)
        first = expected["first_shipment"]
        assert shipment.shipped_on == first.occurred_on
        assert (shipment.quantity, shipment.unit) == (Decimal("500.000"), "kg")
        assert (shipment.volume, shipment.volume_unit) == (Decimal("500.000"), "kg")
        assert shipment.value_usd == Decimal("6250.00") and shipment.destination_id == "HK"
        assert shipment.hs_code_id == "030633"
        assert shipment.idr_per_usd is None and shipment.value_idr is None  # not recorded then
        assert shipment.note == first.note
        assert (shipment.recorded_by_id, shipment.recorded_at) == (
            first.recorded_by_id,
            first.recorded_at,
        )

        flour = Deal.objects.get(product_id=story.flour)
        assert (flour.organisation_id, flour.meeting_id, flour.stage) == (
            story.platform,
            story.flour_talk,
            "interest",
        )
        interest = Step.objects.get(deal=flour)
        assert (
            interest.occurred_on == FORUM_DAY and interest.recorded_by_id == story.users["m-mitra"]
        )
        assert not Shipment.objects.filter(deal=flour).exists()
        assert Deal.objects.count() == 2

        # The outcomes themselves stay, the one no deal holds included.
        assert Outcome.objects.count() == 7 and Outcome.objects.filter(pk=story.orphan).exists()

        # The follow-up of the first shipment follows the deal now; the other has none.
        assert FollowUp.objects.get(pk=story.follow_up).deal_id == crab.pk
        assert FollowUp.objects.get(pk=story.follow_up).outcome_id == story.outcomes[-1]
        assert FollowUp.objects.get(pk=story.untied).deal_id is None

        # Service requests: answered and completed dates from their status notes.
        documents = ServiceRequest.objects.get(pk=story.documents)
        assert documents.answered_at == at(FORUM_DAY + timedelta(days=21))
        assert documents.completed_at is None
        logistics = ServiceRequest.objects.get(pk=story.logistics)
        assert logistics.answered_at == at(FORUM_DAY + timedelta(days=22))
        assert logistics.completed_at == at(FORUM_DAY + timedelta(days=30))
        waiting = ServiceRequest.objects.get(pk=story.waiting)
        assert waiting.answered_at is None and waiting.completed_at is None
    finally:
        migrate(latest())
