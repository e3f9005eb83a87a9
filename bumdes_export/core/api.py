"""Conventions shared by every API endpoint of the portal."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework import views as drf_views
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings


class StandardPagination(PageNumberPagination):
    """DRF's envelope (count, next, previous, results); ``page_size`` up to 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def service_errors(error: DjangoValidationError) -> dict[str, Any]:
    """A service's ``ValidationError`` as DRF field errors (``__all__`` as non-field errors)."""
    detail = as_serializer_error(error)
    if "__all__" in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop("__all__")
    return detail


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """The API's one exception handler (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``): a service's
    django ``ValidationError`` is a 400 with field-level errors (``__all__`` as non-field errors);
    everything else as DRF answers it (django's ``PermissionDenied`` is a 403, ``Http404`` a 404).
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=service_errors(exc))
    return drf_views.exception_handler(exc, context)


class ListFiltersOnlyMixin:
    """Apply the filter set to lists only: a detail or action URL names its object, and a
    stray query parameter there must not turn it into a 404."""

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)
