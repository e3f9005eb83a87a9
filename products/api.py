"""Registry API: BUMDes, products, certificates, photos, readiness and the curation workflow.

The same rules as the pages: every list is scoped by ``products.access`` (officers see their
region, operators their own BUMDes, ministry staff everything, exporters nothing), objects
outside the scope answer 404, and every write goes through ``products.services``, whose
``ValidationError`` becomes a 400 with field errors and whose ``PermissionDenied`` a 403.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from bumdes_export.core.filters import SearchFilter
from bumdes_export.core.i18n import active_language
from bumdes_export.reference.models import Region
from bumdes_export.reference.selectors import normalize_region_code
from products import access, selectors, services
from products.models import Bumdes, Certificate, CertificateType, Product
from products.readiness import presenters as readiness_presenters
from products.readiness import selectors as readiness_selectors
from products.readiness.serializers import SpecificationSerializer
from products.serializers import (
    BumdesPhotoSerializer,
    BumdesSerializer,
    CertificateSerializer,
    CertificateTypeSerializer,
    HistoryEntrySerializer,
    NoteSerializer,
    ProductPhotoSerializer,
    ProductPhotoUploadSerializer,
    ProductSerializer,
    ReadinessSerializer,
)

# --- Conventions -----------------------------------------------------------------------------


class RegistryPermission(IsAuthenticated):
    """Signed in to read (lists are scoped); creating needs a role that maintains the registry."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if getattr(view, "action", None) == "create":
            return view.may_create(request.user)
        return True


# --- Filters ---------------------------------------------------------------------------------


class RegionCodeFormField(forms.CharField):
    """A region code of one level, with or without dots; unknown codes are an error."""

    LEVEL_NAMES = {1: _("province"), 2: _("regency")}

    def __init__(self, *, level: int, **kwargs):
        self.level = level
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        code = normalize_region_code(value)
        if not Region.objects.filter(code=code, level=self.level).exists():
            raise forms.ValidationError(
                _("There is no %(level)s with the code %(code)s.")
                % {"level": self.LEVEL_NAMES[self.level], "code": value}
            )
        return code


class RegionCodeFilter(django_filters.CharFilter):
    field_class = RegionCodeFormField


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class NoopFilterSet(django_filters.FilterSet):
    """Filters are only parsed and validated here; the selector does the filtering."""

    def noop(self, queryset, name, value):
        return queryset

    def noop_code(self, queryset, name, value: str):
        return queryset


class ProductFilter(NoopFilterSet):
    q = SearchFilter(method="noop", help_text="name or BUMDes name")
    province = RegionCodeFilter(level=1, method="noop", help_text="province code, e.g. 74")
    regency = RegionCodeFilter(level=2, method="noop", help_text="regency code, e.g. 74.02")
    hs_chapter = django_filters.CharFilter(
        method="noop",
        validators=[RegexValidator(r"^\d{2}$", _("An HS chapter has two digits."))],
        help_text="two-digit HS chapter, e.g. 03",
    )
    status = django_filters.ChoiceFilter(choices=Product.Status.choices, method="noop")
    disadvantaged = django_filters.BooleanFilter(
        method="noop", help_text="only (true) or no (false) products of disadvantaged regencies"
    )
    certificate = django_filters.ModelChoiceFilter(
        queryset=CertificateType.objects.all(),
        to_field_name="code",
        method="noop_code",
        help_text="holds a valid certificate of this type (code)",
    )
    bumdes = IntegerFilter(method="noop", min_value=1, max_value=2**63 - 1)
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in selectors.PRODUCT_ORDERINGS], method="noop"
    )

    class Meta:
        model = Product
        fields: list[str] = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        certificate = data.get("certificate")
        qs = selectors.product_list(
            self.request.user,
            q=(data.get("q") or "").strip(),
            status=data.get("status") or "",
            certificate=certificate.code if certificate else "",
            bumdes=data.get("bumdes"),
            ordering=data.get("ordering") or "name",
        )
        # Place and HS filters: product_list's own ones fail on a FieldError (see narrow_products).
        return selectors.narrow_products(
            qs,
            province=data.get("province") or "",
            regency=data.get("regency") or "",
            hs_chapter=data.get("hs_chapter") or "",
            disadvantaged=data.get("disadvantaged"),
        )


BUMDES_ORDERINGS = {
    "name": ["name", "id"],
    "-name": ["-name", "-id"],
    "newest": ["-created_at", "-id"],
    "oldest": ["created_at", "id"],
    "updated": ["-updated_at", "-id"],
}


class BumdesFilter(NoopFilterSet):
    q = SearchFilter(method="noop", help_text="name")
    province = RegionCodeFilter(level=1, method="noop", help_text="province code, e.g. 74")
    regency = RegionCodeFilter(level=2, method="noop", help_text="regency code, e.g. 74.02")
    status = django_filters.ChoiceFilter(choices=Bumdes.Status.choices, method="noop")
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in BUMDES_ORDERINGS], method="noop"
    )

    class Meta:
        model = Bumdes
        fields: list[str] = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        qs = selectors.bumdes_list(
            self.request.user, q=(data.get("q") or "").strip(), status=data.get("status") or ""
        )
        qs = selectors.narrow_bumdes(
            qs, province=data.get("province") or "", regency=data.get("regency") or ""
        )
        return qs.order_by(*BUMDES_ORDERINGS[data.get("ordering") or "name"])


# --- Query shapes ----------------------------------------------------------------------------


def _bumdes_shape(qs: QuerySet[Bumdes]) -> QuerySet[Bumdes]:
    return (
        qs.select_related("village__parent__parent__parent")
        .prefetch_related("member_villages")
        .annotate(products_count=Count("products"))
    )


def _product_shape(qs: QuerySet[Product]) -> QuerySet[Product]:
    return qs.select_related("bumdes__village__parent__parent__parent", "hs_code").prefetch_related(
        "photos",
        "exported_to",
        "target_markets",
        Prefetch("certificates", queryset=Certificate.objects.select_related("type")),
    )


def _split(validated: dict, *names: str) -> tuple[dict, list]:
    """The service's ``data`` and the separately passed values named ``names`` (None: absent)."""
    data = dict(validated)
    return data, [data.pop(name, None) for name in names]


# --- BUMDes ----------------------------------------------------------------------------------


history_schema = extend_schema(
    responses=HistoryEntrySerializer(many=True), summary="Who changed what, newest first"
)


@extend_schema_view(
    list=extend_schema(summary="BUMDes the user may see"),
    destroy=extend_schema(summary="Delete a draft or returned BUMDes without products"),
)
class BumdesViewSet(viewsets.ModelViewSet):
    """BUMDes of the registry, scoped to the user's region or own BUMDes."""

    serializer_class = BumdesSerializer
    filterset_class = BumdesFilter
    permission_classes = [RegistryPermission]
    queryset = Bumdes.objects.none()
    lookup_value_converter = "int"

    def may_create(self, user) -> bool:
        return access.can_create_bumdes(user)

    def get_queryset(self):
        return _bumdes_shape(access.visible_bumdes(self.request.user))

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return _bumdes_shape(super().filter_queryset(queryset))

    def _respond(self, bumdes: Bumdes, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=bumdes.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, (members,) = _split(serializer.validated_data, "member_villages")
        bumdes = services.create_bumdes(actor=request.user, data=data, member_villages=members)
        return self._respond(bumdes, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        bumdes = self.get_object()
        serializer = self.get_serializer(
            bumdes, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data, (members,) = _split(serializer.validated_data, "member_villages")
        services.update_bumdes(
            actor=request.user, bumdes=bumdes, data=data, member_villages=members
        )
        return self._respond(bumdes)

    def destroy(self, request, *args, **kwargs):
        services.delete_bumdes(actor=request.user, bumdes=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _transition(self, request, to: str) -> Response:
        bumdes = self.get_object()
        note = NoteSerializer(data=request.data)
        note.is_valid(raise_exception=True)
        services.transition_bumdes(
            actor=request.user, bumdes=bumdes, to=to, note=note.validated_data["note"]
        )
        return self._respond(bumdes)

    @extend_schema(request=NoteSerializer, responses=BumdesSerializer, summary="Submit for review")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, Bumdes.Status.SUBMITTED)

    @extend_schema(request=NoteSerializer, responses=BumdesSerializer, summary="Verify (ministry)")
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._transition(request, Bumdes.Status.VERIFIED)

    @extend_schema(
        request=NoteSerializer, responses=BumdesSerializer, summary="Return with a note (ministry)"
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._transition(request, Bumdes.Status.RETURNED)

    @extend_schema(
        request={"multipart/form-data": BumdesPhotoSerializer},
        responses=BumdesSerializer,
        summary="Upload the BUMDes photo",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def photo(self, request, pk=None):
        bumdes = self.get_object()
        upload = BumdesPhotoSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        services.set_bumdes_photo(
            actor=request.user, bumdes=bumdes, upload=upload.validated_data["photo"]
        )
        return self._respond(bumdes)

    @history_schema
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request, pk=None):
        entries = selectors.bumdes_history(self.get_object())
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)


# --- Products --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Products the user may see"),
    destroy=extend_schema(summary="Delete a draft or returned product"),
)
class ProductViewSet(viewsets.ModelViewSet):
    """Village products, scoped like their BUMDes."""

    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    permission_classes = [RegistryPermission]
    queryset = Product.objects.none()
    lookup_value_converter = "int"

    def may_create(self, user) -> bool:
        return access.can_create_products(user)

    def get_queryset(self):
        return _product_shape(access.visible_products(self.request.user))

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return _product_shape(super().filter_queryset(queryset))

    def _respond(self, product: Product, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=product.pk)
        return Response(ProductSerializer(fresh, context=self.get_serializer_context()).data, code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, (bumdes, exported_to, target_markets) = _split(
            serializer.validated_data, "bumdes", "exported_to", "target_markets"
        )
        product = services.create_product(
            actor=request.user,
            bumdes=bumdes,
            data=data,
            exported_to=exported_to,
            target_markets=target_markets,
        )
        return self._respond(product, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        product = self.get_object()
        serializer = self.get_serializer(
            product, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data, (bumdes, exported_to, target_markets) = _split(
            serializer.validated_data, "bumdes", "exported_to", "target_markets"
        )
        services.update_product(
            actor=request.user,
            product=product,
            data=data,
            exported_to=exported_to,
            target_markets=target_markets,
            bumdes=bumdes,
        )
        return self._respond(product)

    def destroy(self, request, *args, **kwargs):
        services.delete_product(actor=request.user, product=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _transition(self, request, to: str) -> Response:
        product = self.get_object()
        note = NoteSerializer(data=request.data)
        note.is_valid(raise_exception=True)
        services.transition_product(
            actor=request.user, product=product, to=to, note=note.validated_data["note"]
        )
        return self._respond(product)

    @extend_schema(request=NoteSerializer, responses=ProductSerializer, summary="Submit for review")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, Product.Status.SUBMITTED)

    @extend_schema(request=NoteSerializer, responses=ProductSerializer, summary="Verify (ministry)")
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._transition(request, Product.Status.VERIFIED)

    @extend_schema(
        request=NoteSerializer,
        responses=ProductSerializer,
        summary="Mark export-ready (ministry); 400 lists the blocking gaps",
    )
    @action(
        detail=True, methods=["post"], url_path="mark-export-ready", url_name="mark-export-ready"
    )
    def mark_export_ready(self, request, pk=None):
        return self._transition(request, Product.Status.EXPORT_READY)

    @extend_schema(
        request=NoteSerializer, responses=ProductSerializer, summary="Return with a note (ministry)"
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._transition(request, Product.Status.RETURNED)

    @extend_schema(
        responses=ReadinessSerializer,
        summary="Readiness score and gaps, and readiness per market, localized",
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def readiness(self, request, pk=None):
        product = self.get_object()
        readiness = selectors.readiness_of(product)
        language = active_language()
        documents = readiness_presenters.Documents(language)
        labels = readiness_presenters.field_labels(
            readiness_selectors.template_for(product.hs_code_id), language
        )
        body = {
            "product": product.pk,
            "version": product.version,
            "score": readiness.score,
            "export_ready": product.status == Product.Status.EXPORT_READY,
            "gaps": [readiness_presenters.gap_row(g, documents, labels) for g in readiness.gaps],
            "markets": readiness_presenters.market_rows(
                selectors.market_matrix(product), documents, labels
            ),
        }
        return Response(ReadinessSerializer(body).data)

    @extend_schema(
        methods=["GET"],
        responses=SpecificationSerializer,
        summary="The product's commodity specification and its template's fields",
    )
    @extend_schema(
        methods=["PUT"],
        request={"application/json": {"type": "object", "additionalProperties": True}},
        responses=SpecificationSerializer,
        summary="Record the commodity specification (all fields; one left out is cleared)",
    )
    @action(detail=True, methods=["get", "put"], filter_backends=[])
    def specification(self, request, pk=None):
        product = self.get_object()
        if request.method == "PUT":
            if not isinstance(request.data, dict):
                raise DRFValidationError(
                    {"non_field_errors": [_("Send an object of field: value.")]}
                )
            services.save_specification(actor=request.user, product=product, values=request.data)
            product.refresh_from_db()
        template = readiness_selectors.template_for(product.hs_code_id)
        language = active_language()
        body = {
            "template": template.code if template else "",
            "fields": [
                {"key": f.key, "label": f.label_in(language), "unit": f.unit}
                for f in (template.fields if template else ())
            ],
            "values": product.specification or {},
        }
        return Response(SpecificationSerializer(body).data)

    @history_schema
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request, pk=None):
        entries = selectors.product_history(self.get_object())
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": ProductPhotoUploadSerializer},
        responses={201: ProductPhotoSerializer},
        summary="Add a photo (a thumbnail is made)",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def photos(self, request, pk=None):
        product = self.get_object()
        upload = ProductPhotoUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        photo = services.add_photo(
            actor=request.user,
            product=product,
            upload=upload.validated_data["image"],
            caption=upload.validated_data["caption"],
        )
        body = ProductPhotoSerializer(photo, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Delete a photo",
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path="photos/<int:photo_id>",
        url_name="photo",
        filter_backends=[],
    )
    def delete_photo(self, request, pk=None, photo_id=None):
        photo = get_object_or_404(self.get_object().photos.all(), pk=photo_id)
        services.delete_photo(actor=request.user, photo=photo)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Certificates ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Certificates of a product"),
    create=extend_schema(summary="Add a certificate (JSON, or multipart with a document)"),
)
class CertificateViewSet(viewsets.ModelViewSet):
    """Certificates and permits of one product, at /products/{product_pk}/certificates/."""

    serializer_class = CertificateSerializer
    queryset = Certificate.objects.none()
    filter_backends: list = []

    def get_product(self) -> Product:
        if not hasattr(self, "_product"):
            products = access.visible_products(self.request.user).select_related("bumdes")
            self._product = get_object_or_404(products, pk=self.kwargs["product_pk"])
        return self._product

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Certificate.objects.none()
        return self.get_product().certificates.select_related("type", "product__bumdes")

    def create(self, request, *args, **kwargs):
        product = self.get_product()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, (document,) = _split(serializer.validated_data, "document")
        certificate = services.add_certificate(
            actor=request.user, product=product, data=data, document=document
        )
        body = self.get_serializer(certificate).data
        return Response(body, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        certificate = self.get_object()
        serializer = self.get_serializer(
            certificate, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data, (document,) = _split(serializer.validated_data, "document")
        certificate = services.update_certificate(
            actor=request.user, certificate=certificate, data=data, document=document
        )
        return Response(self.get_serializer(certificate).data)

    def destroy(self, request, *args, **kwargs):
        services.delete_certificate(actor=request.user, certificate=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class CertificateTypeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The catalogue of certificates and permits, for any signed-in user."""

    serializer_class = CertificateTypeSerializer
    queryset = CertificateType.objects.all()
    filter_backends: list = []
