"""Public addresses of marketing: the unsubscribe links in mailings."""

from django.urls import path

from modules.outreach import views

urlpatterns = [
    path(
        "unsubscribe/<str:token>/",
        views.UnsubscribeView.as_view(),
        name="outreach_unsubscribe",
    ),
]
