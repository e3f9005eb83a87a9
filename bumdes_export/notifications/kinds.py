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


_families: dict[str, Family] = {}


def register(key: str, label: str | Promise) -> None:
    """Name a family of kinds (idempotent: an app's ``ready`` may run twice in tests)."""
    _families[key] = Family(key, label)


def family_of(kind: str) -> str:
    return kind.split(".", 1)[0]


def families() -> list[Family]:
    """Every registered family, by key."""
    return [_families[key] for key in sorted(_families)]


def label_of(kind: str) -> str:
    family = _families.get(family_of(kind))
    return str(family.label) if family else family_of(kind)
