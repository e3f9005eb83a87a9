"""Deals API: deals (with their history and shipments) and shipments.

The same rules as the pages: lists are scoped by ``matchmaking.deals.selectors`` (both sides of
a deal, the regional officers of the product's region, ministry staff), deals outside the scope
answer 404, and every write goes through ``matchmaking.deals.services``, whose
``ValidationError`` becomes a 400 with field errors and whose ``PermissionDenied`` a 403 (with
the reason when the caller's organisation is not verified yet). Filters with unknown values
answer 400; anonymous requests 401.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from bumdes_export.core.api import ListFiltersOnlyMixin
from bumdes_export.core.filters import SearchFilter
from bumdes_export.reference.models import Country
from matchmaking.deals import access as deal_access
from matchmaking.deals import selectors, services
from matchmaking.deals.models import Deal, DealChannel, DealStage, Shipment
from matchmaking.deals.serializers import (
    DealSerializer,
    LostSerializer,
    ShipmentSerializer,
    StepCreateSerializer,
)
from products.api import IntegerFilter, NoopFilterSet, RegionCodeFilter

# --- Filters ---------------------------------------------------------------------------------


class CountryCodeFormField(forms.CharField):
    """An ISO 3166 alpha-2 country code, in either case; unknown codes are an error."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        code = value.strip().upper()
        if not Country.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("There is no country with the code %(code)s.") % {"code": value}
            )
        return code


class CountryCodeFilter(django_filters.CharFilter):
    field_class = CountryCodeFormField


def id_filter(help_text: str) -> IntegerFilter:
    return IntegerFilter(method="noop", min_value=1, max_value=2**63 - 1, help_text=help_text)


class DealFilter(NoopFilterSet):
    """The filters of the deal list (``selectors.DealFilters``); the shipment list shares them."""

    stage = django_filters.ChoiceFilter(choices=DealStage.choices, method="noop")
    channel = django_filters.ChoiceFilter(choices=DealChannel.choices, method="noop")
    province = RegionCodeFilter(
        level=1, method="noop", help_text="province code of the product's village, e.g. 74"
    )
    hs_chapter = django_filters.CharFilter(
        method="noop",
        validators=[RegexValidator(r"^\d{2}$", _("An HS chapter has two digits."))],
        help_text="two-digit HS chapter of the product, e.g. 03",
    )
    destination = CountryCodeFilter(
        method="noop", help_text="shipped to this country (ISO 3166 alpha-2 code), e.g. HK"
    )
    shipped_from = django_filters.DateFilter(
        method="noop", help_text="shipped on or after this date (YYYY-MM-DD)"
    )
    shipped_until = django_filters.DateFilter(
        method="noop", help_text="shipped on or before this date (YYYY-MM-DD)"
    )
    product = id_filter("only this product (id)")
    organisation = id_filter("only this organisation (id)")
    q = SearchFilter(method="noop", help_text="product, BUMDes or organisation name")

    class Meta:
        model = Deal
        fields: list[str] = []

    def deal_filters(self) -> selectors.DealFilters:
        data = self.form.cleaned_data
        return selectors.DealFilters(
            stage=data.get("stage") or "",
            channel=data.get("channel") or "",
            province=data.get("province") or "",
            hs_chapter=data.get("hs_chapter") or "",
            destination=data.get("destination") or "",
            shipped_from=data.get("shipped_from"),
            shipped_until=data.get("shipped_until"),
            product=data.get("product"),
            organisation=data.get("organisation"),
            q=(data.get("q") or "").strip(),
        )

    def filter_queryset(self, queryset):
        return selectors.deal_list(self.request.user, self.deal_filters())


class ShipmentFilter(DealFilter):
    """The deal filters; destination and period apply to the shipment itself."""

    class Meta:
        model = Shipment
        fields: list[str] = []

    def filter_queryset(self, queryset):
        return selectors.shipment_list(self.request.user, self.deal_filters())


# --- Deals -----------------------------------------------------------------------------------


class DealPermission(IsAuthenticated):
    """Signed in to read (lists are scoped); entering a deal made outside the portal takes
    ministry staff or a regional officer (``deal_access.may_record_outside_deal``)."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if getattr(view, "action", None) == "create":
            return deal_access.may_record_outside_deal(request.user)
        return True


@extend_schema_view(
    list=extend_schema(
        summary="Deals you may see (both sides, the product's regional officers, ministry "
        "staff), latest change first"
    ),
    retrieve=extend_schema(summary="A deal with its history (steps) and shipments"),
    create=extend_schema(
        summary="Enter a deal made outside the portal (ministry staff, the product's regional "
        "officers)",
        responses={201: DealSerializer},
    ),
)
class DealViewSet(
    ListFiltersOnlyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Deals between a product and an organisation, from every channel, with their shipments."""

    serializer_class = DealSerializer
    queryset = Deal.objects.none()
    filterset_class = DealFilter
    permission_classes = [DealPermission]
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Deal]:
        return selectors.deal_list(self.request.user)

    def filter_queryset(self, queryset: QuerySet[Deal]) -> QuerySet[Deal]:
        return selectors.with_history(super().filter_queryset(queryset))

    def _detail(self, deal: Deal, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.filter_queryset(self.get_queryset()).get(pk=deal.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        deal = services.open_outside_deal(
            actor=request.user,
            product=data["product"],
            organisation=data["organisation"],
            stage=data.get("stage") or DealStage.INTEREST,
            occurred_on=data.get("occurred_on"),
            note=data.get("note", ""),
        )
        return self._detail(deal, status.HTTP_201_CREATED)

    @extend_schema(
        request=StepCreateSerializer,
        responses={201: DealSerializer},
        summary="Record a stage the deal reached (either side): interest, sample sent, letter "
        "of intent or MoU, contract",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def steps(self, request, pk=None):
        deal = self.get_object()
        serializer = StepCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.record_step(actor=request.user, deal=deal, data=serializer.validated_data)
        return self._detail(deal, status.HTTP_201_CREATED)

    @extend_schema(
        request=LostSerializer,
        responses=DealSerializer,
        summary="Close the deal as lost, saying why (either side)",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def lost(self, request, pk=None):
        deal = self.get_object()
        serializer = LostSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.close_as_lost(
            actor=request.user,
            deal=deal,
            reason=data["reason"],
            note=data["note"],
            occurred_on=data.get("occurred_on"),
        )
        return self._detail(deal)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=ShipmentSerializer(many=True),
        summary="The deal's shipments, oldest first",
    )
    @extend_schema(
        methods=["POST"],
        request=ShipmentSerializer,
        responses={201: ShipmentSerializer},
        summary="Record a shipment (either side): the first moves the deal to first shipment, "
        "the second to repeat shipments",
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def shipments(self, request, pk=None):
        deal = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            rows = selectors.shipments_of(deal)
            return Response(ShipmentSerializer(rows, many=True, context=context).data)
        serializer = ShipmentSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        shipment = services.record_shipment(
            actor=request.user, deal=deal, data=serializer.validated_data
        )
        body = ShipmentSerializer(shipment, context=context).data
        return Response(body, status=status.HTTP_201_CREATED)


# --- Shipments -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Shipments of the deals you may see, latest first"),
    retrieve=extend_schema(summary="A shipment (its deal: /deals/{deal}/)"),
)
class ShipmentViewSet(
    ListFiltersOnlyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Export shipments recorded under deals."""

    serializer_class = ShipmentSerializer
    queryset = Shipment.objects.none()
    filterset_class = ShipmentFilter
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Shipment]:
        return selectors.shipment_list(self.request.user)
