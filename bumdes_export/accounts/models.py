"""Portal users, their role and their region scope, and the record of every account change."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bumdes_export.core.validators import validate_phone


class Role(models.TextChoices):
    MINISTRY = "ministry", _("Ministry staff")
    OFFICER = "officer", _("Regional officer")
    EXPORTER = "exporter", _("Exporter or buyer")
    OPERATOR = "operator", _("BUMDes operator")


class User(AbstractUser):
    """A person who signs in. Role and region scope are data, read by ``accounts.access``.

    A regional officer's ``region`` is a province or a regency (Kemendagri code); the officer
    may work on everything inside it.
    """

    email = models.EmailField(_("email address"), unique=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EXPORTER)
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("region scope"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="id"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    # Kept by the exporter directory: whether this exporter's organisation is verified.
    organisation_verified = models.BooleanField(_("organisation verified"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="officer") | Q(region__isnull=False),
                name="officer_has_region",
            ),
        ]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    @property
    def is_ministry(self) -> bool:
        return self.role == Role.MINISTRY or self.is_superuser

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER


class AccountChange(models.Model):
    """Who changed which account, when, and how."""

    class Action(models.TextChoices):
        INVITED = "invited", _("Invited")
        ROLE_CHANGED = "role_changed", _("Role changed")
        SCOPE_CHANGED = "scope_changed", _("Region scope changed")
        DEACTIVATED = "deactivated", _("Deactivated")
        REACTIVATED = "reactivated", _("Reactivated")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="account_changes_made",
    )
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_changes"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("account change")
        verbose_name_plural = _("account changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"
