from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bumdes_export.accounts.decorators import allowed_by
from bumdes_export.core.forms import form_action
from bumdes_export.core.jobs import start_job
from bumdes_export.core.models import BackgroundJob
from bumdes_export.reference import access, selectors, services
from bumdes_export.reference.forms import MoveReferencesForm
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
