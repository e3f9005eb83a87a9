"""From database rows to the plain numbers the score reads.

Two shapes of the same facts: ``ProductFeatures``/``OrganisationFeatures`` (one object per row, for
the specification and tests) and column arrays (``ProductTable``/``OrganisationTable``, for the
kernel). The loaders read the columns straight from SQL, so scoring 300,000 products does not
build 300,000 objects.

Indexes shared by both sides (the ``Lexicon``): provinces, export gateways, certificate types
and countries, each numbered in code order, so a bit set of one side meets the other's.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
from django.db import connection, models
from django.db.models import Count, Max, Sum
from django.utils import timezone

from bumdes_export.reference.models import (
    CertificateType,
    Country,
    ExportGateway,
    ReferenceLoad,
    Region,
)
from exporters.models import Organisation
from matchmaking.matching.models import MatchWeights
from matchmaking.matching.scoring import (
    OrganisationFeatures,
    ProductFeatures,
    Weights,
    volume_need_kg,
)
from products.readiness import selectors as readiness_selectors

# Organisations that source products (service providers do not buy or export).
MATCHED_KINDS = ("exporter", "aggregator", "buyer", "platform")

LIVE_FORMS = ("live",)
MARKET_WORDS = 4  # 256 countries


@dataclass(frozen=True)
class Lexicon:
    provinces: dict[str, int]
    gateways: dict[str, int]
    certificates: dict[int, int]  # certificate type id -> bit
    certificate_codes: dict[str, int]  # certificate type code -> bit
    countries: dict[str, int]
    country_codes: tuple[str, ...]
    gateway_codes: tuple[str, ...]
    # Which markets a product's documents open, by the readiness rules in force
    # (``products.readiness.selectors.market_documents``): (country bit, the certificate bits
    # the market asks for) for each market with certificates of its own; the certificates of
    # origin no rule ties to a market (the plain SKA); the countries that ask for nothing of
    # their own, which such a certificate opens.
    market_requirements: tuple[tuple[int, int], ...] = ()
    general_origin: int = 0
    open_markets: int = 0

    def markets_ready(self, held: int) -> int:
        """The bit set of countries a product holding the certificates ``held`` is ready for."""
        ready = 0
        for country_bit, wanted in self.market_requirements:
            if wanted & ~held == 0:
                ready |= 1 << country_bit
        if held & self.general_origin:
            ready |= self.open_markets
        return ready


def load_lexicon() -> Lexicon:
    provinces = list(
        Region.objects.filter(level=Region.Level.PROVINCE)
        .order_by("code")
        .values_list("code", flat=True)
    )
    gateways = list(ExportGateway.objects.order_by("code").values_list("code", flat=True))
    certificate_rows = list(CertificateType.objects.order_by("id").values_list("id", "code"))
    countries = list(Country.objects.order_by("code").values_list("code", flat=True))
    # Bit sets are 64 bits wide; anything beyond is ignored by the score (and by the reasons).
    certificates = {pk: bit for bit, (pk, _code) in enumerate(certificate_rows[:64])}
    certificate_codes = {code: bit for bit, (_pk, code) in enumerate(certificate_rows[:64])}
    country_index = {code: i for i, code in enumerate(countries[: MARKET_WORDS * 64])}
    documents = readiness_selectors.market_documents()
    requirements = []
    open_markets = 0
    for code, i in country_index.items():
        wanted = documents.by_market.get(code)
        if not wanted:
            open_markets |= 1 << i
        elif all(c in certificate_codes for c in wanted):
            requirements.append((i, sum(1 << certificate_codes[c] for c in wanted)))
        # (a market asking for a certificate beyond the 64 indexed is never ready)
    general_origin = sum(
        1 << certificate_codes[c] for c in documents.general_origin if c in certificate_codes
    )
    return Lexicon(
        provinces={code: i for i, code in enumerate(provinces[:64])},
        gateways={code: i for i, code in enumerate(gateways[:64])},
        certificates=certificates,
        certificate_codes=certificate_codes,
        countries=country_index,
        country_codes=tuple(countries),
        gateway_codes=tuple(gateways),
        market_requirements=tuple(requirements),
        general_origin=general_origin,
        open_markets=open_markets,
    )


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Nearest:
    gateway: int
    distance_km: int


@lru_cache(maxsize=4)
def _gateway_table(
    stamp: tuple[int | None, int],
) -> tuple[dict[str, tuple[Nearest, Nearest]], tuple[str, ...]]:
    """For every regency: the nearest gateway of any kind and the nearest airport."""
    gateways = list(
        ExportGateway.objects.order_by("code").values_list("code", "kind", "latitude", "longitude")
    )
    codes = tuple(code for code, *_rest in gateways)
    table: dict[str, tuple[Nearest, Nearest]] = {}
    for code, lat, lon in Region.objects.filter(
        level=Region.Level.REGENCY, latitude__isnull=False
    ).values_list("code", "latitude", "longitude"):
        if lat is None or lon is None:  # a regency without its position has no nearest gateway
            continue
        best_any = best_air = Nearest(-1, -1)
        for i, (_gw, kind, glat, glon) in enumerate(gateways[:64]):
            km = round(haversine_km(float(lat), float(lon), float(glat), float(glon)))
            if best_any.distance_km < 0 or km < best_any.distance_km:
                best_any = Nearest(i, km)
            if kind == "airport" and (best_air.distance_km < 0 or km < best_air.distance_km):
                best_air = Nearest(i, km)
        table[code] = (best_any, best_air)
    return table, codes


def gateway_table() -> dict[str, tuple[Nearest, Nearest]]:
    stamp = (
        ReferenceLoad.objects.order_by("-id").values_list("id", flat=True).first(),
        ExportGateway.objects.count(),
    )
    return _gateway_table(stamp)[0]


def weights_from(row: MatchWeights) -> Weights:
    """``Weights`` of a ``MatchWeights`` row, for the current month."""
    month = timezone.localdate().month
    return Weights(
        fit=row.weight_fit,
        volume=row.weight_volume,
        certificates=row.weight_certificates,
        markets=row.weight_markets,
        logistics=row.weight_logistics,
        readiness=row.weight_readiness,
        fit_heading_pct=row.fit_heading_pct,
        fit_chapter_pct=row.fit_chapter_pct,
        volume_share_pct=row.volume_share_pct,
        volume_unknown_pct=row.volume_unknown_pct,
        distance_full_km=row.distance_full_km,
        distance_zero_km=row.distance_zero_km,
        preference_share_pct=row.preference_share_pct,
        season_share_pct=row.season_share_pct,
        season_months=row.season_months,
        min_score=row.min_score,
        good_score=row.good_score,
        month=month,
        version=row.pk,
    )


# --- products -----------------------------------------------------------------------------


@dataclass
class ProductTable:
    """Products as columns, sorted by HS chapter then id (each chapter one contiguous run)."""

    ids: np.ndarray
    versions: np.ndarray
    chapter: np.ndarray
    head: np.ndarray
    sub: np.ndarray
    cap: np.ndarray
    certs: np.ndarray
    markets: np.ndarray
    province: np.ndarray
    gateway: np.ndarray
    dist: np.ndarray
    readiness: np.ndarray
    months: np.ndarray
    ready: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def chapter_runs(self) -> list[tuple[int, int, int]]:
        """(chapter, first index, end index) of each chapter present."""
        if not len(self.ids):
            return []
        cuts = np.flatnonzero(np.diff(self.chapter)) + 1
        starts = np.concatenate(([0], cuts))
        ends = np.concatenate((cuts, [len(self.ids)]))
        return [(int(self.chapter[s]), int(s), int(e)) for s, e in zip(starts, ends, strict=True)]


def _market_words(bits: int) -> list[int]:
    return [(bits >> (64 * w)) & ((1 << 64) - 1) for w in range(MARKET_WORDS)]


def product_table(products: Sequence[ProductFeatures]) -> ProductTable:
    ordered = sorted(products, key=lambda p: (p.hs_code[:2], p.id))
    n = len(ordered)
    return ProductTable(
        ids=np.array([p.id for p in ordered], dtype=np.int64),
        versions=np.array([p.version for p in ordered], dtype=np.int64),
        chapter=np.array([int(p.hs_code[:2]) for p in ordered], dtype=np.int64),
        head=np.array(
            [int(p.hs_code[2:4]) if len(p.hs_code) >= 4 else -1 for p in ordered], dtype=np.int64
        ),
        sub=np.array(
            [int(p.hs_code) if len(p.hs_code) == 6 else -1 for p in ordered], dtype=np.int64
        ),
        cap=np.array([p.capacity_kg for p in ordered], dtype=np.int64),
        certs=np.array([p.certificates for p in ordered], dtype=np.uint64),
        markets=np.array(
            [_market_words(p.ready_markets) for p in ordered], dtype=np.uint64
        ).reshape(n, MARKET_WORDS),
        province=np.array([p.province for p in ordered], dtype=np.int64),
        gateway=np.array([p.gateway for p in ordered], dtype=np.int64),
        dist=np.array([p.distance_km for p in ordered], dtype=np.int64),
        readiness=np.array([p.readiness for p in ordered], dtype=np.int64),
        months=np.array([p.available_months for p in ordered], dtype=np.int64),
        ready=np.array([p.export_ready for p in ordered], dtype=np.bool_),
    )


def load_products(
    lexicon: Lexicon,
    *,
    ids: Iterable[int] | None = None,
    chapter: str | None = None,
    id_range: tuple[int, int] | None = None,
    today: date | None = None,
) -> list[ProductFeatures]:
    """Features of the products picked by ids, or by HS chapter and an id range."""
    today = today or timezone.localdate()
    where: list[str] = []
    params: list[int | str | date] = []
    if ids is not None:
        ids = list(ids)
        if not ids:
            return []
        where.append(f"p.id IN ({','.join(['%s'] * len(ids))})")
        params += ids
    if chapter is not None:
        # A range rather than LIKE, so the foreign-key index serves it whatever the collation.
        where.append("p.hs_code_id >= %s AND p.hs_code_id < %s")
        params += [chapter, f"{chapter}z"]
    if id_range is not None:
        where.append("p.id BETWEEN %s AND %s")
        params += list(id_range)
    clause = " AND ".join(where) or "1=1"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, p.version, p.hs_code_id, p.status, p.form, p.capacity_base, "
            "p.base_unit, p.readiness_score, p.available_months, b.village_id "
            "FROM products_product p JOIN products_bumdes b ON b.id = p.bumdes_id "
            f"WHERE {clause} ORDER BY p.id",
            params,
        )
        rows = cursor.fetchall()
        if not rows:
            return []
        first, last = rows[0][0], rows[-1][0]
        certificates: dict[int, int] = defaultdict(int)
        cursor.execute(
            "SELECT c.product_id, c.type_id FROM products_certificate c "
            "JOIN products_product p ON p.id = c.product_id "
            f"WHERE {clause} AND c.product_id BETWEEN %s AND %s "
            "AND (c.valid_until IS NULL OR c.valid_until >= %s) "
            "AND (c.valid_from IS NULL OR c.valid_from <= %s)",
            [*params, first, last, today, today],
        )
        for product_id, type_id in cursor.fetchall():
            bit = lexicon.certificates.get(type_id)
            if bit is not None:
                certificates[product_id] |= 1 << bit
        exported: dict[int, int] = defaultdict(int)
        cursor.execute(
            "SELECT x.product_id, x.country_id FROM products_product_exported_to x "
            "JOIN products_product p ON p.id = x.product_id "
            f"WHERE {clause} AND x.product_id BETWEEN %s AND %s",
            [*params, first, last],
        )
        for product_id, country in cursor.fetchall():
            bit = lexicon.countries.get(country)
            if bit is not None:
                exported[product_id] |= 1 << bit
    nearest = gateway_table()
    result = []
    for pk, version, hs, status, form, capacity, base_unit, readiness, months, village in rows:
        parts = village.split(".")
        regency = ".".join(parts[:2])
        pair = nearest.get(regency)
        near = (pair[1] if form in LIVE_FORMS else pair[0]) if pair else Nearest(-1, -1)
        held = certificates.get(pk, 0)
        ready = exported.get(pk, 0)
        ready |= lexicon.markets_ready(held)
        result.append(
            ProductFeatures(
                id=pk,
                version=version,
                hs_code=hs,
                export_ready=status == "export_ready",
                capacity_kg=int(capacity)
                if capacity is not None and base_unit in ("kg", "l")
                else -1,
                certificates=held,
                ready_markets=ready,
                province=lexicon.provinces.get(parts[0], -1),
                gateway=near.gateway,
                distance_km=near.distance_km,
                readiness=readiness,
                available_months=months,
            )
        )
    return result


def load_product_table(
    lexicon: Lexicon, *, chapter: str, id_range: tuple[int, int], today: date | None = None
) -> ProductTable:
    """The products of one chapter and id range straight into columns (full runs).

    Same facts as ``product_table(load_products(...))``, without an object per product: a full
    run reads 300,000 of them.
    """
    today = today or timezone.localdate()
    clause = "p.hs_code_id >= %s AND p.hs_code_id < %s AND p.id BETWEEN %s AND %s"
    params: list[int | str | date] = [chapter, f"{chapter}z", *id_range]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, p.version, p.hs_code_id, p.status = 'export_ready', p.form = 'live', "
            "CASE WHEN p.base_unit IN ('kg', 'l') THEN floor(p.capacity_base) END, "
            "p.readiness_score, p.available_months, b.village_id "
            "FROM products_product p JOIN products_bumdes b ON b.id = p.bumdes_id "
            f"WHERE {clause} ORDER BY p.id",
            params,
        )
        rows = cursor.fetchall()
        n = len(rows)
        if not n:
            return product_table([])
        id_values, versions, codes, ready, live, capacity, readiness, months, villages = zip(
            *rows, strict=True
        )
        ids = np.array(id_values, dtype=np.int64)
        certs = np.zeros(n, dtype=np.uint64)
        cursor.execute(
            "SELECT c.product_id, c.type_id FROM products_certificate c "
            "JOIN products_product p ON p.id = c.product_id "
            f"WHERE {clause} AND (c.valid_until IS NULL OR c.valid_until >= %s) "
            "AND (c.valid_from IS NULL OR c.valid_from <= %s)",
            [*params, today, today],
        )
        held = cursor.fetchall()
        if held:
            product_of, type_of = (np.array(c, dtype=np.int64) for c in zip(*held, strict=True))
            bit_of = np.array(
                [lexicon.certificates.get(t, -1) for t in type_of.tolist()], dtype=np.int64
            )
            keep = bit_of >= 0
            np.bitwise_or.at(
                certs,
                np.searchsorted(ids, product_of[keep]),
                np.left_shift(np.uint64(1), bit_of[keep].astype(np.uint64)),
            )
        markets = np.zeros((n, MARKET_WORDS), dtype=np.uint64)
        cursor.execute(
            "SELECT x.product_id, x.country_id FROM products_product_exported_to x "
            "JOIN products_product p ON p.id = x.product_id "
            f"WHERE {clause}",
            params,
        )
        for product_id, country in cursor.fetchall():
            bit = lexicon.countries.get(country)
            if bit is not None:
                row = int(np.searchsorted(ids, product_id))
                markets[row, bit >> 6] |= np.uint64(1) << np.uint64(bit & 63)
    # Countries made ready by the certificates held (few distinct sets: worked out once each).
    ready_words: dict[int, np.ndarray] = {}
    for row in np.flatnonzero(certs).tolist():
        key = int(certs[row])
        if key not in ready_words:
            ready_words[key] = np.array(_market_words(lexicon.markets_ready(key)), dtype=np.uint64)
        markets[row] |= ready_words[key]
    nearest = gateway_table()
    unknown = (Nearest(-1, -1), Nearest(-1, -1))
    province, gateway, dist = [], [], []
    for village, is_live in zip(villages, live, strict=True):
        code = village[:5]
        pair = nearest.get(code, unknown)
        near = pair[1] if is_live else pair[0]
        province.append(lexicon.provinces.get(village[:2], -1))
        gateway.append(near.gateway)
        dist.append(near.distance_km)
    code_ints = np.array([int(c) for c in codes], dtype=np.int64)
    six = np.array([len(c) == 6 for c in codes], dtype=bool)
    return ProductTable(
        ids=ids,
        versions=np.array(versions, dtype=np.int64),
        chapter=np.full(n, int(chapter), dtype=np.int64),
        head=np.where(six, code_ints // 100 % 100, code_ints % 100),
        sub=np.where(six, code_ints, -1),
        cap=np.array([-1 if c is None else int(c) for c in capacity], dtype=np.int64),
        certs=certs,
        markets=markets,
        province=np.array(province, dtype=np.int64),
        gateway=np.array(gateway, dtype=np.int64),
        dist=np.array(dist, dtype=np.int64),
        readiness=np.array(readiness, dtype=np.int64),
        months=np.array(months, dtype=np.int64),
        ready=np.array(ready, dtype=np.bool_),
    )


# --- organisations ------------------------------------------------------------------------


@dataclass
class OrganisationTable:
    """Organisations as columns (ascending id), with each HS chapter's candidate entries."""

    ids: np.ndarray
    versions: np.ndarray
    need: np.ndarray
    certs: np.ndarray
    certs_n: np.ndarray
    mk_start: np.ndarray
    mk_end: np.ndarray
    markets: np.ndarray
    pref_prov: np.ndarray
    pref_gw: np.ndarray
    ch_start: np.ndarray  # [100] first entry of each chapter
    ch_end: np.ndarray
    ent_exporter: np.ndarray
    ent_head_lo: np.ndarray
    ent_head_hi: np.ndarray
    ent_sub_start: np.ndarray
    ent_sub_end: np.ndarray
    ent_subs: np.ndarray
    index: dict[int, int]
    chapters: dict[int, list[str]]

    def __len__(self) -> int:
        return len(self.ids)


def exporter_table(exporters: Sequence[OrganisationFeatures], w: Weights) -> OrganisationTable:
    ordered = sorted(exporters, key=lambda e: e.id)
    markets: list[int] = []
    mk_start, mk_end = [], []
    for e in ordered:
        mk_start.append(len(markets))
        markets.extend(e.markets)
        mk_end.append(len(markets))
    # Entries per chapter, organisations in ascending id within each chapter.
    per_chapter: dict[int, list[tuple[int, int, int, list[int]]]] = defaultdict(list)
    chapters: dict[int, list[str]] = {}
    for index, e in enumerate(ordered):
        by_chapter: dict[int, tuple[int, list[int]]] = {}
        for code in e.interests:
            ch = int(code[:2])
            heads, subs = by_chapter.get(ch, (0, []))
            if len(code) >= 4:
                heads |= 1 << int(code[2:4])
            if len(code) == 6:
                subs.append(int(code))
            by_chapter[ch] = (heads, subs)
        chapters[e.id] = sorted(f"{ch:02d}" for ch in by_chapter)
        for ch, (heads, subs) in by_chapter.items():
            per_chapter[ch].append((index, heads & ((1 << 64) - 1), heads >> 64, sorted(set(subs))))
    ch_start = np.zeros(100, dtype=np.int64)
    ch_end = np.zeros(100, dtype=np.int64)
    ent_exporter: list[int] = []
    head_lo: list[int] = []
    head_hi: list[int] = []
    sub_start: list[int] = []
    sub_end: list[int] = []
    subs_flat: list[int] = []
    for ch in range(100):
        ch_start[ch] = len(ent_exporter)
        for index, lo, hi, subs in per_chapter.get(ch, []):
            ent_exporter.append(index)
            head_lo.append(lo)
            head_hi.append(hi)
            sub_start.append(len(subs_flat))
            subs_flat.extend(subs)
            sub_end.append(len(subs_flat))
        ch_end[ch] = len(ent_exporter)
    return OrganisationTable(
        ids=np.array([e.id for e in ordered], dtype=np.int64),
        versions=np.array([e.version for e in ordered], dtype=np.int64),
        need=np.array([volume_need_kg(e, w) for e in ordered], dtype=np.int64),
        certs=np.array([e.required_certificates for e in ordered], dtype=np.uint64),
        certs_n=np.array([e.required_certificates.bit_count() for e in ordered], dtype=np.int64),
        mk_start=np.array(mk_start, dtype=np.int64),
        mk_end=np.array(mk_end, dtype=np.int64),
        markets=np.array(markets, dtype=np.int64),
        pref_prov=np.array([e.preferred_provinces for e in ordered], dtype=np.uint64),
        pref_gw=np.array([e.preferred_gateways for e in ordered], dtype=np.uint64),
        ch_start=ch_start,
        ch_end=ch_end,
        ent_exporter=np.array(ent_exporter, dtype=np.int64),
        ent_head_lo=np.array(head_lo, dtype=np.uint64),
        ent_head_hi=np.array(head_hi, dtype=np.uint64),
        ent_sub_start=np.array(sub_start, dtype=np.int64),
        ent_sub_end=np.array(sub_end, dtype=np.int64),
        ent_subs=np.array(subs_flat, dtype=np.int64),
        index={e.id: i for i, e in enumerate(ordered)},
        chapters=chapters,
    )


def load_exporters(
    lexicon: Lexicon, *, ids: Iterable[int] | None = None
) -> list[OrganisationFeatures]:
    """Features of the organisations that can be matched (verified, and sourcing products)."""
    queryset = Organisation.objects.filter(
        status=Organisation.Status.VERIFIED, kind__in=MATCHED_KINDS
    )
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    rows = list(
        queryset.order_by("pk").values_list(
            "pk", "version", "min_order_kg", "max_volume_kg_per_month", "required_certificates"
        )
    )
    if not rows:
        return []
    wanted = [row[0] for row in rows]
    interests = _m2m(Organisation.hs_interests.through, "organisation_id", "hscode_id", wanted)
    markets = _m2m(
        Organisation.destination_markets.through, "organisation_id", "country_id", wanted
    )
    provinces = _m2m(
        Organisation.preferred_provinces.through, "organisation_id", "region_id", wanted
    )
    gateways = _m2m(
        Organisation.preferred_gateways.through, "organisation_id", "exportgateway_id", wanted
    )
    result = []
    for pk, version, min_order, max_volume, certificates in rows:
        required = 0
        for code in certificates or []:
            bit = lexicon.certificate_codes.get(code)
            if bit is not None:
                required |= 1 << bit
        result.append(
            OrganisationFeatures(
                id=pk,
                version=version,
                interests=tuple(sorted(interests.get(pk, ()))),
                min_order_kg=int(min_order or 0),
                max_volume_kg=int(max_volume or 0),
                required_certificates=required,
                markets=tuple(
                    sorted(
                        lexicon.countries[c] for c in markets.get(pk, ()) if c in lexicon.countries
                    )
                ),
                preferred_provinces=sum(
                    1 << lexicon.provinces[c]
                    for c in set(provinces.get(pk, ()))
                    if c in lexicon.provinces
                ),
                preferred_gateways=sum(
                    1 << lexicon.gateways[c]
                    for c in set(gateways.get(pk, ()))
                    if c in lexicon.gateways
                ),
            )
        )
    return result


def _m2m(
    through: type[models.Model], owner: str, target: str, owners: list[int]
) -> dict[int, list[str]]:
    result: dict[int, list[str]] = defaultdict(list)
    queryset = through._default_manager.all()
    if len(owners) < 1000:
        queryset = queryset.filter(**{f"{owner}__in": owners})
    for key, value in queryset.values_list(owner, target):
        result[key].append(value)
    return result


def exporters_signature() -> tuple[int, int, int]:
    """Changes whenever any organisation changes (versions only grow): (count, sum, max id)."""
    agg = Organisation.objects.aggregate(n=Count("pk"), v=Sum("version"), m=Max("pk"))
    return (agg["n"] or 0, agg["v"] or 0, agg["m"] or 0)
