"""URLs of the Kennisbank, meetings and newsletter under /kennisbank/."""

from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.index, name="index"),
    path("documenten/nieuw/", views.document_create, name="document_create"),
    path("documenten/<int:pk>/", views.document_detail, name="document"),
    path("documenten/<int:pk>/bestand", views.document_download, name="download"),
    path("documenten/<int:pk>/wijzigen/", views.document_edit, name="document_edit"),
    path(
        "documenten/<int:pk>/verwijderen", views.document_delete, name="document_delete"
    ),
    path("documenten/<int:pk>/status", views.document_status, name="document_status"),
    path("bibliotheek/<slug:code>/", views.collection_detail, name="collection"),
    path("nieuws/<int:pk>/", views.news_detail, name="news"),
    path("vergaderingen/", views.meetings_index, name="meetings"),
    path("vergaderingen/<int:pk>/", views.meeting_detail, name="meeting"),
    path("vergaderingen/<int:pk>/wijzigen/", views.meeting_edit, name="meeting_edit"),
    path(
        "vergaderingen/<int:pk>/verslag", views.meeting_minutes, name="meeting_minutes"
    ),
    path(
        "agendapunten/<int:pk>/beslissen",
        views.agenda_point_decide,
        name="agenda_point_decide",
    ),
    path("groepen/<slug:code>/", views.group_meetings, name="group"),
    path(
        "groepen/<slug:code>/nieuwe-vergadering/",
        views.meeting_edit,
        name="meeting_create",
    ),
    path("groepen/<slug:code>.ics", views.group_ical, name="group_ical"),
    path(
        "organisaties/<str:code>.ics", views.organisation_ical, name="organisation_ical"
    ),
    path("nieuwsbrief/inschrijven/", views.subscribe, name="subscribe"),
    path(
        "nieuwsbrief/bevestigen/<str:token>/",
        views.confirm_subscription,
        name="confirm",
    ),
    path("nieuwsbrief/afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("nieuwsbrief/", views.newsletter_index, name="newsletters"),
    path(
        "nieuwsbrief/samenstellen", views.newsletter_compose, name="newsletter_compose"
    ),
    path("nieuwsbrief/<int:pk>/", views.newsletter_detail, name="newsletter"),
    path(
        "nieuwsbrief/<int:pk>/voorbeeld",
        views.newsletter_preview,
        name="newsletter_preview",
    ),
    path(
        "nieuwsbrief/<int:pk>/versturen", views.newsletter_send, name="newsletter_send"
    ),
    path("nieuwsbrief/<int:pk>/test", views.newsletter_test, name="newsletter_test"),
    path(
        "nieuwsbrief/<int:pk>/statistieken",
        views.newsletter_statistics,
        name="newsletter_statistics",
    ),
    path(
        "nieuwsbrief/abonnees/import",
        views.subscribers_import,
        name="subscribers_import",
    ),
    path(
        "nieuwsbrief/abonnees.csv", views.subscribers_export, name="subscribers_export"
    ),
]
