"""What the bulk import keeps: one row per uploaded village product list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bumdes_export.reference.models import Region


class ProductImport(models.Model):
    """One upload of a village product list: who, when, what file, what it did."""

    class Status(models.TextChoices):
        COLUMNS = "columns", _("Columns to confirm")
        VALIDATING = "validating", _("Checking")
        VALIDATED = "validated", _("Checked")
        REJECTED = "rejected", _("Has errors")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    file = models.FileField(upload_to="imports/")
    file_name = models.CharField(max_length=255)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALIDATING)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True)
    job = models.ForeignKey(
        "core.BackgroundJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Added for the bulk import (products.imports): the language its messages are written in,
    # a problem with the file as a whole, new BUMDes, and when and how fast each step ran.
    language = models.CharField(max_length=5, blank=True)
    error = models.TextField(blank=True)
    bumdes_created = models.PositiveIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True)
    dry_run_seconds = models.FloatField(null=True, blank=True)
    commit_seconds = models.FloatField(null=True, blank=True)
    # Lists as they come (products.imports.reader): the file's columns as the portal reads them
    # ([header as written, template column or "" to leave it out], in the file's order), the rows whose missing HS
    # code, form or unit the portal suggested, and the suggestions the importer accepted
    # (row numbers; ``accept_all`` for every row).
    column_map = models.JSONField(_("columns"), default=list, blank=True)
    suggested = models.PositiveIntegerField(_("rows with suggestions"), default=0)
    accepted_rows = models.JSONField(_("suggestions accepted"), default=list, blank=True)
    accept_all = models.BooleanField(_("all suggestions accepted"), default=False)

    class Meta:
        verbose_name = _("product list import")
        verbose_name_plural = _("product list imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    #: Checked (or failed) and never imported: nothing of it is in the registry.
    NEVER_IMPORTED = (Status.COLUMNS, Status.VALIDATED, Status.REJECTED, Status.FAILED)

    @property
    def imported(self) -> bool:
        """Whether its counts say what happened (created, updated ...) rather than what the
        check found would happen."""
        return self.status == self.Status.DONE
