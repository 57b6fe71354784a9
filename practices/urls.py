from django.urls import path

from practices import proposal_views, views

app_name = "practices"

urlpatterns = [
    path("", views.PracticeListView.as_view(), name="practice-list"),
    # Before the detail route so that "propose" is never taken for a slug.
    path("propose/", proposal_views.ProposalCreateView.as_view(), name="proposal-create"),
    path("<slug:slug>/", views.PracticeDetailView.as_view(), name="practice-detail"),
]
