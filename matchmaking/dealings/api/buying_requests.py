"""Buying requests and their offers (with the deal an accepted offer opens) over the API."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bumdes_export.core.api import ListFiltersOnlyMixin
from matchmaking.dealings import selectors, services
from matchmaking.dealings.api.common import DEAL_OPENING_RESPONSES, deal_opened
from matchmaking.dealings.models import BuyingRequest
from matchmaking.dealings.serializers import BuyingRequestSerializer, OfferSerializer
from products.api import NoopFilterSet


class BuyingRequestFilter(NoopFilterSet):
    status = django_filters.ChoiceFilter(
        choices=BuyingRequest.Status.choices,
        method="noop",
        help_text="open: open and not past valid_until; expired: marked or past the date",
    )

    class Meta:
        model = BuyingRequest
        fields: list[str] = []

    def filter_queryset(self, queryset):
        return selectors.buying_request_list(
            self.request.user, status=self.form.cleaned_data.get("status") or ""
        )


# --- Buying requests -------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Buying requests: your organisation's, or those matching your products' headings"
    ),
    retrieve=extend_schema(summary="A buying request with the offers you may see"),
    create=extend_schema(
        summary="Post a buying request (verified exporters)",
        responses={201: BuyingRequestSerializer},
    ),
    update=extend_schema(
        summary="Change a buying request (its organisation)",
        responses=BuyingRequestSerializer,
    ),
    partial_update=extend_schema(
        summary="Change some fields of a buying request (its organisation)",
        responses=BuyingRequestSerializer,
    ),
)
class BuyingRequestViewSet(
    ListFiltersOnlyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Requests for quotation (RFQ) and the offers that answer them."""

    serializer_class = BuyingRequestSerializer
    queryset = BuyingRequest.objects.none()
    filterset_class = BuyingRequestFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.visible_buying_requests(self.request.user).select_related(
            "organisation", "hs_code", "destination"
        )

    def _detail(self, buying_request: BuyingRequest, code: int = status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=buying_request.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        buying_request = services.create_buying_request(
            actor=request.user, data=dict(serializer.validated_data)
        )
        return self._detail(buying_request, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        buying_request = self.get_object()
        serializer = self.get_serializer(
            buying_request, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        services.update_buying_request(
            actor=request.user,
            buying_request=buying_request,
            data=dict(serializer.validated_data),
        )
        return self._detail(buying_request)

    @extend_schema(
        request=None,
        responses=BuyingRequestSerializer,
        summary="Close the request (its organisation)",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def close(self, request, pk=None):
        buying_request = services.close_buying_request(
            actor=request.user, buying_request=self.get_object()
        )
        return self._detail(buying_request)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=OfferSerializer(many=True),
        summary="The offers on a request you may see, newest first",
    )
    @extend_schema(
        methods=["POST"],
        request=OfferSerializer,
        responses={201: OfferSerializer},
        summary="Answer with an offer of one of your products under the same HS heading",
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def offers(self, request, pk=None):
        buying_request = self.get_object()
        if request.method == "GET":
            offers = selectors.offers_on(request.user, buying_request)
            return Response(
                OfferSerializer(offers, many=True, context=self.get_serializer_context()).data
            )
        serializer = OfferSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        product = data.pop("product")
        offer = services.make_offer(
            actor=request.user, buying_request=buying_request, product=product, data=data
        )
        body = OfferSerializer(offer, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def _decide(self, offer_id: int, accept: bool) -> Response:
        buying_request = self.get_object()
        offer = get_object_or_404(
            selectors.offers_on(self.request.user, buying_request), pk=offer_id
        )
        offer = services.decide_offer(actor=self.request.user, offer=offer, accept=accept)
        return Response(OfferSerializer(offer, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=OfferSerializer, summary="Accept an offer")
    @action(
        detail=True,
        methods=["post"],
        url_path="offers/<int:offer_id>/accept",
        url_name="offer-accept",
        filter_backends=[],
    )
    def accept_offer(self, request, pk=None, offer_id=None):
        return self._decide(offer_id, accept=True)

    @extend_schema(request=None, responses=OfferSerializer, summary="Decline an offer")
    @action(
        detail=True,
        methods=["post"],
        url_path="offers/<int:offer_id>/decline",
        url_name="offer-decline",
        filter_backends=[],
    )
    def decline_offer(self, request, pk=None, offer_id=None):
        return self._decide(offer_id, accept=False)

    @extend_schema(
        request=None,
        responses=DEAL_OPENING_RESPONSES,
        summary="Open the deal an accepted offer led to (the requesting organisation or the "
        "offered product's side). The open deal of the same product and organisation, if any, "
        "is returned instead (200).",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="offers/<int:offer_id>/deal",
        url_name="offer-deal",
        filter_backends=[],
    )
    def offer_deal(self, request, pk=None, offer_id=None):
        offer = get_object_or_404(selectors.offers_on(request.user, self.get_object()), pk=offer_id)
        return deal_opened(services.open_deal_from_offer(actor=request.user, offer=offer))
