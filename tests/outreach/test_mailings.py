"""Mass email: consent honoured, a log per recipient, sent once, unsubscribe."""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from cms.jobs.models import JobStatus
from modules.outreach import services
from modules.outreach.mail import read_unsubscribe_token, unsubscribe_token
from modules.outreach.models import (
    Mailing,
    MailingRecipient,
    RecipientStatus,
    Unsubscription,
)
from tests.outreach.conftest import assert_refused


@pytest.fixture(autouse=True)
def refusing_mail_server(settings):
    settings.EMAIL_BACKEND = "tests.outreach.backends.RefusingBackend"


def _send(mailing, user, capture):
    with capture(execute=True):
        job = services.send_mailing(mailing=mailing, user=user)
    job.refresh_from_db()
    return job


def _log(mailing) -> dict[str, str]:
    return dict(mailing.recipients.values_list("email", "status"))


def test_sending_logs_every_recipient_and_mails_only_those_with_consent(
    marketer,
    make_person,
    make_segment,
    make_mailing,
    django_capture_on_commit_callbacks,
):
    make_person("yes@example.fi")
    make_person("no@example.fi", consent=False)
    make_person("refused@example.fi")
    make_person("", consent=True, first_name="Nomail", last_name="Person")
    left = make_person("left@example.fi")
    Unsubscription.objects.create(company=left.company, person=left, source="Test")
    left.marketing_consent = False
    left.save()
    mailing = make_mailing(make_segment())

    job = _send(mailing, marketer, django_capture_on_commit_callbacks)

    mailing.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress_done == job.progress_total == 5
    assert mailing.status == Mailing.Status.SENT
    assert [message.to for message in mail.outbox] == [["yes@example.fi"]]
    assert _log(mailing) == {
        "yes@example.fi": RecipientStatus.SENT,
        "no@example.fi": RecipientStatus.NO_CONSENT,
        "refused@example.fi": RecipientStatus.FAILED,
        "": RecipientStatus.NO_EMAIL,
        "left@example.fi": RecipientStatus.UNSUBSCRIBED,
    }
    failed = mailing.recipients.get(status=RecipientStatus.FAILED)
    assert "Mailbox does not exist" in failed.reason
    assert job.result["sent"] == 1


def test_each_person_gets_their_language_and_placeholders_filled(
    marketer,
    make_person,
    make_segment,
    make_mailing,
    django_capture_on_commit_callbacks,
):
    make_person("aino.virtanen@example.fi", language="fi")
    make_person("sven.berg@example.fi", language="sv")
    make_person("john.doe@example.fi", language="en")
    mailing = make_mailing(
        make_segment(),
        subject_sv="Nyheter för {first_name}",
        body_sv="Hej {full_name}!\nAvsluta: {unsubscribe_url}",
    )

    _send(mailing, marketer, django_capture_on_commit_callbacks)

    by_address = {message.to[0]: message for message in mail.outbox}
    finnish = by_address["aino.virtanen@example.fi"]
    swedish = by_address["sven.berg@example.fi"]
    english = by_address["john.doe@example.fi"]
    assert finnish.subject == "Uutiset Aino"
    assert finnish.body.startswith("Hei Aino!")
    assert swedish.subject == "Nyheter för Sven"
    assert swedish.body.startswith("Hej Sven Berg!\nAvsluta: http")
    # No English text was written: English readers get the Finnish one.
    assert english.subject == "Uutiset John"
    for message in (finnish, swedish, english):
        link = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert link in message.body
        assert "/outreach/unsubscribe/" in link
        assert message.extra_headers["List-Unsubscribe-Post"] == (
            "List-Unsubscribe=One-Click"
        )


def test_sending_again_sends_nothing_twice(
    marketer,
    make_person,
    make_segment,
    make_mailing,
    django_capture_on_commit_callbacks,
):
    make_person("once@example.fi")
    mailing = make_mailing(make_segment())

    first = _send(mailing, marketer, django_capture_on_commit_callbacks)
    again = _send(mailing, marketer, django_capture_on_commit_callbacks)
    make_person("late@example.fi")
    services.deliver_mailing(mailing=mailing, progress=lambda *args: None)

    assert again.pk == first.pk
    assert [message.to for message in mail.outbox] == [
        ["once@example.fi"],
        ["late@example.fi"],
    ]
    assert mailing.recipients.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_mail_each_recipient_once(
    company_a, make_person, make_segment, make_mailing
):
    for number in range(10):
        make_person(f"p{number}@example.fi")
    mailing = make_mailing(make_segment())
    errors = []

    def run():
        try:
            services.deliver_mailing(mailing=mailing, progress=lambda *args: None)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        f"p{number}@example.fi" for number in range(10)
    )
    assert MailingRecipient.objects.filter(status=RecipientStatus.SENT).count() == 10


def test_a_sent_mailing_cannot_be_changed(
    marketer,
    make_person,
    make_segment,
    make_mailing,
    django_capture_on_commit_callbacks,
):
    mailing = make_mailing(make_segment())
    _send(mailing, marketer, django_capture_on_commit_callbacks)
    mailing.refresh_from_db()

    with pytest.raises(Exception, match="has been sent"):
        services.update_mailing(
            instance=mailing, user=marketer, data={"subject_fi": "Changed"}
        )


def test_unknown_placeholders_are_refused(make_mailing, make_segment):
    mailing = make_mailing(make_segment(), body_fi="Hei {etunimi}")

    with pytest.raises(Exception, match=r"Unknown placeholder: \{etunimi\}"):
        mailing.full_clean()


def test_send_view_starts_the_job_and_the_mailing_shows_its_log(
    client,
    marketer,
    make_person,
    make_segment,
    make_mailing,
    django_capture_on_commit_callbacks,
):
    make_person("yes@example.fi")
    make_person("no@example.fi", consent=False)
    mailing = make_mailing(make_segment())
    client.force_login(marketer)
    url = reverse("outreach_mailing_send", args=[mailing.pk])

    confirm = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url)
    card = client.get(reverse("outreach_mailing:inspect", args=[mailing.pk]))

    assert "goes to 1 of 2 persons" in confirm.content.decode()
    assert sent.status_code == 302
    page = card.content.decode()
    assert 'data-status="sent"' in page
    assert 'data-status="no_consent"' in page
    assert "Skipped: no marketing consent" in page


def test_sending_needs_the_change_permission(
    client, make_user, company_a, make_segment, make_mailing
):
    user = make_user("viewer", company_a, perms=("outreach.view_mailing",))
    mailing = make_mailing(make_segment())
    client.force_login(user)

    response = client.post(reverse("outreach_mailing_send", args=[mailing.pk]))

    assert_refused(response)
    mailing.refresh_from_db()
    assert mailing.job_id is None


def test_another_companys_mailing_cannot_be_sent(
    client, marketer, company_b, make_segment, make_mailing
):
    mailing = make_mailing(make_segment(company=company_b), company=company_b)
    client.force_login(marketer)

    response = client.post(reverse("outreach_mailing_send", args=[mailing.pk]))

    assert response.status_code == 404
    mailing.refresh_from_db()
    assert mailing.job_id is None


# Unsubscribing


def test_unsubscribe_link_withdraws_consent_in_one_click(client, make_person):
    person = make_person("sven.berg@example.fi", language="sv")
    url = reverse("outreach_unsubscribe", args=[unsubscribe_token(person=person)])

    shown = client.get(url)
    person.refresh_from_db()
    assert person.marketing_consent is True

    done = client.post(url)

    person.refresh_from_db()
    assert "Avsluta prenumeration" in shown.content.decode()
    assert done.status_code == 200
    assert "Ditt återkallande av samtycket har registrerats" in done.content.decode()
    assert person.marketing_consent is False
    withdrawal = Unsubscription.objects.get(person=person)
    assert withdrawal.source
    assert withdrawal.created_at is not None


def test_a_mail_programs_one_click_post_unsubscribes_once(client, make_person):
    person = make_person("aino@example.fi")
    url = reverse("outreach_unsubscribe", args=[unsubscribe_token(person=person)])

    client.post(url, {"List-Unsubscribe": "One-Click"})
    client.post(url, {"List-Unsubscribe": "One-Click"})

    person.refresh_from_db()
    assert person.marketing_consent is False
    assert Unsubscription.objects.filter(person=person).count() == 1


def test_a_forged_unsubscribe_token_is_refused(client, make_person):
    person = make_person("aino@example.fi")
    token = unsubscribe_token(person=person)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    response = client.post(reverse("outreach_unsubscribe", args=[forged]))

    person.refresh_from_db()
    assert response.status_code == 404
    assert person.marketing_consent is True
    assert read_unsubscribe_token(token)[0] == person.pk


def test_unsubscribed_person_is_skipped_by_the_next_mailing(
    client,
    marketer,
    make_person,
    make_segment,
    make_mailing,
    django_capture_on_commit_callbacks,
):
    person = make_person("aino@example.fi")
    client.post(
        reverse("outreach_unsubscribe", args=[unsubscribe_token(person=person)])
    )
    mailing = make_mailing(make_segment())

    _send(mailing, marketer, django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert _log(mailing) == {"aino@example.fi": RecipientStatus.UNSUBSCRIBED}


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_after_the_hand_over_never_mails_that_person_again(
    settings, company_a, make_person, make_segment, make_mailing
):
    from tests.outreach.backends import WorkerKilled

    settings.EMAIL_BACKEND = "tests.outreach.backends.DyingBackend"
    make_person("first@example.fi")
    make_person("last@example.fi")
    make_person("third@example.fi")
    mailing = make_mailing(make_segment())

    with pytest.raises(WorkerKilled):
        services.deliver_mailing(mailing=mailing, progress=lambda *args: None)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    counts = services.deliver_mailing(mailing=mailing, progress=lambda *args: None)

    assert sorted(message.to[0] for message in mail.outbox) == [
        "first@example.fi",
        "last@example.fi",
        "third@example.fi",
    ]
    assert _log(mailing) == {
        "first@example.fi": RecipientStatus.SENT,
        "last@example.fi": RecipientStatus.INTERRUPTED,
        "third@example.fi": RecipientStatus.SENT,
    }
    assert counts[RecipientStatus.INTERRUPTED] == 1
    assert "not sent again" in mailing.recipients.get(email="last@example.fi").reason


@pytest.mark.django_db(transaction=True)
def test_a_second_run_leaves_the_message_another_run_is_sending(
    settings, company_a, make_person, make_segment, make_mailing
):
    from tests.outreach.backends import SlowBackend

    settings.EMAIL_BACKEND = "tests.outreach.backends.SlowBackend"
    SlowBackend.arrived.clear()
    SlowBackend.release.clear()
    busy = make_person("busy@example.fi")
    mailing = make_mailing(make_segment())
    services._record_recipients(mailing)
    busy_row = mailing.recipients.get(person=busy)
    make_person("other@example.fi")
    errors = []

    def first_worker():
        try:
            services.deliver_to_recipient(recipient_id=busy_row.pk)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    assert SlowBackend.arrived.wait(timeout=60)
    # The first worker is inside its hand-over, holding the row.
    services.deliver_mailing(mailing=mailing, progress=lambda *args: None)
    SlowBackend.release.set()
    thread.join()

    assert errors == []
    assert sorted(message.to[0] for message in mail.outbox) == [
        "busy@example.fi",
        "other@example.fi",
    ]
    assert _log(mailing) == {
        "busy@example.fi": RecipientStatus.SENT,
        "other@example.fi": RecipientStatus.SENT,
    }
