from django.urls import path

from matchmaking.dealings import views

app_name = "matchmaking"
urlpatterns = [
    path("", views.index, name="index"),
    # Inquiries, sample requests and expressions of interest
    path("inbox/", views.inbox, name="inbox"),
    path("inquiries/new/", views.inquiry_new, name="inquiry_new"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("inquiries/<int:pk>/reply/", views.inquiry_reply, name="inquiry_reply"),
    path("inquiries/<int:pk>/status/", views.inquiry_status, name="inquiry_status"),
    path(
        "inquiries/<int:pk>/messages/<int:message_pk>/attachment/",
        views.inquiry_attachment,
        name="inquiry_attachment",
    ),
    # Shortlist
    path("shortlist/", views.shortlist, name="shortlist"),
    path("shortlist/add/", views.shortlist_add, name="shortlist_add"),
    path("shortlist/<int:pk>/remove/", views.shortlist_remove, name="shortlist_remove"),
    # Buying requests and offers
    path("buying-requests/", views.buying_request_list, name="buying_request_list"),
    path("buying-requests/new/", views.buying_request_create, name="buying_request_create"),
    path("buying-requests/<int:pk>/", views.buying_request_detail, name="buying_request_detail"),
    path("buying-requests/<int:pk>/edit/", views.buying_request_edit, name="buying_request_edit"),
    path(
        "buying-requests/<int:pk>/close/", views.buying_request_close, name="buying_request_close"
    ),
    path("buying-requests/<int:pk>/offers/", views.offer_create, name="offer_create"),
    path(
        "buying-requests/<int:pk>/offers/<int:offer_pk>/accept/",
        views.offer_accept,
        name="offer_accept",
    ),
    path(
        "buying-requests/<int:pk>/offers/<int:offer_pk>/decline/",
        views.offer_decline,
        name="offer_decline",
    ),
    # Facilitation (service) requests
    path("service-requests/", views.service_request_list, name="service_request_list"),
    path("service-requests/new/", views.service_request_create, name="service_request_create"),
    path("service-requests/<int:pk>/", views.service_request_detail, name="service_request_detail"),
    path(
        "service-requests/<int:pk>/notes/", views.service_request_note, name="service_request_note"
    ),
    path(
        "service-requests/<int:pk>/transition/",
        views.service_request_transition,
        name="service_request_transition",
    ),
    path(
        "service-requests/<int:pk>/notes/<int:note_pk>/document/",
        views.service_note_document,
        name="service_note_document",
    ),
]
