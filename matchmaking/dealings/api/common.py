"""What the dealings API modules share: parsers, file responses, id filters, the answer to
opening a deal."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from bumdes_export.core.parsers import JSONParser
from matchmaking.dealings.serializers import DealOpeningSerializer
from matchmaking.dealings.services import DealOpening
from products.api import IntegerFilter

UPLOAD_PARSERS = [JSONParser, MultiPartParser, FormParser]
FILE_RESPONSE = {
    # The file as stored: a PDF, an image, a spreadsheet ... (its own Content-Type).
    (200, "*/*"): OpenApiResponse(
        response=OpenApiTypes.BINARY, description="The file, as an attachment."
    )
}
DEAL_OPENING_RESPONSES = {
    201: OpenApiResponse(DealOpeningSerializer, description="A deal was opened."),
    200: OpenApiResponse(
        DealOpeningSerializer,
        description="The product and organisation already had an open deal: that one.",
    ),
}


def id_filter(help_text: str) -> IntegerFilter:
    return IntegerFilter(method="noop", min_value=1, max_value=2**63 - 1, help_text=help_text)


def deal_opened(opening: DealOpening) -> Response:
    """201 with the new deal, or 200 with the open deal that was already there."""
    code = status.HTTP_201_CREATED if opening.created else status.HTTP_200_OK
    return Response(DealOpeningSerializer(opening).data, status=code)
