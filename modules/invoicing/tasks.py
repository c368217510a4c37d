"""Celery jobs of invoicing: the invoicing run, reminders and PDF batches.

Thin: each reads its parameters from the Job and calls the services; all
of them can run again after a crash without doing anything twice.
"""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cms.jobs.runner import job_task
from modules.invoicing.documents import render_invoice_pdf
from modules.invoicing.models import SalesInvoice
from modules.invoicing.receivables import invoices_to_remind, send_reminder
from modules.invoicing.runs import run_invoicing


def _date(job, name) -> datetime.date:
    return datetime.date.fromisoformat(job.params[name])


@job_task(name="invoicing.run")
def invoicing_run(job, progress):
    """Invoice due recurring contracts and delivered work up to a date."""
    return run_invoicing(
        company=job.company,
        user=job.user,
        up_to=_date(job, "up_to"),
        progress=progress,
    )


@job_task(name="invoicing.reminders")
def reminder_run(job, progress):
    """Send the reminders the rules call for on a date."""
    on_date = _date(job, "on_date")
    invoices = invoices_to_remind(company=job.company, on_date=on_date)
    sent = []
    for index, invoice in enumerate(invoices, start=1):
        sent.append(send_reminder(invoice=invoice, user=job.user, on_date=on_date).pk)
        progress(index, len(invoices), invoice.number)
    return {"reminders": sent}


@job_task(name="invoicing.pdf_batch")
def pdf_batch(job, progress):
    """Print the PDFs of the given invoices into the file storage."""
    invoices = SalesInvoice.objects.filter(
        company=job.company, pk__in=job.params["invoice_ids"]
    ).select_related("company", "organisation", "person", "factoring_company")
    total = len(invoices)
    paths = []
    for index, invoice in enumerate(invoices, start=1):
        path = f"invoicing/pdf/{job.company_id}/{invoice.number}.pdf"
        default_storage.delete(path)
        paths.append(
            default_storage.save(path, ContentFile(render_invoice_pdf(invoice)))
        )
        progress(index, total, invoice.number)
    return {"files": len(paths)}
