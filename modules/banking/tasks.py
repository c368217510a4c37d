"""Celery tasks of banking: book matched payments, poll bank channels.

`poll_bank_channels` runs from Celery beat (see `modules.banking.apps`);
both tasks call services that are safe to run again.
"""

import logging

from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils import timezone

from cms.jobs.runner import job_task
from modules.banking import services
from modules.banking.channels import channel_for
from modules.banking.models import BankConnection, BankStatement

logger = logging.getLogger(__name__)


@job_task()
def post_matched_payments(job, progress):
    """Book the matched payments of the imported statements."""
    booked = services.post_pending_allocations(
        company=job.company,
        user=job.user,
        statement_ids=job.params.get("statement_ids"),
        progress=progress,
    )
    return {"booked": booked}


def poll_connection(connection: BankConnection) -> dict:
    """Import every waiting file of one connection's channel; return counts."""
    channel = channel_for(connection)
    counts = {"imported": 0, "refused": 0}
    if channel is None:
        return counts
    for incoming in channel.pending_files():
        try:
            services.import_bank_file(
                company=connection.company,
                data=incoming.data,
                user=None,
                file_name=incoming.name,
                bank_account=connection.bank_account,
                source=BankStatement.Source.CHANNEL,
            )
        except ValidationError as error:
            logger.warning(
                "Bank file %s of %s refused: %s", incoming.name, connection, error
            )
            channel.acknowledge(incoming.name, ok=False)
            counts["refused"] += 1
            continue
        channel.acknowledge(incoming.name, ok=True)
        counts["imported"] += 1
    BankConnection.objects.filter(pk=connection.pk).update(
        last_polled_at=timezone.now()
    )
    return counts


@shared_task(name="modules.banking.tasks.poll_bank_channels", ignore_result=True)
def poll_bank_channels():
    """Fetch and import the files waiting in every active bank channel."""
    connections = BankConnection.objects.filter(is_active=True).exclude(
        channel="manual"
    )
    for connection in connections.select_related("company", "bank_account"):
        counts = poll_connection(connection)
        if counts["imported"] or counts["refused"]:
            logger.info("Bank channel %s: %s", connection, counts)
