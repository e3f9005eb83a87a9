from __future__ import annotations

from django.db.models import Q, QuerySet

from bumdes_export.accounts.models import AccountChange, User


def user_list(*, q: str = "", role: str = "", active: bool | None = None) -> QuerySet[User]:
    qs = User.objects.select_related("region").order_by("username")
    if q:
        qs = qs.filter(
            Q(username__icontains=q)
            | Q(email__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
        )
    if role:
        qs = qs.filter(role=role)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def account_history(user: User) -> QuerySet[AccountChange]:
    return AccountChange.objects.filter(target=user).select_related("actor")
