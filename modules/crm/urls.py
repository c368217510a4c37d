"""Extranet URLs of the register (included under /extranet/requests/)."""

from django.urls import path

from modules.crm import extranet

app_name = "crm_extranet"

urlpatterns = [
    path("", extranet.RequestListView.as_view(), name="requests"),
    path("<int:pk>/", extranet.RequestDetailView.as_view(), name="request"),
]
