"""``/api/v1/outcomes/``, deprecated: what forum meetings lead to are deals now
(``/api/v1/deals/``, ``/api/v1/shipments/``). Old clients still read the steps of deals opened at
forum meetings in the shape outcomes had, and what they post is recorded into the deal through
``matchmaking.forums.services.record_outcome``. Every answer carries a ``Deprecation`` header and
a ``Link`` to the successor. The whole endpoint is this module and its route: delete both when
the old clients are gone.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from bumdes_export.core.api import ListFiltersOnlyMixin, service_errors
from matchmaking.dealings.api import id_filter
from matchmaking.deals.models import DealStage, DealStep, Shipment
from matchmaking.forums import selectors as selectors
from matchmaking.forums import services as services
from matchmaking.forums.models import MeetingOutcome
from matchmaking.forums.serializers import ScopedField
from products.api import NoopFilterSet
from products.models import Product
from products.serializers import CountryCodeField


@extend_schema_field(OpenApiTypes.INT)
class MeetingField(ScopedField):
    """The id of a meeting the user may see."""


class OutcomeSerializer(serializers.Serializer):
    """A forum outcome as ``/api/v1/outcomes/`` (deprecated) shows it: a step of a deal opened at a
    forum meeting, in the shape outcomes had before deals (``products``: the deal's product; a
    first shipment's volume, value and destination: those of the deal's first shipment record).
    Written, it records into the deal through ``services.record_outcome``."""

    id = serializers.IntegerField(read_only=True, help_text="the deal step's id")
    meeting = MeetingField(selectors.visible_meetings)
    forum = serializers.IntegerField(read_only=True, allow_null=True)
    deal = serializers.IntegerField(read_only=True, help_text="the deal: see /api/v1/deals/")
    stage = serializers.ChoiceField(
        choices=MeetingOutcome.Stage.choices,
        help_text="a first shipment is recorded as a shipment of the deal (/api/v1/shipments/)",
    )
    occurred_on = serializers.DateField(required=False, allow_null=True)
    volume_kg = serializers.DecimalField(
        max_digits=14, decimal_places=3, required=False, allow_null=True
    )
    value_usd = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    destination = CountryCodeField(required=False, allow_null=True)
    products = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.all(),
        many=True,
        required=False,
        help_text="one product (the deal's); may be left out when the meeting has only one",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    recorded_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, step: DealStep) -> dict[str, Any]:
        deal = step.deal
        volume, value, destination = step.volume_kg, step.value_usd, step.destination_id
        if step.stage == DealStage.FIRST_SHIPMENT:
            shipments = getattr(deal, "shipments_in_order", None)
            if shipments is None:
                shipments = list(deal.shipments.order_by("shipped_on", "id")[:1])
            if shipments:
                first = shipments[0]
                volume = first.volume if first.volume_unit == Shipment.MetricUnit.KG else None
                value, destination = first.value_usd, first.destination_id
        fields = self.fields
        return {
            "id": step.pk,
            "meeting": deal.meeting_id,
            "forum": deal.meeting.forum_id if deal.meeting is not None else None,
            "deal": deal.pk,
            "stage": step.stage,
            "occurred_on": fields["occurred_on"].to_representation(step.occurred_on),
            "volume_kg": None if volume is None else fields["volume_kg"].to_representation(volume),
            "value_usd": None if value is None else fields["value_usd"].to_representation(value),
            "destination": destination,
            "products": [deal.product_id],
            "note": step.note,
            "recorded_at": fields["recorded_at"].to_representation(step.recorded_at),
        }


class OutcomeFilter(NoopFilterSet):
    forum = id_filter("only outcomes of this forum's meetings (id)")
    stage = django_filters.ChoiceFilter(choices=MeetingOutcome.Stage.choices, method="noop")
    meeting = id_filter("only outcomes of deals this meeting opened (id)")

    class Meta:
        model = DealStep
        fields: list[str] = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.outcome_steps(
            self.request.user,
            forum=data.get("forum"),
            stage=data.get("stage") or "",
            meeting=data.get("meeting"),
        )


#: Where the outcomes' successor lives (the ``Link`` header of every deprecated answer).
SUCCESSOR = "/api/v1/deals/"
DEPRECATED = (
    "Deprecated: what forum meetings lead to are deals now; use /api/v1/deals/ and "
    "/api/v1/shipments/. Each row is a step (up to the first shipment) of a deal a forum "
    "meeting opened, in the shape outcomes had: `id` is the step's, `products` the deal's "
    "product, a first shipment's volume, value and destination those of the deal's first "
    "shipment record. Recording a first shipment here is refused: record it as a shipment. "
    'Answers carry `Deprecation: true` and `Link: </api/v1/deals/>; rel="successor-version"`.'
)


@extend_schema_view(
    list=extend_schema(
        summary="Steps of deals opened at forum meetings (deprecated: use /api/v1/deals/)",
        description=DEPRECATED,
        deprecated=True,
    ),
    retrieve=extend_schema(
        summary="A step of a deal opened at a forum meeting (deprecated: use /api/v1/deals/)",
        description=DEPRECATED,
        deprecated=True,
    ),
    create=extend_schema(
        summary="Record what a held meeting led to, into its deal (deprecated: use /api/v1/deals/)",
        description=DEPRECATED,
        deprecated=True,
    ),
)
class OutcomeViewSet(
    ListFiltersOnlyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OutcomeSerializer
    queryset = DealStep.objects.none()
    filterset_class = OutcomeFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.outcome_steps(self.request.user)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Deprecation"] = "true"
        response["Link"] = f'<{SUCCESSOR}>; rel="successor-version"'
        return response

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        meeting = data.pop("meeting")
        products = data.pop("products", None) or []
        if len(products) > 1:
            raise serializers.ValidationError(
                {"products": [_("Name one product: each product has its own deal.")]}
            )
        if products:
            data["product"] = products[0]
        if data.get("stage") == DealStage.FIRST_SHIPMENT:
            raise serializers.ValidationError(
                {
                    "stage": [
                        _(
                            "A first shipment is recorded as a shipment of the deal, with its "
                            "exchange rate and export gateway: use /api/v1/shipments/."
                        )
                    ]
                }
            )
        try:
            step = services.record_outcome(actor=request.user, meeting=meeting, data=data)
        except DjangoValidationError as error:
            detail = service_errors(error)
            if "product" in detail:  # the old shape names the products
                detail["products"] = detail.pop("product")
            raise serializers.ValidationError(detail) from None
        fresh = self.get_queryset().filter(pk=step.pk).first() or step
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
