"""Forum pages, included at /forums/."""

from django.urls import path

from matchmaking.forums import views as views

app_name = "forums"
urlpatterns: list = [
    path("", views.forum_list, name="forum_list"),
    path("new/", views.forum_create, name="forum_create"),
    path("<int:pk>/", views.forum_detail, name="forum_detail"),
    path("<int:pk>/edit/", views.forum_edit, name="forum_edit"),
    path("<int:pk>/status/", views.forum_status, name="forum_status"),
    path("<int:pk>/setup/", views.forum_setup, name="forum_setup"),
    path("<int:pk>/slots/<int:slot_pk>/remove/", views.slot_remove, name="slot_remove"),
    path("<int:pk>/tables/<int:table_pk>/remove/", views.table_remove, name="table_remove"),
    path("<int:pk>/register/", views.register, name="register"),
    # Organiser views
    path("<int:pk>/participants/", views.participants, name="participants"),
    path(
        "<int:pk>/participants/<int:participant_pk>/decide/",
        views.participant_decide,
        name="participant_decide",
    ),
    path("<int:pk>/matrix/", views.matrix, name="matrix"),
    path("<int:pk>/table-plan/", views.table_plan, name="table_plan"),
    path("<int:pk>/schedule/", views.schedule, name="schedule"),
    path("<int:pk>/schedule/confirm/", views.schedule_confirm, name="schedule_confirm"),
    path("<int:pk>/requests/<int:request_pk>/place/", views.request_place, name="request_place"),
    path("<int:pk>/statistics/", views.statistics, name="statistics"),
    path("<int:pk>/export/<str:what>.<str:fmt>", views.export, name="export"),
    # A participant's page and agenda
    path("participants/<int:pk>/", views.participant_detail, name="participant_detail"),
    path(
        "participants/<int:pk>/availability/",
        views.participant_availability,
        name="participant_availability",
    ),
    path("participants/<int:pk>/attendees/", views.attendee_add, name="attendee_add"),
    path(
        "participants/<int:pk>/attendees/<int:attendee_pk>/remove/",
        views.attendee_remove,
        name="attendee_remove",
    ),
    path("participants/<int:pk>/requests/", views.request_send, name="request_send"),
    path("participants/<int:pk>/agenda/", views.agenda, name="agenda"),
    path("participants/<int:pk>/agenda/print/", views.agenda_print, name="agenda_print"),
    path("participants/<int:pk>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    # Requests and meetings
    path("requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/move/", views.meeting_move, name="meeting_move"),
    path("meetings/<int:pk>/record/", views.meeting_record, name="meeting_record"),
    path("meetings/<int:pk>/outcomes/", views.meeting_outcome, name="meeting_outcome"),
    path("meetings/<int:pk>/follow-ups/", views.meeting_follow_up, name="meeting_follow_up"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
]
