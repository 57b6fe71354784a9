from django.urls import path

from practices import (
    alert_views,
    contact_views,
    detail_views,
    interest_views,
    proposal_views,
    views,
)

app_name = "practices"

urlpatterns = [
    path("", views.PracticeListView.as_view(), name="practice-list"),
    # Before the detail route so that "propose" is never taken for a slug.
    path("propose/", proposal_views.ProposalCreateView.as_view(), name="proposal-create"),
    path("propose/sent/", proposal_views.ProposalSentView.as_view(), name="proposal-sent"),
    path(
        "proposals/confirm/<str:token>/",
        proposal_views.ProposalConfirmView.as_view(),
        name="proposal-confirm",
    ),
    path(
        "proposals/email/<str:token>/",
        proposal_views.ProposalConfirmEmailView.as_view(),
        name="proposal-confirm-email",
    ),
    path(
        "proposals/<str:token>/",
        proposal_views.ProposalStatusView.as_view(),
        name="proposal-status",
    ),
    path(
        "proposals/<str:token>/edit/",
        proposal_views.ProposalEditView.as_view(),
        name="proposal-edit",
    ),
    path(
        "interests/confirm/<str:token>/",
        interest_views.InterestConfirmView.as_view(),
        name="interest-confirm",
    ),
    # Saved searches with e-mail alerts; before the detail route, like "propose".
    path("alerts/", alert_views.SubscribeView.as_view(), name="alert-subscribe"),
    path("alerts/sent/", alert_views.SubscribeSentView.as_view(), name="alert-sent"),
    path("alerts/confirm/<str:token>/", alert_views.ConfirmView.as_view(), name="alert-confirm"),
    path("alerts/manage/<str:token>/", alert_views.ManageView.as_view(), name="alert-manage"),
    path(
        "alerts/unsubscribe/<str:token>/",
        alert_views.UnsubscribeView.as_view(),
        name="alert-unsubscribe",
    ),
    path("<slug:slug>/", detail_views.PracticeDetailView.as_view(), name="practice-detail"),
    path("<slug:slug>/learn/", interest_views.InterestView.as_view(), name="interest"),
    path(
        "<slug:slug>/learn/sent/", interest_views.InterestSentView.as_view(), name="interest-sent"
    ),
    path("<slug:slug>/contact/", contact_views.ContactView.as_view(), name="contact"),
    path("<slug:slug>/contact/sent/", contact_views.ContactSentView.as_view(), name="contact-sent"),
]
