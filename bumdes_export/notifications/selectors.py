"""Reads of a user's notifications: only ever the reader's own."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bumdes_export.accounts.models import User
from bumdes_export.notifications import kinds
from bumdes_export.notifications.models import Delivery, Notification, NotificationPreference


def inbox(user: User, *, family: str = "", unread: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first; of one family of kinds and unread only when
    asked. Nobody else's, whoever asks."""
    if not user.is_authenticated:
        return Notification.objects.none()
    rows = Notification.objects.filter(recipient=user)
    if family:
        rows = rows.filter(Q(kind=family) | Q(kind__startswith=f"{family}."))
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def families_in(user: User) -> list[kinds.Family]:
    """The families the user has notifications of (registered ones named, others by key)."""
    present = {
        kinds.family_of(kind)
        for kind in inbox(user).order_by().values_list("kind", flat=True).distinct()
    }
    known = {family.key: family for family in kinds.families()}
    return [known.get(key, kinds.Family(key, key)) for key in sorted(present)]


def delivery_for(user: User, kind: str) -> str:
    """How ``user`` wants notifications of ``kind``: by email at once unless he chose
    otherwise for its family; always by email for a security message."""
    if kinds.is_security(kind):
        return Delivery.EMAIL
    chosen = (
        NotificationPreference.objects.filter(user=user, family=kinds.family_of(kind))
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or Delivery.EMAIL


def preferences_of(user: User) -> dict[str, str]:
    """Family -> delivery, for every family the user chooses (the default where he did not)."""
    chosen = dict(
        NotificationPreference.objects.filter(user=user).values_list("family", "delivery")
    )
    return {family.key: chosen.get(family.key, Delivery.EMAIL) for family in kinds.choosable()}
