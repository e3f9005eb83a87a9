"""Conventions shared by every API endpoint of the portal."""

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, parsers
from rest_framework import views as drf_views
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings

from bumdes_export.core.text import SEARCH_LENGTH


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


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, answering an invalid filter with the form's own messages.

    django-filter formats each message again with its parameters (``message % params``), so a
    value quoted in a message ("There is no regency with the code %s.") made a 500; the form's
    errors are formatted once, as Django formats them."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid() and self.raise_exception:
            raise exceptions.ValidationError(
                {name: list(errors) for name, errors in filterset.form.errors.items()}
            )
        return filterset.qs


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing JSON nested too deep for Python to read (a ``RecursionError``
    in the standard library's decoder) as malformed, like any other unreadable JSON."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("JSON parse error - nested too deeply.")) from None


class SearchFilter(django_filters.CharFilter):
    """A free-text search parameter (``q``): at most ``SEARCH_LENGTH`` characters, longer
    answers 400 with the reason."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", SEARCH_LENGTH)
        super().__init__(*args, **kwargs)
