from django.urls import path

from matchmaking.dealings.views import buying_requests, common, facilitation, inquiries, shortlists

app_name = "matchmaking"
urlpatterns = [
    path("", common.index, name="index"),
    # Inquiries, sample requests and expressions of interest
    path("inbox/", inquiries.inbox, name="inbox"),
    path("inquiries/new/", inquiries.inquiry_new, name="inquiry_new"),
    path("inquiries/<int:pk>/", inquiries.inquiry_detail, name="inquiry_detail"),
    path("inquiries/<int:pk>/reply/", inquiries.inquiry_reply, name="inquiry_reply"),
    path("inquiries/<int:pk>/status/", inquiries.inquiry_status, name="inquiry_status"),
    path("inquiries/<int:pk>/deal/", inquiries.inquiry_deal, name="inquiry_deal"),
    path(
        "inquiries/<int:pk>/messages/<int:message_pk>/attachment/",
        inquiries.inquiry_attachment,
        name="inquiry_attachment",
    ),
    # Shortlist
    path("shortlist/", shortlists.shortlist, name="shortlist"),
    path("shortlist/add/", shortlists.shortlist_add, name="shortlist_add"),
    path("shortlist/<int:pk>/remove/", shortlists.shortlist_remove, name="shortlist_remove"),
    # Buying requests and offers
    path("buying-requests/", buying_requests.buying_request_list, name="buying_request_list"),
    path(
        "buying-requests/new/",
        buying_requests.buying_request_create,
        name="buying_request_create",
    ),
    path(
        "buying-requests/<int:pk>/",
        buying_requests.buying_request_detail,
        name="buying_request_detail",
    ),
    path(
        "buying-requests/<int:pk>/edit/",
        buying_requests.buying_request_edit,
        name="buying_request_edit",
    ),
    path(
        "buying-requests/<int:pk>/close/",
        buying_requests.buying_request_close,
        name="buying_request_close",
    ),
    path("buying-requests/<int:pk>/offers/", buying_requests.offer_create, name="offer_create"),
    path(
        "buying-requests/<int:pk>/offers/<int:offer_pk>/accept/",
        buying_requests.offer_accept,
        name="offer_accept",
    ),
    path(
        "buying-requests/<int:pk>/offers/<int:offer_pk>/decline/",
        buying_requests.offer_decline,
        name="offer_decline",
    ),
    path(
        "buying-requests/<int:pk>/offers/<int:offer_pk>/deal/",
        buying_requests.offer_deal,
        name="offer_deal",
    ),
    # Facilitation (service) requests
    path("service-requests/", facilitation.service_request_list, name="service_request_list"),
    path(
        "service-requests/new/",
        facilitation.service_request_create,
        name="service_request_create",
    ),
    path(
        "service-requests/<int:pk>/",
        facilitation.service_request_detail,
        name="service_request_detail",
    ),
    path(
        "service-requests/<int:pk>/notes/",
        facilitation.service_request_note,
        name="service_request_note",
    ),
    path(
        "service-requests/<int:pk>/transition/",
        facilitation.service_request_transition,
        name="service_request_transition",
    ),
    path(
        "service-requests/<int:pk>/notes/<int:note_pk>/document/",
        facilitation.service_note_document,
        name="service_note_document",
    ),
]
