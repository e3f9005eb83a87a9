"""Stored match results and the data that steers them.

A **match** is the score (0 to 100) of one village product for one exporter or buyer
organisation, made of six components. Scores and components are integers in tenths of a point;
reasons are rendered from them when read, in the reader's language.

Each product keeps its best exporters (``ProductMatches``, one row per product, the list packed
as bytes so a full rescore writes 300,000 rows rather than millions). Each organisation keeps
its best export-ready products as rows (``OrganisationMatch``), so that a change of one product can
find and fix every organisation list it appears in with one indexed delete.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exporters.models import Organisation
from products.models import Product

__all__ = [
    "MatchWeights",
    "ProductMatches",
    "OrganisationMatch",
    "OrganisationMatchState",
    "PendingRescore",
    "MatchRun",
    "MatchRunChunk",
    "MatchDismissal",
    "MatchAnnouncement",
]

COMPONENTS = ("fit", "volume", "certificates", "markets", "logistics", "readiness")


class MatchWeights(models.Model):
    """The weights and thresholds of the score, edited by ministry staff.

    Only the newest row is in force; saving a change adds a row (so the history stays) and
    triggers a full rescore. The component weights are points and add up to 100.
    """

    weight_fit = models.PositiveSmallIntegerField(_("product fit (HS code)"), default=30)
    weight_volume = models.PositiveSmallIntegerField(_("volume"), default=15)
    weight_certificates = models.PositiveSmallIntegerField(_("certificates"), default=15)
    weight_markets = models.PositiveSmallIntegerField(_("markets"), default=10)
    weight_logistics = models.PositiveSmallIntegerField(_("logistics"), default=15)
    weight_readiness = models.PositiveSmallIntegerField(_("readiness and season"), default=15)
    fit_heading_pct = models.PositiveSmallIntegerField(
        _("fit credit for the same HS heading (%)"), default=70
    )
    fit_chapter_pct = models.PositiveSmallIntegerField(
        _("fit credit for the same HS chapter (%)"), default=40
    )
    volume_share_pct = models.PositiveSmallIntegerField(
        _("share of the exporter's monthly volume a product should cover (%)"), default=10
    )
    volume_unknown_pct = models.PositiveSmallIntegerField(
        _("volume credit when the capacity is not in kg or litres (%)"), default=50
    )
    distance_full_km = models.PositiveIntegerField(
        _("full logistics credit up to (km to the gateway)"), default=100
    )
    distance_zero_km = models.PositiveIntegerField(
        _("no distance credit from (km to the gateway)"), default=1500
    )
    preference_share_pct = models.PositiveSmallIntegerField(
        _("share of logistics for the exporter's preferred gateways or provinces (%)"), default=40
    )
    season_share_pct = models.PositiveSmallIntegerField(
        _("share of readiness for availability in the coming months (%)"), default=30
    )
    season_months = models.PositiveSmallIntegerField(
        _("coming months considered for the season"), default=3
    )
    min_score = models.PositiveSmallIntegerField(
        _("minimum score worth showing"),
        default=40,
        help_text=_("Pairs scoring below this are never listed."),
    )
    good_score = models.PositiveSmallIntegerField(
        _("score of a good match"),
        default=60,
        help_text=_("Products whose best match is below this appear as gaps to work on."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("match weights")
        verbose_name_plural = _("match weights")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    weight_fit__gte=0,
                    weight_volume__gte=0,
                    weight_certificates__gte=0,
                    weight_markets__gte=0,
                    weight_logistics__gte=0,
                    weight_readiness__gte=0,
                ),
                name="match_weights_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    weight_fit__lte=100,
                    weight_volume__lte=100,
                    weight_certificates__lte=100,
                    weight_markets__lte=100,
                    weight_logistics__lte=100,
                    weight_readiness__lte=100,
                ),
                name="match_weights_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(
                    fit_heading_pct__lte=100,
                    fit_chapter_pct__lte=models.F("fit_heading_pct"),
                    volume_share_pct__gte=1,
                    volume_share_pct__lte=100,
                    volume_unknown_pct__lte=100,
                    preference_share_pct__lte=100,
                    season_share_pct__lte=100,
                    season_months__gte=1,
                    season_months__lte=12,
                    min_score__lte=100,
                    good_score__lte=100,
                    distance_zero_km__gt=models.F("distance_full_km"),
                ),
                name="match_weights_thresholds_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.created_at:%Y-%m-%d})" if self.created_at else "new"

    @property
    def weights(self) -> dict[str, int]:
        return {name: getattr(self, f"weight_{name}") for name in COMPONENTS}


class ProductMatches(models.Model):
    """A product's best organisations, computed from one version of the product.

    ``entries`` packs up to 20 matches, best first, as little-endian records of
    (organisation id int32, score int16, six components int16), all in tenths of a point
    (see ``matchmaking.matching.store``). ``best_score`` is the first score, 0 when empty.
    """

    # Not enforced by the database, like ``OrganisationMatch``: a derived table rewritten whole by
    # every full rescore, where per-row checks cost more than the scoring. Django deletes the
    # row with its product (``CASCADE``).
    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, primary_key=True, related_name="+", db_constraint=False
    )
    product_version = models.PositiveIntegerField()
    weights_version = models.PositiveIntegerField()
    best_score = models.PositiveSmallIntegerField(default=0, db_index=True)
    size = models.PositiveSmallIntegerField(default=0)
    entries = models.BinaryField(default=b"")
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("product matches")
        verbose_name_plural = _("product matches")
        constraints = [
            models.CheckConstraint(
                condition=Q(best_score__lte=1000, size__lte=20), name="product_matches_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} v{self.product_version}: {self.size}"


class OrganisationMatch(models.Model):
    """One export-ready product in an organisation's list of its best (50 shown, a few more
    kept so that a product dropping out rarely forces a recount).

    A derived table that every full rescore rewrites whole (over a million rows at national
    scale). Its two foreign keys are therefore not enforced by the database: PostgreSQL's
    per-row checks, each locking the referenced row, made a rewrite take minutes instead of
    seconds. Django still deletes the rows with their product or organisation (``CASCADE``),
    and the uniqueness and range constraints stay in the database.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    product_version = models.PositiveIntegerField()
    score = models.PositiveSmallIntegerField()
    fit = models.PositiveSmallIntegerField()
    volume = models.PositiveSmallIntegerField()
    certificates = models.PositiveSmallIntegerField()
    markets = models.PositiveSmallIntegerField()
    logistics = models.PositiveSmallIntegerField()
    readiness = models.PositiveSmallIntegerField()

    class Meta:
        db_table = "matchmaking_exportermatch"  # the table's name from before the rename
        verbose_name = _("recommended product")
        verbose_name_plural = _("recommended products")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "product"], name="exporter_match_once_per_pair"
            ),
            models.CheckConstraint(condition=Q(score__lte=1000), name="exporter_match_score_range"),
        ]
        # An organisation's list (at most 60 rows) is read through the unique index and
        # sorted; a product's appearances through the product index.
        indexes = [models.Index(fields=["product"], name="exporter_match_product")]

    def __str__(self) -> str:
        return f"{self.organisation_id} <- {self.product_id}: {self.score}"


class OrganisationMatchState(models.Model):
    """What an organisation's list was computed from: its version, the weights, its chapters."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    organisation_version = models.PositiveIntegerField()
    weights_version = models.PositiveIntegerField()
    chapters = models.JSONField(default=list)
    # What the scores depend on, so a change that touches none of it (a new logo) costs nothing.
    fingerprint = models.CharField(max_length=40, blank=True)
    # The stored rows are always the best of the organisation's pairs, in order. ``complete``:
    # they are all of its pairs worth showing; otherwise every pair not stored ranks below the
    # last one (score ``last_score``, product ``last_product``).
    size = models.PositiveSmallIntegerField(default=0)
    complete = models.BooleanField(default=True)
    last_score = models.PositiveSmallIntegerField(default=0)
    last_product = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        db_table = "matchmaking_exportermatchstate"  # the table's name from before the rename
        verbose_name = _("recommendation state")
        verbose_name_plural = _("recommendation states")

    def __str__(self) -> str:
        return f"{self.organisation_id} v{self.organisation_version}: {self.size}"


class PendingRescore(models.Model):
    """Work queued for the workers: one row per product or organisation at most.

    A burst of edits inserts one row and one task; the task deletes the row as it starts, so an
    edit made while it runs queues a fresh one. The periodic sweep re-sends rows left behind.
    """

    class Kind(models.TextChoices):
        PRODUCT = "product", _("product")
        ORGANISATION = "organisation", _("organisation")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    object_id = models.PositiveIntegerField()
    queued_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("pending rescore")
        verbose_name_plural = _("pending rescores")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="pending_rescore_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class MatchRun(models.Model):
    """A full rescore, fanned out over the workers in chunks of products."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        MERGING = "merging", _("merging the organisations' lists")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    weights_version = models.PositiveIntegerField()
    chunks_total = models.PositiveIntegerField(default=0)
    products = models.PositiveIntegerField(default=0)
    candidate_pairs = models.BigIntegerField(default=0)
    rows_written = models.BigIntegerField(default=0)
    job = models.ForeignKey(
        "core.BackgroundJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("full rescore")
        verbose_name_plural = _("full rescores")

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"


class MatchRunChunk(models.Model):
    """One chunk of a full rescore: the products of one HS chapter with ids in a range.

    ``partial`` holds the chunk's best products per organisation, merged when every chunk is
    done. Writing it and ``done_at`` in the chunk's transaction makes a retried chunk harmless.
    """

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    chapter = models.CharField(max_length=2)
    first_product = models.PositiveIntegerField()
    last_product = models.PositiveIntegerField()
    candidate_pairs = models.BigIntegerField(default=0)
    partial = models.BinaryField(default=b"")
    # (id, version) of every product the chunk scored, so the merge knows what changed since.
    scored = models.BinaryField(default=b"")
    # (id, version) of the organisations it scored them against (its chapter's candidates).
    candidates = models.BinaryField(default=b"")
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    attempted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("match run chunk")
        verbose_name_plural = _("match run chunks")
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="match_run_chunk_once"),
            models.CheckConstraint(
                condition=Q(first_product__lte=models.F("last_product")),
                name="match_run_chunk_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.number} ({self.chapter})"


class MatchDismissal(models.Model):
    """A suggestion one side does not want to see again. Kept; undone by deleting it."""

    class Side(models.TextChoices):
        PRODUCT = "product", _("product side")
        ORGANISATION = "organisation", _("organisation side")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=12, choices=Side.choices)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dismissed_at"]
        verbose_name = _("dismissed suggestion")
        verbose_name_plural = _("dismissed suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "organisation", "side"], name="match_dismissal_once"
            ),
            models.CheckConstraint(
                condition=Q(side__in=["product", "organisation"]), name="match_dismissal_side"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} x {self.organisation_id} ({self.side})"


class MatchAnnouncement(models.Model):
    """A product an organisation's members were told about: a new export-ready product that
    matches it well. Once per pair (``unique``), at most one announcement a day per
    organisation (``announced_on``, the portal's local date)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    announced_on = models.DateField()
    announced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("announced match")
        verbose_name_plural = _("announced matches")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "product"], name="match_announced_once"
            ),
            models.CheckConstraint(condition=Q(score__lte=1000), name="match_announced_score"),
        ]
        indexes = [
            models.Index(fields=["organisation", "announced_on"], name="match_announced_day")
        ]

    def __str__(self) -> str:
        return f"{self.product_id} -> {self.organisation_id} on {self.announced_on}"
