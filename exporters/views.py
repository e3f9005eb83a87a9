"""Directory pages: exporter organisations, their profiles, members, verification, registration.

Every signed-in user reads the directory of verified organisations (anonymous visitors are sent
to the login page); exporters also see their own organisation in any state, ministry staff see
pending and rejected ones and verify or reject them. Reads go through ``exporters.selectors`` (an
organisation the reader may not see answers 404); who may see or do what (contact details,
identifiers, editing, members, verification) is asked of ``exporters.access`` and handed to the
templates as flags; every write goes through ``exporters.services`` by way of ``form_action``,
whose ``ValidationError`` messages are shown on the form fields (the page answers 400) and whose
``PermissionDenied`` answers 403. Registration, the email confirmation and the privacy notice are
the only pages for anonymous visitors.

Other apps add fragments to an organisation's page through the slot in ``exporters.panels``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bumdes_export.accounts.decorators import allowed_by
from bumdes_export.core.forms import error_summary, form_action
from bumdes_export.core.i18n import active_language
from bumdes_export.core.identifiers import format_npwp
from bumdes_export.core.panels import render_panels
from bumdes_export.core.spreadsheets import FORMATS, download
from bumdes_export.reference.models import CertificateType
from exporters import access, exports, panels, selectors, services
from exporters.forms import (
    INCOTERM_ORDER,
    REGISTRATION_ERROR_FIELDS,
    DirectoryFilterForm,
    InviteForm,
    LogoForm,
    OrganisationForm,
    RegistrationForm,
    RejectForm,
    language_name,
)
from exporters.models import Membership, Organisation, OrganisationChange, Service

PAGE_SIZE = 25
HISTORY_LIMIT = 200
REGISTERED_EMAIL = "exporters.registered_email"

#: The slot of ``exporters.panels`` under its old name (the same list).

STATUS_BADGES = {"pending": "warn", "verified": "ok", "rejected": "danger"}
ACTION_LABELS = {
    "registered": gettext_lazy("Registered"),
    "created": gettext_lazy("Listed in the directory"),
    "email_confirmed": gettext_lazy("Email confirmed"),
    "updated": gettext_lazy("Profile changed"),
    "logo": gettext_lazy("Logo changed"),
    "verified": gettext_lazy("Verified"),
    "rejected": gettext_lazy("Rejected"),
    "member_invited": gettext_lazy("Colleague invited"),
    "member_removed": gettext_lazy("Member removed"),
    "admin_edit": gettext_lazy("Changed in the administration"),
}


# --- Helpers ---------------------------------------------------------------------------------


def _organisation_or_404(user, pk: int) -> Organisation:
    return get_object_or_404(
        selectors.visible_organisations(user).select_related("country", "province", "verified_by"),
        pk=pk,
    )


def _field_label(name: str) -> str:
    if name == "member":
        return _("member")
    try:
        return str(Organisation._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _change_value(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def history_entries(organisation: Organisation) -> list[OrganisationChange]:
    entries = list(organisation.history.select_related("actor")[:HISTORY_LIMIT])
    for entry in entries:
        entry.label = ACTION_LABELS.get(entry.action, entry.action)
        entry.change_list = [
            (
                _field_label(name),
                *(
                    _change_value(v)
                    for v in (
                        value if isinstance(value, list) and len(value) == 2 else [None, value]
                    )
                ),
            )
            for name, value in (entry.changes or {}).items()
        ]
    return entries


def _badge(organisation: Organisation) -> str:
    return STATUS_BADGES.get(organisation.status, "")


def profile_facts(organisation: Organisation) -> dict:
    """The organisation's sourcing preferences and profile lists, named in the reader's language."""
    reader = active_language()
    certificates = {
        t.code: t.localized_name(reader)
        for t in CertificateType.objects.filter(code__in=organisation.required_certificates or [])
    }
    services_offered = dict(Service.choices)
    incoterms = set(organisation.incoterms or [])
    return {
        "country_name": organisation.country.localized_name(reader),
        "languages": [language_name(code, reader) for code in organisation.languages or []],
        "services": [services_offered.get(s, s) for s in organisation.services or []],
        "hs_interests": list(organisation.hs_interests.order_by("code")),
        "markets": sorted(
            (c.localized_name(reader) for c in organisation.destination_markets.all()),
            key=str.lower,
        ),
        "certificates": [
            certificates.get(code, code) for code in organisation.required_certificates
        ],
        "provinces": list(organisation.preferred_provinces.order_by("name")),
        "gateways": list(organisation.preferred_gateways.order_by("kind", "name")),
        "incoterms": [term for term in INCOTERM_ORDER if term in incoterms],
        "npwp": format_npwp(organisation.npwp),
    }


# --- Directory -------------------------------------------------------------------------------


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    viewer = access.viewer(request.user)
    filters = DirectoryFilterForm(request.GET, with_status=viewer.filters_by_status)
    rows = selectors.directory(request.user, **filters.selector_kwargs())
    if (fmt := request.GET.get("export", "")) in FORMATS:
        table = exports.directory_table(rows, active_language(), viewer.filters_by_status)
        return download(table, "directory", fmt)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    reader = active_language()
    service_labels = dict(Service.choices)
    for organisation in page:
        organisation.badge = _badge(organisation)
        organisation.country_name = organisation.country.localized_name(reader)
        organisation.hs_list = sorted(organisation.hs_interests.all(), key=lambda h: h.code)
        organisation.market_codes = sorted(c.code for c in organisation.destination_markets.all())
        organisation.service_list = [service_labels.get(s, s) for s in organisation.services]
    return render(
        request,
        "exporters/directory.html",
        {
            "page": page,
            "filters": filters,
            "viewer": viewer,
            "own_id": viewer.organisation_id,
            "can_verify": viewer.verifies,
            "pending_count": selectors.pending_organisations().count() if viewer.verifies else 0,
        },
    )


def _detail_page(request: HttpRequest, organisation: Organisation, *, status=200, **forms):
    viewer = access.viewer(request.user)
    context = {
        "organisation": organisation,
        "badge": _badge(organisation),
        "facts": profile_facts(organisation),
        "viewer": viewer,
        "is_member": viewer.is_member(organisation),
        "show_contact": viewer.sees_contact(organisation),
        "show_members": viewer.sees_members(organisation),
        "show_identifiers": viewer.sees_identifiers(organisation),
        "show_verifier": viewer.sees_verifier,
        "can_edit": viewer.edits(organisation),
        "can_verify": viewer.verifies,
        "history": history_entries(organisation) if viewer.sees_history(organisation) else None,
        "reject_form": forms.get("reject_form") or RejectForm(),
        "panels": render_panels(panels.EXPORTER_PAGE_PANELS, request, organisation),
    }
    return render(request, "exporters/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _organisation_or_404(request.user, pk))


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """An exporter's own organisation, or the way to register one."""
    organisation = selectors.organisation_of(request.user)
    if organisation is not None:
        return redirect("exporters:detail", pk=organisation.pk)
    if access.may_belong_to_organisation(request.user):
        return redirect("exporters:register")
    raise PermissionDenied


# --- Editing ---------------------------------------------------------------------------------


def _editable_or_403(request: HttpRequest, pk: int) -> Organisation:
    organisation = _organisation_or_404(request.user, pk)
    if not access.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    return organisation


FORM_SECTIONS = [
    (
        gettext_lazy("Profile"),
        "",
        ["legal_name", "kind", "country", "province", "nib", "npwp", "website", "description"],
    ),
    (gettext_lazy("Languages and services"), "", ["languages", "services"]),
    (
        gettext_lazy("Contact"),
        gettext_lazy("Shown to verified exporters and ministry staff only."),
        ["contact_name", "contact_email", "contact_phone", "address"],
    ),
    (
        gettext_lazy("Sourcing preferences"),
        gettext_lazy(
            "What you buy, where you sell it and on which terms: the portal matches village "
            "products against these."
        ),
        [
            "hs_interests",
            "destination_markets",
            "min_order_kg",
            "max_volume_kg_per_month",
            "required_certificates",
            "preferred_provinces",
            "preferred_gateways",
            "incoterms",
        ],
    ),
]


def _edit_page(request, organisation, form, logo_form, *, status=200) -> HttpResponse:
    sections = [
        {"title": title, "help": help_text, "fields": [form[name] for name in names]}
        for title, help_text, names in FORM_SECTIONS
    ]
    return render(
        request,
        "exporters/form.html",
        {"organisation": organisation, "form": form, "logo_form": logo_form, "sections": sections},
        status=status,
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _editable_or_403(request, pk)
    form = OrganisationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form_action(
        form,
        lambda _data: services.update_organisation(
            actor=request.user, organisation=organisation, **form.service_kwargs()
        ),
    ):
        messages.success(request, _("Changes saved."))
        return redirect("exporters:detail", pk=organisation.pk)
    return _edit_page(
        request,
        organisation,
        form,
        LogoForm(),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def logo(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _editable_or_403(request, pk)
    form = LogoForm(request.POST, request.FILES)
    if form_action(
        form,
        lambda data: services.set_logo(
            actor=request.user, organisation=organisation, upload=data["logo"]
        ),
    ):
        messages.success(request, _("Logo saved."))
        return redirect("exporters:detail", pk=organisation.pk)
    return _edit_page(
        request, organisation, OrganisationForm(organisation=organisation), form, status=400
    )


# --- Members ---------------------------------------------------------------------------------


def _members_page(request, organisation, *, form=None, error="", status=200) -> HttpResponse:
    can_manage = access.can_manage_members(request.user, organisation)
    memberships = organisation.memberships.select_related("user").order_by(
        "-is_admin", "user__first_name", "user__username"
    )
    return render(
        request,
        "exporters/members.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "can_manage": can_manage,
            "form": (form or InviteForm()) if can_manage else None,
            "error": error,
        },
        status=status,
    )


@login_required
def members(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request.user, pk)
    if not access.can_see_members(request.user, organisation):
        raise PermissionDenied
    if request.method != "POST":
        return _members_page(request, organisation)
    if not access.can_manage_members(request.user, organisation):
        raise PermissionDenied
    form = InviteForm(request.POST)
    invited = form_action(
        form,
        lambda data: services.invite_colleague(
            actor=request.user, organisation=organisation, **data
        ),
    )
    if invited and invited.value is not None:
        messages.success(
            request,
            _("%(email)s is invited: we sent a link to choose a password.")
            % {"email": invited.value.user.email},
        )
        return redirect("exporters:members", pk=organisation.pk)
    return _members_page(request, organisation, form=form, status=400)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request.user, pk)
    if not access.can_manage_members(request.user, organisation):
        raise PermissionDenied
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=member_pk,
        organisation=organisation,
    )
    try:
        services.remove_member(actor=request.user, membership=membership)
    except ValidationError as error:
        return _members_page(request, organisation, error=" ".join(error.messages), status=400)
    messages.success(
        request,
        _("%(user)s no longer belongs to %(name)s; the account is deactivated.")
        % {"user": membership.user.email or membership.user.username, "name": organisation},
    )
    return redirect("exporters:members", pk=organisation.pk)


# --- Verification ----------------------------------------------------------------------------


@allowed_by(access.can_verify)
def pending(request: HttpRequest) -> HttpResponse:
    rows = list(
        selectors.pending_organisations()
        .select_related("country", "province")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("user"))
        )
    )
    for organisation in rows:
        organisation.country_name = organisation.country.localized_name(active_language())
        organisation.admins = [m.user for m in organisation.memberships.all() if m.is_admin]
        organisation.confirmed = any(user.is_active for user in organisation.admins)
    return render(request, "exporters/pending.html", {"rows": rows})


@login_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_verify(request.user):
        raise PermissionDenied
    organisation = _organisation_or_404(request.user, pk)
    services.verify(actor=request.user, organisation=organisation)
    messages.success(request, _("%(name)s is verified.") % {"name": organisation.legal_name})
    return redirect("exporters:detail", pk=organisation.pk)


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_verify(request.user):
        raise PermissionDenied
    organisation = _organisation_or_404(request.user, pk)
    form = RejectForm(request.POST)
    if form_action(
        form,
        lambda data: services.reject(
            actor=request.user, organisation=organisation, reason=data["reason"]
        ),
    ):
        messages.success(request, _("%(name)s is rejected.") % {"name": organisation.legal_name})
        return redirect("exporters:detail", pk=organisation.pk)
    messages.error(request, error_summary(form))
    return _detail_page(request, organisation, status=400, reject_form=form)


# --- Registration ----------------------------------------------------------------------------


def register(request: HttpRequest) -> HttpResponse:
    if not access.can_register_organisation(request.user):
        if request.method == "POST":
            raise PermissionDenied
        return render(
            request,
            "exporters/register_signed_in.html",
            {"organisation": selectors.organisation_of(request.user)},
        )
    form = RegistrationForm(request.POST or None)
    registered = request.method == "POST" and form_action(
        form,
        lambda _data: services.register(**form.service_kwargs()),
        aliases=REGISTRATION_ERROR_FIELDS,
    )
    if registered and registered.value is not None:
        request.session[REGISTERED_EMAIL] = registered.value.user.email
        return redirect("exporters:register_done")
    return render(
        request,
        "exporters/register.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def register_done(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "exporters/register_done.html",
        {
            "email": request.session.get(REGISTERED_EMAIL),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
    )


def confirm_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = services.confirm_email(uidb64, token)
    if user is None:
        return render(request, "exporters/confirm_invalid.html", status=400)
    request.session.pop(REGISTERED_EMAIL, None)
    return render(
        request,
        "exporters/confirm_done.html",
        {"confirmed_user": user, "organisation": selectors.organisation_of(user)},
    )


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "exporters/privacy.html")
