"""Page helpers shared by matchmaking's packages (dealings, forums, matching): sign-in with a
readable refusal, query and redirect parameters, attachment downloads."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import PurePosixPath
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from matchmaking import access
from products.models import Product


def signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the login page; a ``PermissionDenied`` with a message is shown
    with that message (403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as denied:
            message = str(denied)
            if not message:
                raise
            return render(
                request,
                "matchmaking/not_allowed.html",
                {
                    "message": message,
                    "pending": access.is_pending_exporter(request.user),
                },
                status=403,
            )

    return wrapper


def int_param(request: HttpRequest, name: str) -> int | None:
    """A query parameter that must be a plain positive integer id; anything else is None."""
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go after a form: the ``next`` it names when that stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


CONTENT_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}


def attachment_response(field: FieldFile, name: str) -> FileResponse:
    """A stored attachment as a download, typed by its checked content (never by the name the
    uploader gave it)."""
    if not field:
        raise Http404
    extension = PurePosixPath(field.name).suffix.lower()
    name = name or f"file{extension}"
    if not name.lower().endswith(extension):
        name += extension
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )


def product_link(user: access.AnyUser, product: Product) -> str:
    """The registry page for the product side, the catalogue entry for everyone else; no link
    ("") when the product is not in the catalogue (a service provider helping with a product
    that is not export-ready yet)."""
    if access.may_open_registry_page(user, product):
        return reverse("products:product_detail", args=[product.pk])
    if product.status != Product.Status.EXPORT_READY:
        return ""
    return reverse("catalogue:detail", args=[product.pk])
