"""Admin URLs of purchase invoicing's own screens."""

from django.urls import path
from wagtail import hooks

from . import views


@hooks.register("register_admin_urls")
def register_purchase_urls():
    return [
        path("purchases/receive/", views.UploadView.as_view(), name="purchases_upload"),
        path(
            "purchases/pay/",
            views.PaymentProposalView.as_view(),
            name="purchases_payment_proposal",
        ),
        path(
            "purchases/file/<int:pk>/",
            views.ArchivedFileView.as_view(),
            name="purchases_file",
        ),
        path(
            "purchases/invoice/<int:pk>/<slug:action>/",
            views.InvoiceActionView.as_view(),
            name="purchases_action",
        ),
    ]
