from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from bumdes_export.accounts.access import AnyUser, is_ministry

View = Callable[..., HttpResponse]


def allowed_by(rule: Callable[[AnyUser], bool]) -> Callable[[View], View]:
    """A page for the users ``rule`` (a function of an ``access`` module) lets in: anonymous
    visitors go to the login page, signed-in users it refuses get 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


#: A page for ministry staff only.
ministry_required = allowed_by(is_ministry)
