"""Conventions shared by every API endpoint of the portal."""

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """DRF's envelope (count, next, previous, results); ``page_size`` up to 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
