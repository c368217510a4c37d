"""Celery tasks of marketing and events: sending mailings and confirmations."""

import logging

from celery import shared_task
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cms.jobs.runner import job_task
from modules.outreach import mail, services
from modules.outreach.models import Mailing, Registration

logger = logging.getLogger(__name__)


@job_task()
def send_mailing(job, progress):
    """Mail the recipients of the mailing named in the job's parameters."""
    mailing = Mailing.objects.select_related("segment", "event").get(
        pk=job.params["mailing"], company=job.company_id
    )
    return services.deliver_mailing(mailing=mailing, progress=progress)


def confirmation_message(registration) -> mail.OutgoingMessage:
    """Return the confirmation of a registration, in the person's language."""
    person, event = registration.person, registration.event
    with translation.override(person.language or "fi"):
        values = {
            "event": event.name,
            "time": formats.date_format(
                timezone.localtime(event.starts_at), "DATETIME_FORMAT"
            ),
            "place": event.place,
        }
        if registration.status == Registration.Status.WAITING:
            subject = _("You are on the waiting list: %(event)s") % values
            text = _(
                "Thank you for registering for %(event)s (%(time)s, %(place)s). "
                "The event is full, so you are on the waiting list; we will "
                "tell you if a place becomes free."
            )
        else:
            subject = _("Registration confirmed: %(event)s") % values
            text = _(
                "Thank you for registering. See you at %(event)s on %(time)s, "
                "%(place)s."
            )
        return mail.OutgoingMessage(
            to=person.email,
            subject=subject,
            body=text % values,
            from_email=event.company.email,
        )


@shared_task(name="modules.outreach.tasks.send_registration_confirmation")
def send_registration_confirmation(registration_id: int) -> None:
    """Email the person their registration or waiting-list place."""
    registration = (
        Registration.objects.select_related("person", "event", "event__company")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or not registration.person.email:
        logger.warning("Registration %s has nobody to confirm to", registration_id)
        return
    if registration.status not in (
        Registration.Status.REGISTERED,
        Registration.Status.WAITING,
    ):
        return
    mail.send_message(confirmation_message(registration))
    logger.info("Registration %s confirmed by email", registration_id)
