"""Writes of the catalogue: the denormalised entries and the log of contact-detail views.

``refresh_entries(ids)`` rewrites the entries of the given products from the registry: a product
that is export-ready gets (or keeps) its entry, any other loses it. It works in batches, with a
fixed number of queries per batch, so one product (after a change) and a whole import cost the
same few round trips; an entry that would not change is not written. ``refresh_all()``
rebuilds the catalogue. Every refresh that changes an entry bumps ``CatalogueState.version``;
cached facet counts are keyed by it.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import F, Func, Q, TextField, Value
from django.utils import timezone

from bumdes_export.accounts.models import User
from bumdes_export.reference.models import HsAlias, HsCode, Region
from products import selectors as product_selectors
from products.catalogue.models import CatalogueEntry, CatalogueState, CatalogueWord, ContactView
from products.catalogue.text import FORM_WORDS, index_words, words_of
from products.models import Certificate, Product, ProductPhoto
from products.readiness import markets
from products.readiness import selectors as readiness_selectors

logger = logging.getLogger(__name__)

BATCH = 2000

PRODUCT_COLUMNS = (
    "pk",
    "name_id",
    "name_en",
    "description_id",
    "description_en",
    "bumdes_id",
    "bumdes__name",
    "bumdes__village_id",
    "hs_code_id",
    "national_code",
    "form",
    "available_months",
    "capacity_per_month",
    "unit",
    "capacity_base",
    "base_unit",
    "readiness_score",
    "export_ready_at",
    "created_at",
    "packaging",
    "version",
)


# Not compared when deciding whether an entry changed (the digest stands for ``search``).
UNCOMPARED = {"refreshed_at", "product_version", "search"}
UPDATE_FIELDS = [f.name for f in CatalogueEntry._meta.concrete_fields if not f.primary_key]


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def bump_version() -> int:
    """Mark the catalogue changed; returns the new version."""
    updated = CatalogueState.objects.filter(pk=1).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not updated:
        CatalogueState.objects.get_or_create(pk=1, defaults={"version": 1})
    return CatalogueState.objects.values_list("version", flat=True).get(pk=1)


def _regions(codes: set[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def _hs_words(codes: set[str]) -> dict[str, str]:
    """Commodity terms (Indonesian and English) and HS descriptions, per HS subheading."""
    text: dict[str, list[str]] = defaultdict(list)
    parents = {}
    for code, description, parent in HsCode.objects.filter(code__in=codes).values_list(
        "code", "description", "parent_id"
    ):
        text[code].append(description)
        parents[code] = parent
    heading_text = dict(
        HsCode.objects.filter(code__in=set(parents.values()) - {None}).values_list(
            "code", "description"
        )
    )
    for code, parent in parents.items():
        if parent in heading_text:
            text[code].append(heading_text[parent])
    for code, term in HsAlias.objects.filter(hs_code_id__in=codes).values_list(
        "hs_code_id", "term"
    ):
        text[code].append(term)
    return {code: " ".join(parts) for code, parts in text.items()}


def _valid_certificates(product_ids: list[int]) -> dict[int, list[str]]:
    today = timezone.localdate()
    rows = (
        Certificate.objects.filter(product_id__in=product_ids)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values_list("product_id", "type__code")
    )
    found: dict[int, set[str]] = defaultdict(set)
    for product_id, code in rows:
        found[product_id].add(code)
    return {pk: sorted(codes) for pk, codes in found.items()}


def _ready_for(product_ids: list[int]) -> dict[int, str]:
    """The markets each product is ready for, as stored ("|CN|HK|"): every market some rule
    names and the product's own target and past markets (``products.readiness.markets``)."""
    rules = product_selectors.active_rules()
    split = markets.MarketRules(rules)
    facts = product_selectors.facts_of_many(Product.objects.filter(pk__in=product_ids))
    found = {}
    for pk, product_facts in facts.items():
        codes = split.ready_for(
            product_facts,
            readiness_selectors.catalogue_destinations(rules, product_facts.destinations),
        )
        # At most 130 markets fit the column ("|XX" each); whole codes only.
        found[pk] = f"|{'|'.join(codes[:130])}|" if codes else ""
    return found


def _thumbnails(product_ids: list[int]) -> dict[int, str]:
    first: dict[int, str] = {}
    rows = (
        ProductPhoto.objects.filter(product_id__in=product_ids)
        .order_by("product_id", "position", "id")
        .values_list("product_id", "thumbnail", "image")
    )
    for product_id, thumbnail, image in rows:
        if product_id not in first:
            first[product_id] = thumbnail or image or ""
    return first


class ToSearchVector(Func):
    """``strip(to_tsvector('simple', words))``: the words, without positions or weights."""

    template = "strip(to_tsvector('simple'::regconfig, %(expressions)s))"
    output_field = TextField()


def _search(words: str) -> dict:
    """Where the words go: a tsvector on PostgreSQL, plain text to match on SQLite."""
    digest = hashlib.blake2b(words.encode(), digest_size=8).hexdigest()
    if connection.vendor == "postgresql":
        return {"search": ToSearchVector(Value(words)), "search_text": "", "words_digest": digest}
    return {"search": None, "search_text": words, "words_digest": digest}


def _entries(rows: list[dict]) -> list[CatalogueEntry]:
    ids = [row["pk"] for row in rows]
    villages = {row["bumdes__village_id"] for row in rows}
    names = _regions(villages | {v[:5] for v in villages} | {v[:2] for v in villages})
    hs_text = _hs_words({row["hs_code_id"] for row in rows})
    certificates = _valid_certificates(ids)
    ready_for = _ready_for(ids)
    thumbnails = _thumbnails(ids)
    entries = []
    for row in rows:
        village = row["bumdes__village_id"]
        regency, province = village[:5], village[:2]
        hs = row["hs_code_id"]
        codes = certificates.get(row["pk"], [])
        places = (names.get(village, ""), names.get(regency, ""), names.get(province, ""))
        entries.append(
            CatalogueEntry(
                product_id=row["pk"],
                name_id=row["name_id"],
                name_en=row["name_en"],
                bumdes_id=row["bumdes_id"],
                bumdes_name=row["bumdes__name"],
                village_code=village,
                village_name=places[0],
                regency_code=regency,
                regency_name=places[1],
                province_code=province,
                province_name=places[2],
                hs_code=hs,
                hs_chapter=hs[:2],
                form=row["form"],
                certificates=f"|{'|'.join(codes)}|" if codes else "",
                ready_for=ready_for.get(row["pk"], ""),
                available_months=row["available_months"],
                capacity_per_month=row["capacity_per_month"],
                unit=row["unit"],
                capacity_base=row["capacity_base"],
                base_unit=row["base_unit"],
                capacity_sort=row["capacity_base"] or 0,
                readiness_score=row["readiness_score"],
                export_ready_at=row["export_ready_at"] or row["created_at"],
                thumbnail=thumbnails.get(row["pk"], "")[:200],
                name_text=" ".join(words_of(row["name_id"], row["name_en"]))[:400],
                **_search(
                    index_words(
                        row["name_id"],
                        row["name_en"],
                        hs_text.get(hs, ""),
                        hs,
                        hs[:4],
                        row["national_code"],
                        FORM_WORDS.get(row["form"], row["form"]),
                        " ".join(codes),
                        row["description_id"],
                        row["description_en"],
                        row["packaging"],
                        row["bumdes__name"],
                        *places,
                    )
                ),
                product_version=row["version"],
            )
        )
    return entries


def _remember_words(entries: list[CatalogueEntry]) -> None:
    """Add the words of the names to the vocabulary typos are corrected to."""
    found: set[str] = set()
    for entry in entries:
        found.update(w for w in entry.name_text.split() if len(w) >= 3 and not w.isdigit())
    CatalogueWord.objects.bulk_create(
        [CatalogueWord(word=w[:64]) for w in sorted(found)], ignore_conflicts=True
    )


COMPARED_FIELDS = [
    f.attname for f in CatalogueEntry._meta.concrete_fields if f.name not in UNCOMPARED
]


def _unchanged(entries: list[CatalogueEntry]) -> set[int]:
    """The entries that are stored exactly so already (a product's readiness is recomputed,
    and announced, on every change to it: most refreshes change nothing)."""
    stored = {
        row[0]: row
        for row in CatalogueEntry.objects.filter(
            pk__in=[e.product_id for e in entries]
        ).values_list(*COMPARED_FIELDS)
    }
    same = set()
    for entry in entries:
        row = stored.get(entry.product_id)
        # Decimals compare as numbers (2000 == 2000.000), whatever places come back.
        if row is not None and row == tuple(getattr(entry, name) for name in COMPARED_FIELDS):
            same.add(entry.product_id)
    return same


def _refresh_batch(ids: list[int]) -> tuple[int, bool]:
    """Rewrite the entries of these products; returns how many are listed and whether any
    entry changed."""
    rows = list(
        Product.objects.filter(pk__in=ids, status=Product.Status.EXPORT_READY).values(
            *PRODUCT_COLUMNS
        )
    )
    entries = _entries(rows)
    listed = {entry.product_id for entry in entries}
    same = _unchanged(entries)
    changed = [entry for entry in entries if entry.product_id not in same]
    with transaction.atomic():
        deleted, _ = CatalogueEntry.objects.filter(pk__in=set(ids) - listed).delete()
        if changed:
            _remember_words(changed)
            # An upsert, so two refreshes of one product at the same time cannot collide.
            CatalogueEntry.objects.bulk_create(
                changed,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["product"],
                update_fields=UPDATE_FIELDS,
            )
    return len(entries), bool(deleted or changed)


def refresh_entries(product_ids: Iterable[int]) -> int:
    """Make the entries of these products match the registry; returns how many are listed.
    The catalogue's version is bumped only if an entry changed."""
    ids = sorted({int(pk) for pk in product_ids})
    if not ids:
        return 0
    listed, changed = 0, False
    for batch in _chunks(ids, BATCH):
        written, batch_changed = _refresh_batch(batch)
        listed += written
        changed = changed or batch_changed
    if changed:
        bump_version()
    return listed


def refresh_bumdes(bumdes_id: int) -> int:
    """A BUMDes changed (name, village): rewrite the entries of its products."""
    ids = set(Product.objects.filter(bumdes_id=bumdes_id).values_list("pk", flat=True))
    ids |= set(CatalogueEntry.objects.filter(bumdes_id=bumdes_id).values_list("pk", flat=True))
    return refresh_entries(ids)


def refresh_all(on_progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole catalogue from the registry; returns how many products it lists."""
    ready = list(
        Product.objects.filter(status=Product.Status.EXPORT_READY)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    listed = 0
    for batch in _chunks(ready, BATCH):
        written, _ = _refresh_batch(batch)
        listed += written
        if on_progress:
            on_progress(listed, len(ready))
    CatalogueEntry.objects.exclude(product__status=Product.Status.EXPORT_READY).delete()
    bump_version()
    return listed


def record_contact_view(
    *, viewer: User, product: Product, fields: list[str], via: str
) -> ContactView:
    """Record that ``viewer`` was shown these contact details of the product's BUMDes."""
    bumdes = product.bumdes
    return ContactView.objects.create(
        viewer=viewer,
        viewer_username=viewer.get_username(),
        product=product,
        product_name=product.name_id[:200],
        bumdes=bumdes,
        bumdes_name=bumdes.name[:200],
        fields=list(fields),
        via=via,
    )
