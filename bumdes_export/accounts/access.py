"""Who may see and change what, decided from role and region codes alone.

This module imports no domain app. Each app's selectors and services apply these decisions to
their own querysets (``region_q``), so list endpoints are filtered, not only detail pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from bumdes_export.accounts.models import Role, User

#: A request's user, signed in or anonymous (``None`` outside a request): what access
#: functions take.
AnyUser = AbstractBaseUser | AnonymousUser | None


@dataclass(frozen=True)
class Scope:
    role: str | None
    region_code: str | None
    authenticated: bool
    organisation_verified: bool = False

    @property
    def is_ministry(self) -> bool:
        return self.role == Role.MINISTRY

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER and bool(self.region_code)

    @property
    def is_exporter(self) -> bool:
        return self.role == Role.EXPORTER

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR

    @property
    def is_verified_exporter(self) -> bool:
        """A member of an organisation that ministry staff verified."""
        return self.role == Role.EXPORTER and self.organisation_verified

    def covers(self, region_code: str | None) -> bool:
        """True when a record located at ``region_code`` is inside this scope."""
        if self.is_ministry:
            return True
        if not self.is_officer or not region_code or not self.region_code:
            return False
        return code_within(region_code, self.region_code)

    def region_q(self, field: str) -> Q:
        """A filter keeping rows whose region code field ``field`` lies in this scope."""
        if self.is_ministry:
            return Q()
        if not self.is_officer:
            return Q(pk__in=[])
        return Q(**{field: self.region_code}) | Q(
            **{f"{field}__startswith": f"{self.region_code}."}
        )


ANONYMOUS = Scope(role=None, region_code=None, authenticated=False)


def code_within(code: str, scope_code: str) -> bool:
    """Is region ``code`` the region ``scope_code`` or inside it? ``74.02.05`` is in ``74``."""
    return code == scope_code or code.startswith(f"{scope_code}.")


def signed_in(user: AnyUser) -> User | None:
    """The portal's user behind a request's user, or ``None`` for an anonymous visitor."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return cast(User, user)  # AUTH_USER_MODEL: every signed-in user is a portal User


def scope_for(user: AnyUser) -> Scope:
    user = signed_in(user)
    if user is None or not user.is_active:
        return ANONYMOUS
    role = Role.MINISTRY if user.is_superuser else user.role
    return Scope(
        role=role,
        region_code=user.region_id,
        authenticated=True,
        organisation_verified=bool(getattr(user, "organisation_verified", False)),
    )


def is_ministry(user: AnyUser) -> bool:
    return scope_for(user).is_ministry


def is_signed_in(user: AnyUser) -> bool:
    """Any active, signed-in account."""
    return scope_for(user).authenticated


def can_manage_accounts(user: AnyUser) -> bool:
    """Invite people, change roles and region scopes, (de)activate accounts: ministry staff."""
    return scope_for(user).is_ministry
