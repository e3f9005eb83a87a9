"""Shipments and their value on the dashboard: by commodity (HS chapter and heading), destination
country, province and month, the top BUMDes and organisations, all within the reader's region
and the chosen period. Counted in the database; volumes in kg and litres are kept apart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils.translation import ngettext

from exporters.models import Organisation
from matchmaking.access import AnyUser
from matchmaking.deals.models import Shipment
from matchmaking.oversight import cache, ledger
from matchmaking.oversight import labels as reference_names
from matchmaking.oversight.selectors import reading_region
from products.models import Bumdes


@dataclass(frozen=True)
class Period:
    """Shipments from ``start`` to ``end`` (both included; either may be open)."""

    start: date | None = None
    end: date | None = None

    def q(self, field: str = "shipped_on") -> Q:
        q = Q()
        if self.start:
            q &= Q(**{f"{field}__gte": self.start})
        if self.end:
            q &= Q(**{f"{field}__lte": self.end})
        return q


@dataclass(frozen=True)
class Total:
    key: str
    label: str
    shipments: int
    value_usd: Decimal
    volume_kg: Decimal
    volume_l: Decimal


def shipments_in(user: AnyUser, period: Period, region: str = "") -> QuerySet[Shipment]:
    """The shipments of products in the reader's region (and in ``region``, a code within it,
    when given) shipped in the period."""
    within = reading_region(user, region)
    if within is None:
        return Shipment.objects.none()
    qs = Shipment.objects.filter(period.q())
    if within:
        qs = qs.filter(Q(village__code=within) | Q(village__code__startswith=f"{within}."))
    return qs


#: What each group adds up.
SUMS = {
    "n": Count("pk"),
    "usd": Sum("value_usd"),
    "kg": Sum("volume", filter=Q(volume_unit="kg")),
    "litres": Sum("volume", filter=Q(volume_unit="l")),
}


def _totals(
    qs: QuerySet[Shipment], key: Any, labels: Any = None, limit: int | None = None
) -> list[Total]:
    """The shipments grouped by ``key``, largest value first (the first ``limit`` groups);
    ``labels`` names the groups found (a function of their keys; the key itself where it gives
    none)."""
    grouped = qs.annotate(group=key).values("group").annotate(**SUMS).order_by("-usd", "group")
    rows = list(grouped[:limit] if limit else grouped)
    names = labels([str(row["group"]) for row in rows]) if labels else {}
    return [
        Total(
            key=str(row["group"]),
            label=names.get(str(row["group"]), str(row["group"])),
            shipments=row["n"],
            value_usd=row["usd"] or Decimal(0),
            volume_kg=row["kg"] or Decimal(0),
            volume_l=row["litres"] or Decimal(0),
        )
        for row in rows
    ]


def by_chapter(qs: QuerySet[Shipment]) -> list[Total]:
    return _totals(qs, Substr("hs_code_id", 1, 2), reference_names.hs)


def by_heading(qs: QuerySet[Shipment]) -> list[Total]:
    return _totals(qs, Substr("hs_code_id", 1, 4), reference_names.hs)


def by_destination(qs: QuerySet[Shipment], language: str) -> list[Total]:
    return _totals(qs, F("destination_id"), reference_names.countries(language))


def by_province(qs: QuerySet[Shipment]) -> list[Total]:
    return _totals(qs, Substr("village_id", 1, 2), reference_names.provinces)


def by_month(qs: QuerySet[Shipment]) -> list[Total]:
    totals = _totals(qs, TruncMonth("shipped_on"))
    return sorted(
        (
            Total(t.key[:7], t.key[:7], t.shipments, t.value_usd, t.volume_kg, t.volume_l)
            for t in totals
        ),
        key=lambda t: t.key,
    )


def _top(qs: QuerySet[Shipment], key: str, model: Any, name: str, limit: int) -> list[Total]:
    top = _totals(qs, F(key), limit=limit)
    names = dict(model.objects.filter(pk__in=[t.key for t in top]).values_list("pk", name))
    return [
        Total(
            t.key, names.get(int(t.key), t.key), t.shipments, t.value_usd, t.volume_kg, t.volume_l
        )
        for t in top
    ]


#: How many BUMDes and organisations the top lists name.
TOP = 5


def top_bumdes(qs: QuerySet[Shipment], limit: int = TOP) -> list[Total]:
    return _top(qs, "bumdes_id", Bumdes, "name", limit)


def top_organisations(qs: QuerySet[Shipment], limit: int = TOP) -> list[Total]:
    return _top(qs, "organisation_id", Organisation, "legal_name", limit)


def _fold(totals: list[Total], key: Callable[[str], str], labels: Any = None) -> list[Total]:
    """Totals grouped again by ``key`` of their keys (headings into chapters), ordered as the
    database orders them: largest value first, then by key."""
    added: dict[str, list[Any]] = {}
    for t in totals:
        row = added.setdefault(key(t.key), [0, Decimal(0), Decimal(0), Decimal(0)])
        row[0] += t.shipments
        row[1] += t.value_usd
        row[2] += t.volume_kg
        row[3] += t.volume_l
    names = labels(list(added)) if labels else {}
    folded = [Total(k, names.get(k, k), *row) for k, row in added.items()]
    return sorted(folded, key=lambda t: (-t.value_usd, t.key))


def all_groupings(qs: QuerySet[Shipment], language: str) -> dict[str, list[Total]]:
    """Every grouping at once, in four passes over the shipments instead of seven: chapters are
    added up from headings, provinces and months from their pairs. The same totals as
    ``grouped`` gives one at a time."""
    headings = by_heading(qs)
    pairs = [
        Total(
            f"{row['province']}|{row['month']}",
            "",
            row["n"],
            row["usd"] or Decimal(0),
            row["kg"] or Decimal(0),
            row["litres"] or Decimal(0),
        )
        for row in qs.annotate(province=Substr("village_id", 1, 2), month=TruncMonth("shipped_on"))
        .values("province", "month")
        .annotate(**SUMS)
        .order_by()
    ]
    months = _fold(pairs, lambda key: key.split("|")[1][:7])
    return {
        "chapter": _fold(headings, lambda key: key[:2], reference_names.hs),
        "heading": headings,
        "destination": by_destination(qs, language),
        "province": _fold(pairs, lambda key: key.split("|")[0], reference_names.provinces),
        "month": sorted(months, key=lambda t: t.key),
        "bumdes": top_bumdes(qs),
        "organisation": top_organisations(qs),
    }


# --- the same from the ledger (``ledger``) -----------------------------------------------------


def _ledger_rows(user: AnyUser, period: Period, region: str, generation: str) -> Any:
    """The ledger and the mask of the shipments the reader sees in the period and region; None
    where the ledger cannot narrow to them (a region smaller than a regency: the database
    answers) or nothing was counted yet."""
    within = reading_region(user, region)
    if within is None or len(within) not in ledger.LEDGER_REGIONS or generation == cache.NEVER:
        return None
    held = ledger.ledger()
    return held, held.mask(period.start, period.end, within)


def _from_sums(
    rows: list[tuple[Any, int, int, int, int]], labels: Any = None, limit: int | None = None
) -> list[Total]:
    """Totals from the ledger's sums, ordered as the database orders them: largest value
    first, then by key."""
    ordered = sorted(rows, key=lambda row: (-row[2], row[0]))[:limit]
    names = labels([str(row[0]) for row in ordered]) if labels else {}
    return [
        Total(
            str(key),
            names.get(str(key), str(key)),
            n,
            ledger.money(cents),
            ledger.volume(kg),
            ledger.volume(litres),
        )
        for key, n, cents, kg, litres in ordered
    ]


def _coded_sums(held: ledger.Ledger, keep: Any, column: str, codes: Any) -> list[Any]:
    return [
        (str(codes[k]), *rest) for k, *rest in ledger.sums_by(held, keep, getattr(held, column))
    ]


def _ledger_top(held: ledger.Ledger, keep: Any, group: str) -> list[Total]:
    model, name = (Bumdes, "name") if group == "bumdes" else (Organisation, "legal_name")
    top = _from_sums(ledger.sums_by(held, keep, getattr(held, group), limit=TOP))
    names = dict(model.objects.filter(pk__in=[int(t.key) for t in top]).values_list("pk", name))
    return [
        Total(
            t.key, names.get(int(t.key), t.key), t.shipments, t.value_usd, t.volume_kg, t.volume_l
        )
        for t in top
    ]


def _ledger_grouping(
    held: ledger.Ledger, keep: Any, group: str, language: str, headings: list[Total] | None = None
) -> list[Total]:
    """One grouping from the ledger (``headings`` when counted already, for the chapters)."""
    if group in ("chapter", "heading"):
        if headings is None:
            headings = _from_sums(
                _coded_sums(held, keep, "heading", held.headings), reference_names.hs
            )
        return (
            headings if group == "heading" else _fold(headings, lambda k: k[:2], reference_names.hs)
        )
    if group == "destination":
        return _from_sums(
            _coded_sums(held, keep, "destination", held.destinations),
            reference_names.countries(language),
        )
    if group == "province":
        return _from_sums(
            _coded_sums(held, keep, "province", held.provinces), reference_names.provinces
        )
    if group == "month":
        return sorted(
            _from_sums(_coded_sums(held, keep, "month", held.months)), key=lambda t: t.key
        )
    return _ledger_top(held, keep, group)


def _ledger_groupings(held: ledger.Ledger, keep: Any, language: str) -> dict[str, list[Total]]:
    """Every grouping from the ledger: what ``all_groupings`` gives from the database."""
    headings = _ledger_grouping(held, keep, "heading", language)
    return {group: _ledger_grouping(held, keep, group, language, headings) for group in GROUPINGS}


def prepare() -> None:
    """Read the newest ledger into this process (as a web process starts: the first dashboard
    request after a restart finds it)."""
    ledger.ledger()


def grouped(qs: QuerySet[Shipment], group: str, language: str) -> list[Total]:
    """The totals of one grouping by its name (``GROUPINGS``)."""
    if group == "destination":
        return by_destination(qs, language)
    return GROUPINGS[group](qs)


#: The groupings the dashboard shows, by the name the page and the API use.
GROUPINGS: dict[str, Any] = {
    "chapter": by_chapter,
    "heading": by_heading,
    "destination": by_destination,
    "province": by_province,
    "month": by_month,
    "bumdes": top_bumdes,
    "organisation": top_organisations,
}


def totals(
    user: AnyUser,
    period: Period,
    group: str,
    language: str,
    region: str = "",
    *,
    kept_for: str | None = None,
) -> list[Total]:
    """The totals of one grouping of the shipments the reader sees in the period (and region),
    kept in the dashboard's cache."""
    generation = kept_for or cache.generation()

    def count() -> list[Total]:
        held = _ledger_rows(user, period, region, generation)
        if held is None:
            return grouped(shipments_in(user, period, region=region), group, language)
        return _ledger_grouping(*held, group, language)

    parts = (cache.reader_key(user), region, period.start, period.end, group, language[:2])
    return cache.remembered("shipments", parts, count, kept_for=generation)


#: The groups a page shows of a grouping that can be long (the rest as one "other" row); the
#: exports and the API give every group.
SHOWN = 12
#: The groupings a page shortens that way.
SHORTENED = ("chapter", "heading", "destination")
#: The key of the row that holds the rest.
OTHER = "other"


def shortened(totals: list[Total], shown: int = SHOWN) -> list[Total]:
    """The ``shown`` largest groups and, when there are more, one row adding up the rest."""
    if len(totals) <= shown + 1:
        return totals
    rest = totals[shown:]
    return [
        *totals[:shown],
        Total(
            OTHER,
            ngettext("%(n)s more", "%(n)s more", len(rest)) % {"n": len(rest)},
            sum(t.shipments for t in rest),
            sum((t.value_usd for t in rest), Decimal(0)),
            sum((t.volume_kg for t in rest), Decimal(0)),
            sum((t.volume_l for t in rest), Decimal(0)),
        ),
    ]


def figures(
    user: AnyUser,
    period: Period,
    language: str,
    region: str = "",
    *,
    kept_for: str | None = None,
) -> dict[str, list[Total]]:
    """Every grouping of the shipments the reader sees in the period (and region), the long
    ones shortened for a page."""
    generation = kept_for or cache.generation()

    def count() -> dict[str, list[Total]]:
        held = _ledger_rows(user, period, region, generation)
        if held is None:
            return all_groupings(shipments_in(user, period, region=region), language)
        return _ledger_groupings(*held, language)

    parts = (cache.reader_key(user), region, period.start, period.end, language[:2])
    figures = cache.remembered("shipments-all", parts, count, kept_for=generation)
    return {
        group: shortened(rows) if group in SHORTENED else rows for group, rows in figures.items()
    }
