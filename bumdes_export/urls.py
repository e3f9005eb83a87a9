from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from bumdes_export.accounts.api import MeView, TokenView
from bumdes_export.accounts.login import LoginForm
from bumdes_export.core import views as core_views
from bumdes_export.reference import api as reference_api
from bumdes_export.reference.suggestions import api as suggestions_api

api_v1 = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("", include("bumdes_export.notifications.api_urls")),
    path("regions/", reference_api.RegionList.as_view(), name="api-regions"),
    path("regions/<str:code>/", reference_api.RegionDetail.as_view(), name="api-region"),
    path("hs-codes/", reference_api.HsCodeList.as_view(), name="api-hs-codes"),
    path("hs-codes/suggest/", suggestions_api.HsSuggest.as_view(), name="api-hs-suggest"),
    path("hs-codes/<str:code>/", reference_api.HsCodeDetail.as_view(), name="api-hs-code"),
    path("countries/", reference_api.CountryList.as_view(), name="api-countries"),
    path("gateways/", reference_api.GatewayList.as_view(), name="api-gateways"),
    path("", include("products.api_urls")),
    path("", include("products.imports.api_urls")),
    path("", include("products.catalogue.api_urls")),
    path("", include("products.readiness.api_urls")),
    path("", include("exporters.api_urls")),
    # Match scores on product and organisation paths (served by matchmaking: those apps never
    # import it).
    path("", include("matchmaking.matching.api_urls")),
    path("", include("matchmaking.dealings.api_urls")),
    path("", include("matchmaking.forums.api_urls")),
    path("", include("matchmaking.deals.api_urls")),
    path("", include("matchmaking.oversight.api_urls")),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("jobs/<int:pk>/", core_views.job_status, name="job_status"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("", include("django.contrib.auth.urls")),
    path("accounts/", include("bumdes_export.accounts.urls")),
    path("notifications/", include("bumdes_export.notifications.urls")),
    path("reference/", include("bumdes_export.reference.urls")),
    path("registry/", include("products.urls")),
    path("catalogue/", include("products.catalogue.urls")),
    path("checklist/", include("products.readiness.urls")),
    path("exporters/", include("exporters.urls")),
    path("matchmaking/matches/", include("matchmaking.matching.urls")),
    path("matchmaking/", include("matchmaking.dealings.urls")),
    path("forums/", include("matchmaking.forums.urls")),
    path("deals/", include("matchmaking.deals.urls")),
    path("dashboard/", include("matchmaking.oversight.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
