"""Reads of the catalogue: search, facets, pages, a product's public page, contact details.

Everything listed comes from ``CatalogueEntry``, which holds export-ready products only, so no
query here can show anything else. A product's page reads the registry afresh, again only if the
product is export-ready.

Search
------
``q`` is folded (accents removed, lowercase) and split into words, common words left out;
every word must match. On PostgreSQL a word matches the entry's full-text vector (names,
Indonesian and English commodity terms of its HS code, HS descriptions, descriptions, places,
BUMDes), as a prefix from three letters on, through its GIN index; results are ranked by how
well the *names* match (``ts_rank`` on ``name_vector``), then readiness and date. If nothing
matches, each word is replaced by the most similar words of the catalogue's names (trigram
similarity ≥ 0.4 in ``CatalogueWord``: ``kepting`` → ``kepiting``) and the search runs again;
the answer says it is approximate. On SQLite every word must occur in ``search_text``.

Facets
------
Counted over the filtered set (every active filter applies): one ``GROUPING SETS`` query on
PostgreSQL, one ``GROUP BY`` per column on SQLite. Raw counts (per chapter and form, month
mask and certificate set, regency) are cached, keyed by the catalogue version and the filters
(never by page or ordering), so paging through results counts once: in the process's own
cache and in one all processes share (``shared_cache``). Provinces, disadvantaged regencies and
this month's availability are derived from them when read. The total of the counts is the
number of results, so no separate ``COUNT(*)`` is run.

Pages
-----
``LIMIT``/``OFFSET`` on an ordering with an index. When the results are few (under
``SORT_BELOW``) the ordering is written so that PostgreSQL collects them and sorts, rather than
walk an ordering index looking for matches that may all lie at its far end.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from django.conf import settings
from django.core.cache import BaseCache, cache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import BooleanField, Case, Count, F, FloatField, Prefetch, Q, When
from django.db.models.expressions import RawSQL
from django.db.models.query import QuerySet
from django.utils import timezone

from bumdes_export.reference.models import CertificateType, Country, HsCode, Region
from bumdes_export.reference.selectors import disadvantaged_regency_codes
from products.catalogue.models import (
    CatalogueCache,
    CatalogueEntry,
    CatalogueState,
    CatalogueWord,
    ContactView,
)
from products.catalogue.text import PREFIX_MIN_LENGTH, similarity, tsquery, words
from products.models import Certificate, CommodityForm, Product

T = TypeVar("T")

ORDERINGS = ("relevance", "newest", "capacity")
PAGE_SIZE = 20
SORT_BELOW = 20_000
WORD_SIMILARITY = 0.4
MAX_CORRECTIONS = 3
MAX_PAGE_SIZE = 100
REFERENCE_SECONDS = 3600
CONTACT_FIELDS = ("manager_name", "contact_phone", "contact_whatsapp", "contact_email", "address")
LIST_COLUMNS = (
    "product_id",
    "name_id",
    "name_en",
    "bumdes_id",
    "bumdes_name",
    "village_code",
    "village_name",
    "regency_code",
    "regency_name",
    "province_code",
    "province_name",
    "hs_code",
    "hs_chapter",
    "form",
    "certificates",
    "ready_for",
    "available_months",
    "capacity_per_month",
    "unit",
    "capacity_base",
    "base_unit",
    "readiness_score",
    "export_ready_at",
    "thumbnail",
)


def facet_cache_seconds() -> int:
    """How long facet counts are cached (0: not at all). ``CATALOGUE_FACET_CACHE_SECONDS``
    in the environment or the settings; 600 by default."""
    raw = os.environ.get("CATALOGUE_FACET_CACHE_SECONDS")
    if raw is None:
        return int(getattr(settings, "CATALOGUE_FACET_CACHE_SECONDS", 600))
    return int(raw)


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


# --- Reference data, cached -------------------------------------------------------------------


def _cached(key: str, compute: Callable[[], T], seconds: int = REFERENCE_SECONDS) -> T:
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def disadvantaged_regencies(on: date | None = None) -> frozenset[str]:
    on = on or timezone.localdate()
    return _cached(
        f"catalogue:disadvantaged:{on.year}",
        lambda: frozenset(disadvantaged_regency_codes(on)),
    )


def provinces() -> dict[str, str]:
    """Province code → name."""
    return _cached(
        "catalogue:provinces",
        lambda: dict(Region.objects.filter(level=1).values_list("code", "name")),
    )


def hs_chapters() -> dict[str, str]:
    """HS chapter → description."""
    return _cached(
        "catalogue:chapters",
        lambda: dict(HsCode.objects.filter(level=2).values_list("code", "description")),
    )


def certificate_types() -> dict[str, dict[str, str]]:
    """Certificate type code → ``{"id": name in Indonesian, "en": name in English}``."""
    return _cached(
        "catalogue:certificate-types",
        lambda: {
            code: {"id": name_id, "en": name_en}
            for code, name_id, name_en in CertificateType.objects.values_list(
                "code", "name_id", "name_en"
            )
        },
        300,
    )


def countries() -> dict[str, dict[str, str]]:
    """Country code → ``{"id": name in Indonesian, "en": name in English}``."""
    return _cached(
        "catalogue:countries",
        lambda: {
            code: {"id": name_id, "en": name_en}
            for code, name_id, name_en in Country.objects.values_list("code", "name_id", "name_en")
        },
        300,
    )


def forms() -> dict[str, str]:
    return {value: str(label) for value, label in CommodityForm.choices}


def version() -> int:
    return CatalogueState.objects.filter(pk=1).values_list("version", flat=True).first() or 0


# --- The query --------------------------------------------------------------------------------


#: Facets that take several values at once: a product matches if it has any of them.
MULTI_VALUE_FACETS = ("hs_chapter", "province", "form", "certificate", "ready_for")


def values_of(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """``"74,72"`` (or ``("72", "74")``) as the sorted tuple of its distinct values."""
    if isinstance(value, str):
        value = value.split(",")
    return tuple(sorted({v.strip() for v in value if v and v.strip()}))


@dataclass(frozen=True)
class CatalogueQuery:
    """Validated catalogue filters (``api.CatalogueParams`` and the page both build one).

    The facets of ``MULTI_VALUE_FACETS`` hold several values (``"74,72"`` or a tuple): a
    product matches if it has any of them."""

    q: str = ""
    hs_chapter: tuple[str, ...] = ()
    province: tuple[str, ...] = ()
    form: tuple[str, ...] = ()
    certificate: tuple[str, ...] = ()
    ready_for: tuple[str, ...] = ()
    disadvantaged: bool | None = None
    available_this_month: bool | None = None
    ordering: str = "relevance"

    def __post_init__(self) -> None:
        for name in MULTI_VALUE_FACETS:
            object.__setattr__(self, name, values_of(getattr(self, name)))

    @property
    def words(self) -> list[str]:
        return words(self.q)

    def filter_key(self) -> str:
        parts = (
            " ".join(self.words),
            *(",".join(getattr(self, name)) for name in MULTI_VALUE_FACETS),
            repr(self.disadvantaged),
            repr(self.available_this_month),
            str(timezone.localdate().month) if self.available_this_month is not None else "",
            str(timezone.localdate().year) if self.disadvantaged is not None else "",
        )
        return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()

    @property
    def chosen_facets(self) -> list[str]:
        """The facets this query narrows by (the words aside)."""
        chosen = [name for name in MULTI_VALUE_FACETS if getattr(self, name)]
        flags = ("disadvantaged", "available_this_month")
        return chosen + [name for name in flags if getattr(self, name) is not None]

    @property
    def is_filtered(self) -> bool:
        return bool(self.words or self.chosen_facets)


def month_bit(on: date | None = None) -> int:
    return 1 << ((on or timezone.localdate()).month - 1)


Terms = list[list[str]]  # every term must match; a term is one of its alternative words


def exact_terms(query_words: list[str]) -> Terms:
    return [[word] for word in query_words]


def corrected_terms(query_words: list[str]) -> Terms | None:
    """Each word replaced by the most similar words of the catalogue's names (trigram
    similarity of at least ``WORD_SIMILARITY``: ``kepting`` → ``kepiting``), or None if a word
    has none. PostgreSQL asks its trigram index; elsewhere (the embedded SQLite) the words are
    compared here, with the same measure."""
    terms = []
    vocabulary: list[str] | None = None
    for word in query_words:
        if len(word) < PREFIX_MIN_LENGTH or word.isdigit():
            terms.append([word])
            continue
        if on_postgresql():
            found = _similar_words_in_database(word)
        else:
            if vocabulary is None:
                vocabulary = list(CatalogueWord.objects.values_list("word", flat=True))
            found = _similar_words(word, vocabulary)
        if not found:
            return None
        terms.append(found)
    return terms


def _similar_words_in_database(word: str) -> list[str]:
    table = CatalogueWord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word FROM {table} WHERE word %% %s AND similarity(word, %s) >= %s"
            " ORDER BY similarity(word, %s) DESC, word LIMIT %s",
            [word, word, WORD_SIMILARITY, word, MAX_CORRECTIONS],
        )
        return [row[0] for row in cursor.fetchall()]


def _similar_words(word: str, vocabulary: list[str]) -> list[str]:
    scored = [(similarity(word, other), other) for other in vocabulary]
    best = sorted((-score, other) for score, other in scored if score >= WORD_SIMILARITY)
    return [other for _score, other in best[:MAX_CORRECTIONS]]


def _text_match(terms: Terms) -> Q | RawSQL | None:
    if not terms:
        return None
    if on_postgresql():
        return RawSQL(
            "(search @@ to_tsquery('simple'::regconfig, %s))", (tsquery(terms),), BooleanField()
        )
    condition = Q()
    for alternatives in terms:
        either = Q()
        for word in alternatives:
            either |= Q(search_text__contains=word)
        condition &= either
    return condition


def filtered(
    query: CatalogueQuery, terms: Terms | None = None, *, without: str = ""
) -> QuerySet[CatalogueEntry]:
    """The entries that match every filter of ``query`` (its words, or ``terms`` instead),
    but the facet named ``without`` (whose own counts must not be narrowed by its choice)."""
    qs = CatalogueEntry.objects.all()
    match = _text_match(terms if terms is not None else exact_terms(query.words))
    if match is not None:
        qs = qs.filter(match)
    if query.hs_chapter and without != "hs_chapter":
        qs = qs.filter(hs_chapter__in=query.hs_chapter)
    if query.province and without != "province":
        qs = qs.filter(province_code__in=query.province)
    if query.form and without != "form":
        qs = qs.filter(form__in=query.form)
    if query.certificate and without != "certificate":
        held = Q()
        for code in query.certificate:
            held |= Q(certificates__contains=f"|{code}|")
        qs = qs.filter(held)
    if query.ready_for and without != "ready_for":
        ready = Q()
        for code in query.ready_for:
            ready |= Q(ready_for__contains=f"|{code}|")
        qs = qs.filter(ready)
    if query.disadvantaged is not None and without != "disadvantaged":
        regencies = Q(regency_code__in=sorted(disadvantaged_regencies()))
        qs = qs.filter(regencies) if query.disadvantaged else qs.exclude(regencies)
    if query.available_this_month is not None and without != "available_this_month":
        qs = qs.alias(this_month=F("available_months").bitand(month_bit()))
        qs = qs.filter(this_month__gt=0) if query.available_this_month else qs.filter(this_month=0)
    return qs


def ordered(
    qs: QuerySet[CatalogueEntry],
    query: CatalogueQuery,
    *,
    total: int,
    terms: Terms | None = None,
) -> QuerySet[CatalogueEntry]:
    """The order of the results. When they are few (``SORT_BELOW``), PostgreSQL is kept from
    walking an ordering index in search of matches that may all lie at its far end: it
    collects them and sorts (a top-N sort of a few thousand rows takes milliseconds)."""
    sort = on_postgresql() and total < SORT_BELOW
    newest = _key("export_ready_at", sort).desc(), F("product_id").desc()
    if query.ordering == "newest":
        return qs.order_by(*newest)
    if query.ordering == "capacity":
        return qs.order_by(_key("capacity_sort", sort).desc(), "product_id")
    terms = terms if terms is not None else exact_terms(query.words)
    if not terms:
        return qs.order_by(_key("readiness_score", sort).desc(), *newest)
    if on_postgresql():
        # Products whose names hold the words first, then the rest, newest first.
        rank = RawSQL(
            "ts_rank(name_vector, to_tsquery('simple'::regconfig, %s))",
            (tsquery(terms),),
            FloatField(),
        )
        return qs.alias(rank=rank).order_by(F("rank").desc(), *newest)
    in_name = Case(When(name_text__contains=terms[0][0], then=1), default=0)
    return qs.alias(in_name=in_name).order_by(F("in_name").desc(), *newest)


def _key(column: str, sort: bool) -> F | RawSQL:
    """The column to order by; with ``sort``, an expression of it that no index serves."""
    if not sort:
        return F(column)
    zero = "interval '0'" if column == "export_ready_at" else "0"
    return RawSQL(f'("{CatalogueEntry._meta.db_table}"."{column}" + {zero})', ())


# --- Facets -----------------------------------------------------------------------------------

FACET_COLUMNS = (
    "hs_chapter",
    "form",
    "available_months",
    "certificates",
    "regency_code",
    "ready_for",
)
# Grouped in threes, not one by one: three hash tables, not six (a third faster).
FACET_SETS = (
    ("hs_chapter", "form"),
    ("available_months", "certificates"),
    ("regency_code", "ready_for"),
)


def _where(qs: QuerySet) -> tuple[str, list] | None:
    """The WHERE clause of a one-table queryset, or None if it can match nothing."""
    compiler = qs.query.get_compiler(using=qs.db)
    try:
        sql, params = compiler.compile(qs.query.where)
    except EmptyResultSet:
        return None
    except FullResultSet:
        return "", []
    return sql, list(params)


def raw_facets(qs: QuerySet[CatalogueEntry]) -> dict[str, dict]:
    """Counts per value of each facet column over ``qs``."""
    counts: dict[str, Counter] = {column: Counter() for column in FACET_COLUMNS}
    if not on_postgresql():
        for column in FACET_COLUMNS:
            rows = qs.order_by().values_list(column).annotate(n=Count("*"))
            counts[column].update({value: n for value, n in rows})
        return {column: dict(c) for column, c in counts.items()}
    where = _where(qs)
    if where is None:
        return {column: {} for column in FACET_COLUMNS}
    condition, params = where
    table = CatalogueEntry._meta.db_table
    sets = ", ".join(f"({', '.join(group)})" for group in FACET_SETS)
    sql = (
        f"SELECT GROUPING({', '.join(FACET_COLUMNS)}), {', '.join(FACET_COLUMNS)}, COUNT(*)"
        f" FROM {table}{' WHERE ' + condition if condition else ''} GROUP BY GROUPING SETS ({sets})"
    )
    width = len(FACET_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for grouping, *values, n in cursor.fetchall():
            # GROUPING() sets the bit of each column left out of the row's set.
            for index, column in enumerate(FACET_COLUMNS):
                if not grouping & (1 << (width - 1 - index)):
                    counts[column][values[index]] += n
    return {column: dict(c) for column, c in counts.items()}


@dataclass
class Facets:
    total: int
    hs_chapter: Counter = field(default_factory=Counter)
    province: Counter = field(default_factory=Counter)
    form: Counter = field(default_factory=Counter)
    certificate: Counter = field(default_factory=Counter)
    ready_for: Counter = field(default_factory=Counter)
    disadvantaged: Counter = field(default_factory=Counter)
    available_this_month: Counter = field(default_factory=Counter)


#: The column each facet is counted from (province and disadvantaged both from the regency).
FACET_COLUMN = {
    "hs_chapter": "hs_chapter",
    "form": "form",
    "province": "regency_code",
    "disadvantaged": "regency_code",
    "certificate": "certificates",
    "ready_for": "ready_for",
    "available_this_month": "available_months",
}


def column_counts(qs: QuerySet[CatalogueEntry], column: str) -> dict:
    """Counts per value of one facet column over ``qs``."""
    return dict(qs.order_by().values_list(column).annotate(n=Count("*")))


def _facet_counter(name: str, counts: dict, on: date | None) -> Counter:
    counter: Counter = Counter()
    if name in ("hs_chapter", "form"):
        counter.update(counts)
    elif name == "province":
        for regency, n in counts.items():
            counter[regency[:2]] += n
    elif name == "disadvantaged":
        disadvantaged = disadvantaged_regencies(on)
        for regency, n in counts.items():
            counter[regency in disadvantaged] += n
    elif name == "available_this_month":
        bit = month_bit(on)
        for months, n in counts.items():
            counter[bool(months & bit)] += n
    elif name in ("certificate", "ready_for"):
        for codes, n in counts.items():
            for code in filter(None, (codes or "").split("|")):
                counter[code] += n
    return counter


def facets_from(raw: dict[str, dict], on: date | None = None) -> Facets:
    """The facets of the raw counts. A chosen facet is counted as if it were not chosen
    (``raw["without"][name]``), so its other values stay on offer with their counts."""
    facets = Facets(total=sum(raw["form"].values()))
    without = raw.get("without", {})
    for name, column in FACET_COLUMN.items():
        counts = without[name] if name in without else raw[column]
        setattr(facets, name, _facet_counter(name, counts, on))
    return facets


# --- Search results ---------------------------------------------------------------------------


@dataclass
class Results:
    query: CatalogueQuery
    facets: Facets
    entries: list[dict]  # the LIST_COLUMNS of each entry
    page: int
    page_size: int
    fuzzy: bool = False

    @property
    def count(self) -> int:
        return self.facets.total

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


class PageOutOfRange(Exception):
    pass


def shared_cache() -> BaseCache:
    """A cache every process of the portal shares, so one process's counts serve the others;
    looked up after the process's own (default) cache. Redis where ``SHARED_CACHE_URL`` names
    one (production: no commit per entry kept), else Django's database backend on
    ``CatalogueCache`` (the embedded mode needs no server)."""
    global _shared
    if _shared is None:
        if settings.SHARED_CACHE_URL:
            _shared = RedisCache(
                settings.SHARED_CACHE_URL, {"TIMEOUT": 600, "KEY_PREFIX": "bumdes-shared"}
            )
        else:
            _shared = DatabaseCache(
                CatalogueCache._meta.db_table, {"TIMEOUT": 600, "OPTIONS": {"MAX_ENTRIES": 3000}}
            )
    return _shared


_shared: BaseCache | None = None


def forget_shared_cache() -> None:
    """Build the shared cache anew from the settings on next use (a benchmark that changes
    ``SHARED_CACHE_URL``)."""
    global _shared
    _shared = None


def _counted(query: CatalogueQuery, *, use_cache: bool = True) -> tuple[dict, Terms | None, bool]:
    """Raw facet counts of the query, the terms that found them and whether those are
    corrections of mistyped words (cached by catalogue version and filters)."""
    seconds = facet_cache_seconds() if use_cache else 0
    key = f"catalogue:facets:{version()}:{query.filter_key()}"
    if seconds:
        hit = cache.get(key)
        if hit is None:
            hit = shared_cache().get(key)
            if hit is not None:
                cache.set(key, hit, seconds)
        if hit is not None:
            return hit
    terms = exact_terms(query.words)
    raw = raw_facets(filtered(query, terms))
    fuzzy = False
    if not sum(raw["form"].values()) and terms:
        corrected = corrected_terms(query.words)
        if corrected and corrected != terms:
            corrected_raw = raw_facets(filtered(query, corrected))
            if sum(corrected_raw["form"].values()):
                raw, terms, fuzzy = corrected_raw, corrected, True
    if query.chosen_facets:
        raw["without"] = {
            name: column_counts(filtered(query, terms, without=name), FACET_COLUMN[name])
            for name in query.chosen_facets
        }
    if seconds:
        cache.set(key, (raw, terms, fuzzy), seconds)
        shared_cache().set(key, (raw, terms, fuzzy), seconds)
    return raw, terms, fuzzy


def search(
    query: CatalogueQuery, *, page: int = 1, page_size: int = PAGE_SIZE, use_cache: bool = True
) -> Results:
    """One page of results with facet counts. Raises ``PageOutOfRange`` past the last page."""
    raw, terms, fuzzy = _counted(query, use_cache=use_cache)
    facets = facets_from(raw)
    results = Results(query=query, facets=facets, entries=[], page=page, page_size=page_size)
    results.fuzzy = fuzzy
    if page < 1 or (page > 1 and page > results.num_pages):
        raise PageOutOfRange(page)
    if facets.total:
        start = (page - 1) * page_size
        qs = ordered(filtered(query, terms), query, total=facets.total, terms=terms)
        results.entries = list(qs.values(*LIST_COLUMNS)[start : start + page_size])
    return results


# --- A product's public page ------------------------------------------------------------------


def listed_product(pk: int) -> Product:
    """The export-ready product with everything its public page shows (``DoesNotExist``
    otherwise: drafts, products under review and returned ones are not in the catalogue)."""
    return (
        Product.objects.filter(status=Product.Status.EXPORT_READY)
        .select_related("bumdes__village__parent__parent__parent", "hs_code__parent")
        .prefetch_related(
            "photos",
            "exported_to",
            "target_markets",
            Prefetch("certificates", queryset=Certificate.objects.select_related("type")),
        )
        .get(pk=pk)
    )


def contact_details(product: Product) -> dict[str, str]:
    """The BUMDes' contact details that are filled in (field name → value)."""
    bumdes = product.bumdes
    return {name: getattr(bumdes, name) for name in CONTACT_FIELDS if getattr(bumdes, name)}


def contact_log(*, viewer: str = "", product: int | None = None) -> QuerySet[ContactView]:
    """The record of contact details shown, newest first, narrowed by viewer and product."""
    qs = ContactView.objects.select_related("viewer")
    if viewer:
        qs = qs.filter(viewer_username__icontains=viewer)
    if product:
        qs = qs.filter(product_id=product)
    return qs


def months_of(mask: int) -> list[int]:
    return [m for m in range(1, 13) if mask & (1 << (m - 1))]
