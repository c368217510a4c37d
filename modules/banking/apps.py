from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _invoicing_offers_receivables() -> bool:
    try:
        from modules.invoicing import selectors, services
    except ImportError:
        return False
    return hasattr(selectors, "open_invoices_for_matching") and hasattr(
        services, "register_payment"
    )


class BankingConfig(AppConfig):
    name = "modules.banking"
    label = "banking"
    verbose_name = _("Banking")

    def ready(self):
        from django.conf import settings

        from cms.celery import app
        from modules.banking.outgoing import RefundSettlement
        from modules.banking.providers import (
            register_settlement_provider,
            set_receivables_provider,
        )

        if _invoicing_offers_receivables():
            from modules.banking.receivables import InvoicingReceivables

            set_receivables_provider(InvoicingReceivables())
        register_settlement_provider(RefundSettlement())
        app.conf.beat_schedule = {
            **(app.conf.beat_schedule or {}),
            "poll-bank-channels": {
                "task": "modules.banking.tasks.poll_bank_channels",
                "schedule": float(getattr(settings, "BANK_POLL_SECONDS", 300)),
            },
        }
