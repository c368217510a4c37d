"""Signal handlers that bring website entries into the customer register."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def contact_form_submitted(sender, instance, created, **kwargs):
    """Record a new contact-form message as a process."""
    from modules.crm.services import record_contact_form_submission
    from pages.models import ContactFormPage

    if not created or instance.page.specific_class is not ContactFormPage:
        return
    try:
        with transaction.atomic():
            record_contact_form_submission(submission=instance)
    except Exception:
        # The visitor's message is stored and emailed already; a register
        # that cannot take it must not turn their sending into an error.
        logger.exception("Contact form message %s not recorded", instance.pk)
