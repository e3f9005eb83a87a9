"""The public document checklist page (``/checklist/``, no login). The product's
specification page is with the other product pages (``products.views``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bumdes_export.core.i18n import active_language
from products.readiness import presenters
from products.readiness import selectors as readiness_selectors
from products.readiness.forms import ChecklistForm


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
        status = 400
        if form.is_valid():
            context.update(_answer(form.cleaned_data, language))
            if "body" in context:
                status = 200
    return render(request, "products/checklist.html", context, status=status)


def _answer(data: dict, language: str) -> dict:
    found = readiness_selectors.named_checklist(
        data["q"], data["destination"], form=data["form"], transport=data["transport"]
    )
    if found is None:
        return {"not_understood": data["q"]}
    return {
        "body": presenters.checklist_body(found.checklist, language),
        "alternatives": found.alternatives,
        "chosen_form": data["form"],
        "transport_guessed": bool(found.checklist.transport and not data["transport"]),
    }
