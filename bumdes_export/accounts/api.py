from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from bumdes_export.accounts.models import User
from bumdes_export.core.parsers import JSONParser


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenView(ObtainAuthToken):
    """Exchange ``username`` and ``password`` (JSON or form data) for an API token."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"
    parser_classes = [JSONParser, FormParser, MultiPartParser]  # JSON nested too deep: a 400

    @extend_schema(responses=TokenResponseSerializer)
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class MeSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", allow_null=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "role",
            "region",
            "language",
        ]


class MeView(APIView):
    """The signed-in user, with role and region scope."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)
