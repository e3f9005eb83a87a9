"""Demo matchmaking, loaded after the products and exporters demos (``load_demo_data``):
the dealings (conversations, a buying request, facilitation, the deals they led to), then the
forum of the story (with the crab deal and its shipments), then a full rescore so the demo shows
match scores at once. The summary ends with the deals, for a tour of ``/deals/``."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import translation

from matchmaking.dealings import demo as dealings_demo
from matchmaking.deals.models import Deal
from matchmaking.forums import demo as forums_demo
from matchmaking.matching import tasks
from matchmaking.oversight import tasks as oversight_tasks


def deal_summary() -> list[tuple[str, str]]:
    """Lines of the demo summary (no login: an empty username) naming each deal, its stage,
    where it started and its shipments."""
    deals = (
        Deal.objects.select_related("product", "organisation")
        .annotate(shipment_count=Count("shipments"), shipped_usd=Sum("shipments__value_usd"))
        .order_by("opened_at", "id")
    )
    if not deals:
        return []
    lines = [("", "Deals at /deals/ (each seen by its two sides, their officers and ministry):")]
    with translation.override("en"):
        for deal in deals:
            text = (
                f"- {deal.product.name_en or deal.product.name_id} with "
                f"{deal.organisation.legal_name}: {deal.get_stage_display()}, from "
                f"{str(deal.get_channel_display()).lower()}"
            )
            if deal.shipment_count:
                plural = "s" if deal.shipment_count != 1 else ""
                text += (
                    f", {deal.shipment_count} shipment{plural} worth USD {deal.shipped_usd:,.0f}"
                )
            if deal.is_lost:
                text += f" (lost: {str(deal.get_lost_reason_display()).lower()})"
            lines.append(("", text))
    return lines


def load() -> list[tuple[str, str]]:
    accounts = dealings_demo.load()
    if not accounts:
        return []  # the products or exporters demo is not there (yet)
    accounts += forums_demo.load()
    accounts += deal_summary()
    # Every demo product scored as soon as the demo is committed (tasks run in-process in the
    # embedded mode).
    transaction.on_commit(lambda: tasks.start_full_run())
    # ... the buyers told about the products that fit them (with workers: by the daily task).
    transaction.on_commit(lambda: tasks.announce_new_matches.delay())
    # ... and the dashboard counted once the scores are in.
    transaction.on_commit(lambda: oversight_tasks.refresh_all_tallies.delay())
    return accounts
