"""The shipments in memory, as columns, for the dashboard's totals.

Grouping up to 100,000 shipments in the database for a new period took 60 to 250 ms a page
(seven groupings, each a pass over the period's shipments). Held as a few integer columns
(day, province, regency, HS heading, destination, BUMDes, organisation; value in US cents and
volume in thousandths of a kg or litre, so that every sum is exact), any period and region adds
up in a millisecond or two. Each web process reads the ledger once per generation of the
dashboard's tallies (``cache.generation``: a recorded shipment moves it), about 7 MB and a
fraction of a second for 100,000 shipments, and answers exactly what ``shipments.grouped`` would
(tested side by side).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
from django.db.models import BigIntegerField, F
from django.db.models.functions import Cast, Round

from matchmaking.deals.models import Shipment

#: A region the ledger can narrow to: the country (""), a province or a regency code.
LEDGER_REGIONS = (0, 2, 5)


@dataclass
class Ledger:
    generation: str
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
    months: list[str]  # "YYYY-MM"
    provinces: list[str]
    regencies: list[str]
    headings: list[str]
    destinations: list[str]

    def mask(self, start: date | None, end: date | None, region: str) -> np.ndarray:
        """The shipments in the period (both days included) and in the region."""
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


def _index(codes: list[str], code: str) -> int:
    try:
        return codes.index(code)
    except ValueError:
        return -1


def _coded(values: list[str]) -> tuple[np.ndarray, list[str]]:
    codes = sorted(set(values))
    position = {code: i for i, code in enumerate(codes)}
    return np.fromiter((position[v] for v in values), dtype=np.int32, count=len(values)), codes


def load(generation: str) -> Ledger:
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
            "deal__organisation_id",
            "cents",
            "thousandths",
            "volume_unit",
        )
        .order_by()
    )
    if rows:
        days, villages, hs, countries, bumdes, orgs, cents, volumes, units = map(
            list, zip(*rows, strict=True)
        )
    else:
        days, villages, hs, countries, bumdes, orgs, cents, volumes, units = ([] for _ in range(9))
    month, months = _coded([f"{d:%Y-%m}" for d in days])
    province, provinces = _coded([v[:2] for v in villages])
    regency, regencies = _coded([v[:5] for v in villages])
    heading, headings = _coded([code[:4] for code in hs])
    destination, destinations = _coded(countries)
    volume_array = np.array(volumes, dtype=np.int64)
    litres = np.array([u == "l" for u in units], dtype=bool)
    kilos = np.array([u == "kg" for u in units], dtype=bool)
    return Ledger(
        generation=generation,
        day=np.array([d.toordinal() for d in days], dtype=np.int32),
        month=month,
        province=province,
        regency=regency,
        heading=heading,
        destination=destination,
        bumdes=np.array(bumdes, dtype=np.int64),
        organisation=np.array(orgs, dtype=np.int64),
        usd_cents=np.array(cents, dtype=np.int64),
        kg_thousandths=np.where(kilos, volume_array, 0),
        l_thousandths=np.where(litres, volume_array, 0),
        months=months,
        provinces=provinces,
        regencies=regencies,
        headings=headings,
        destinations=destinations,
    )


_held: Ledger | None = None
_lock = threading.Lock()


def ledger(generation: str) -> Ledger:
    """This process's ledger for the generation (read again when the generation moved)."""
    global _held
    with _lock:
        if _held is None or _held.generation != generation:
            _held = load(generation)
        return _held


def forget() -> None:
    """Drop this process's ledger (the next reader reads it again)."""
    global _held
    with _lock:
        _held = None


#: One group's sums: (key, shipments, value in USD, kg, litres).
Sums = tuple[object, int, Decimal, Decimal, Decimal]


def sums_by(
    held: Ledger, keep: np.ndarray, keys: np.ndarray
) -> list[tuple[int, int, int, int, int]]:
    """(key, shipments, cents, kg thousandths, litre thousandths) per key among the kept rows,
    keys being non-negative integers."""
    chosen = keys[keep]
    if not len(chosen):
        return []
    groups, inverse = np.unique(chosen, return_inverse=True)
    count = np.bincount(inverse, minlength=len(groups))
    cents = np.bincount(inverse, weights=held.usd_cents[keep], minlength=len(groups))
    kg = np.bincount(inverse, weights=held.kg_thousandths[keep], minlength=len(groups))
    litres = np.bincount(inverse, weights=held.l_thousandths[keep], minlength=len(groups))
    return [
        (int(g), int(n), int(round(c)), int(round(k)), int(round(li)))
        for g, n, c, k, li in zip(groups, count, cents, kg, litres, strict=True)
    ]


def money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def volume(thousandths: int) -> Decimal:
    return Decimal(thousandths).scaleb(-3)
