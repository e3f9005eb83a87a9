"""The shipments in memory, as columns, for the dashboard's totals.

Grouping up to 100,000 shipments in the database for a new period took 60 to 250 ms a page
(seven groupings, each a pass over the period's shipments). Held as a few integer columns
(day, province, regency, HS heading, destination, BUMDes, organisation; value in US cents and
volume in thousandths of a kg or litre, so that every sum is exact), any period and region adds
up in a millisecond or two. One web process reads the ledger once per generation of the
dashboard's tallies (``cache.generation``: a recorded shipment moves it; about 6 MB and 0.3 s for
100,000 shipments) and leaves it in the shared cache for the others; meanwhile they answer from
the database. It answers exactly what ``shipments.grouped`` would (tested side by side).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
from django.db import connections
from django.db.models import BigIntegerField, F
from django.db.models.functions import Cast, Round

from matchmaking.deals.models import Shipment
from products.catalogue.selectors import shared_cache

#: A region the ledger can narrow to: the country (""), a province or a regency code.
LEDGER_REGIONS = (0, 2, 5)


@dataclass
class Ledger:
    generation: str
    day: np.ndarray  # days since 1970-01-01
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
            keep &= self.day >= np.datetime64(start, "D").astype(np.int64)
        if end:
            keep &= self.day <= np.datetime64(end, "D").astype(np.int64)
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
    """Read every shipment's columns from the database (straight from the cursor: a row object
    per shipment would cost more than the reading)."""
    query = (
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
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if rows:
        days, villages, hs, countries, bumdes, orgs, cents, volumes, units = map(
            list, zip(*rows, strict=True)
        )
    else:
        days, villages, hs, countries, bumdes, orgs, cents, volumes, units = ([] for _ in range(9))
    # Dates come as dates (PostgreSQL) or as ISO text (SQLite): both read as ISO text here.
    day = np.array([str(d) for d in days], dtype="datetime64[D]")
    month, months = _coded(np.datetime_as_string(day.astype("datetime64[M]")).tolist())
    province, provinces = _coded([v[:2] for v in villages])
    regency, regencies = _coded([v[:5] for v in villages])
    heading, headings = _coded([code[:4] for code in hs])
    destination, destinations = _coded(countries)
    volume_array = np.array(volumes, dtype=np.int64)
    unit_array = np.array(units)
    return Ledger(
        generation=generation,
        day=day.astype(np.int64),
        month=month,
        province=province,
        regency=regency,
        heading=heading,
        destination=destination,
        bumdes=np.array(bumdes, dtype=np.int64),
        organisation=np.array(orgs, dtype=np.int64),
        usd_cents=np.array(cents, dtype=np.int64),
        kg_thousandths=np.where(unit_array == "kg", volume_array, 0),
        l_thousandths=np.where(unit_array == "l", volume_array, 0),
        months=months,
        provinces=provinces,
        regencies=regencies,
        headings=headings,
        destinations=destinations,
    )


_held: Ledger | None = None
_lock = threading.Lock()
#: How long a ledger is kept in the shared cache, and how long one process may take to read
#: one before another tries.
KEPT_SECONDS = 3600
BUILDING_SECONDS = 60


def ledger(generation: str, *, build: bool = True) -> Ledger | None:
    """The ledger of the generation: this process's, else the one another process read (the
    shared cache), else read now when ``build`` and no other process is reading it already.
    None means: answer from the database this time (the ledger speeds reading up; it never makes
    a reader wait for another's)."""
    global _held
    with _lock:
        if _held is not None and _held.generation == generation:
            return _held
        shared = shared_cache()
        key = f"oversight:ledger:{hashlib.sha1(generation.encode(), usedforsecurity=False).hexdigest()}"
        found = shared.get(key)
        if found is None:
            if not build or not shared.add(f"{key}:reading", 1, BUILDING_SECONDS):
                return None
            found = load(generation)
            shared.set(key, found, KEPT_SECONDS)
        _held = found
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
