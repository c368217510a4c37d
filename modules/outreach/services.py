"""Writes of marketing and events: segments, sending, consent, registrations.

Sending is a background job (`modules.outreach.tasks.send_mailing`) that
logs every recipient in `MailingRecipient` before it mails anyone; each
recipient is claimed with a committed status change before its message is
handed over, so neither a second worker nor a retried job ever mails
anyone twice (`deliver_to_recipient`). Nobody without marketing consent is
mailed.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cms.jobs.services import start_job
from cms.services import create_object, update_object
from modules.core.scoping import user_can_access_company
from modules.crm.models import Person
from modules.crm.selectors import visible_classifications
from modules.crm.services import create_person, update_person
from modules.outreach import mail
from modules.outreach.models import (
    SEATED,
    Event,
    EventRegistrationPage,
    Invitation,
    Mailing,
    MailingRecipient,
    RecipientStatus,
    Registration,
    Segment,
    Unsubscription,
)
from modules.outreach.segments import segment_persons

logger = logging.getLogger(__name__)

SEND_TASK = "modules.outreach.tasks.send_mailing"
_REASON_LENGTH = MailingRecipient._meta.get_field("reason").max_length


def _require(user, permission: str, company) -> None:
    if not user.has_perm(permission) or not user_can_access_company(user, company):
        raise PermissionDenied(_("You may not do that."))


# Segments


def _check_classifications(*, company, user, data: dict) -> None:
    chosen = data.get("classifications")
    if not chosen:
        return
    allowed = set(
        visible_classifications(user, company=company).values_list("pk", flat=True)
    )
    if any(item.pk not in allowed for item in chosen):
        raise ValidationError(
            {"classifications": _("Choose classifications of schemes you can see.")}
        )


@transaction.atomic
def create_segment(*, company, user, data: dict):
    """Save a new segment from classifications the user can see."""
    _check_classifications(company=company, user=user, data=data)
    return create_object(model=Segment, company=company, user=user, data=data)


@transaction.atomic
def update_segment(*, instance, user, data: dict):
    """Change a segment; its classifications must stay ones the user can see."""
    _check_classifications(company=instance.company_id, user=user, data=data)
    return update_object(instance=instance, user=user, data=data)


# Mailings


def _require_draft(mailing) -> None:
    if mailing.status != Mailing.Status.DRAFT:
        raise ValidationError(
            _("The mailing has been sent; make a new one to change the text."),
            code="sent",
        )


@transaction.atomic
def update_mailing(*, instance, user, data: dict) -> Mailing:
    """Change a mailing that has not been sent yet."""
    _require_draft(instance)
    return update_object(instance=instance, user=user, data=data)


def mailing_persons(mailing):
    """Return who a mailing goes to: its event's invited or its segment."""
    if mailing.event_id:
        invited = Invitation.objects.filter(event=mailing.event_id).values("person_id")
        return Person.objects.filter(pk__in=invited, is_archived=False).order_by("pk")
    return segment_persons(mailing.segment).order_by("pk")


def send_mailing(*, mailing, user):
    """Queue the sending of `mailing` as a background job and return the job.

    Asking again returns the same job: a mailing is sent once.
    """
    _require(user, "outreach.change_mailing", mailing.company_id)

    with transaction.atomic():
        locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if locked.job_id is not None:
            return locked.job
        _require_draft(locked)
        locked.full_clean()
        job = start_job(
            company=locked.company,
            user=user,
            kind=SEND_TASK,
            title=_("Send mailing %(name)s") % {"name": locked.name},
            params={"mailing": locked.pk},
            idempotency_key=f"outreach-mailing-{locked.pk}",
        )
        locked.job = job
        locked.status = Mailing.Status.SENDING
        locked.save(update_fields=["job", "status"])

    logger.info("Mailing %s queued as job %s by %s", mailing.pk, job.pk, user.pk)
    mailing.refresh_from_db()
    return job


def _record_recipients(mailing) -> None:
    known = set(mailing.recipients.values_list("person_id", flat=True))
    MailingRecipient.objects.bulk_create(
        [
            MailingRecipient(
                company_id=mailing.company_id,
                mailing=mailing,
                person=person,
                email=person.email,
                language=person.language,
            )
            for person in mailing_persons(mailing)
            if person.pk not in known
        ],
        ignore_conflicts=True,
    )


def deliver_mailing(*, mailing, progress) -> dict:
    """Mail every waiting recipient of `mailing`; return counts by status.

    `progress(done, total, message)` is called after each recipient.
    """
    _mark_interrupted(mailing)
    _record_recipients(mailing)
    total = mailing.recipients.count()
    waiting = list(
        mailing.recipients.filter(status=RecipientStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = total - len(waiting)
    progress(done, total, "")
    for recipient_id in waiting:
        recipient = deliver_to_recipient(recipient_id=recipient_id)
        done += 1
        progress(done, total, recipient.email)

    Mailing.objects.filter(pk=mailing.pk).update(
        status=Mailing.Status.SENT, sent_at=timezone.now()
    )
    counts = dict.fromkeys(RecipientStatus.values, 0)
    for status in mailing.recipients.values_list("status", flat=True):
        counts[status] += 1
    logger.info("Mailing %s sent: %s", mailing.pk, counts)
    return counts


def _skip_status(person) -> str | None:
    if not person.email:
        return RecipientStatus.NO_EMAIL
    if person.marketing_consent:
        return None
    if Unsubscription.objects.filter(person=person).exists():
        return RecipientStatus.UNSUBSCRIBED
    return RecipientStatus.NO_CONSENT


def _event_values(event) -> dict:
    page = (
        EventRegistrationPage.objects.live().filter(event=event).order_by("pk").first()
    )
    starts = timezone.localtime(event.starts_at)
    return {
        "event_name": event.name,
        "event_time": formats.date_format(starts, "DATETIME_FORMAT"),
        "event_place": event.place,
        "registration_url": page.get_url_for() if page else "",
    }


def compose_message(*, mailing, person) -> mail.OutgoingMessage:
    """Return the message `person` gets, in their language where written."""
    language, subject, body = mailing.variant(person.language)
    link = mail.unsubscribe_url(person=person, mailing=mailing)
    with translation.override(language):
        values = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "full_name": str(person),
            "email": person.email,
            "unsubscribe_url": link,
        }
        if mailing.event_id:
            values.update(_event_values(mailing.event))
        text = mail.fill_placeholders(body, values)
        if link not in text:
            text += "\n\n-- \n" + _("Unsubscribe from our mailings: %(url)s") % {
                "url": link
            }
        return mail.OutgoingMessage(
            to=person.email,
            subject=mail.fill_placeholders(subject, values),
            body=text,
            from_email=mailing.from_email,
            headers=mail.unsubscribe_headers(link),
        )


def _claim_recipient(recipient_id: int) -> MailingRecipient | None:
    """Mark a waiting recipient as being sent; None if it is not waiting.

    The claim is committed before any mail leaves, so no later run can
    send to this recipient again, whatever happens after the hand-over.
    Recipients that may not be mailed get their final status here.
    """
    with transaction.atomic():
        recipient = (
            MailingRecipient.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("person")
            .filter(pk=recipient_id, status=RecipientStatus.PENDING)
            .first()
        )
        if recipient is None:
            return None
        person = recipient.person
        recipient.email = person.email
        recipient.language = person.language
        recipient.status = _skip_status(person) or RecipientStatus.SENDING
        if recipient.status != RecipientStatus.SENDING:
            recipient.processed_at = timezone.now()
        recipient.save(update_fields=["email", "language", "status", "processed_at"])
    return recipient


def _hand_over(recipient_id: int) -> None:
    """Send a claimed recipient's message and record how it went.

    The row stays locked while the message is handed over, which tells
    `_mark_interrupted` that this run is alive. If the row is no longer
    being sent (marked interrupted meanwhile), nothing is sent.
    """
    with transaction.atomic():
        recipient = (
            MailingRecipient.objects.select_for_update(of=("self",))
            .select_related("mailing", "mailing__event", "person")
            .filter(pk=recipient_id, status=RecipientStatus.SENDING)
            .first()
        )
        if recipient is None:
            return
        try:
            mail.send_message(
                compose_message(mailing=recipient.mailing, person=recipient.person)
            )
        except Exception as error:  # any refusal of the mail backend
            logger.warning(
                "Mailing %s to %s failed: %s",
                recipient.mailing_id,
                recipient.email,
                error,
            )
            recipient.status = RecipientStatus.FAILED
            recipient.reason = (str(error) or type(error).__name__)[:_REASON_LENGTH]
        else:
            recipient.status = RecipientStatus.SENT
        recipient.processed_at = timezone.now()
        recipient.save(update_fields=["status", "reason", "processed_at"])


def deliver_to_recipient(*, recipient_id: int) -> MailingRecipient:
    """Mail one logged recipient unless done already, taken or not allowed.

    Each recipient is mailed at most once: a run first claims the waiting
    row with a committed status change (rows another run has locked are
    skipped), and only then hands the message over. A crash after the
    hand-over leaves the row "being sent", never waiting again.
    """
    claimed = _claim_recipient(recipient_id)
    if claimed is not None and claimed.status == RecipientStatus.SENDING:
        _hand_over(recipient_id)
    return MailingRecipient.objects.get(pk=recipient_id)


def _mark_interrupted(mailing) -> int:
    """Close the recipients a dead run left "being sent"; return how many.

    A live run holds the lock of the row it is sending, so SKIP LOCKED
    passes over it; the rest were claimed by a run that stopped, and may
    or may not have been mailed. They are not mailed again.
    """
    with transaction.atomic():
        stale = list(
            mailing.recipients.select_for_update(skip_locked=True)
            .filter(status=RecipientStatus.SENDING)
            .values_list("pk", flat=True)
        )
        marked = MailingRecipient.objects.filter(
            pk__in=stale, status=RecipientStatus.SENDING
        ).update(
            status=RecipientStatus.INTERRUPTED,
            reason=_(
                "The sending stopped while this message was being handed over; "
                "it may not have arrived and is not sent again."
            )[:_REASON_LENGTH],
            processed_at=timezone.now(),
        )
    if marked:
        logger.warning("Mailing %s: %s interrupted recipients", mailing.pk, marked)
    return marked


# Consent


@transaction.atomic
def unsubscribe(*, person_id: int, mailing_id: int | None, source: str) -> Person:
    """Withdraw a person's marketing consent and record when and where.

    Asking twice records the withdrawal once.
    """
    person = Person.objects.select_for_update().get(pk=person_id)
    mailing = Mailing.objects.filter(pk=mailing_id, company=person.company_id).first()
    already = Unsubscription.objects.filter(person=person).exists()
    if person.marketing_consent:
        person = update_person(
            instance=person,
            user=None,
            data={"marketing_consent": False, "consent_source": source[:100]},
        )
    elif already:
        return person

    create_object(
        model=Unsubscription,
        company=person.company,
        user=None,
        data={"person": person, "mailing": mailing, "source": source},
    )
    logger.info("Person %s withdrew marketing consent (%s)", person.pk, source)
    return person


# Events


@transaction.atomic
def build_invitations(*, event, user) -> int:
    """Add the persons of the event's segment to its invitation list.

    Return how many were added; persons already invited stay as they are.
    """
    _require(user, "outreach.add_invitation", event.company_id)
    if event.segment_id is None:
        raise ValidationError(
            _("Choose the event's invite segment first."), code="no_segment"
        )
    invited = set(event.invitations.values_list("person_id", flat=True))
    added = [
        Invitation(
            company_id=event.company_id,
            event=event,
            person=person,
            added_manually=False,
        )
        for person in segment_persons(event.segment)
        if person.pk not in invited
    ]
    Invitation.objects.bulk_create(added, ignore_conflicts=True)
    logger.info("Event %s: %s persons invited from a segment", event.pk, len(added))
    return len(added)


def _seat_status(event) -> str:
    if event.capacity is None:
        return Registration.Status.REGISTERED
    seated = event.registrations.filter(status__in=SEATED).count()
    if seated < event.capacity:
        return Registration.Status.REGISTERED
    return Registration.Status.WAITING


def _lock_event(event):
    return Event.objects.select_for_update().get(pk=event.pk)


def _place_registration(*, event, person, source: str, note: str = "", user=None):
    """Give `person` a seat or a waiting place; the event row must be locked."""
    existing = Registration.objects.filter(event=event, person=person).first()
    if existing is not None and existing.status != Registration.Status.CANCELLED:
        raise ValidationError(
            _("%(person)s is already registered for %(event)s.")
            % {"person": person, "event": event},
            code="already_registered",
        )
    status = _seat_status(event)
    if existing is not None:
        registration = update_object(
            instance=existing, user=user, data={"status": status, "source": source}
        )
    else:
        registration = create_object(
            model=Registration,
            company=event.company,
            user=user,
            data={
                "event": event,
                "person": person,
                "status": status,
                "source": source,
                "note": note,
            },
        )
    transaction.on_commit(lambda: _confirm_later(registration.pk))
    logger.info("Person %s %s for event %s", person.pk, status, event.pk)
    return registration


def _confirm_later(registration_id: int) -> None:
    from modules.outreach.tasks import send_registration_confirmation

    try:
        send_registration_confirmation.delay(registration_id=registration_id)
    except Exception:
        # The registration stands; only its confirmation email is lost.
        logger.exception(
            "Confirmation of registration %s could not be queued", registration_id
        )


@transaction.atomic
def create_registration(*, company, user, data: dict) -> Registration:
    """Register a person from the admin, honouring the event's capacity."""
    event, person = data.get("event"), data.get("person")
    if event is None or person is None:
        raise ValidationError(_("Choose the event and the person."), code="required")
    if event.company_id != company.pk or person.company_id != company.pk:
        raise ValidationError(_("Choose records of the same company."))
    return _place_registration(
        event=_lock_event(event),
        person=person,
        source=_("Added in the admin"),
        note=data.get("note", ""),
        user=user,
    )


def _person_for_registration(*, event, data: dict, source: str) -> Person:
    email = data["email"].strip()
    person = (
        Person.objects.select_for_update()
        .filter(company=event.company_id, email__iexact=email)
        .first()
    )
    if person is None:
        values = {
            "first_name": data.get("first_name", ""),
            "last_name": data["last_name"],
            "email": email,
            "phone": data.get("phone", ""),
            "language": data.get("language") or "fi",
            "marketing_consent": bool(data.get("consent")),
        }
        if values["marketing_consent"]:
            values["consent_source"] = source[:100]
        return create_person(company=event.company, user=None, data=values)
    if data.get("consent") and not person.marketing_consent:
        person = update_person(
            instance=person,
            user=None,
            data={"marketing_consent": True, "consent_source": source[:100]},
        )
    return person


@transaction.atomic
def register_for_event(*, event, data: dict, source: str) -> Registration:
    """Register a visitor for `event` from a registration form.

    `data` holds first_name, last_name, email, phone, language and consent.
    The visitor is matched to a person of the event's company by email, or
    becomes a new person, with marketing consent only when they ticked it.
    Beyond the capacity the registration goes to the waiting list.
    """
    event = _lock_event(event)
    person = _person_for_registration(event=event, data=data, source=source)
    return _place_registration(event=event, person=person, source=source)


def _promote_waiting(event, user) -> None:
    while _seat_status(event) == Registration.Status.REGISTERED:
        waiting = (
            event.registrations.filter(status=Registration.Status.WAITING)
            .order_by("created_at", "pk")
            .first()
        )
        if waiting is None:
            return
        update_object(
            instance=waiting, user=user, data={"status": Registration.Status.REGISTERED}
        )
        transaction.on_commit(lambda pk=waiting.pk: _confirm_later(pk))
        logger.info("Registration %s moved up from the waiting list", waiting.pk)


@transaction.atomic
def set_attendance(*, registration, user, status: str) -> Registration:
    """Mark a registration attended, cancelled, registered or waiting.

    A seat given up by a cancellation goes to the first on the waiting list.
    """
    _require(user, "outreach.change_registration", registration.company_id)
    if status not in Registration.Status.values:
        raise ValidationError(_("Unknown attendance status."), code="invalid")
    event = _lock_event(registration.event)

    registration = update_object(
        instance=registration, user=user, data={"status": status}
    )
    if status in (Registration.Status.CANCELLED, Registration.Status.WAITING):
        _promote_waiting(event, user)
    return registration
