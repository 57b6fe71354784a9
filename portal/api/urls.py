from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from portal.api import views

app_name = "api"

router = DefaultRouter()
router.register("practices", views.PracticeViewSet, basename="practice")
router.register("events", views.EventViewSet, basename="event")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("regions", views.RegionViewSet, basename="region")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("policy-instruments", views.PolicyInstrumentViewSet, basename="policyinstrument")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.APIDocsView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
