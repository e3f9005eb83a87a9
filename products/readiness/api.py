"""The public document checklist API (``GET /api/v1/checklist/``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bumdes_export.core.i18n import active_language
from bumdes_export.reference.models import HsCode
from products.readiness import presenters
from products.readiness import selectors as readiness_selectors
from products.readiness.serializers import ChecklistParams, ChecklistSerializer


class Checklist(APIView):
    """The documents and licences a shipment of an HS code to a destination needs."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[ChecklistParams],
        responses=ChecklistSerializer,
        operation_id="checklist",
        summary="Export documents for an HS code and a destination (no login)",
        examples=[
            OpenApiExample(
                "Live crab to Hong Kong",
                value={
                    "hs": "030633",
                    "destination": "HK",
                    "documents": [
                        {"code": "PEB", "name": "Export declaration (PEB)", "required": True},
                        {
                            "code": "KI_1",
                            "name": "Fish health certificate (KI-1)",
                            "required": True,
                        },
                        {
                            "code": "SKA_AHK",
                            "name": "Certificate of origin Form AHK",
                            "required": False,
                        },
                    ],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        params = ChecklistParams(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        hs = HsCode.objects.filter(code=data["hs"], level=6).first()
        if hs is None:
            raise ValidationError({"hs": [_("No HS 2022 subheading has this code.")]})
        code = data["destination"].upper()
        destination = readiness_selectors.destinations().filter(code=code).first()
        if destination is None:
            message = (
                _("Indonesia is where the goods leave from.")
                if code == "ID"
                else _("No country has this code.")
            )
            raise ValidationError({"destination": [message]})
        checklist = readiness_selectors.checklist(
            hs, destination, form=data.get("form", ""), transport=data.get("transport", "")
        )
        return Response(
            ChecklistSerializer(presenters.checklist_body(checklist, active_language())).data
        )
