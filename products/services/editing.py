"""What every write on the registry shares: applying the edited fields, recording who changed
what (``HistoryEntry``), model validation, and removing files only once a deletion committed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from bumdes_export.accounts.models import User
from bumdes_export.reference.models import Country
from products.access import AnyUser
from products.models import Bumdes, HistoryEntry, Product

#: ``{field: [old, new]}`` as a history entry stores it (values shown as text).
Changes = dict[str, list[Any]]


def display(value: object) -> str | None:
    """A value as a history entry shows it: decimals without trailing zeros, rows by key."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    pk = getattr(value, "pk", None)
    if pk is not None:
        return str(pk)
    return str(value)


def apply_changes(
    instance: models.Model, data: Mapping[str, Any], fields: Iterable[str]
) -> Changes:
    """Set the given fields from ``data``; return ``{field: [old, new]}`` for those that changed."""
    changes: Changes = {}
    for name in fields:
        if name not in data:
            continue
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        new = data[name]
        new_raw = new.pk if hasattr(new, "pk") and field.is_relation else new
        old_raw = getattr(instance, attname)
        if old_raw != new_raw:
            changes[name] = [display(old_raw), display(new_raw)]
            setattr(instance, attname, new_raw)
    return changes


def m2m_changes(instance: models.Model, name: str, countries: Iterable[Country] | None) -> Changes:
    """Set a many-to-many list of countries; ``{name: [old, new]}`` if it changed."""
    if countries is None:
        return {}
    manager = getattr(instance, name)
    old = sorted(manager.values_list("code", flat=True))
    new = sorted({c.code for c in countries})
    if old == new:
        return {}
    manager.set(new)
    return {name: [", ".join(old), ", ".join(new)]}


def record_history(
    *,
    bumdes: Bumdes,
    actor: AnyUser,
    kind: str,
    product: Product | None = None,
    **fields: Any,
) -> HistoryEntry:
    """Add an entry to the history of a BUMDes (and of one of its products)."""
    return HistoryEntry.objects.create(
        bumdes=bumdes,
        product=product,
        actor=actor if isinstance(actor, User) and actor.is_authenticated else None,
        kind=kind,
        **fields,
    )


def full_clean(instance: models.Model, exclude: list[str] | None = None) -> None:
    """Model validation gives field-level messages; database constraints are checked too."""
    instance.full_clean(exclude=exclude, validate_constraints=True)


def delete_files_on_commit(*files: FieldFile) -> None:
    """Remove stored files once the transaction commits; a rollback keeps them."""
    for file in files:
        if file and file.name:
            transaction.on_commit(_deleter(file.storage, file.name))


def _deleter(storage: Storage, name: str) -> Callable[[], None]:
    def delete() -> None:
        storage.delete(name)

    return delete
