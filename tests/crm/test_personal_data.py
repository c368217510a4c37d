"""A person's data handed to them, and erased on request."""

import json

from modules.core.models import AuditEntry
from modules.crm.models import Person, Process, ProcessType


def _process_for(person, company):
    process_type = ProcessType.objects.create(
        company=company, code="feedback", name_fi="Palaute", name_en="Feedback"
    )
    return Process.objects.create(
        company=company,
        process_type=process_type,
        title="Aino Asiakas: palaute",
        person=person,
        state="new",
        description="Aino soitti numerosta 040 123.",
    )


def test_personal_data_download_holds_the_persons_records(
    client, seller, company_a, person, contact
):
    _process_for(person, company_a)
    client.force_login(seller)

    response = client.get(f"/admin/crm/personal-data/{person.pk}/")

    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["email"] == "aino@asiakas.example"
    assert data["organisations"] == [{"name": "Asiakas Oy", "title": "CEO"}]
    assert data["processes"][0]["description"] == "Aino soitti numerosta 040 123."


def test_another_companys_person_cannot_be_downloaded(client, seller, company_b):
    stranger = Person.objects.create(company=company_b, last_name="Vieras")
    client.force_login(seller)

    response = client.get(f"/admin/crm/personal-data/{stranger.pk}/")

    assert response.status_code == 404


def test_anonymising_erases_the_person_but_keeps_the_links(
    client, seller, company_a, person, contact
):
    process = _process_for(person, company_a)
    person.marketing_consent = True
    person.extra = {"shoe_size": 38}
    person.save()
    client.force_login(seller)

    confirm = client.get(f"/admin/crm/anonymise/{person.pk}/")
    response = client.post(f"/admin/crm/anonymise/{person.pk}/")

    assert "This cannot be undone." in confirm.content.decode()
    assert response.status_code == 302
    person.refresh_from_db()
    process.refresh_from_db()
    assert (person.first_name, person.email, person.phone) == ("", "", "")
    assert person.last_name == f"Anonymised person {person.pk}"
    assert not person.marketing_consent
    assert person.extra == {}
    assert person.contacts.get() == contact
    assert (process.person, process.title, process.description) == (
        person,
        "Feedback",
        "",
    )
    latest = AuditEntry.objects.filter(object_id=str(person.pk)).latest("pk")
    assert "aino" not in json.dumps([latest.before, latest.after]).lower()


def test_anonymising_needs_the_right_to_change_persons(
    client, make_user, company_a, person
):
    client.force_login(make_user("viewer", company_a, perms=("crm.view_person",)))

    response = client.post(f"/admin/crm/anonymise/{person.pk}/")

    assert response.status_code in (302, 403)
    person.refresh_from_db()
    assert person.email == "aino@asiakas.example"
