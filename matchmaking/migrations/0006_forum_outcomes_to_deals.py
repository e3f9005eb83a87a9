"""Forum outcomes become deals of the forum-meeting channel; service requests get the dates
they were answered and completed from their status notes.

Each meeting's outcomes make one deal per product they name (with the organisation that sat at
the meeting): every outcome becomes a step of that stage with its date, volume, value,
destination, note and author; a first shipment also becomes a shipment record. The outcomes
themselves stay where they are (``MeetingOutcome``), so nothing is lost even where no deal can be
made (a meeting with no organisation, or no product to name).
"""

from django.db import migrations

STAGE_ORDER = ["interest", "sample_sent", "loi_mou", "contract", "first_shipment", "repeat_shipments"]


def _organisation_id(meeting):
    for party in (meeting.party_a, meeting.party_b):
        if party.kind == "organisation" and party.organisation_id:
            return party.organisation_id
    return None


def _meeting_products(apps, meeting):
    Product = apps.get_model("products", "Product")
    ids = []
    for party in (meeting.party_a, meeting.party_b):
        if party.kind == "bumdes" and party.bumdes_id:
            ids += list(Product.objects.filter(bumdes_id=party.bumdes_id).values_list("pk", flat=True))
        elif party.kind == "officer" and party.region_id:
            ids += list(
                Product.objects.filter(
                    bumdes__village__code__startswith=f"{party.region_id}."
                ).values_list("pk", flat=True)
            )
    return ids


def outcomes_to_deals(apps, schema_editor):
    MeetingOutcome = apps.get_model("matchmaking", "MeetingOutcome")
    Deal = apps.get_model("matchmaking", "Deal")
    DealStep = apps.get_model("matchmaking", "DealStep")
    Shipment = apps.get_model("matchmaking", "Shipment")
    FollowUp = apps.get_model("matchmaking", "FollowUp")
    Product = apps.get_model("products", "Product")

    outcomes = (
        MeetingOutcome.objects.select_related("meeting__party_a", "meeting__party_b")
        .prefetch_related("products")
        .order_by("meeting_id", "id")
    )
    by_meeting = {}
    for outcome in outcomes:
        by_meeting.setdefault(outcome.meeting_id, []).append(outcome)

    for rows in by_meeting.values():
        meeting = rows[0].meeting
        organisation_id = _organisation_id(meeting)
        if organisation_id is None:
            continue
        named = {o.pk: [p.pk for p in o.products.all()] for o in rows}
        product_ids = []
        for ids in named.values():
            product_ids += [pk for pk in ids if pk not in product_ids]
        if not product_ids:
            candidates = _meeting_products(apps, meeting)
            if len(candidates) != 1:
                continue
            product_ids = candidates
        deals = {}
        for product_id in product_ids:
            deal = Deal.objects.filter(
                product_id=product_id, organisation_id=organisation_id
            ).exclude(stage="lost").first()
            if deal is None:
                first = rows[0]
                deal = Deal.objects.create(
                    product_id=product_id,
                    organisation_id=organisation_id,
                    channel="forum_meeting",
                    meeting_id=meeting.pk,
                    stage="interest",
                    opened_by_id=first.recorded_by_id,
                )
                Deal.objects.filter(pk=deal.pk).update(opened_at=first.recorded_at)
            deals[product_id] = deal
        for outcome in rows:
            targets = named[outcome.pk] or product_ids
            occurred_on = outcome.occurred_on or outcome.recorded_at.date()
            for index, product_id in enumerate(targets):
                deal = deals[product_id]
                if not DealStep.objects.filter(deal=deal, stage=outcome.stage).exists():
                    step = DealStep.objects.create(
                        deal=deal,
                        stage=outcome.stage,
                        occurred_on=occurred_on,
                        volume_kg=outcome.volume_kg,
                        value_usd=outcome.value_usd,
                        destination_id=outcome.destination_id,
                        note=outcome.note,
                        recorded_by_id=outcome.recorded_by_id,
                    )
                    DealStep.objects.filter(pk=step.pk).update(recorded_at=outcome.recorded_at)
                # A shipment of several products is one shipment: it goes to the first one's deal.
                if (
                    outcome.stage == "first_shipment"
                    and index == 0
                    and outcome.volume_kg
                    and outcome.value_usd
                    and outcome.destination_id
                    and outcome.destination_id != "ID"
                ):
                    product = Product.objects.get(pk=product_id)
                    shipment = Shipment.objects.create(
                        deal=deal,
                        shipped_on=occurred_on,
                        hs_code_id=product.hs_code_id,
                        quantity=outcome.volume_kg,
                        unit="kg",
                        volume=outcome.volume_kg,
                        volume_unit="kg",
                        value_usd=outcome.value_usd,
                        destination_id=outcome.destination_id,
                        note=outcome.note,
                        recorded_by_id=outcome.recorded_by_id,
                    )
                    Shipment.objects.filter(pk=shipment.pk).update(recorded_at=outcome.recorded_at)
            FollowUp.objects.filter(outcome_id=outcome.pk).update(deal=deals[targets[0]])
        for deal in deals.values():
            reached = set(DealStep.objects.filter(deal=deal).values_list("stage", flat=True))
            furthest = max(reached, key=STAGE_ORDER.index)
            Deal.objects.filter(pk=deal.pk).update(stage=furthest)


def service_request_dates(apps, schema_editor):
    ServiceRequest = apps.get_model("matchmaking", "ServiceRequest")
    ServiceRequestNote = apps.get_model("matchmaking", "ServiceRequestNote")
    for request in ServiceRequest.objects.exclude(status="requested"):
        notes = ServiceRequestNote.objects.filter(service_request=request).order_by("created_at", "id")
        answer = notes.filter(to_status__in=["accepted", "declined"]).first()
        done = notes.filter(to_status="completed").first()
        answered_at = answer.created_at if answer else None
        if answered_at is None and request.status not in ("cancelled",):
            answered_at = request.updated_at
        completed_at = None
        if request.status == "completed":
            completed_at = done.created_at if done else request.updated_at
        ServiceRequest.objects.filter(pk=request.pk).update(
            answered_at=answered_at, completed_at=completed_at
        )


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0005_deals"),
        ("products", "0003_cataloguecache_cataloguestate_catalogueword_and_more"),
    ]

    operations = [
        migrations.RunPython(outcomes_to_deals, migrations.RunPython.noop),
        migrations.RunPython(service_request_dates, migrations.RunPython.noop),
    ]
