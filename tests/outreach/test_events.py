"""Events: invitations, registrations with capacity, attendance, the card panel."""

import csv
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from modules.crm.models import Person
from modules.outreach import services
from modules.outreach.models import Invitation, Registration
from tests.outreach.conftest import assert_refused


def _register(event, email, *, consent=False, **fields):
    data = {
        "first_name": fields.pop("first_name", "Visitor"),
        "last_name": fields.pop("last_name", email.split("@")[0].capitalize()),
        "email": email,
        "consent": consent,
        **fields,
    }
    return services.register_for_event(event=event, data=data, source="Test page")


def test_registration_matches_an_existing_person_by_email(
    make_event, make_person, django_capture_on_commit_callbacks
):
    person = make_person("aino.virtanen@example.fi")
    event = make_event()

    with django_capture_on_commit_callbacks(execute=True):
        registration = _register(event, "AINO.Virtanen@Example.fi")

    assert registration.person == person
    assert registration.status == Registration.Status.REGISTERED
    assert Person.objects.count() == 1
    assert mail.outbox[0].to == ["aino.virtanen@example.fi"]
    # Aino reads Finnish, the language of her record.
    assert mail.outbox[0].subject == f"Ilmoittautuminen vahvistettu: {event.name}"


def test_a_new_visitor_becomes_a_person_with_consent_only_if_ticked(make_event):
    event = make_event()

    _register(event, "ticked@example.fi", consent=True)
    _register(event, "unticked@example.fi", consent=False)

    ticked = Person.objects.get(email="ticked@example.fi")
    unticked = Person.objects.get(email="unticked@example.fi")
    assert ticked.company == event.company
    assert ticked.marketing_consent is True
    assert ticked.consent_date is not None
    assert ticked.consent_source == "Test page"
    assert unticked.marketing_consent is False
    assert unticked.consent_date is None


def test_beyond_capacity_registrations_wait_and_move_up_on_cancellation(
    make_event, marketer, django_capture_on_commit_callbacks
):
    event = make_event(capacity=2)
    first = _register(event, "first@example.fi")
    _register(event, "second@example.fi")

    with django_capture_on_commit_callbacks(execute=True):
        third = _register(event, "third@example.fi", language="sv")
    waiting_mail = mail.outbox[-1]
    with django_capture_on_commit_callbacks(execute=True):
        services.set_attendance(
            registration=first, user=marketer, status=Registration.Status.CANCELLED
        )
    third.refresh_from_db()

    assert waiting_mail.subject == f"Du står på väntelistan: {event.name}"
    assert third.status == Registration.Status.REGISTERED
    assert mail.outbox[-1].to == ["third@example.fi"]
    assert mail.outbox[-1].subject == f"Anmälan bekräftad: {event.name}"


def test_registering_twice_is_refused_with_a_message(make_event):
    event = make_event()
    _register(event, "twice@example.fi")

    with pytest.raises(ValidationError, match="already registered"):
        _register(event, "twice@example.fi")

    assert Registration.objects.count() == 1


def test_invitation_list_is_built_from_the_segment_plus_manual_additions(
    client, marketer, make_event, make_segment, make_person
):
    make_person("sv1@example.fi", language="sv")
    make_person("sv2@example.fi", language="sv")
    manual = make_person("fi@example.fi")
    event = make_event(segment=make_segment(language="sv"))
    Invitation.objects.create(company=event.company, event=event, person=manual)
    client.force_login(marketer)

    client.post(reverse("outreach_event_invite", args=[event.pk]))
    client.post(reverse("outreach_event_invite", args=[event.pk]))

    invited = dict(event.invitations.values_list("person__email", "added_manually"))
    assert invited == {
        "sv1@example.fi": False,
        "sv2@example.fi": False,
        "fi@example.fi": True,
    }


def test_invitations_go_out_through_the_mailing_machinery(
    marketer,
    make_event,
    make_person,
    make_mailing,
    django_capture_on_commit_callbacks,
):
    invited = make_person("invited@example.fi")
    make_person("not.invited@example.fi")
    no_consent = make_person("quiet@example.fi", consent=False)
    event = make_event(name="Autumn evening")
    for person in (invited, no_consent):
        Invitation.objects.create(company=event.company, event=event, person=person)
    mailing = make_mailing(
        event=event,
        subject_fi="Kutsu: {event_name}",
        body_fi="Tervetuloa {event_place}, {event_time}. {registration_url}",
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.send_mailing(mailing=mailing, user=marketer)

    assert [message.to for message in mail.outbox] == [["invited@example.fi"]]
    assert mail.outbox[0].subject == "Kutsu: Autumn evening"
    assert "Tervetuloa Mannerheimintie 1" in mail.outbox[0].body
    assert dict(mailing.recipients.values_list("email", "status")) == {
        "invited@example.fi": "sent",
        "quiet@example.fi": "no_consent",
    }


def test_attendance_is_marked_in_the_admin_and_exported(
    client, marketer, make_event, django_capture_on_commit_callbacks
):
    event = make_event()
    registration = _register(event, "guest@example.fi", first_name="Gösta")
    client.force_login(marketer)
    url = reverse("outreach_event_attendance", args=[event.pk])

    listed = client.get(url)
    client.post(url, {"registration": registration.pk, "status": "attended"})
    export = client.get(reverse("outreach_event_participants", args=[event.pk]))

    registration.refresh_from_db()
    assert f'data-registration="{registration.pk}"' in listed.content.decode()
    assert registration.status == Registration.Status.ATTENDED
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[1][:3] == ["Gösta", "Guest", "guest@example.fi"]
    assert rows[1][4] == "Attended"


def test_attendance_needs_permission_and_the_company(
    client, make_user, company_a, company_b, make_event
):
    viewer = make_user("viewer", company_a, perms=("outreach.view_registration",))
    foreign = make_event(company=company_b)
    own = make_event()
    registration = _register(own, "guest@example.fi")
    client.force_login(viewer)

    changed = client.post(
        reverse("outreach_event_attendance", args=[own.pk]),
        {"registration": registration.pk, "status": "cancelled"},
    )
    other = client.get(reverse("outreach_event_attendance", args=[foreign.pk]))
    export = client.get(reverse("outreach_event_participants", args=[own.pk]))

    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED
    assert changed.status_code == 302
    assert other.status_code == 404
    assert_refused(export)


def test_the_person_card_shows_event_attendance(client, marketer, make_event):
    event = make_event(name="Spring seminar")
    registration = _register(event, "guest@example.fi")
    services.set_attendance(
        registration=registration, user=marketer, status=Registration.Status.ATTENDED
    )
    client.force_login(marketer)

    card = client.get(
        reverse("crm_person:inspect", args=[registration.person_id])
    ).content.decode()

    assert 'data-crm-panel="events"' in card
    assert "Spring seminar" in card
    assert 'data-status="attended"' in card


def test_the_customer_card_shows_its_contacts_events(
    client, marketer, make_event, make_person, make_organisation
):
    person = make_person("contact@example.fi")
    organisation = make_organisation("Asiakas Oy", person=person)
    _register(make_event(name="Spring seminar"), "contact@example.fi")
    _register(make_event(name="Other event"), "stranger@example.fi")
    client.force_login(marketer)

    card = client.get(
        reverse("crm_organisation:inspect", args=[organisation.pk])
    ).content.decode()

    assert 'data-crm-panel="events"' in card
    assert "Spring seminar" in card
    assert "Other event" not in card
