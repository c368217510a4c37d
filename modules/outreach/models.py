"""Marketing and events: segments, mailings with their log, events.

A segment is a saved rule that picks persons from the customer register;
a mailing is sent to a segment (or to an event's invitation list) and logs
what happened to each recipient; an event keeps its invitations and
registrations, and a registration page publishes it on the site.
"""

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from modules.core.models import Company
from modules.core.scoping import scope_queryset
from modules.crm.models import Classification, Person
from pages.models import ThemedPageMixin

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]

# Placeholders a mailing's subject and body may use, as {name}.
PLACEHOLDER = re.compile(r"\{(\w+)\}")
PERSON_PLACEHOLDERS = ("first_name", "last_name", "full_name", "email")
LINK_PLACEHOLDERS = ("unsubscribe_url",)
EVENT_PLACEHOLDERS = ("event_name", "event_time", "event_place", "registration_url")


def _secret() -> str:
    return secrets.token_urlsafe(24)


class Segment(models.Model):
    """A saved selection of persons, for mailings, invitations and exports.

    A person is in the segment when every given condition holds:
    classifications (of the person or of an organisation they are a contact
    of, a chosen node covering its whole subtree), extra form values,
    language, town, marketing consent and role.
    """

    class Match(models.TextChoices):
        ANY = "any", _("any of the chosen classifications")
        ALL = "all", _("all of the chosen classifications")

    class Consent(models.TextChoices):
        ANY = "", _("with or without consent")
        GIVEN = "given", _("only with marketing consent")
        MISSING = "missing", _("only without marketing consent")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    classifications = models.ManyToManyField(
        Classification,
        verbose_name=_("classifications"),
        related_name="+",
        blank=True,
        help_text=_("A classification also covers the classifications below it."),
    )
    classification_match = models.CharField(
        _("persons classified with"),
        max_length=3,
        choices=Match.choices,
        default=Match.ANY,
    )
    form_conditions = models.JSONField(
        _("extra form conditions"),
        default=list,
        blank=True,
        help_text=_(
            'A list like [{"field": "fleet_size", "operator": "gte", "value": 10}]. '
            "Operators: eq, gte, lte, filled, empty. Add "
            '"record": "organisation" to test the organisation\'s form.'
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty for every language."),
    )
    town = models.CharField(
        _("town"),
        max_length=100,
        blank=True,
        help_text=_("The town of an organisation the person is a contact of."),
    )
    consent = models.CharField(
        _("marketing consent"),
        max_length=10,
        choices=Consent.choices,
        default=Consent.ANY,
        blank=True,
    )
    role = models.CharField(
        _("role"),
        max_length=100,
        blank=True,
        help_text=_("A part of the person's job title at an organisation."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        from modules.outreach.segments import check_form_conditions

        check_form_conditions(self.form_conditions, company=self.company_id)


class Event(models.Model):
    """An event people are invited to and register for."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_(
            "Registrations beyond this go to the waiting list. Leave empty for "
            "no limit."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    segment = models.ForeignKey(
        Segment,
        verbose_name=_("invite segment"),
        related_name="events",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("Persons of this segment are added to the invitation list."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event cannot end before it starts.")
        if self.segment_id and self.segment.company_id != self.company_id:
            errors["segment"] = _("Choose a segment of the same company.")
        if errors:
            raise ValidationError(errors)


class Mailing(models.Model):
    """A mass email to a segment, or invitations to an event.

    The Finnish subject and body are required; a recipient whose language
    is Swedish or English gets that variant when it is written.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=200)
    segment = models.ForeignKey(
        Segment,
        verbose_name=_("segment"),
        related_name="mailings",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        related_name="mailings",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Choose an event to send invitations to its invitation list."),
    )
    from_email = models.EmailField(
        _("sender"), blank=True, help_text=_("Leave empty for the default sender.")
    )
    subject_fi = models.CharField(_("subject in Finnish"), max_length=200)
    body_fi = models.TextField(
        _("text in Finnish"),
        help_text=_(
            "Placeholders: {first_name}, {last_name}, {full_name}, {email}, "
            "{unsubscribe_url}; for invitations also {event_name}, {event_time}, "
            "{event_place} and {registration_url}."
        ),
    )
    subject_sv = models.CharField(_("subject in Swedish"), max_length=200, blank=True)
    body_sv = models.TextField(_("text in Swedish"), blank=True)
    subject_en = models.CharField(_("subject in English"), max_length=200, blank=True)
    body_en = models.TextField(_("text in English"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
    )
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("sending job"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if not self.segment_id and not self.event_id:
            errors["segment"] = _("Choose a segment or an event.")
        for name in ("segment", "event"):
            related = getattr(self, name) if getattr(self, f"{name}_id") else None
            if related is not None and related.company_id != self.company_id:
                errors[name] = _("Choose a record of the same company.")
        allowed = {*PERSON_PLACEHOLDERS, *LINK_PLACEHOLDERS}
        if self.event_id:
            allowed.update(EVENT_PLACEHOLDERS)
        for code in LANGUAGE_CODES:
            for prefix in ("subject", "body"):
                name = f"{prefix}_{code}"
                unknown = sorted(
                    set(PLACEHOLDER.findall(getattr(self, name, "") or "")) - allowed
                )
                if unknown:
                    errors[name] = _("Unknown placeholder: %(names)s.") % {
                        "names": ", ".join(f"{{{item}}}" for item in unknown)
                    }
        if errors:
            raise ValidationError(errors)

    def variant(self, language: str) -> tuple[str, str, str]:
        """Return (language, subject, body) written for `language`, else Finnish."""
        subject = getattr(self, f"subject_{language}", "")
        body = getattr(self, f"body_{language}", "")
        if language in LANGUAGE_CODES and subject and body:
            return language, subject, body
        return "fi", self.subject_fi, self.body_fi


class RecipientStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    # Claimed by a run that is handing the message to the mail server.
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    NO_CONSENT = "no_consent", _("Skipped: no marketing consent")
    UNSUBSCRIBED = "unsubscribed", _("Skipped: unsubscribed")
    NO_EMAIL = "no_email", _("Skipped: no email address")
    FAILED = "failed", _("Failed")
    INTERRUPTED = "interrupted", _("Interrupted: perhaps not sent")


class MailingRecipient(models.Model):
    """What happened to one recipient of a mailing: the mailing's log."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    mailing = models.ForeignKey(
        Mailing,
        verbose_name=_("mailing"),
        related_name="recipients",
        on_delete=models.CASCADE,
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        related_name="+",
        on_delete=models.CASCADE,
    )
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RecipientStatus.choices,
        default=RecipientStatus.PENDING,
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        verbose_name = _("mailing recipient")
        verbose_name_plural = _("mailing recipients")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "person"], name="outreach_recipient_unique"
            )
        ]

    def __str__(self):
        return f"{self.mailing}: {self.email or self.person}"


class Unsubscription(models.Model):
    """A withdrawal of marketing consent, with when and where it was made."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        related_name="+",
        on_delete=models.CASCADE,
    )
    mailing = models.ForeignKey(
        Mailing,
        verbose_name=_("mailing"),
        related_name="unsubscriptions",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    source = models.CharField(_("source"), max_length=200)
    created_at = models.DateTimeField(_("withdrawn"), auto_now_add=True)

    class Meta:
        verbose_name = _("unsubscription")
        verbose_name_plural = _("unsubscriptions")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.person} ({self.created_at:%Y-%m-%d})"


class Invitation(models.Model):
    """A person on an event's invitation list."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        related_name="invitations",
        on_delete=models.CASCADE,
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        related_name="+",
        on_delete=models.CASCADE,
    )
    added_manually = models.BooleanField(_("added by hand"), default=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["event", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                name="outreach_invitation_unique",
                violation_error_message=_("The person is already invited."),
            )
        ]

    def __str__(self):
        return f"{self.event}: {self.person}"

    def clean(self):
        _require_same_company(self, ("event", "person"))


class Registration(models.Model):
    """A person's place at an event, on the waiting list, or their absence."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        ATTENDED = "attended", _("Attended")
        CANCELLED = "cancelled", _("Cancelled")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        related_name="registrations",
        on_delete=models.CASCADE,
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        related_name="+",
        on_delete=models.CASCADE,
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.REGISTERED,
    )
    source = models.CharField(_("source"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                name="outreach_registration_unique",
                violation_error_message=_("The person is already registered."),
            )
        ]

    def __str__(self):
        return f"{self.event}: {self.person} ({self.get_status_display()})"

    def clean(self):
        _require_same_company(self, ("event", "person"))


# Registrations that hold a seat at the event.
SEATED = (Registration.Status.REGISTERED, Registration.Status.ATTENDED)


def _require_same_company(instance, names) -> None:
    for name in names:
        related = getattr(instance, name) if getattr(instance, f"{name}_id") else None
        if related is not None and related.company_id != instance.company_id:
            raise ValidationError({name: _("Choose a record of the same company.")})


class EventRegistrationPageForm(WagtailAdminPageForm):
    """Offer only the events of the editor's companies."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None:
            field = self.fields["event"]
            field.queryset = scope_queryset(field.queryset, for_user)


class EventRegistrationPage(ThemedPageMixin, Page):
    """A public registration form of one event, or one behind a secret link.

    A page with link-only access answers only when the address carries its
    key (?key=...), never appears in menus and tells search engines not to
    index it (X-Robots-Tag).
    """

    class Access(models.TextChoices):
        PUBLIC = "public", _("Public")
        LINK = "link", _("Only with the secret link")

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        related_name="pages",
        on_delete=models.PROTECT,
    )
    intro = RichTextField(_("introduction"), blank=True)
    thank_you_text = RichTextField(
        _("thank-you text"),
        blank=True,
        help_text=_("Shown after a visitor has registered."),
    )
    access = models.CharField(
        _("access"), max_length=10, choices=Access.choices, default=Access.PUBLIC
    )
    secret_key = models.CharField(
        _("secret key"), max_length=64, default=_secret, editable=False
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("event"),
        FieldPanel("intro"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel([FieldPanel("access")], heading=_("Visibility")),
    ]
    parent_page_types = ["pages.HomePage", "pages.StandardPage"]
    subpage_types = []
    base_form_class = EventRegistrationPageForm
    template = "outreach/event_registration_page.html"

    class Meta:
        verbose_name = _("event registration page")
        verbose_name_plural = _("event registration pages")

    def save(self, *args, **kwargs):
        if self.access == self.Access.LINK:
            self.show_in_menus = False
        return super().save(*args, **kwargs)

    def get_url_for(self, request=None) -> str:
        """Return the address to share: with the key when the page is hidden."""
        url = self.get_full_url(request)
        if self.access == self.Access.LINK:
            return f"{url}?key={self.secret_key}"
        return url

    def serve(self, request, *args, **kwargs):
        from modules.outreach.pages import serve_registration_page

        return serve_registration_page(self, request)
