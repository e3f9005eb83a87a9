"""The shipments as columns, for the dashboard's totals.

Grouping up to 100,000 shipments in the database for a period nobody asked for before took 60 to
250 ms a page (five passes over the period's shipments). Held as a few integer columns (day,
month, province, regency, HS heading, destination, BUMDes, organisation; the value in US cents
and the volume in thousandths of a kg or litre, so that every sum is exact), any period and
region adds up in a millisecond or two, and answers exactly what ``shipments.grouped`` would
(tested side by side).

The ledger is data kept beside the tallies, like them: whoever counts the tallies again (the
change events' task, the hourly count, ``refresh_dashboard``) first writes it (``refresh``),
outside the count's transaction and only when the shipments changed (``stamp``: how many and
the newest; shipments are only ever added, or removed with their deal), as one row of
``ShipmentLedger`` (6.4 MB for 100,000 shipments, 0.8 s to build); so a new count time never
comes before the ledger of its shipments. A web process reads the newest row (50 ms) when it
did not hold it yet, and keeps it in memory; when none was written yet, the first reader builds
and writes it. Only a writer deletes, and only rows older than its own.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Count, F, Max
from django.db.models.functions import Cast, Round

from matchmaking.deals.models import Shipment
from matchmaking.oversight.models import ShipmentLedger

#: The lengths of the region codes the ledger can narrow to: the country, a province, a regency.
LEDGER_REGIONS = (0, 2, 5)
#: Sums of non-negative integers below this add up exactly in floating point (2**53).
EXACT_IN_FLOAT = 2**53


@dataclass
class Ledger:
    """Every shipment as one position in each column."""

    day: np.ndarray  # date ordinals
    month: np.ndarray  # index into ``months``
    province: np.ndarray  # index into ``provinces``
    regency: np.ndarray  # index into ``regencies``
    heading: np.ndarray  # index into ``headings``
    destination: np.ndarray  # index into ``destinations``
    bumdes: np.ndarray  # ids
    organisation: np.ndarray  # ids
    usd_cents: np.ndarray
    kg_thousandths: np.ndarray
    l_thousandths: np.ndarray
    months: np.ndarray  # "YYYY-MM"
    provinces: np.ndarray  # region codes
    regencies: np.ndarray
    headings: np.ndarray  # four digits
    destinations: np.ndarray  # country codes

    def mask(self, start: date | None, end: date | None, region: str) -> np.ndarray:
        """The shipments in the period (both days included) and in the region (a code of a
        length in ``LEDGER_REGIONS``)."""
        keep = np.ones(len(self.day), dtype=bool)
        if start:
            keep &= self.day >= start.toordinal()
        if end:
            keep &= self.day <= end.toordinal()
        if len(region) == 2:
            keep &= self.province == _index(self.provinces, region)
        elif len(region) == 5:
            keep &= self.regency == _index(self.regencies, region)
        return keep

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        np.savez(out, **{field.name: getattr(self, field.name) for field in fields(self)})
        return out.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> Ledger:
        with np.load(io.BytesIO(blob), allow_pickle=False) as stored:
            return cls(**{field.name: stored[field.name] for field in fields(cls)})


def _index(codes: np.ndarray, code: str) -> int:
    found = int(np.searchsorted(codes, code))
    return found if found < len(codes) and codes[found] == code else -1


def _coded(values: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each value's position in the sorted distinct values (fewer than 32,768: months, regions,
    HS headings, countries), and those values."""
    codes = np.array(sorted(set(values)), dtype=str)
    position = {str(code): i for i, code in enumerate(codes)}
    return np.fromiter((position[v] for v in values), dtype=np.int16, count=len(values)), codes


def build() -> Ledger:
    """Read every shipment's columns from the database."""
    rows = list(
        Shipment.objects.annotate(
            cents=Cast(Round(F("value_usd") * 100), BigIntegerField()),
            thousandths=Cast(Round(F("volume") * 1000), BigIntegerField()),
        )
        .values_list(
            "shipped_on",
            "village_id",
            "hs_code_id",
            "destination_id",
            "bumdes_id",
            "organisation_id",
            "cents",
            "thousandths",
            "volume_unit",
        )
        .order_by()
    )
    columns: list[list] = [list(column) for column in zip(*rows, strict=True)] or [[]] * 9
    days, villages, hs, countries, bumdes, organisations, cents, volumes, units = columns
    month, months = _coded([f"{d:%Y-%m}" for d in days])
    province, provinces = _coded([v[:2] for v in villages])
    regency, regencies = _coded([v[:5] for v in villages])
    heading, headings = _coded([code[:4] for code in hs])
    destination, destinations = _coded(countries)
    volume = np.array(volumes, dtype=np.int64)
    return Ledger(
        day=np.array([d.toordinal() for d in days], dtype=np.int32),
        month=month,
        province=province,
        regency=regency,
        heading=heading,
        destination=destination,
        bumdes=np.array(bumdes, dtype=np.int64),
        organisation=np.array(organisations, dtype=np.int64),
        usd_cents=np.array(cents, dtype=np.int64),
        kg_thousandths=np.where(np.array(units, dtype=str) == "kg", volume, 0),
        l_thousandths=np.where(np.array(units, dtype=str) == "l", volume, 0),
        months=months,
        provinces=provinces,
        regencies=regencies,
        headings=headings,
        destinations=destinations,
    )


def stamp() -> str:
    """The shipments' state: how many there are and the newest (shipments are only ever added,
    or removed with their deal)."""
    found = Shipment.objects.aggregate(count=Count("id"), newest=Max("id"))
    return f"{found['count']}:{found['newest'] or 0}"


def store(written_from: str, ledger: Ledger | None = None) -> Ledger:
    """Write the ledger (built now when not given) of the shipments in state ``written_from``
    and delete the older ones; a writer that finds it written already leaves it."""
    ledger = ledger if ledger is not None else build()
    try:
        with transaction.atomic():
            row = ShipmentLedger.objects.create(stamp=written_from, columns=ledger.to_bytes())
    except IntegrityError:  # another process wrote it for the same shipments
        return ledger
    ShipmentLedger.objects.filter(pk__lt=row.pk).delete()
    return ledger


def refresh() -> bool:
    """Write the ledger of the shipments as they are now, unless it is written; whether it
    wrote. Whoever counts the tallies calls it first, outside the count's transaction."""
    now = stamp()
    if ShipmentLedger.objects.filter(stamp=now).exists():
        return False
    store(now)
    return True


_held: tuple[tuple[int, str], Ledger] | None = None
_lock = threading.Lock()


def ledger() -> Ledger:
    """The newest ledger, held by this process until a newer one is written (read once each);
    built and written by the first reader when none is."""
    global _held
    with _lock:
        for _attempt in range(3):
            newest = ShipmentLedger.objects.order_by("-pk").values_list("pk", "stamp").first()
            if newest is None:
                store(stamp())
                continue
            if _held is not None and _held[0] == newest:
                return _held[1]
            blob = (
                ShipmentLedger.objects.filter(pk=newest[0])
                .values_list("columns", flat=True)
                .first()
            )
            if blob is not None:  # else a writer replaced it meanwhile: read the newer one
                _held = (newest, Ledger.from_bytes(bytes(blob)))
                return _held[1]
        return build()  # writers kept replacing it: this request counts for itself


def forget() -> None:
    """Drop this process's ledger (the next reader reads it again)."""
    global _held
    with _lock:
        _held = None


def sums_by(
    held: Ledger, keep: np.ndarray, keys: np.ndarray, limit: int | None = None
) -> list[tuple[int, int, int, int, int]]:
    """(key, shipments, cents, kg thousandths, litre thousandths) per key among the kept rows,
    keys being non-negative integers; with ``limit``, only the first ``limit`` by value (largest
    first, then by key), chosen before any of them becomes a Python object."""
    chosen = keys[keep]
    if not len(chosen):
        return []
    groups, inverse = np.unique(chosen, return_inverse=True)
    count = np.bincount(inverse, minlength=len(groups))

    def added(column: np.ndarray) -> np.ndarray:
        values = column[keep]
        if int(values.sum()) < EXACT_IN_FLOAT:  # every partial sum is an exact float
            return np.bincount(inverse, weights=values, minlength=len(groups)).astype(np.int64)
        totals = np.zeros(len(groups), dtype=np.int64)
        np.add.at(totals, inverse, values)
        return totals

    cents, kg, litres = added(held.usd_cents), added(held.kg_thousandths), added(held.l_thousandths)
    if limit is not None:
        first = np.lexsort((groups, -cents))[:limit]
        groups, count, cents, kg, litres = (a[first] for a in (groups, count, cents, kg, litres))
    return [
        (int(g), int(n), int(c), int(k), int(li))
        for g, n, c, k, li in zip(groups, count, cents, kg, litres, strict=True)
    ]


def money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def volume(thousandths: int) -> Decimal:
    return Decimal(thousandths).scaleb(-3)
