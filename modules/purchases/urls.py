"""Public URLs of purchase invoicing: the approval page emails link to."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.ApprovalPage.as_view(), name="purchases_approve"),
]
