"""What every API list's filters share: the backend that answers an invalid filter, and the
free-text search parameter."""

from __future__ import annotations

from typing import Any

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions

from bumdes_export.core.text import SEARCH_LENGTH


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


class SearchFilter(django_filters.CharFilter):
    """A free-text search parameter (``q``): at most ``SEARCH_LENGTH`` characters, longer
    answers 400 with the reason."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", SEARCH_LENGTH)
        super().__init__(*args, **kwargs)
