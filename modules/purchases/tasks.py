"""Celery tasks of purchase invoicing: thin wrappers around the services."""

import logging

from celery import shared_task

from . import circulation

logger = logging.getLogger(__name__)


@shared_task(name="modules.purchases.tasks.remind_approvers")
def remind_approvers() -> int:
    """Remind approvers of invoices waiting too long (safe to run often)."""
    sent = circulation.send_reminders()
    logger.info("Approval reminders sent: %s", sent)
    return sent
