"""Review by ministry staff: who hears of a change, and export-ready products that go back to
review when their substance changes (an edit, a certificate, a lapse, an import)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.access import code_within
from bumdes_export.accounts.models import Role, User
from bumdes_export.notifications.services import notify, translated
from products.access import AnyUser
from products.models import Bumdes, HistoryEntry, Product
from products.services.editing import record_history


def people_concerned(bumdes: Bumdes, *, ministry: bool = True) -> list[User]:
    """Ministry staff (unless ``ministry`` is False), the officers whose region covers the
    BUMDes, and its operators."""
    users = User.objects.filter(is_active=True)
    roles = [Role.MINISTRY, Role.OFFICER] if ministry else [Role.OFFICER]
    concerned = [
        u
        for u in users.filter(role__in=roles).select_related("region")
        if u.role == Role.MINISTRY or (u.region_id and code_within(bumdes.village_id, u.region_id))
    ]
    concerned += list(users.filter(bumdes_link__bumdes=bumdes))
    return concerned


def notify_bumdes_status(bumdes: Bumdes, *, actor: AnyUser, to: str, note: str) -> None:
    """Tell everyone concerned (but the actor) that a BUMDes was verified or returned."""
    for user in people_concerned(bumdes):
        if user.pk != getattr(actor, "pk", None):
            notify(
                user,
                kind=f"bumdes.{to}",
                subject=translated(
                    gettext_lazy("BUMDes status changed: %(name)s"), name=bumdes.name
                ),
                template="products/email/bumdes_status.txt",
                context={"bumdes": bumdes, "note": note, "actor": actor},
                link=f"/registry/bumdes/{bumdes.pk}/",
            )


def notify_product_status(product: Product, *, actor: AnyUser, kind: str, note: str) -> None:
    """Tell everyone concerned (but the actor) that a product's status changed."""
    for user in people_concerned(product.bumdes):
        if user.pk == getattr(actor, "pk", None):
            continue
        notify(
            user,
            kind=kind,
            subject=translated(gettext_lazy("Product status: %(name)s"), name=product.name_id),
            template="products/email/product_status.txt",
            context={"product": product, "note": note, "actor": actor},
            link=f"/registry/products/{product.pk}/",
        )


def send_back_to_review(product: Product, *, actor: AnyUser, reason: str) -> None:
    """An export-ready product whose substance changed goes back to the ministry's review."""
    if product.status != Product.Status.EXPORT_READY:
        return
    Product.objects.filter(pk=product.pk).update(
        status=Product.Status.SUBMITTED, export_ready_at=None
    )
    product.status = Product.Status.SUBMITTED
    product.export_ready_at = None
    note = _("Back to review after a material change: %(what)s") % {"what": reason}
    record_history(
        bumdes=product.bumdes,
        product=product,
        actor=actor,
        kind=HistoryEntry.Kind.TRANSITION,
        from_status=Product.Status.EXPORT_READY,
        to_status=Product.Status.SUBMITTED,
        note=note,
    )
    notify_product_status(product, actor=actor, kind="product.back_to_review", note=note)
