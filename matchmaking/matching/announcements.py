"""Telling organisations about new export-ready products that match them well.

Once a day (``tasks.announce_new_matches`` on beat) each organisation's members get one
notification (kind ``match.new_products``) listing the products that became export-ready within
``NEW_WITHIN`` and sit in its list of recommendations with at least the *good* score of the
weights in force, best first, leaving out what it dismissed and what it was told about before.
Each announced pair is kept (``MatchAnnouncement``, unique), so a product is announced to an
organisation once; an organisation told today is not told again before tomorrow, however often
the task runs. How the members receive it (portal, email at once, daily digest, not at all) is
their choice for the family "match".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext_lazy

from bumdes_export.notifications.services import translated
from exporters.models import Organisation
from exporters.selectors import members_of
from matchmaking.matching import selectors
from matchmaking.matching.models import MatchAnnouncement, OrganisationMatch
from matchmaking.matching.scoring import ORGANISATION_TOP
from matchmaking.services import tell
from products.models import Product

#: A product counts as new for this long after it became export-ready (the first run after a
#: quiet spell, or for an organisation that joined, looks back this far and no further).
NEW_WITHIN = timedelta(days=7)
#: At most this many products are listed in one announcement (the page has them all).
LISTED = 10


@dataclass(frozen=True)
class NewMatch:
    product: Product
    score: int  # tenths of a point, as stored
    province: str

    @property
    def percent(self) -> float:
        return self.score / 10


def new_matches(now: datetime | None = None) -> dict[int, list[NewMatch]]:
    """Per organisation id, the new well-matching products not yet announced to it (best
    first): among the ``ORGANISATION_TOP`` its recommendations page lists, not dismissed;
    organisations told today are left out."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    good = selectors.weights().good_score * 10
    ready = Q(product__status=Product.Status.EXPORT_READY)
    new = Q(product__export_ready_at__gte=now - NEW_WITHIN, product__export_ready_at__lte=now)
    told_today = MatchAnnouncement.objects.filter(announced_on=today).values("organisation_id")
    waiting = (
        OrganisationMatch.objects.filter(ready, new, score__gte=good)
        .exclude(organisation_id__in=told_today)
        .values("organisation_id")
    )
    # Listed as the recommendations page lists them (selectors.organisation_matches): ranked
    # among all its export-ready rows first, only then narrowed to the new ones.
    listed = (
        OrganisationMatch.objects.filter(ready, organisation_id__in=waiting)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("organisation_id")],
                order_by=[F("score").desc(), F("product_id").asc()],
            )
        )
        .filter(rank__lte=ORGANISATION_TOP)
        .values("pk")
    )
    rows = (
        OrganisationMatch.objects.filter(new, pk__in=listed, score__gte=good)
        .select_related("product__bumdes")
        .order_by("organisation_id", "-score", "product_id")
    )
    found: dict[int, list[tuple[Product, int]]] = defaultdict(list)
    for row in rows:
        found[row.organisation_id].append((row.product, row.score))
    skipped = _announced(found) | {
        (organisation, product)
        for product, organisation in selectors.dismissed_pairs("organisation", organisations=found)
    }
    provinces = selectors.region_names(
        {product.bumdes.village_id[:2] for pairs in found.values() for product, _ in pairs}
    )
    kept = {
        organisation_id: [
            NewMatch(product, score, provinces.get(product.bumdes.village_id[:2], ""))
            for product, score in pairs
            if (organisation_id, product.pk) not in skipped
        ]
        for organisation_id, pairs in found.items()
    }
    return {organisation_id: matches for organisation_id, matches in kept.items() if matches}


def _announced(found: dict[int, list[tuple[Product, int]]]) -> set[tuple[int, int]]:
    """The (organisation, product) pairs of ``found`` announced before."""
    return set(
        MatchAnnouncement.objects.filter(organisation_id__in=list(found)).values_list(
            "organisation_id", "product_id"
        )
    )


def announce_new_matches(now: datetime | None = None) -> dict[str, int]:
    """Tell each organisation's members about its new matches (see the module's docstring).
    Returns the organisations told, the members told and the products announced."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"organisations": 0, "members": 0, "products": 0}
    found = new_matches(now)
    organisations = Organisation.objects.in_bulk(list(found))
    for organisation_id, matches in found.items():
        organisation = organisations.get(organisation_id)
        if organisation is None:
            continue
        members = members_of(organisation)
        if not members:
            continue  # told once it has members, while the products are still new
        with transaction.atomic():
            matches = _record(organisation, matches, today)
            if not matches:
                continue  # another run told it meanwhile
            counts["members"] += _tell(organisation, members, matches)
        counts["organisations"] += 1
        counts["products"] += len(matches)
    return counts


def _record(organisation: Organisation, matches: list[NewMatch], today: date) -> list[NewMatch]:
    """Keep the announced pairs and return them: those of ``matches`` still unannounced, none
    when the organisation was told today meanwhile (another run, read before this one locked)."""
    locked = Organisation.objects.select_for_update().filter(pk=organisation.pk)
    list(locked)  # one run at a time per organisation, from here to the commit
    told = MatchAnnouncement.objects.filter(organisation=organisation)
    if told.filter(announced_on=today).exists():
        return []
    before = set(told.values_list("product_id", flat=True))
    matches = [match for match in matches if match.product.pk not in before]
    MatchAnnouncement.objects.bulk_create(
        MatchAnnouncement(
            organisation=organisation, product=match.product, score=match.score, announced_on=today
        )
        for match in matches
    )
    return matches


def _tell(organisation: Organisation, members: list, matches: list[NewMatch]) -> int:
    return tell(
        members,
        actor=None,
        kind="match.new_products",
        subject=translated(
            ngettext_lazy(
                "%(n)s new export-ready product matches %(organisation)s well",
                "%(n)s new export-ready products match %(organisation)s well",
                len(matches),
            ),
            n=len(matches),
            organisation=organisation.legal_name,
        ),
        template="matchmaking/email/match_new_products.txt",
        context={
            "organisation": organisation,
            "matches": matches[:LISTED],
            "more": max(0, len(matches) - LISTED),
            "total": len(matches),
        },
        link=reverse("matching:recommendations"),
    )
