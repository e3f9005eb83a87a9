"""Match endpoints under /api/v1/ (served by matchmaking, on product and exporter paths)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from exporters import selectors as exporter_selectors
from exporters.models import Organisation
from matchmaking.matching import access as matching_access
from matchmaking.matching import engine, runs, selectors, services, tasks
from matchmaking.matching.models import MatchRun, MatchWeights
from products import access as product_access
from products.models import Product


class MatchComponentSerializer(serializers.Serializer):
    label = serializers.CharField()
    points = serializers.FloatField(help_text="Points earned (one decimal)")
    max = serializers.IntegerField(help_text="The component's weight")


class MatchOrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="legal_name")
    kind = serializers.CharField()
    country = serializers.CharField(source="country_id")


class MatchProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="name_id")
    name_en = serializers.CharField()
    hs_code = serializers.CharField(source="hs_code_id")
    bumdes = serializers.CharField(source="bumdes.name")
    village = serializers.CharField(source="bumdes.village_id")


class MatchSerializer(serializers.Serializer):
    score = serializers.FloatField(help_text="0 to 100")
    components = serializers.DictField(child=MatchComponentSerializer())
    reasons = serializers.ListField(child=serializers.CharField())
    dismissed = serializers.BooleanField()


class ProductMatchSerializer(MatchSerializer):
    exporter = MatchOrganisationSerializer(source="organisation")


class OrganisationMatchSerializer(MatchSerializer):
    product = MatchProductSerializer()
    product_version = serializers.IntegerField()


class ProductMatchesSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product.pk")
    product_version = serializers.IntegerField(
        allow_null=True, help_text="The product version the matches were computed from"
    )
    current_version = serializers.IntegerField(source="product.version")
    up_to_date = serializers.BooleanField(source="current")
    computed_at = serializers.DateTimeField(allow_null=True)
    matches = ProductMatchSerializer(many=True)


def _flag(request, name: str) -> bool:
    return request.query_params.get(name, "") in {"1", "true", "yes"}


INCLUDE_DISMISSED = OpenApiParameter(
    "include_dismissed", bool, description="Also list suggestions dismissed by your side"
)


class ProductMatchesView(APIView):
    @extend_schema(
        summary="A product's best exporters and buyers, with reasons (its side only)",
        parameters=[INCLUDE_DISMISSED],
        responses=ProductMatchesSerializer,
    )
    def get(self, request, pk: int):
        product = get_object_or_404(
            product_access.visible_products(request.user).select_related("bumdes"), pk=pk
        )
        result = selectors.product_matches(
            request.user, product, include_dismissed=_flag(request, "include_dismissed")
        )
        return Response(ProductMatchesSerializer(result).data)


class OrganisationMatchesSerializer(serializers.Serializer):
    """An organisation's recommendations: its id, how many, and each with its reasons."""

    organisation = serializers.IntegerField()
    count = serializers.IntegerField()
    results = OrganisationMatchSerializer(many=True)


class OrganisationMatchesView(APIView):
    @extend_schema(
        summary="An organisation's recommended export-ready products (members, ministry)",
        parameters=[INCLUDE_DISMISSED],
        responses=OrganisationMatchesSerializer,
    )
    def get(self, request, pk: int):
        organisation = get_object_or_404(
            exporter_selectors.visible_organisations(request.user), pk=pk
        )
        matches = selectors.organisation_matches(
            request.user, organisation, include_dismissed=_flag(request, "include_dismissed")
        )
        return Response(
            {
                "organisation": organisation.pk,
                "count": len(matches),
                "results": OrganisationMatchSerializer(matches, many=True).data,
            }
        )


class MatchDismissalSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DismissView(APIView):
    @extend_schema(
        summary="Dismiss a suggestion for your side (kept until restored)",
        request=MatchDismissalSerializer,
        responses={201: MatchDismissalSerializer},
    )
    def post(self, request):
        data = MatchDismissalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.dismiss(
            request.user,
            data.validated_data["product"],
            data.validated_data["organisation"],
            data.validated_data["reason"],
        )
        return Response(data.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Restore a dismissed suggestion",
        parameters=[
            OpenApiParameter("product", int, required=True),
            OpenApiParameter("organisation", int, required=True),
        ],
        responses={204: None},
    )
    def delete(self, request):
        data = MatchDismissalSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        services.restore(
            request.user, data.validated_data["product"], data.validated_data["organisation"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MatchProductSummarySerializer(serializers.Serializer):
    product = MatchProductSerializer()
    best_score = serializers.FloatField(allow_null=True)
    matches = serializers.IntegerField()
    top_organisation = MatchOrganisationSerializer(allow_null=True)


class RegionMatchesView(APIView):
    @extend_schema(
        summary="Products on your side with their best match (officers: your region)",
        parameters=[
            OpenApiParameter("province", str, description="Province code, e.g. 74"),
            OpenApiParameter("below", int, description="Only products whose best score is below"),
        ],
        responses=MatchProductSummarySerializer(many=True),
    )
    def get(self, request):
        below = request.query_params.get("below", "")
        if below and not below.isdigit():
            return Response(
                {"below": ["Give a whole number from 0 to 100."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        rows = selectors.region_products(
            request.user,
            province=request.query_params.get("province", "").strip(),
            below=int(below) if below else None,
        )
        return Response(MatchProductSummarySerializer(rows, many=True).data)


class MatchGapSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    products = serializers.IntegerField()
    without_good_match = serializers.IntegerField()
    without_any_match = serializers.IntegerField()


class GapsView(APIView):
    @extend_schema(
        summary="Products without a good match, by province (ministry)",
        responses=MatchGapSerializer(many=True),
    )
    def get(self, request):
        return Response(
            MatchGapSerializer(selectors.gaps_by_province(request.user), many=True).data
        )


class MatchWeightsSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatchWeights
        fields = [
            "id",
            *services.WEIGHT_FIELDS,
            *services.THRESHOLD_FIELDS,
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class WeightsView(APIView):
    @extend_schema(summary="The weights and thresholds in force", responses=MatchWeightsSerializer)
    def get(self, request):
        if not matching_access.may_tune_matching(request.user):
            return Response({"detail": "Ministry staff only."}, status=status.HTTP_403_FORBIDDEN)
        return Response(MatchWeightsSerializer(engine.get_or_create_current_weights()).data)

    @extend_schema(
        summary="Put new weights in force and rescore everything (ministry)",
        request=MatchWeightsSerializer,
        responses=MatchWeightsSerializer,
    )
    def put(self, request):
        data = MatchWeightsSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        update = tasks.put_weights_in_force(request.user, dict(data.validated_data))
        return Response(MatchWeightsSerializer(update.weights).data)


class MatchRunSerializer(serializers.ModelSerializer):
    chunks_done = serializers.SerializerMethodField()

    class Meta:
        model = MatchRun
        fields = [
            "id",
            "status",
            "weights_version",
            "chunks_total",
            "chunks_done",
            "products",
            "candidate_pairs",
            "rows_written",
            "job",
            "started_at",
            "finished_at",
        ]

    def get_chunks_done(self, run: MatchRun) -> int:
        return runs.progress(run)["chunks_done"]


class RunsView(APIView):
    @extend_schema(
        summary="Recent full rescores (ministry)", responses=MatchRunSerializer(many=True)
    )
    def get(self, request):
        if not matching_access.may_tune_matching(request.user):
            return Response({"detail": "Ministry staff only."}, status=status.HTTP_403_FORBIDDEN)
        return Response(MatchRunSerializer(MatchRun.objects.order_by("-pk")[:20], many=True).data)

    @extend_schema(
        summary="Start a full rescore (ministry)", request=None, responses={202: MatchRunSerializer}
    )
    def post(self, request):
        if not matching_access.may_tune_matching(request.user):
            raise PermissionDenied
        run = tasks.start_full_run(user=request.user)
        return Response(MatchRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)
