"""Read-only public API of the reference data."""

from __future__ import annotations

import django_filters
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from bumdes_export.core.filters import SearchFilter
from bumdes_export.reference import selectors
from bumdes_export.reference.models import Country, ExportGateway, HsCode, Region

REGION_LEVELS = {"province": 1, "regency": 2, "district": 3, "village": 4}
HS_LEVELS = {"chapter": 2, "heading": 4, "subheading": 6}


class RegionSerializer(serializers.ModelSerializer):
    level = serializers.SerializerMethodField()
    parent = serializers.CharField(source="parent_id", allow_null=True)
    retired = serializers.BooleanField(source="is_retired")

    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind", "parent", "latitude", "longitude", "retired"]

    def get_level(self, obj: Region) -> str:
        return {v: k for k, v in REGION_LEVELS.items()}[obj.level]


class HsCodeSerializer(serializers.ModelSerializer):
    level = serializers.SerializerMethodField()
    parent = serializers.CharField(source="parent_id", allow_null=True)
    section = serializers.CharField(source="section_id")

    class Meta:
        model = HsCode
        fields = ["code", "dotted", "level", "description", "parent", "section"]

    def get_level(self, obj: HsCode) -> str:
        return {v: k for k, v in HS_LEVELS.items()}[obj.level]


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "alpha3", "numeric", "name_id", "name_en"]


class ExportGatewaySerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id")

    class Meta:
        model = ExportGateway
        fields = ["code", "name", "kind", "province", "latitude", "longitude"]


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(
        choices=[(k, k) for k in REGION_LEVELS],
        method="noop",
        help_text="province|regency|district|village",
    )
    parent = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(),
        to_field_name="code",
        method="noop",
        help_text="code of the parent region",
    )
    q = SearchFilter(method="noop", help_text="name (or code prefix) search")
    include_retired = django_filters.BooleanFilter(method="noop")

    class Meta:
        model = Region
        fields: list[str] = []

    def noop(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.search_regions(
            data.get("q") or "",
            level=REGION_LEVELS.get(data.get("level") or ""),
            parent=data.get("parent"),
            include_retired=bool(data.get("include_retired")),
        )


class HsCodeFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(
        choices=[(k, k) for k in HS_LEVELS], method="noop", help_text="chapter|heading|subheading"
    )
    q = SearchFilter(
        method="noop",
        help_text="code prefix (dots optional), description words or a commodity term",
    )

    class Meta:
        model = HsCode
        fields: list[str] = []

    def noop(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.search_hs_codes(
            data.get("q") or "", level=HS_LEVELS.get(data.get("level") or "")
        )


class CountryFilter(django_filters.FilterSet):
    q = SearchFilter(method="search")

    class Meta:
        model = Country
        fields: list[str] = []

    def search(self, queryset, name, value):
        return selectors.countries(value)


class GatewayFilter(django_filters.FilterSet):
    class Meta:
        model = ExportGateway
        fields = ["kind", "province"]


class PublicReadOnly:
    permission_classes = [AllowAny]
    authentication_classes: list = []


class RegionList(PublicReadOnly, generics.ListAPIView):
    """Kemendagri regions. Retired codes are hidden unless ``include_retired=true``."""

    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    queryset = Region.objects.none()

    def get_queryset(self):
        return selectors.search_regions()


class RegionDetail(PublicReadOnly, generics.RetrieveAPIView):
    serializer_class = RegionSerializer
    lookup_field = "code"
    lookup_value_regex = r"[\d.]+"

    def get_queryset(self):
        return selectors.regions(include_retired=True)


class HsCodeList(PublicReadOnly, generics.ListAPIView):
    """HS 2022 chapters, headings and subheadings."""

    serializer_class = HsCodeSerializer
    filterset_class = HsCodeFilter
    queryset = HsCode.objects.none()

    def get_queryset(self):
        return selectors.search_hs_codes()


class HsCodeDetail(PublicReadOnly, generics.RetrieveAPIView):
    serializer_class = HsCodeSerializer
    lookup_field = "code"
    queryset = HsCode.objects.all()


class CountryList(PublicReadOnly, generics.ListAPIView):
    serializer_class = CountrySerializer
    filterset_class = CountryFilter
    queryset = Country.objects.all()


class GatewayList(PublicReadOnly, generics.ListAPIView):
    serializer_class = ExportGatewaySerializer
    filterset_class = GatewayFilter

    def get_queryset(self):
        return selectors.export_gateways()
