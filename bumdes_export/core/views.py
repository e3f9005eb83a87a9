from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from bumdes_export.accounts.access import scope_for
from bumdes_export.core import access, health, navigation
from bumdes_export.core.models import BackgroundJob


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = health.database_status()
    broker = health.broker_status()
    healthy = bool(database["ok"] and broker["ok"])
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {
            "scope": scope_for(request.user),
            "home_actions": navigation.links_for(navigation.HOME_ACTIONS, request.user),
        },
    )


@never_cache
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Progress of a background job, for its owner and ministry staff."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "authentication required"}, status=401)
    job = get_object_or_404(BackgroundJob, pk=pk)
    if not access.can_follow_job(request.user, job):
        return JsonResponse({"detail": "not found"}, status=404)
    return JsonResponse(
        {
            "id": job.pk,
            "kind": job.kind,
            "status": job.status,
            "status_display": job.get_status_display(),
            "progress": job.progress,
            "total": job.total,
            "percent": job.percent,
            "message": job.message,
            "result": job.result,
            "finished": job.finished,
        }
    )
