from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasesConfig(AppConfig):
    name = "modules.purchases"
    label = "purchases"
    verbose_name = _("Purchase invoices")

    def ready(self):
        from django.conf import settings

        from cms.celery import app
        from cms.documents import register_document_owner
        from modules.banking.providers import (
            register_payables_provider,
            register_settlement_provider,
        )
        from modules.purchases.selectors import (
            PurchasePayables,
            archived_document_company,
        )
        from modules.purchases.settlement import PurchaseSettlement

        register_payables_provider(PurchasePayables())
        register_settlement_provider(PurchaseSettlement())
        register_document_owner(
            archived_document_company, permission="purchases.view_purchaseinvoice"
        )
        app.conf.beat_schedule = {
            **(app.conf.beat_schedule or {}),
            "remind-purchase-approvers": {
                "task": "modules.purchases.tasks.remind_approvers",
                "schedule": float(getattr(settings, "APPROVAL_REMINDER_SECONDS", 3600)),
            },
            "poll-purchase-invoice-channels": {
                "task": "modules.purchases.tasks.poll_invoice_channels",
                "schedule": float(
                    getattr(settings, "INVOICE_CHANNEL_POLL_SECONDS", 300)
                ),
            },
        }
