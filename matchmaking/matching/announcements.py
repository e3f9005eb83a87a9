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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext_lazy

from bumdes_export.notifications.services import translated
from exporters.models import Organisation
from exporters.selectors import members_of
from matchmaking.matching import selectors
from matchmaking.matching.models import MatchAnnouncement, MatchDismissal, OrganisationMatch
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
    first); organisations told today are left out."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    good = selectors.weights().good_score * 10
    rows = (
        OrganisationMatch.objects.filter(
            score__gte=good,
            product__status=Product.Status.EXPORT_READY,
            product__export_ready_at__gte=now - NEW_WITHIN,
            product__export_ready_at__lte=now,
        )
        .exclude(
            organisation_id__in=MatchAnnouncement.objects.filter(announced_on=today).values(
                "organisation_id"
            )
        )
        .select_related("product__bumdes")
        .order_by("organisation_id", "-score", "product_id")
    )
    announced = set(
        MatchAnnouncement.objects.filter(
            organisation_id__in=rows.values("organisation_id")
        ).values_list("organisation_id", "product_id")
    )
    dismissed = set(
        MatchDismissal.objects.filter(side=MatchDismissal.Side.ORGANISATION).values_list(
            "organisation_id", "product_id"
        )
    )
    found: dict[int, list[tuple[Product, int]]] = defaultdict(list)
    for row in rows:
        pair = (row.organisation_id, row.product_id)
        if pair not in announced and pair not in dismissed:
            found[row.organisation_id].append((row.product, row.score))
    provinces = selectors.region_names(
        {product.bumdes.village_id[:2] for pairs in found.values() for product, _ in pairs}
    )
    return {
        organisation_id: [
            NewMatch(product, score, provinces.get(product.bumdes.village_id[:2], ""))
            for product, score in pairs
        ]
        for organisation_id, pairs in found.items()
    }


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
            if not _record(organisation, matches, today):
                continue  # another run told it today
            counts["members"] += _tell(organisation, members, matches)
        counts["organisations"] += 1
        counts["products"] += len(matches)
    return counts


def _record(organisation: Organisation, matches: list[NewMatch], today: date) -> bool:
    """Keep the announced pairs; False when the organisation was told today meanwhile."""
    locked = Organisation.objects.select_for_update().filter(pk=organisation.pk)
    list(locked)  # one run at a time per organisation, from here to the commit
    if MatchAnnouncement.objects.filter(organisation=organisation, announced_on=today).exists():
        return False
    MatchAnnouncement.objects.bulk_create(
        [
            MatchAnnouncement(
                organisation=organisation,
                product=match.product,
                score=match.score,
                announced_on=today,
            )
            for match in matches
        ],
        ignore_conflicts=True,
    )
    return True


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
