"""``GET /api/v1/hs-codes/suggest/?q=NAME``: HS subheadings suggested for a product name.

Public (no login), like the other reference endpoints; the product form's search-as-you-type
and the import's dry run use the same selector. The same answer on SQLite and PostgreSQL: the
index lives in memory.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bumdes_export.reference.suggestions import selectors


class SuggestParams(serializers.Serializer):
    q = serializers.CharField(
        max_length=200,
        help_text="The product's name, in Indonesian or English (kepiting bakau beku).",
    )
    description = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="The product's description, if any: its words count half.",
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=10, required=False, help_text="How many codes (3 by default)."
    )


class HsSuggestionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="HS 2022 subheading, six digits.")
    dotted = serializers.CharField(help_text="The same, as 0306.14.")
    description = serializers.CharField()
    confidence = serializers.FloatField(help_text="Between 0 and 1.")
    reason = serializers.CharField(help_text="Which words matched what, in the reader's language.")


class SuggestionsSerializer(serializers.Serializer):
    results = HsSuggestionSerializer(many=True, help_text="Best first.")
    # A plain string (values in the help text): another "form" enum in the schema would
    # collide with the products' one.
    form = serializers.CharField(
        help_text="The commodity form suggested: " + ", ".join(selectors.FORMS) + " or empty."
    )
    unit = serializers.CharField(help_text="The unit of measure suggested (kg, l, piece ...).")
    unread = serializers.ListField(
        child=serializers.CharField(), help_text="Words of the name that could not be read."
    )


def suggestions_data(suggestions: selectors.Suggestions) -> dict:
    return {
        "results": [
            {
                "code": s.code,
                "dotted": s.dotted,
                "description": s.description,
                "confidence": s.confidence,
                "reason": s.reason,
            }
            for s in suggestions.hs
        ],
        "form": suggestions.form,
        "unit": suggestions.unit,
        "unread": suggestions.unread,
    }


class HsSuggest(APIView):
    """HS subheadings, commodity form and unit suggested from a product's name."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[SuggestParams],
        responses=SuggestionsSerializer,
        operation_id="hs_codes_suggest",
        summary="Suggest HS subheadings, form and unit for a product name",
        examples=[
            OpenApiExample(
                "Frozen mud crab",
                value={
                    "results": [
                        {
                            "code": "030614",
                            "dotted": "0306.14",
                            "description": "Crustaceans; frozen, crabs ...",
                            "confidence": 0.81,
                            "reason": "“kepiting” means crab; “beku” means frozen, found in "
                            "the HS description",
                        }
                    ],
                    "form": "frozen",
                    "unit": "kg",
                    "unread": ["bakau"],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        params = SuggestParams(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        suggestions = selectors.suggest(
            data["q"], data.get("description", ""), limit=data.get("limit") or 3
        )
        return Response(suggestions_data(suggestions))
