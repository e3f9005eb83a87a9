from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from bumdes_export.accounts.access import scope_for


def ministry_required(view):
    """Anonymous visitors go to the login page; signed-in users of other roles get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not scope_for(request.user).is_ministry:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
