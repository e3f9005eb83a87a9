"""The kinds of notification, by family, registered by the feature apps (this shared app never
imports them, as products and exporters never import matchmaking: they register their panels).

A notification's ``kind`` is ``<family>.<event>`` ("deal.shipment", "product.returned"); the
inbox filters by family, named in the reader's language by the app that registered it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Family:
    key: str
    label: str | Promise
    security: bool = False


_families: dict[str, Family] = {}
_security_kinds: set[str] = set()


def register(key: str, label: str | Promise, *, security: bool = False) -> None:
    """Name a family of kinds (idempotent: an app's ``ready`` may run twice in tests). A
    security family (invitations, changes to one's access) cannot be turned off."""
    _families[key] = Family(key, label, security)


def register_security_kind(kind: str) -> None:
    """One kind of an ordinary family that cannot be turned off (an invitation, a new login
    method)."""
    _security_kinds.add(kind)


def choosable() -> list[Family]:
    """The families a user chooses the delivery of (security families are always emailed)."""
    return [family for family in families() if not family.security]


def is_security(kind: str) -> bool:
    family = _families.get(family_of(kind))
    return kind in _security_kinds or bool(family and family.security)


def family_of(kind: str) -> str:
    return kind.split(".", 1)[0]


def families() -> list[Family]:
    """Every registered family, by key."""
    return [_families[key] for key in sorted(_families)]


def label_of(kind: str) -> str:
    family = _families.get(family_of(kind))
    return str(family.label) if family else family_of(kind)
