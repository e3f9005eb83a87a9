from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bumdes_export.accounts.decorators import allowed_by
from bumdes_export.core.forms import apply_errors, form_action
from bumdes_export.core.jobs import start_job
from bumdes_export.core.models import BackgroundJob
from bumdes_export.reference import access, selectors, services
from bumdes_export.reference.forms import DesignationForm, MoveReferencesForm
from bumdes_export.reference.models import ReferenceLoad
from bumdes_export.reference.tasks import reload_reference_data


@allowed_by(access.can_manage_reference_data)
def retired_references(request: HttpRequest) -> HttpResponse:
    """Records still pointing at retired region codes, and the form that moves them."""
    form = MoveReferencesForm(request.POST or None)
    moved = request.method == "POST" and form_action(
        form, lambda data: services.move_region_references(old=data["old"], new=data["new"])
    )
    if moved:
        messages.success(
            request,
            _("%(n)d records moved from %(old)s to %(new)s.")
            % {"n": moved.value, "old": form.cleaned_data["old"], "new": form.cleaned_data["new"]},
        )
        return redirect("reference:retired")
    context = {
        "references": selectors.retired_region_references(),
        "form": form,
        "loads": ReferenceLoad.objects.all()[:20],
        "jobs": BackgroundJob.objects.filter(kind="reference.reload")[:5],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "reference/retired.html", context, status=status)


@allowed_by(access.can_manage_reference_data)
@require_POST
def reload(request: HttpRequest) -> HttpResponse:
    with transaction.atomic():
        start_job("reference.reload", reload_reference_data, user=request.user)
    messages.info(request, _("Reloading the reference data in the background."))
    return redirect("reference:retired")


#: The largest designation file accepted (the shipped one is 5 kB).
DESIGNATION_MAX_BYTES = 1024 * 1024


@allowed_by(access.can_manage_reference_data)
def disadvantaged(request: HttpRequest) -> HttpResponse:
    """The designation of disadvantaged regencies in force, the earlier ones, and the upload of
    a newer one (all or nothing, with a row-by-row report)."""
    form = DesignationForm(request.POST or None, request.FILES or None)
    problems: list[services.RowProblem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > DESIGNATION_MAX_BYTES:
                raise ValidationError({"file": _("The file may be at most 1 MB.")})
            result = services.import_designation(
                upload.read(),
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                legal_basis=form.cleaned_data["legal_basis"],
            )
        except ValidationError as error:
            problems = getattr(error, "problems", [])
            apply_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Designation loaded: %(n)d regency for %(start)d-%(end)d.",
                    "Designation loaded: %(n)d regencies for %(start)d-%(end)d.",
                    result.created + result.unchanged,
                )
                % {
                    "n": result.created + result.unchanged,
                    "start": form.cleaned_data["period_start"],
                    "end": form.cleaned_data["period_end"],
                },
            )
            return redirect("reference:disadvantaged")
    context = {
        "form": form,
        "problems": problems,
        "in_force": selectors.designation_in_force(),
        "may_load_designation": True,
        "designations": selectors.designation_periods(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "reference/disadvantaged.html", context, status=status)
