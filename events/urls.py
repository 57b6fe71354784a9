from django.urls import path

from events import calendars, views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="event-list"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    path("<slug:slug>/event.ics", calendars.event_ics, name="event-ics"),
    path(
        "<slug:slug>/materials/<int:pk>/",
        views.material_download,
        name="material-download",
    ),
]
