"""Celery tasks of the page trees: scheduled publishing and form emails."""

import logging

from celery import shared_task
from django.core.mail import send_mail
from django.core.management import call_command

logger = logging.getLogger(__name__)


@shared_task(name="pages.tasks.publish_scheduled_pages")
def publish_scheduled_pages():
    """Publish pages whose go-live time has come and unpublish expired ones."""
    call_command("publish_scheduled", verbosity=0)


@shared_task(name="pages.tasks.send_form_submission")
def send_form_submission(*, subject, body, recipients, from_address=""):
    """Email one form submission to the form's recipients."""
    send_mail(subject, body, from_address or None, recipients)
    logger.info("Form submission %r emailed to %s", subject, ", ".join(recipients))
