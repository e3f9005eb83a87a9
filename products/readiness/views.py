"""Pages of readiness: a product's commodity specification (registry) and the public document
checklist (``/checklist/``, no login)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bumdes_export.accounts.decorators import allowed_by
from bumdes_export.core.forms import form_action
from bumdes_export.core.i18n import active_language
from bumdes_export.reference.models import Country, HsCode
from bumdes_export.reference.suggestions import selectors as suggestions
from products import access, selectors, services
from products.models import Product
from products.readiness import presenters
from products.readiness import selectors as readiness_selectors
from products.readiness.forms import ChecklistForm, SpecificationForm

registry_required = allowed_by(access.uses_registry)


@registry_required
def specification_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        product = selectors.product_detail(request.user, pk)
    except Product.DoesNotExist:
        raise Http404 from None
    if not access.can_edit_product(request.user, product):
        raise PermissionDenied
    template = readiness_selectors.template_for(product.hs_code_id)
    if template is None:
        messages.info(
            request,
            _("Products of HS %(code)s record no commodity specification.")
            % {"code": product.hs_code.dotted},
        )
        return redirect("products:product_detail", pk=product.pk)
    language = active_language()
    form = SpecificationForm(
        template, language, request.POST or None, values=product.specification or {}
    )
    was = product.status
    saved = (
        form_action(
            form,
            lambda data: services.save_specification(
                actor=request.user, product=product, values=data
            ),
        )
        if request.method == "POST"
        else None
    )
    if saved:
        messages.success(request, _("Specification saved."))
        if saved.value is not None and saved.value.status != was:
            messages.warning(
                request,
                _(
                    "The specification breaks a rule that blocks export: the product went "
                    "back to review. See what is missing under Export readiness."
                ),
            )
        return redirect(reverse("products:product_detail", args=[product.pk]) + "#specification")
    return render(
        request,
        "products/specification_form.html",
        {"form": form, "product": product, "template_name": template.name_in(language)},
        status=400 if request.method == "POST" else 200,
    )


def checklist(request: HttpRequest) -> HttpResponse:
    """Choose a product (by name or code) and a destination; get the documents and licences
    of that shipment. A name is read by the HS suggestions: the best code is used and the
    others are offered."""
    language = active_language()
    data = request.GET if request.GET else None
    if data is not None and data.get("hs") and not data.get("q"):
        data = data.copy()
        data["q"] = data["hs"]
    form = ChecklistForm(language, data)
    context: dict = {"form": form}
    status = 200
    if data is not None:
        if form.is_valid():
            context.update(_answer(form.cleaned_data, language))
            if "body" not in context:
                status = 400
        else:
            status = 400
    return render(request, "products/checklist.html", context, status=status)


def _answer(data: dict, language: str) -> dict:
    found = suggestions.suggest(data["q"])
    alternatives = found.hs
    if not alternatives:
        return {"not_understood": data["q"]}
    chosen = HsCode.objects.filter(code=alternatives[0].code).first()
    destination = Country.objects.filter(code=data["destination"]).first()
    if chosen is None or destination is None:
        return {"not_understood": data["q"]}
    # Only the form chosen: a name's words would guess one ("kepiting" is not always fresh).
    form = data["form"]
    result = readiness_selectors.checklist(
        chosen, destination, form=form, transport=data["transport"]
    )
    return {
        "body": presenters.checklist_body(result, language),
        "alternatives": alternatives[1:],
        "chosen_form": form,
        "transport_guessed": bool(result.transport and not data["transport"]),
    }
