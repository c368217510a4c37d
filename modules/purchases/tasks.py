"""Celery tasks of purchase invoicing: thin wrappers around the services."""

import imaplib
import logging

from celery import shared_task

from . import channels, circulation
from .models import PurchaseSettings

logger = logging.getLogger(__name__)


@shared_task(name="modules.purchases.tasks.remind_approvers")
def remind_approvers() -> int:
    """Remind approvers of invoices waiting too long (safe to run often)."""
    sent = circulation.send_reminders()
    logger.info("Approval reminders sent: %s", sent)
    return sent


@shared_task(name="modules.purchases.tasks.poll_invoice_channels", ignore_result=True)
def poll_invoice_channels() -> None:
    """Receive what waits in every company's e-invoice folder and mailbox."""
    configs = PurchaseSettings.objects.exclude(einvoice_folder="", mailbox="")
    for config in configs.select_related("company"):
        if config.einvoice_folder:
            counts = channels.poll_folder(config)
            if counts["files"] or counts["refused"]:
                logger.info("E-invoice folder of %s: %s", config.company, counts)
        box = channels.mailbox_for(config)
        if box is None:
            continue
        try:
            counts = channels.poll_mailbox(config, box)
        except (OSError, imaplib.IMAP4.error):
            logger.exception("Invoice mailbox of %s could not be read", config.company)
            continue
        finally:
            box.close()
        if counts["mails"]:
            logger.info("Invoice mailbox of %s: %s", config.company, counts)
