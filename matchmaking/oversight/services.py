"""Writes of the dashboard: ministry staff set a province's target for a year; the monthly
snapshot of every province's figures, for the report."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bumdes_export.accounts.models import User
from bumdes_export.reference.models import Region
from matchmaking.oversight import access, selectors
from matchmaking.oversight.models import ProvinceTarget, TargetSnapshot


@transaction.atomic
def set_target(
    *, actor: User, province: Region | None, year: int | None, export_ready_bumdes: int | None
) -> ProvinceTarget:
    """Set (or change) how many BUMDes with an export-ready product a province should have by
    the end of ``year``."""
    if not access.may_set_targets(actor):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if province is None or province.level != Region.Level.PROVINCE:
        errors["province"] = _("Choose a province.")
    if year is None or not 2020 <= year <= 2100:
        errors["year"] = _("Give a year from 2020 to 2100.")
    if export_ready_bumdes is None or export_ready_bumdes < 1:
        errors["export_ready_bumdes"] = _("The target is at least one BUMDes.")
    if errors or province is None or year is None or export_ready_bumdes is None:
        raise ValidationError(errors)
    target, _created = ProvinceTarget.objects.update_or_create(
        province=province,
        year=year,
        defaults={"export_ready_bumdes": export_ready_bumdes, "set_by": actor},
    )
    return target


def take_target_snapshots(today: date | None = None) -> int:
    """Keep every province's figures for the month that has begun, once (later runs in the same
    month keep the first). Returns how many were taken: 0 when this month's exist already.
    Idempotent and safe to retry: the database keeps one per province and month."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    if TargetSnapshot.objects.filter(month=month).exists():
        return 0
    statuses = selectors.province_statuses(None, month.year)
    rows = [
        TargetSnapshot(
            month=month,
            province_id=status.code,
            target=status.target,
            bumdes_registered=status.bumdes_registered,
            bumdes_verified=status.bumdes_verified,
            bumdes_export_ready=status.bumdes_export_ready,
            products_export_ready=status.products_export_ready,
            bumdes_exporting=status.bumdes_exporting,
            meets_target=status.meets_target,
        )
        for status in statuses
    ]
    TargetSnapshot.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
