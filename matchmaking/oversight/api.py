"""The dashboard's figures under /api/v1/dashboard/: provinces against the target, a province's
regencies, the funnel and the shipment totals, with the page's access rules (ministry staff:
every province; an officer: his region; anyone else: 403)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bumdes_export.core.i18n import active_language
from bumdes_export.reference.models import Region
from matchmaking.oversight import access, selectors, shipments
from matchmaking.oversight.selectors import ProvinceStatus


class RegionStatusSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Kemendagri code (province 74, regency 74.02)")
    name = serializers.CharField()
    target = serializers.IntegerField(help_text="BUMDes with an export-ready product expected")
    bumdes_registered = serializers.IntegerField()
    bumdes_verified = serializers.IntegerField()
    bumdes_export_ready = serializers.IntegerField()
    products_export_ready = serializers.IntegerField()
    products_in_review = serializers.IntegerField()
    products_with_gaps = serializers.IntegerField()
    bumdes_exporting = serializers.IntegerField(help_text="BUMDes with at least one shipment")
    meets_target = serializers.BooleanField()
    missing = serializers.ListField(
        child=serializers.ChoiceField(choices=list(selectors.REASONS)),
        help_text="Why the region falls short of the target, most basic first",
    )


class ProvincesSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    provinces = serializers.IntegerField()
    meeting = serializers.IntegerField()
    results = RegionStatusSerializer(many=True)


class FunnelStepSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    products = serializers.IntegerField()
    conversion = serializers.FloatField(allow_null=True, help_text="Share of the step before")
    median_days = serializers.FloatField(allow_null=True)


class ShipmentTotalSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    shipments = serializers.IntegerField()
    value_usd = serializers.DecimalField(max_digits=18, decimal_places=2)
    volume_kg = serializers.DecimalField(max_digits=18, decimal_places=3)
    volume_l = serializers.DecimalField(max_digits=18, decimal_places=3)


YEAR = OpenApiParameter("year", int, description="The target's year (default: this year)")


def _allowed(request: Request) -> None:
    if not access.may_see_dashboard(request.user):
        raise PermissionDenied


def _year(request: Request) -> int:
    raw = request.query_params.get("year", "")
    if raw.isdigit() and 2020 <= int(raw) <= 2100:
        return int(raw)
    if raw:
        raise serializers.ValidationError({"year": ["Give a year from 2020 to 2100."]})
    return date.today().year


def _date(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise serializers.ValidationError({name: ["Give a date as YYYY-MM-DD."]}) from None


def _statuses(statuses: list[ProvinceStatus]) -> list[dict[str, object]]:
    return RegionStatusSerializer(statuses, many=True).data


class ProvincesView(APIView):
    @extend_schema(
        summary="Every province against the target (ministry: all 38; an officer: his own)",
        parameters=[YEAR],
        responses=ProvincesSerializer,
    )
    def get(self, request: Request) -> Response:
        _allowed(request)
        year = _year(request)
        statuses = selectors.province_statuses(request.user, year)
        summary = selectors.target_summary(statuses, year)
        return Response(
            {
                "year": year,
                "provinces": summary.provinces,
                "meeting": summary.meeting,
                "results": _statuses(statuses),
            }
        )


class RegenciesView(APIView):
    @extend_schema(
        summary="A province's regencies with the same figures",
        parameters=[YEAR],
        responses=RegionStatusSerializer(many=True),
    )
    def get(self, request: Request, code: str) -> Response:
        _allowed(request)
        province = Region.objects.filter(code=code, level=Region.Level.PROVINCE).first()
        if (
            province is None
            or not selectors.visible_provinces(request.user).filter(pk=province.pk).exists()
        ):
            raise Http404
        return Response(
            _statuses(selectors.regency_statuses(request.user, province, _year(request)))
        )


class FunnelView(APIView):
    @extend_schema(
        summary="Products at each step from registered to repeat shipments",
        description="Every product registered so far (the funnel takes no period), in the "
        "reader's region or in ``region``, a province or regency code inside it.",
        parameters=[OpenApiParameter("region", str, description="A province or regency code")],
        responses=FunnelStepSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        _allowed(request)
        region = request.query_params.get("region", "").strip()
        if region:
            known = Region.objects.filter(
                code=region, level__in=[Region.Level.PROVINCE, Region.Level.REGENCY]
            ).exists()
            if not known:
                raise serializers.ValidationError(
                    {"region": ["Give the code of a province (74) or a regency (74.02)."]}
                )
            if selectors.reading_region(request.user, region) != region:
                raise Http404
        steps = selectors.funnel_steps(request.user, within=region)
        return Response(FunnelStepSerializer(steps, many=True).data)


class ShipmentTotalsView(APIView):
    @extend_schema(
        summary="Shipments and their value, grouped",
        parameters=[
            OpenApiParameter(
                "group",
                str,
                enum=list(shipments.GROUPINGS),
                description="How to group (default: chapter)",
            ),
            OpenApiParameter("shipped_from", date, description="First day (YYYY-MM-DD)"),
            OpenApiParameter("shipped_until", date, description="Last day (YYYY-MM-DD)"),
            OpenApiParameter("region", str, description="A province or regency code"),
        ],
        responses=ShipmentTotalSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        _allowed(request)
        group = request.query_params.get("group", "chapter")
        if group not in shipments.GROUPINGS:
            raise serializers.ValidationError(
                {"group": [f"Choose one of {', '.join(shipments.GROUPINGS)}."]}
            )
        period = shipments.Period(_date(request, "shipped_from"), _date(request, "shipped_until"))
        region = request.query_params.get("region", "").strip()
        totals = shipments.totals(request.user, period, group, active_language(), region=region)
        return Response(ShipmentTotalSerializer(totals, many=True).data)
