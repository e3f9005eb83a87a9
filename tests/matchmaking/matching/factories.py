"""Data for the match engine tests.

- Hypothesis strategies for the pure score: ``weights()``, ``product_features()``,
  ``exporter_features()``, and ``random_world()`` for larger seeded data sets full of ties.
- Database builders (``make_bumdes``, ``make_product``, ``make_organisation``) on top of the
  registry and directory factories, and ``expected_lists``/``stored_*`` to compare what the
  engine stored with the per-pair reference (``scoring.reference_lists``) over the same rows.
"""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import strategies as st

from matchmaking.matching.scoring import (
    ORGANISATION_TOP,
    OrganisationFeatures,
    PairScore,
    ProductFeatures,
    Weights,
)

# --- Pure data ----------------------------------------------------------------------------

# Subheadings of three chapters, two headings in chapter 03, so that every fit level occurs.
HS_POOL = ("030633", "030631", "030617", "030711", "030751", "151590", "151110", "160510")
INTEREST_POOL = tuple(
    sorted({code[:n] for code in HS_POOL for n in (2, 4, 6)} | {"0302", "090111", "15"})
)
# Country indexes on both sides of the 64-bit word boundaries of the kernel's market words.
MARKET_POOL = (0, 1, 5, 63, 64, 65, 127, 128, 200, 255)
CERT_BITS = (0, 1, 2, 3, 7, 12, 63)
PLACE_BITS = (0, 1, 2, 3, 37, 63)


def bitset(bits) -> int:
    return sum(1 << b for b in set(bits))


@st.composite
def weights(draw, *, min_score=None) -> Weights:
    """Weights as ministry staff may set them: six points adding up to 100, thresholds in range."""
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=5, max_size=5)))
    points = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    heading = draw(st.integers(0, 100))
    full = draw(st.integers(0, 2000))
    return Weights(
        *points,
        fit_heading_pct=heading,
        fit_chapter_pct=draw(st.integers(0, heading)),
        volume_share_pct=draw(st.integers(1, 100)),
        volume_unknown_pct=draw(st.integers(0, 100)),
        distance_full_km=full,
        distance_zero_km=draw(st.integers(full + 1, full + 3000)),
        preference_share_pct=draw(st.integers(0, 100)),
        season_share_pct=draw(st.integers(0, 100)),
        season_months=draw(st.integers(1, 12)),
        min_score=draw(st.integers(0, 100)) if min_score is None else min_score,
        good_score=draw(st.integers(0, 100)),
        month=draw(st.integers(1, 12)),
        version=draw(st.integers(1, 5)),
    )


@st.composite
def product_features(draw, pid: int | None = None, *, hs=None) -> ProductFeatures:
    return ProductFeatures(
        id=draw(st.integers(1, 10_000)) if pid is None else pid,
        version=draw(st.integers(1, 9)),
        hs_code=draw(st.sampled_from(HS_POOL)) if hs is None else hs,
        export_ready=draw(st.booleans()),
        capacity_kg=draw(st.one_of(st.just(-1), st.integers(0, 200_000))),
        certificates=bitset(draw(st.lists(st.sampled_from(CERT_BITS), max_size=4))),
        ready_markets=bitset(draw(st.lists(st.sampled_from(MARKET_POOL), max_size=5))),
        province=draw(st.sampled_from((-1, *PLACE_BITS))),
        gateway=draw(st.sampled_from((-1, *PLACE_BITS))),
        distance_km=draw(st.one_of(st.just(-1), st.integers(0, 4000))),
        readiness=draw(st.integers(0, 100)),
        available_months=draw(st.integers(0, (1 << 12) - 1)),
    )


@st.composite
def exporter_features(draw, eid: int | None = None, *, interests=None) -> OrganisationFeatures:
    return OrganisationFeatures(
        id=draw(st.integers(1, 10_000)) if eid is None else eid,
        version=draw(st.integers(1, 9)),
        interests=tuple(
            sorted(set(draw(st.lists(st.sampled_from(INTEREST_POOL), min_size=1, max_size=4))))
        )
        if interests is None
        else interests,
        min_order_kg=draw(st.one_of(st.just(0), st.integers(0, 50_000))),
        max_volume_kg=draw(st.one_of(st.just(0), st.integers(0, 1_000_000))),
        required_certificates=bitset(draw(st.lists(st.sampled_from(CERT_BITS), max_size=4))),
        markets=tuple(sorted(set(draw(st.lists(st.sampled_from(MARKET_POOL), max_size=4))))),
        preferred_provinces=bitset(draw(st.lists(st.sampled_from(PLACE_BITS), max_size=3))),
        preferred_gateways=bitset(draw(st.lists(st.sampled_from(PLACE_BITS), max_size=2))),
    )


@st.composite
def worlds(draw, *, max_products: int = 25, max_exporters: int = 10):
    """Products and organisations with distinct ids, drawn in no particular id order."""
    product_ids = draw(
        st.lists(st.integers(1, 5000), min_size=0, max_size=max_products, unique=True)
    )
    exporter_ids = draw(
        st.lists(st.integers(1, 5000), min_size=0, max_size=max_exporters, unique=True)
    )
    products = [draw(product_features(pid)) for pid in product_ids]
    exporters = [draw(exporter_features(eid)) for eid in exporter_ids]
    return products, exporters


def random_world(
    seed: int, n_products: int, n_exporters: int
) -> tuple[list[ProductFeatures], list[OrganisationFeatures]]:
    """A larger world of coarse values (many equal scores), so that lists fill up and tie."""
    rng = random.Random(seed)
    product_ids = rng.sample(range(1, 20 * n_products), n_products)
    exporter_ids = rng.sample(range(1, 20 * n_exporters + 2), n_exporters)
    products = [
        ProductFeatures(
            id=pid,
            version=rng.randint(1, 3),
            hs_code=rng.choice(HS_POOL[:5]) if rng.random() < 0.8 else rng.choice(HS_POOL),
            export_ready=rng.random() < 0.7,
            capacity_kg=rng.choice((-1, 0, 500, 1000, 5000, 100_000)),
            certificates=bitset(rng.sample(CERT_BITS, rng.randint(0, 3))),
            ready_markets=bitset(rng.sample(MARKET_POOL, rng.randint(0, 3))),
            province=rng.choice((-1, 0, 1, 2)),
            gateway=rng.choice((-1, 0, 1)),
            distance_km=rng.choice((-1, 50, 100, 600, 1500, 2000)),
            readiness=rng.choice((0, 50, 80, 100)),
            available_months=rng.choice((0, 0b111, (1 << 12) - 1)),
        )
        for pid in product_ids
    ]
    exporters = [
        OrganisationFeatures(
            id=eid,
            version=1,
            interests=tuple(sorted(set(rng.sample(INTEREST_POOL, rng.randint(1, 3))))),
            min_order_kg=rng.choice((0, 1000)),
            max_volume_kg=rng.choice((0, 10_000, 100_000)),
            required_certificates=bitset(rng.sample(CERT_BITS, rng.randint(0, 2))),
            markets=tuple(sorted(rng.sample(MARKET_POOL, rng.randint(0, 2)))),
            preferred_provinces=bitset(rng.sample((0, 1), rng.randint(0, 1))),
            preferred_gateways=0,
        )
        for eid in exporter_ids
    ]
    return products, exporters


def as_rows(entries: list[tuple[int, PairScore]]) -> list[tuple[int, int, tuple[int, ...]]]:
    """Reference list entries as (id, score, components)."""
    return [(key, pair.score, pair.components) for key, pair in entries]


# --- Database -----------------------------------------------------------------------------

ALL_MONTHS = (1 << 12) - 1


def make_bumdes(regency: str = "74.02", index: int = 0, **fields):
    from tests.products.factories import BumdesFactory, first_desa

    return BumdesFactory(village_id=first_desa(f"{regency}.", index), **fields)


def make_product(
    bumdes,
    *,
    hs: str = "030633",
    status: str = "export_ready",
    capacity: int | str | None = 1000,
    unit: str = "kg",
    form: str = "live",
    certificates: tuple[str, ...] = (),
    exported_to: tuple[str, ...] = (),
    readiness: int = 80,
    months: int = ALL_MONTHS,
    **fields,
):
    """A product as the registry stores it (capacity converted to kg or litres)."""
    from bumdes_export.reference.models import CertificateType
    from products.checks import to_base
    from tests.products.factories import CertificateFactory, ProductFactory

    quantity = None if capacity is None else Decimal(str(capacity))
    base, base_unit = to_base(quantity, unit)
    product = ProductFactory(
        bumdes=bumdes,
        hs_code_id=hs,
        status=status,
        capacity_per_month=quantity,
        capacity_base=base,
        base_unit=base_unit,
        unit=unit,
        form=form,
        readiness_score=readiness,
        available_months=months,
        **fields,
    )
    for code in certificates:
        CertificateFactory(product=product, type=CertificateType.objects.get(code=code))
    if exported_to:
        product.exported_to.set(exported_to)
    return product


def make_organisation(
    *,
    hs: tuple[str, ...] = ("0306",),
    markets: tuple[str, ...] = (),
    required: tuple[str, ...] = (),
    min_order: int | None = None,
    max_volume: int | None = None,
    provinces: tuple[str, ...] = (),
    gateways: tuple[str, ...] = (),
    **fields,
):
    """A verified buyer in Hong Kong (unless told otherwise) with these sourcing preferences."""
    from tests.matchmaking.factories import OrganisationFactory

    organisation = OrganisationFactory(
        min_order_kg=min_order,
        max_volume_kg_per_month=max_volume,
        required_certificates=list(required),
        **fields,
    )
    organisation.hs_interests.set(hs)
    organisation.destination_markets.set(markets)
    organisation.preferred_provinces.set(provinces)
    organisation.preferred_gateways.set(gateways)
    return organisation


def edit(product_id: int, *, add_certificate: str = "", drop_certificates: bool = False, **fields):
    """Change a product the way the registry does: bump its version and announce it on commit."""
    from django.db import transaction
    from django.db.models import F

    from bumdes_export.reference.models import CertificateType
    from products import events as product_events
    from products.checks import to_base
    from products.models import Certificate, Product

    with transaction.atomic():
        product = Product.objects.get(pk=product_id)
        if "capacity_per_month" in fields:
            capacity = fields["capacity_per_month"]
            fields["capacity_base"], fields["base_unit"] = to_base(capacity, product.unit)
        Product.objects.filter(pk=product_id).update(version=F("version") + 1, **fields)
        if add_certificate:
            Certificate.objects.create(
                product=product,
                type=CertificateType.objects.get(code=add_certificate),
                number=f"X-{product_id}-{add_certificate}",
            )
        if drop_certificates:
            Certificate.objects.filter(product=product).delete()
        version = Product.objects.values_list("version", flat=True).get(pk=product_id)
        product_events.announce_product(product_id, version)
    return version


def change_organisation(organisation, **fields) -> None:
    """Change an organisation directly, bump its version and announce it on commit."""
    from django.db import transaction
    from django.db.models import F

    from exporters import events as exporter_events
    from exporters.models import Organisation

    hs = fields.pop("hs", None)
    with transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(version=F("version") + 1, **fields)
        if hs is not None:
            organisation.hs_interests.set(hs)
        version = Organisation.objects.values_list("version", flat=True).get(pk=organisation.pk)
        exporter_events.announce_organisation(organisation.pk, version)


def expected_lists():
    """The per-pair reference over everything in the database, with the weights in force."""
    from matchmaking.matching import engine, features, scoring

    lexicon = features.load_lexicon()
    w = features.weights_from(engine.get_or_create_current_weights())
    by_product, by_exporter = scoring.reference_lists(
        features.load_products(lexicon), features.load_exporters(lexicon), w
    )
    return (
        {pid: as_rows(entries) for pid, entries in by_product.items()},
        {eid: as_rows(entries) for eid, entries in by_exporter.items()},
    )


def stored_product_lists() -> dict[int, list[tuple[int, int, tuple[int, ...]]]]:
    from matchmaking.matching import store
    from matchmaking.matching.models import ProductMatches

    return {
        row.pk: [(m.organisation_id, m.score, m.components) for m in store.unpack(row.entries)]
        for row in ProductMatches.objects.all()
    }


def stored_organisation_lists(
    limit: int = ORGANISATION_TOP,
) -> dict[int, list[tuple[int, int, tuple[int, ...]]]]:
    """Each organisation's stored rows, best first, as many as are shown."""
    from matchmaking.matching.models import OrganisationMatch
    from matchmaking.matching.scoring import COMPONENTS

    result: dict[int, list] = {}
    for row in OrganisationMatch.objects.order_by("organisation_id", "-score", "product_id"):
        rows = result.setdefault(row.organisation_id, [])
        if len(rows) < limit:
            rows.append(
                (row.product_id, row.score, tuple(getattr(row, name) for name in COMPONENTS))
            )
    return result


def assert_lists_exact() -> None:
    """Every product's stored list is the reference for its current version, and every
    organisation's shown list (its best 50) is the reference's."""
    from matchmaking.matching.models import ProductMatches
    from products.models import Product

    by_product, by_exporter = expected_lists()
    stored = stored_product_lists()
    versions = dict(ProductMatches.objects.values_list("pk", "product_version"))
    current = dict(Product.objects.values_list("pk", "version"))
    assert versions == current, "a product list is missing or from another version"
    for pid, rows in by_product.items():
        assert stored[pid] == rows, f"product {pid}"
    shown = stored_organisation_lists()
    for eid, rows in by_exporter.items():
        assert shown.get(eid, []) == rows, f"organisation {eid}"
    assert set(shown) <= set(by_exporter), "rows for an organisation that is not matched"
