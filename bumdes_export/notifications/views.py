"""The inbox: a signed-in user's notifications, newest first, filtered by kind and unread,
marked read one by one (opening one marks it) or all at once."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bumdes_export.notifications import kinds, mailing, selectors, services
from bumdes_export.notifications.forms import PreferencesForm
from bumdes_export.notifications.models import Notification

PAGE_SIZE = 25


def _filters(request: HttpRequest) -> tuple[str, bool]:
    family = request.GET.get("kind", request.POST.get("kind", "")).strip()
    unread = (request.GET.get("unread") or request.POST.get("unread")) == "1"
    return family, unread


def _query(family: str, unread: bool, page: str = "") -> str:
    """The inbox's filters (and page) as a query string."""
    given = (("kind", family), ("unread", "1" if unread else ""), ("page", page))
    return urlencode({name: value for name, value in given if value})


def _back(family: str, unread: bool, page: str = "") -> str:
    query = _query(family, unread, page)
    return reverse("notifications:inbox") + (f"?{query}" if query else "")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    family, unread = _filters(request)
    rows = selectors.inbox(request.user, family=family, unread=unread)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for note in page.object_list:
        note.family_label = kinds.label_of(note.kind)
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "families": selectors.families_in(request.user),
            "family": family,
            "unread": unread,
            "unread_total": selectors.unread_count(request.user),
            "query": _query(family, unread),
        },
    )


def _inside_the_portal(link: str) -> str:
    """The link as a path of this portal (notifications store absolute links for email)."""
    base = settings.PORTAL_BASE_URL.rstrip("/")
    if link.startswith(base):
        link = link[len(base) :] or "/"
    return link


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to the thing it is about."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(request.user, [note.pk])
    target = _inside_the_portal(note.link)
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    family, unread = _filters(request)
    if request.POST.get("all") == "1":
        services.mark_read(request.user)
    else:
        ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
        services.mark_read(request.user, ids)
    return redirect(_back(family, unread, request.POST.get("page", "")))


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """For each family of notifications: in the portal only, by email at once, in a daily
    digest, or not at all. Security messages are always emailed."""
    current = selectors.preferences_of(request.user)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.set_preferences(request.user, form.cleaned_data)
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The daily digest's unsubscribe link: no login needed (the token is signed); a button
    confirms, so that a mail scanner following the link changes nothing."""
    user = mailing.user_of_token(token)
    if user is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        services.unsubscribe_from_digest(user)
        done = True
    return render(request, "notifications/unsubscribe.html", {"done": done, "token": token})
