from django.urls import path

from events import views

app_name = "documents"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document-list"),
    path("<slug:slug>/file/", views.document_download, name="document-download"),
]
