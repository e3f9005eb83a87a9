"""Registry pages: BUMDes and their products, for ministry staff, regional officers and operators.

Exporters and anonymous visitors never see the registry (anonymous visitors are sent to the login
page, exporters get 403); the public catalogue is elsewhere. Inside, every read is scoped by
``products.access`` / ``products.selectors`` (a record outside the reader's scope answers 404) and
every write goes through ``products.services``, whose ``ValidationError`` messages are shown on
the form fields (the page answers 400) and whose ``PermissionDenied`` answers 403.

The slots other apps fill on these pages are in ``products.panels``.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bumdes_export.accounts.decorators import allowed_by, ministry_required
from bumdes_export.core.forms import error_summary, form_action
from bumdes_export.core.i18n import active_language
from bumdes_export.core.panels import render_panels
from bumdes_export.core.spreadsheets import FORMATS, download
from bumdes_export.reference.selectors import disadvantaged_regency_codes
from products import access, exports, panels, selectors, services
from products.forms import (
    BumdesFilterForm,
    BumdesForm,
    CertificateForm,
    OperatorForm,
    PhotoForm,
    ProductFilterForm,
    ProductForm,
    TransitionForm,
)
from products.models import (
    UNIT_BASE,
    Bumdes,
    Certificate,
    CertificateType,
    Product,
    ReadinessRule,
)
from products.readiness import presenters as readiness_presenters
from products.readiness import selectors as readiness_selectors
from products.readiness.forms import SpecificationForm

PAGE_SIZE = 25
HISTORY_LIMIT = 200

STATUS_LABELS = {**dict(Bumdes.Status.choices), **dict(Product.Status.choices)}
STATUS_BADGES = {
    "draft": "",
    "submitted": "warn",
    "verified": "ok",
    "export_ready": "ok strong",
    "returned": "danger",
}


# --- Helpers ---------------------------------------------------------------------------------


#: Registry pages: anonymous visitors go to the login page; exporters (and any other role) 403.
registry_required = allowed_by(access.uses_registry)


def _bumdes_or_404(user, pk: int) -> Bumdes:
    return get_object_or_404(
        access.visible_bumdes(user).select_related("village__parent__parent__parent"), pk=pk
    )


def _product_or_404(user, pk: int) -> Product:
    try:
        return selectors.product_detail(user, pk)
    except Product.DoesNotExist:
        raise Http404 from None


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return number_format(value.normalize(), force_grouping=True)


def _region_path(village) -> list:
    """Village, district, regency, province."""
    path = []
    region = village
    while region is not None:
        path.append(region)
        region = region.parent
    return path


#: Changes recorded under a name that is not a field of the model.
CHANGE_LABELS = {
    "photo": gettext_lazy("Photo"),
    "certificate": gettext_lazy("Certificate"),
    "operator": gettext_lazy("BUMDes operator"),
    "village": gettext_lazy("Village"),
}


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return str(CHANGE_LABELS.get(name, name))


def _history(entries, model) -> list:
    items = list(entries[:HISTORY_LIMIT])
    language = active_language()
    certificates = {t.code: t.localized_name(language) for t in CertificateType.objects.all()}
    specification_fields = {
        field.key: field
        for template in readiness_selectors.templates()
        for field in template.fields
    }

    def shown(name: str, value):
        """A recorded value as a person reads it: no file paths, no codes."""
        if value in (None, "", []):
            return None
        if name == "photo":
            return _("a photo")
        if name == "certificate":
            code, _space, number = str(value).partition(" ")
            return f"{certificates.get(code, code)} {number}".strip()
        if name == "unconfirmed":
            return ", ".join(_field_label(Product, field) for field in value)
        if name == "specification":
            return readiness_presenters.specification_text(value, specification_fields, language)
        return value

    for entry in items:
        entry.from_label = STATUS_LABELS.get(entry.from_status, entry.from_status)
        entry.to_label = STATUS_LABELS.get(entry.to_status, entry.to_status)
        entry.badge = STATUS_BADGES.get(entry.to_status, "")
        entry.change_list = []
        for name, value in (entry.changes or {}).items():
            before, after = value if isinstance(value, list) else [None, value]
            entry.change_list.append(
                (_field_label(model, name), shown(name, before), shown(name, after))
            )
    return items


TRANSITION_LABELS = {
    "submitted": gettext_lazy("Submit for review"),
    "verified": gettext_lazy("Verify"),
    "export_ready": gettext_lazy("Mark export-ready"),
    "returned": gettext_lazy("Return with reason"),
}


def _transitions(user, table: dict, status: str, bumdes: Bumdes) -> list[dict]:
    """The workflow buttons this user may press on a record in ``status``."""
    buttons = []
    for target in access.allowed_transitions(user, table, status, bumdes):
        label = TRANSITION_LABELS[target]
        if status == Product.Status.EXPORT_READY and target == Product.Status.VERIFIED:
            label = gettext_lazy("Withdraw export-ready status")
        buttons.append(
            {
                "to": target,
                "label": label,
                "style": "secondary" if target == "returned" else "",
                "needs_note": target == "returned",
            }
        )
    return buttons


def _status_context(obj) -> dict:
    return {"status_badge": STATUS_BADGES.get(obj.status, "")}


# --- Entry -----------------------------------------------------------------------------------


@registry_required
def index(request: HttpRequest) -> HttpResponse:
    return redirect("products:product_list")


# --- BUMDes ----------------------------------------------------------------------------------


@registry_required
def bumdes_list(request: HttpRequest) -> HttpResponse:
    filters = BumdesFilterForm(request.GET, user=request.user)
    rows = selectors.bumdes_list(
        request.user, q=filters.value("q").strip(), status=filters.value("status")
    )
    # Place filters through narrow_bumdes: bumdes_list's own fail (see narrow_products).
    rows = selectors.narrow_bumdes(
        rows, province=filters.value("province"), regency=filters.value("regency")
    )
    rows = rows.annotate(product_count=Count("products")).order_by("name", "id")
    if (fmt := request.GET.get("export", "")) in FORMATS:
        return download(exports.bumdes_table(rows), "bumdes", fmt)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for bumdes in page:
        bumdes.badge = STATUS_BADGES.get(bumdes.status, "")
    return render(
        request,
        "products/bumdes_list.html",
        {
            "page": page,
            "filters": filters,
            "can_create": access.can_create_bumdes(request.user),
        },
    )


@registry_required
def bumdes_create(request: HttpRequest) -> HttpResponse:
    if not access.can_create_bumdes(request.user):
        raise PermissionDenied
    form = BumdesForm(request.POST or None, user=request.user)
    if request.method == "POST" and (
        created := form_action(
            form,
            lambda data: services.create_bumdes(
                actor=request.user, data=form.service_data(), member_villages=form.members()
            ),
        )
    ):
        bumdes = created.value
        messages.success(request, _("“%(name)s” created.") % {"name": bumdes.name})
        return redirect("products:bumdes_detail", pk=bumdes.pk)
    return render(
        request,
        "products/bumdes_form.html",
        {"form": form, "bumdes": None},
        status=400 if request.method == "POST" else 200,
    )


@registry_required
def bumdes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bumdes = _bumdes_or_404(request.user, pk)
    if not access.can_edit_bumdes(request.user, bumdes):
        raise PermissionDenied
    locked = not access.can_move_bumdes(request.user, bumdes)
    form = BumdesForm(request.POST or None, user=request.user, bumdes=bumdes, lock_village=locked)
    if request.method == "POST" and form_action(
        form,
        lambda data: services.update_bumdes(
            actor=request.user,
            bumdes=bumdes,
            data=form.service_data(),
            member_villages=None if locked else form.members(),
        ),
    ):
        messages.success(request, _("Changes saved."))
        return redirect("products:bumdes_detail", pk=bumdes.pk)
    return render(
        request,
        "products/bumdes_form.html",
        {"form": form, "bumdes": bumdes},
        status=400 if request.method == "POST" else 200,
    )


def _bumdes_page(request: HttpRequest, bumdes: Bumdes, *, status: int = 200, **forms):
    user = request.user
    products = list(selectors.product_list(user, bumdes=bumdes.pk))
    for product in products:
        product.badge = STATUS_BADGES.get(product.status, "")
    context = {
        "bumdes": bumdes,
        **_status_context(bumdes),
        "region_path": _region_path(bumdes.village),
        "members": (
            bumdes.member_villages.select_related("parent").order_by("code")
            if bumdes.kind == Bumdes.Kind.BERSAMA
            else []
        ),
        "operators": bumdes.operators.select_related("user").order_by("user__username"),
        "products": products,
        "history": _history(selectors.bumdes_history(bumdes), Bumdes),
        "can_edit": access.can_edit_bumdes(user, bumdes),
        "can_link": access.can_link_operator(user, bumdes),
        "transitions": _transitions(user, access.BUMDES_TRANSITIONS, bumdes.status, bumdes),
        "transition_form": forms.get("transition_form") or TransitionForm(),
        "photo_form": forms.get("photo_form") or PhotoForm(caption=False),
        "operator_form": forms.get("operator_form") or OperatorForm(),
        "panels": render_panels(panels.BUMDES_PAGE_PANELS, request, bumdes),
    }
    return render(request, "products/bumdes_detail.html", context, status=status)


@registry_required
def bumdes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _bumdes_page(request, _bumdes_or_404(request.user, pk))


@registry_required
@require_POST
def bumdes_transition(request: HttpRequest, pk: int) -> HttpResponse:
    bumdes = _bumdes_or_404(request.user, pk)
    form = TransitionForm(request.POST)
    if moved := form_action(
        form,
        lambda data: services.transition_bumdes(
            actor=request.user, bumdes=bumdes, to=data["to"], note=data["note"]
        ),
    ):
        bumdes = moved.value
        messages.success(
            request,
            _("The BUMDes is now: %(status)s.") % {"status": bumdes.get_status_display()},
        )
        # Reviewed from one of its products' pages: back there.
        back = request.POST.get("product", "")
        if back.isdigit() and bumdes.products.filter(pk=int(back)).exists():
            return redirect(f"{reverse('products:product_detail', args=[int(back)])}#workflow")
        return redirect("products:bumdes_detail", pk=bumdes.pk)
    messages.error(request, error_summary(form))
    return _bumdes_page(request, bumdes, status=400, transition_form=form)


@registry_required
@require_POST
def bumdes_photo(request: HttpRequest, pk: int) -> HttpResponse:
    bumdes = _bumdes_or_404(request.user, pk)
    if not access.can_edit_bumdes(request.user, bumdes):
        raise PermissionDenied
    form = PhotoForm(request.POST, request.FILES, caption=False)
    if form_action(
        form,
        lambda data: services.set_bumdes_photo(
            actor=request.user, bumdes=bumdes, upload=data["image"]
        ),
    ):
        messages.success(request, _("Photo saved."))
        return redirect("products:bumdes_detail", pk=bumdes.pk)
    return _bumdes_page(request, bumdes, status=400, photo_form=form)


@registry_required
@require_POST
def bumdes_operator(request: HttpRequest, pk: int) -> HttpResponse:
    bumdes = _bumdes_or_404(request.user, pk)
    if not access.can_link_operator(request.user, bumdes):
        raise PermissionDenied
    form = OperatorForm(request.POST)
    if linked := form_action(
        form,
        lambda data: services.link_operator(actor=request.user, bumdes=bumdes, user=data["user"]),
    ):
        messages.success(
            request,
            _("%(user)s now maintains this BUMDes.") % {"user": linked.value.user.username},
        )
        return redirect("products:bumdes_detail", pk=bumdes.pk)
    return _bumdes_page(request, bumdes, status=400, operator_form=form)


# --- Products --------------------------------------------------------------------------------


@registry_required
def product_list(request: HttpRequest) -> HttpResponse:
    filters = ProductFilterForm(request.GET, user=request.user)
    kwargs = filters.selector_kwargs()
    # Place and HS filters go through narrow_products: product_list's own fail (FieldError).
    narrow = {k: kwargs.pop(k) for k in ("province", "regency", "hs_chapter", "disadvantaged")}
    rows = selectors.narrow_products(selectors.product_list(request.user, **kwargs), **narrow)
    if (fmt := request.GET.get("export", "")) in FORMATS:
        return download(exports.product_table(rows), "products", fmt)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    disadvantaged = disadvantaged_regency_codes()
    for product in page:
        product.badge = STATUS_BADGES.get(product.status, "")
        product.disadvantaged = product.bumdes.village_id[:5] in disadvantaged
    return render(
        request,
        "products/product_list.html",
        {
            "page": page,
            "filters": filters,
            "can_create": selectors.editable_bumdes(request.user).exists(),
        },
    )


@registry_required
def product_create(request: HttpRequest) -> HttpResponse:
    choices = selectors.editable_bumdes(request.user)
    initial = {}
    preselect = request.GET.get("bumdes", "")
    if preselect.isdigit() and choices.filter(pk=preselect).exists():
        initial["bumdes"] = int(preselect)
    form = ProductForm(
        request.POST or None, user=request.user, bumdes_choices=choices, initial=initial
    )
    if request.method == "POST" and (
        created := form_action(
            form,
            lambda data: services.create_product(
                actor=request.user,
                bumdes=data["bumdes"],
                data=form.service_data(),
                **form.countries(),
            ),
        )
    ):
        product = created.value
        messages.success(request, _("“%(name)s” created.") % {"name": product.name_id})
        return redirect("products:product_detail", pk=product.pk)
    return render(
        request,
        "products/product_form.html",
        {"form": form, "product": None, "no_bumdes": not choices.exists()},
        status=400 if request.method == "POST" else 200,
    )


@registry_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product_or_404(request.user, pk)
    if not access.can_edit_product(request.user, product):
        raise PermissionDenied
    form = ProductForm(request.POST or None, user=request.user, product=product)
    if request.method == "POST" and form_action(
        form,
        lambda data: services.update_product(
            actor=request.user, product=product, data=form.service_data(), **form.countries()
        ),
    ):
        messages.success(request, _("Changes saved."))
        return redirect("products:product_detail", pk=product.pk)
    return render(
        request,
        "products/product_form.html",
        {"form": form, "product": product, "no_bumdes": False},
        status=400 if request.method == "POST" else 200,
    )


def _certificate_rows(product: Product) -> list[Certificate]:
    today = timezone.localdate()
    language = active_language()
    rows = list(product.certificates.all())
    for certificate in rows:
        certificate.type_name = certificate.type.localized_name(language)
        certificate.valid = certificate.is_valid(today)
        certificate.expired = bool(certificate.valid_until and certificate.valid_until < today)
        certificate.not_yet_valid = bool(certificate.valid_from and certificate.valid_from > today)
    return rows


def _product_page(request: HttpRequest, product: Product, *, status: int = 200, **forms):
    user = request.user
    language = active_language()
    readiness = selectors.readiness_of(product)
    blocking = len(readiness.blocking_everywhere)
    documents = readiness_presenters.Documents(language)
    template = readiness_selectors.template_for(product.hs_code_id)
    labels = readiness_presenters.field_labels(template, language)
    transitions = _transitions(user, access.PRODUCT_TRANSITIONS, product.status, product.bumdes)
    for button in transitions:
        button["blocked"] = button["to"] == Product.Status.EXPORT_READY and blocking > 0
    base = None
    converts = UNIT_BASE.get(product.unit, (None, None))[1] not in (None, Decimal(1))
    if converts and product.capacity_base is not None and product.base_unit:
        # Only where the unit is not already the base unit: "2 tonne (= 2,000 kg)".
        base = {"value": _number(product.capacity_base), "unit": product.base_unit}
    bumdes_transitions = (
        []
        if product.bumdes.status == Bumdes.Status.VERIFIED
        else _transitions(user, access.BUMDES_TRANSITIONS, product.bumdes.status, product.bumdes)
    )
    context = {
        "product": product,
        "bumdes": product.bumdes,
        **_status_context(product),
        "region_path": _region_path(product.bumdes.village),
        "readiness": readiness,
        "gaps": [
            {
                **readiness_presenters.gap_row(gap, documents, labels),
                # The BUMDes's verification is somebody's next step: say whose, to the reader.
                "step": selectors.verification_step(user, product.bumdes)
                if gap.check == ReadinessRule.Requirement.BUMDES_VERIFIED
                else gap.step(language),
            }
            for gap in readiness.gaps
        ],
        "markets": readiness_presenters.market_rows(
            selectors.market_matrix(product), documents, labels
        ),
        "specification_template": template.name_in(language) if template else "",
        "specification": readiness_presenters.specification_rows(product, template, language),
        # Until its BUMDes is verified a product cannot be export-ready: its review is here too.
        "bumdes_transitions": bumdes_transitions,
        "bumdes_can_return": any(t["to"] == "returned" for t in bumdes_transitions),
        "blocking": blocking,
        "certificates": _certificate_rows(product),
        "months": [{"name": MONTHS_3[m], "on": product.available_in(m)} for m in range(1, 13)],
        "capacity": _number(product.capacity_per_month),
        "capacity_base": base,
        "min_order": _number(product.min_order),
        "price": _number(product.price),
        "photos": list(product.photos.all()),
        "exported_to": _countries(product.exported_to.all(), language),
        "target_markets": _countries(product.target_markets.all(), language),
        "history": _history(selectors.product_history(product), Product),
        "can_edit": access.can_edit_product(user, product),
        "unconfirmed": _unconfirmed(product),
        "transitions": transitions,
        "transition_form": forms.get("transition_form") or TransitionForm(),
        "photo_form": forms.get("photo_form") or PhotoForm(),
        "panels": render_panels(panels.PRODUCT_PAGE_PANELS, request, product),
    }
    return render(request, "products/product_detail.html", context, status=status)


def _countries(countries, language: str) -> list[str]:
    names = [c.name_id if language.startswith("id") else c.name_en for c in countries]
    return sorted(names, key=str.lower)


@registry_required
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _product_page(request, _product_or_404(request.user, pk))


@registry_required
@require_POST
def product_transition(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product_or_404(request.user, pk)
    form = TransitionForm(request.POST)
    if moved := form_action(
        form,
        lambda data: services.transition_product(
            actor=request.user, product=product, to=data["to"], note=data["note"]
        ),
    ):
        product = moved.value
        messages.success(
            request,
            _("The product is now: %(status)s.") % {"status": product.get_status_display()},
        )
        return redirect("products:product_detail", pk=product.pk)
    messages.error(request, error_summary(form))
    return _product_page(request, product, status=400, transition_form=form)


@registry_required
@require_POST
def product_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the HS code, form and unit the portal suggested on import."""
    product = _product_or_404(request.user, pk)
    services.confirm_suggestions(actor=request.user, product=product)
    messages.success(request, _("The suggested values are confirmed."))
    return redirect("products:product_detail", pk=product.pk)


@registry_required
def specification_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product_or_404(request.user, pk)
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


def _unconfirmed(product: Product) -> list[dict[str, str]]:
    shown = {
        "hs_code": f"{product.hs_code.dotted} {product.hs_code.description}",
        "form": str(product.get_form_display()),
        "unit": str(product.get_unit_display()),
    }
    return [
        {"label": str(Product._meta.get_field(name).verbose_name), "value": shown[name]}
        for name in product.unconfirmed
        if name in shown
    ]


@registry_required
@require_POST
def product_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product_or_404(request.user, pk)
    if not access.can_edit_product(request.user, product):
        raise PermissionDenied
    form = PhotoForm(request.POST, request.FILES)
    if form_action(
        form,
        lambda data: services.add_photo(
            actor=request.user, product=product, upload=data["image"], caption=data["caption"]
        ),
    ):
        messages.success(request, _("Photo added."))
        return redirect(product_url(product, "photos"))
    return _product_page(request, product, status=400, photo_form=form)


@registry_required
@require_POST
def product_photo_delete(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    product = _product_or_404(request.user, pk)
    if not access.can_edit_product(request.user, product):
        raise PermissionDenied
    photo = get_object_or_404(product.photos.all(), pk=photo_pk)
    services.delete_photo(actor=request.user, photo=photo)
    messages.success(request, _("Photo deleted."))
    return redirect(product_url(product, "photos"))


def product_url(product: Product, anchor: str = "") -> str:
    url = reverse("products:product_detail", args=[product.pk])
    return f"{url}#{anchor}" if anchor else url


# --- Certificates ----------------------------------------------------------------------------


def _editable_product(request: HttpRequest, pk: int) -> Product:
    product = _product_or_404(request.user, pk)
    if not access.can_edit_product(request.user, product):
        raise PermissionDenied
    return product


@registry_required
def certificate_add(request: HttpRequest, pk: int) -> HttpResponse:
    product = _editable_product(request, pk)
    form = CertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form_action(
        form,
        lambda data: services.add_certificate(
            actor=request.user,
            product=product,
            data=form.service_data(),
            document=data["document"] or None,
        ),
    ):
        messages.success(request, _("Certificate added."))
        return redirect(product_url(product, "certificates"))
    return render(
        request,
        "products/certificate_form.html",
        {"form": form, "product": product, "certificate": None},
        status=400 if request.method == "POST" else 200,
    )


@registry_required
def certificate_edit(request: HttpRequest, pk: int, certificate_pk: int) -> HttpResponse:
    product = _editable_product(request, pk)
    certificate = get_object_or_404(product.certificates.all(), pk=certificate_pk)
    form = CertificateForm(request.POST or None, request.FILES or None, certificate=certificate)
    if request.method == "POST" and form_action(
        form,
        lambda data: services.update_certificate(
            actor=request.user,
            certificate=certificate,
            data=form.service_data(),
            document=data["document"] or None,
        ),
    ):
        messages.success(request, _("Certificate saved."))
        return redirect(product_url(product, "certificates"))
    return render(
        request,
        "products/certificate_form.html",
        {"form": form, "product": product, "certificate": certificate},
        status=400 if request.method == "POST" else 200,
    )


@registry_required
def certificate_delete(request: HttpRequest, pk: int, certificate_pk: int) -> HttpResponse:
    product = _editable_product(request, pk)
    certificate = get_object_or_404(product.certificates.all(), pk=certificate_pk)
    if request.method == "POST":
        services.delete_certificate(actor=request.user, certificate=certificate)
        messages.success(request, _("Certificate deleted."))
        return redirect(product_url(product, "certificates"))
    certificate.type_name = certificate.type.localized_name(active_language())
    return render(
        request,
        "products/certificate_confirm_delete.html",
        {"product": product, "certificate": certificate},
    )


# --- Curation --------------------------------------------------------------------------------


@ministry_required
def curation(request: HttpRequest) -> HttpResponse:
    queue = selectors.curation_queue(request.user)
    sections = {}
    for key, rows in queue.items():
        sections[key] = {"count": rows.count(), "rows": list(rows[:100])}
        for row in sections[key]["rows"]:
            row.badge = STATUS_BADGES.get(row.status, "")
    return render(request, "products/curation.html", {"queue": sections})
