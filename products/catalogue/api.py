"""The public catalogue API: export-ready products, searchable, with facet counts.

Anyone may read it (no 401, anonymous included). A product's contact details appear only for
verified exporters and ministry staff, and each time they do a ``ContactView`` is recorded.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from bumdes_export.core.i18n import active_language
from products.catalogue import access, presenters, selectors, services
from products.catalogue.models import ContactView
from products.catalogue.serializers import (
    CatalogueListSerializer,
    CatalogueParams,
    CatalogueProductSerializer,
)
from products.models import Product


def _reading(request: Request) -> presenters.Reading:
    base = request.build_absolute_uri("/").rstrip("/")
    return presenters.Reading(active_language(), absolute=lambda url: f"{base}{url}")


class CatalogueList(APIView):
    """Export-ready village products. Filters narrow the list and the facet counts alike."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[CatalogueParams],
        responses=CatalogueListSerializer,
        operation_id="catalogue_list",
        summary="Search the catalogue of export-ready products",
    )
    def get(self, request: Request) -> Response:
        params = CatalogueParams(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        query = params.query()
        page = params.validated_data.get("page") or 1
        size = params.validated_data.get("page_size") or selectors.PAGE_SIZE
        try:
            results = selectors.search(query, page=page, page_size=size)
        except selectors.PageOutOfRange:
            raise NotFound("Invalid page.") from None
        reading = _reading(request)
        url = request.build_absolute_uri()
        previous = None
        if results.has_previous:
            previous = (
                remove_query_param(url, "page")
                if page == 2
                else replace_query_param(url, "page", page - 1)
            )
        return Response(
            {
                "count": results.count,
                "next": replace_query_param(url, "page", page + 1) if results.has_next else None,
                "previous": previous,
                "approximate": results.fuzzy,
                "results": [presenters.entry_data(e, reading) for e in results.entries],
                "facets": presenters.facets_data(results.facets, query, reading),
            }
        )


class CatalogueDetail(APIView):
    """One export-ready product (404 for any other). Contact details for verified exporters and
    ministry staff only; each such answer is recorded."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses=CatalogueProductSerializer,
        operation_id="catalogue_retrieve",
        summary="An export-ready product",
    )
    def get(self, request: Request, pk: int) -> Response:
        try:
            product = selectors.listed_product(pk)
        except Product.DoesNotExist:
            raise NotFound() from None
        contacts = None
        if access.may_see_contacts(request.user):
            contacts = selectors.contact_details(product)
            if contacts:
                services.record_contact_view(
                    viewer=request.user,
                    product=product,
                    fields=sorted(contacts),
                    via=ContactView.Via.API,
                )
        return Response(presenters.product_data(product, _reading(request), contacts=contacts))
