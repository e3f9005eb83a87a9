"""Database expressions the apps' constraints share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models


def in_choices(field: str, choices: Iterable[tuple[Any, Any]]) -> models.Q:
    """A CHECK condition: ``field`` holds one of the ``choices`` (value, label) pairs."""
    return models.Q(**{f"{field}__in": [value for value, _label in choices]})


class Tomorrow(models.Func):
    """The day after today's date on the database server (UTC), for "not in the future" checks.

    A day of margin, because Indonesia's days (UTC+7 to UTC+9) begin before UTC's. PostgreSQL
    and SQLite both accept it in a CHECK constraint.
    """

    output_field = models.DateField()
    template = "(CURRENT_DATE + 1)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return "date(CURRENT_TIMESTAMP, '+1 day')", []
