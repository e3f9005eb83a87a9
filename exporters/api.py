"""Directory API: organisations, registration, verification, members.

The same rules as the pages: every signed-in user lists the verified organisations (anonymous
requests get 401), exporters also their own organisation whatever its state, ministry staff
every organisation. An organisation the user may not see answers 404; a write the user may not
make answers 403 (``PermissionDenied`` from ``exporters.services``); a service's
``ValidationError`` answers 400 with field errors. Registration is open to anonymous visitors.
"""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from bumdes_export.core.api import service_errors
from bumdes_export.core.filters import SearchFilter
from bumdes_export.reference.models import Country, HsCode, Region
from bumdes_export.reference.selectors import normalize_hs_code
from exporters import access, selectors, services
from exporters.models import Kind, Organisation, Service
from exporters.serializers import (
    InviteSerializer,
    LogoSerializer,
    MemberSerializer,
    OrganisationChangeSerializer,
    OrganisationSerializer,
    RegisteredSerializer,
    RegistrationSerializer,
    RejectSerializer,
)

# --- Conventions -----------------------------------------------------------------------------


ACCOUNT_FIELDS = {
    "username",
    "email",
    "password",
    "first_name",
    "last_name",
    "language",
    "privacy_consent",
    api_settings.NON_FIELD_ERRORS_KEY,
}


# --- Filters ---------------------------------------------------------------------------------


class HsCodeFormField(forms.CharField):
    """An HS code of any level, dots optional; an unknown code is an error."""

    def clean(self, value):
        value = normalize_hs_code(super().clean(value) or "")
        if not value:
            return ""
        if not re.fullmatch(r"\d{2}|\d{4}|\d{6}", value):
            raise forms.ValidationError(_("An HS code has 2, 4 or 6 digits."))
        if not HsCode.objects.filter(code=value).exists():
            raise forms.ValidationError(_("There is no HS code %(code)s.") % {"code": value})
        return value


class CodeFormField(forms.CharField):
    """A code that must name an existing row (a country, a province)."""

    def __init__(self, *, exists, message, normalize=str.strip, **kwargs):
        self.exists, self.message, self.normalize = exists, message, normalize
        super().__init__(**kwargs)

    def clean(self, value):
        value = self.normalize(super().clean(value) or "")
        if value and not self.exists(value):
            raise forms.ValidationError(self.message % {"code": value})
        return value


class HsCodeFilter(django_filters.CharFilter):
    field_class = HsCodeFormField


class CodeFilter(django_filters.CharFilter):
    field_class = CodeFormField


class DirectoryFilter(django_filters.FilterSet):
    """Filters are only parsed and validated here; ``selectors.directory`` does the filtering."""

    q = SearchFilter(method="noop", help_text="name or description")
    kind = django_filters.ChoiceFilter(choices=Kind.choices, method="noop")
    hs = HsCodeFilter(
        method="noop",
        help_text="HS chapter, heading or subheading (dots optional); an interest in a chapter "
        "matches its subheadings and the reverse",
    )
    market = CodeFilter(
        method="noop",
        exists=lambda code: Country.objects.filter(code=code).exists(),
        message=gettext_lazy("There is no country with the code %(code)s."),
        normalize=lambda code: code.strip().upper(),
        help_text="destination market, ISO 3166 alpha-2 code, e.g. HK",
    )
    province = CodeFilter(
        method="noop",
        exists=lambda code: Region.objects.filter(code=code, level=1).exists(),
        message=gettext_lazy("There is no province with the code %(code)s."),
        help_text="two-digit province code of the organisation, e.g. 74",
    )
    service = django_filters.ChoiceFilter(choices=Service.choices, method="noop")
    status = django_filters.ChoiceFilter(
        choices=Organisation.Status.choices,
        method="noop",
        help_text="others than ministry staff see only verified organisations and their own",
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def noop(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.directory(
            self.request.user,
            **{name: (data.get(name) or "").strip() for name in self.filters},
        )


# --- Organisations ---------------------------------------------------------------------------


def _shape(qs):
    return qs.select_related("country", "province", "verified_by").prefetch_related(
        "hs_interests", "destination_markets", "preferred_provinces", "preferred_gateways"
    )


@extend_schema_view(
    list=extend_schema(summary="Organisations the user may see"),
    retrieve=extend_schema(summary="An organisation's profile and sourcing preferences"),
    update=extend_schema(summary="Change the profile (organisation admins, ministry staff)"),
    partial_update=extend_schema(summary="Change some fields (admins, ministry staff)"),
)
class OrganisationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The exporter directory: exporters, aggregators, foreign buyers, trading platforms and
    service providers, with their sourcing preferences."""

    serializer_class = OrganisationSerializer
    filterset_class = DirectoryFilter
    permission_classes = [IsAuthenticated]
    queryset = Organisation.objects.none()
    lookup_value_converter = "int"
    throttle_scope: str | None = None

    def get_queryset(self):
        return _shape(selectors.visible_organisations(self.request.user))

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return _shape(super().filter_queryset(queryset))

    def _respond(self, organisation: Organisation, code: int = status.HTTP_200_OK) -> Response:
        fresh = _shape(Organisation.objects.all()).get(pk=organisation.pk)
        return Response(
            OrganisationSerializer(fresh, context=self.get_serializer_context()).data, code
        )

    def update(self, request, *args, **kwargs):
        organisation = self.get_object()
        serializer = self.get_serializer(
            organisation, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data, preferences = serializer.service_arguments()
        services.update_organisation(
            actor=request.user, organisation=organisation, data=data, preferences=preferences
        )
        return self._respond(organisation)

    @extend_schema(
        request=RegistrationSerializer,
        responses={201: RegisteredSerializer},
        summary="Register an organisation and its first admin (anonymous); confirm by email",
    )
    @action(
        detail=False,
        methods=["post"],
        permission_classes=[AllowAny],
        throttle_classes=[ScopedRateThrottle],
        throttle_scope="auth",
        serializer_class=RegistrationSerializer,
        filter_backends=[],
    )
    def register(self, request):
        if not access.can_register_organisation(request.user):
            raise exceptions.PermissionDenied(
                _("You are signed in. Log out to register a new organisation.")
            )
        serializer = RegistrationSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        try:
            membership = services.register(**serializer.service_kwargs())
        except DjangoValidationError as error:
            # The organisation's fields answer under "organisation", as they were sent.
            detail = service_errors(error)
            nested = {k: detail.pop(k) for k in list(detail) if k not in ACCOUNT_FIELDS}
            if nested:
                detail["organisation"] = nested
            raise exceptions.ValidationError(detail) from None
        body = {
            "organisation": membership.organisation_id,
            "username": membership.user.username,
            "status": membership.organisation.status,
            "detail": _(
                "We sent a link to %(email)s. Confirm your email; ministry staff then verify "
                "your organisation."
            )
            % {"email": membership.user.email},
        }
        return Response(RegisteredSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=OrganisationSerializer, summary="The user's own organisation (404: none)"
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def mine(self, request):
        organisation = selectors.organisation_of(request.user)
        if organisation is None:
            raise exceptions.NotFound(_("You belong to no organisation."))
        return self._respond(organisation)

    @extend_schema(request=None, responses=OrganisationSerializer, summary="Verify (ministry)")
    @action(detail=True, methods=["post"], filter_backends=[])
    def verify(self, request, pk=None):
        organisation = services.verify(actor=request.user, organisation=self.get_object())
        return self._respond(organisation)

    @extend_schema(
        request=RejectSerializer,
        responses=OrganisationSerializer,
        summary="Reject with a reason (ministry)",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reject(self, request, pk=None):
        organisation = self.get_object()
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        organisation = services.reject(
            actor=request.user, organisation=organisation, reason=body.validated_data["reason"]
        )
        return self._respond(organisation)

    def _members_of(self, organisation: Organisation):
        if not access.can_see_members(self.request.user, organisation):
            raise exceptions.PermissionDenied
        return organisation.memberships.select_related("user").order_by(
            "-is_admin", "user__username"
        )

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=MemberSerializer(many=True),
        summary="Members (ministry staff and the organisation's members)",
    )
    @extend_schema(
        methods=["POST"],
        request=InviteSerializer,
        responses={201: MemberSerializer},
        summary="Invite a colleague (organisation admins, ministry staff)",
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def members(self, request, pk=None):
        organisation = self.get_object()
        memberships = self._members_of(organisation)
        if request.method == "GET":
            return Response(MemberSerializer(memberships, many=True).data)
        body = InviteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = services.invite_colleague(
            actor=request.user, organisation=organisation, **body.validated_data
        )
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Remove a member (admins, ministry); the account is deactivated",
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path="members/<int:member_id>",
        url_name="member",
        filter_backends=[],
    )
    def remove_member(self, request, pk=None, member_id=None):
        organisation = self.get_object()
        membership = get_object_or_404(self._members_of(organisation), pk=member_id)
        services.remove_member(actor=request.user, membership=membership)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses=OrganisationChangeSerializer(many=True),
        summary="Who changed what, newest first (ministry staff, the organisation's admins)",
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request, pk=None):
        organisation = self.get_object()
        if not access.can_see_history(request.user, organisation):
            raise exceptions.PermissionDenied
        entries = organisation.history.select_related("actor")
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(OrganisationChangeSerializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": LogoSerializer},
        responses=OrganisationSerializer,
        summary="Upload the logo (admins, ministry staff)",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def logo(self, request, pk=None):
        organisation = self.get_object()
        upload = LogoSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        services.set_logo(
            actor=request.user, organisation=organisation, upload=upload.validated_data["logo"]
        )
        return self._respond(organisation)
