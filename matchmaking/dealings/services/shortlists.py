"""Shortlists: export-ready products an organisation keeps an eye on."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bumdes_export.accounts.models import User
from matchmaking import access
from matchmaking.dealings import access as dealings_access
from matchmaking.dealings.models import ShortlistEntry
from matchmaking.services import full_clean, require_export_ready, save_new
from products.models import Product


@transaction.atomic
def add_to_shortlist(*, actor: User, product: Product, note: str = "") -> ShortlistEntry:
    organisation = access.acting_organisation(actor)
    require_export_ready(product)
    if ShortlistEntry.objects.filter(organisation=organisation, product=product).exists():
        raise ValidationError({"product": _("This product is already on your shortlist.")})
    entry = ShortlistEntry(
        organisation=organisation, product=product, added_by=actor, note=(note or "").strip()
    )
    full_clean(entry, exclude=["organisation", "product"])
    save_new(entry, {"product": _("This product is already on your shortlist.")})
    return entry


@transaction.atomic
def remove_from_shortlist(*, actor: User, entry: ShortlistEntry) -> None:
    if not dealings_access.may_remove_from_shortlist(actor, entry):
        raise PermissionDenied
    entry.delete()
