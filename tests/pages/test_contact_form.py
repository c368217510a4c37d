"""A visitor sends the contact form; the message is stored and emailed."""

from django.core import mail
from django.utils import translation
from wagtail.contrib.forms.models import FormSubmission

MESSAGE = {
    "nimi": "Matti Meikäläinen",
    "sahkoposti": "matti@example.fi",
    "viesti": "Voitteko toimittaa 20 laatikkoa?",
}


def test_sent_form_is_stored_emailed_and_thanked_for(trees, client):
    response = client.post("/yhteystiedot/", MESSAGE)

    assert response.status_code == 200
    submission = FormSubmission.objects.get(page=trees.contact)
    assert submission.get_data()["viesti"] == MESSAGE["viesti"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["asiakaspalvelu@example.fi"]
    assert "Voitteko toimittaa 20 laatikkoa?" in mail.outbox[0].body
    with translation.override("fi"):
        assert translation.gettext("Thank you!") in response.text
    assert 'name="viesti"' not in response.text


def test_form_with_a_bad_email_is_shown_again_and_nothing_is_stored(trees, client):
    response = client.post("/yhteystiedot/", {**MESSAGE, "sahkoposti": "matti"})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert not FormSubmission.objects.exists()
    assert mail.outbox == []


def test_contact_form_shows_its_fields_with_labels(trees, client):
    response = client.get("/yhteystiedot/")

    assert '<label for="id_sahkoposti"' in response.text
    assert 'name="viesti"' in response.text
