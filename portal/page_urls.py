from django.urls import path

from portal import views

app_name = "exchange"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/<slug:slug>/", views.RegionDetailView.as_view(), name="region-detail"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/<slug:slug>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path(
        "policy-instruments/<slug:slug>/",
        views.PolicyInstrumentDetailView.as_view(),
        name="policy-instrument-detail",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
    path("insights/", views.InsightsView.as_view(), name="insights"),
    path("suggest/<slug:kind>/", views.suggest, name="suggest"),
    path("accessibility/", views.AccessibilityView.as_view(), name="accessibility"),
]
