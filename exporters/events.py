"""Events the directory announces after a transaction commits (the matching engine listens)."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

#: An organisation, its sourcing preferences or its verification changed.
#: kwargs: ``organisation_id``, ``version``.
organisation_changed = Signal()


def announce_organisation(organisation_id: int, version: int) -> None:
    transaction.on_commit(
        lambda: organisation_changed.send(
            sender="exporters", organisation_id=organisation_id, version=version
        )
    )
