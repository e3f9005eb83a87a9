"""The public catalogue's own tables: denormalised entries, search words, the shared facet
cache, the catalogue's version, and the record of who saw a BUMDes' contact details."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from products.models import ALL_MONTHS, Bumdes, Product


class SearchVectorColumn(models.TextField):
    """A ``tsvector`` column on PostgreSQL (plain, unused text elsewhere)."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class CatalogueEntry(models.Model):
    """One export-ready product as the public catalogue lists, filters and searches it.

    Denormalised and kept current by ``products.catalogue.services`` (which listens to
    ``products.events``): a row exists exactly while its product is export-ready.
    ``name_text`` is the accent-free lowercase names; the words a product is found by (names,
    commodity terms and HS words, descriptions, places, BUMDes) go into ``search`` on PostgreSQL
    (an unweighted tsvector with a GIN index; the migration also adds ``name_vector``, the names'
    tsvector used for ranking, and a trigram index on ``name_text``) and into ``search_text`` on
    SQLite, which matches substrings. Rows stay narrow so that counting facets over tens of
    thousands of them is quick. Whether a regency is disadvantaged is decided when reading
    (designations change by year).
    """

    product = models.OneToOneField(
        Product, primary_key=True, on_delete=models.CASCADE, related_name="catalogue_entry"
    )
    name_id = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    bumdes = models.ForeignKey(Bumdes, on_delete=models.CASCADE, related_name="+")
    bumdes_name = models.CharField(max_length=200)
    village_code = models.CharField(max_length=13)
    village_name = models.CharField(max_length=120)
    regency_code = models.CharField(max_length=5)
    regency_name = models.CharField(max_length=120)
    province_code = models.CharField(max_length=2)
    province_name = models.CharField(max_length=120)
    hs_code = models.CharField(max_length=6)
    hs_chapter = models.CharField(max_length=2)
    form = models.CharField(max_length=10)
    # Codes of the certificates valid when the entry was written, as "|halal|sni|" ("" if none).
    certificates = models.CharField(max_length=400, blank=True)
    # Codes of the markets the product is ready for when the entry was written, as "|CN|HK|"
    # (``products.readiness.markets``: every market some rule names, and its own markets).
    ready_for = models.CharField(max_length=400, blank=True)
    available_months = models.PositiveSmallIntegerField(default=ALL_MONTHS)
    capacity_per_month = models.DecimalField(max_digits=14, decimal_places=3, null=True)
    unit = models.CharField(max_length=10)
    capacity_base = models.DecimalField(max_digits=18, decimal_places=3, null=True)
    base_unit = models.CharField(max_length=2, blank=True)
    # capacity_base with 0 for none, so "largest capacity first" is one plain index.
    capacity_sort = models.DecimalField(max_digits=18, decimal_places=3, default=0)
    readiness_score = models.PositiveSmallIntegerField(default=0)
    export_ready_at = models.DateTimeField()
    thumbnail = models.CharField(max_length=200, blank=True)
    name_text = models.CharField(max_length=400, blank=True)
    search_text = models.TextField(blank=True)
    search = SearchVectorColumn(null=True, blank=True, editable=False)
    words_digest = models.CharField(max_length=16, blank=True)  # of the words in ``search``
    product_version = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        indexes = [
            models.Index(fields=["regency_code"], name="catalogue_regency"),
            models.Index(fields=["province_code"], name="catalogue_province"),
            models.Index(fields=["hs_chapter"], name="catalogue_chapter"),
            models.Index(fields=["form"], name="catalogue_form"),
            models.Index(
                models.F("export_ready_at").desc(),
                models.F("product").desc(),
                name="catalogue_newest",
            ),
            models.Index(
                models.F("capacity_sort").desc(), models.F("product"), name="catalogue_capacity"
            ),
            models.Index(
                models.F("readiness_score").desc(),
                models.F("export_ready_at").desc(),
                models.F("product").desc(),
                name="catalogue_relevance",
            ),
        ]

    def __str__(self) -> str:
        return self.name_id


class CatalogueWord(models.Model):
    """A word of a catalogue product's names: what a mistyped search word is corrected to
    (by trigram similarity, on PostgreSQL). Words are added as entries are written."""

    word = models.CharField(max_length=64, primary_key=True)

    class Meta:
        verbose_name = _("catalogue word")
        verbose_name_plural = _("catalogue words")

    def __str__(self) -> str:
        return self.word


class CatalogueCache(models.Model):
    """Facet counts shared by every process of the portal: the table of Django's database
    cache backend (``products.catalogue.selectors.shared_cache``)."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("catalogue cache entry")
        verbose_name_plural = _("catalogue cache entries")
        db_table = "products_cataloguecache"

    def __str__(self) -> str:
        return self.cache_key


class CatalogueState(models.Model):
    """One row: a number bumped by every change to the catalogue, so caches know they are stale."""

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("catalogue state")
        verbose_name_plural = _("catalogue states")

    def __str__(self) -> str:
        return f"catalogue v{self.version}"


class ContactView(models.Model):
    """Who saw a BUMDes' contact details in the catalogue, when, which, and how (UU PDP).

    Names are kept beside the links so the record outlives a deleted account or product.
    """

    class Via(models.TextChoices):
        PAGE = "page", _("Catalogue page")
        API = "api", _("API")

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("viewer"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    viewer_username = models.CharField(_("viewer"), max_length=150)
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="contact_views",
    )
    product_name = models.CharField(_("product"), max_length=200)
    bumdes = models.ForeignKey(
        Bumdes,
        verbose_name=_("BUMDes"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="contact_views",
    )
    bumdes_name = models.CharField(_("BUMDes"), max_length=200)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    fields = models.JSONField(_("details shown"), default=list)
    via = models.CharField(_("via"), max_length=4, choices=Via.choices)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("contact details view")
        verbose_name_plural = _("contact details views")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.viewer_username} → {self.bumdes_name}"
