"""Importing a customer register with duplicate detection, in the admin."""

from django.core.files.uploadedfile import SimpleUploadedFile

from cms.models import ImportFile
from modules.crm.models import Organisation, Person

ORGANISATIONS = "/admin/crm/organisation/import/"
PERSONS = "/admin/crm/person/import/"


def _upload(client, url, text):
    upload = SimpleUploadedFile("register.csv", text.encode(), content_type="text/csv")
    return client.post(url, {"file": upload})


def _confirm(client, url):
    stored = ImportFile.objects.latest("pk")
    return client.post(url, {"confirm": "1", "import_file": stored.pk})


def test_import_creates_organisations_and_updates_those_it_knows(
    client, seller, company_a, organisation
):
    client.force_login(seller)
    _upload(
        client,
        ORGANISATIONS,
        "business_id;name;city;is_customer\n"
        "1572860-0;Asiakas Oy;Tampere;1\n"
        "0737546-2;Uusi Oy;Oulu;1\n"
        ";Foreign Ltd;London;0\n"
        ";Other Foreign Ltd;Paris;0\n",
    )

    response = _confirm(client, ORGANISATIONS)

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.city == "Tampere"
    new = Organisation.objects.get(business_id="0737546-2")
    assert (new.company, new.vat_number) == (company_a, "FI07375462")
    assert Organisation.objects.filter(business_id="").count() == 2


def test_a_business_id_twice_in_the_file_is_refused(client, seller):
    client.force_login(seller)

    response = _upload(
        client,
        ORGANISATIONS,
        "business_id;name\n0737546-2;Uusi Oy\n2077474-0;Muu Oy\n0737546-2;Kopio Oy\n",
    )

    html = response.content.decode()
    assert "The business ID 0737546-2 is already on row 1 of this file." in html
    assert "Confirm import" not in html
    assert not Organisation.objects.exists()


def test_an_invalid_business_id_in_the_file_is_reported(client, seller):
    client.force_login(seller)

    response = _upload(client, ORGANISATIONS, "business_id;name\n0737546-1;Virhe Oy\n")

    html = response.content.decode()
    assert "0737546-1 is not a valid Finnish business ID." in html
    assert not Organisation.objects.exists()


def test_persons_are_matched_by_email_in_any_letter_case(client, seller, person):
    client.force_login(seller)
    _upload(
        client,
        PERSONS,
        "email;first_name;last_name;phone\n"
        "AINO@asiakas.example;Aino;Asiakas;040 1\n"
        "uusi@asiakas.example;Uuno;Uusi;040 2\n",
    )

    _confirm(client, PERSONS)

    person.refresh_from_db()
    assert person.phone == "040 1"
    assert Person.objects.count() == 2


def test_an_email_twice_in_the_file_is_refused(client, seller):
    client.force_login(seller)

    response = _upload(
        client,
        PERSONS,
        "email;last_name\nsame@example.com;Yksi\nSAME@example.com;Kaksi\n",
    )

    html = response.content.decode()
    assert "The email address same@example.com is already on row 1" in html
    assert not Person.objects.exists()


def test_the_preview_counts_duplicates_and_skipping_keeps_the_record(
    client, seller, organisation
):
    client.force_login(seller)
    preview = _upload(
        client,
        ORGANISATIONS,
        "business_id;name;city\n1572860-0;Asiakas Oy;Tampere\n0737546-2;Uusi Oy;Oulu\n",
    )
    stored = ImportFile.objects.latest("pk")

    response = client.post(
        ORGANISATIONS,
        {"confirm": "1", "import_file": stored.pk, "duplicates": "skip"},
    )

    assert "1 row matches a record already in the register." in (
        preview.content.decode()
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.city == "Turku"
    assert Organisation.objects.filter(business_id="0737546-2").exists()


def test_a_person_row_matching_by_email_in_other_case_updates_the_person(
    client, seller, person
):
    client.force_login(seller)
    preview = _upload(
        client, PERSONS, "email;last_name;phone\nAINO@asiakas.example;Asiakas;0401\n"
    )

    response = _confirm(client, PERSONS)

    assert "1 row matches" in preview.content.decode()
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "0401"
    assert Person.objects.count() == 1


def test_the_register_exports_what_it_imports_and_only_the_users_company(
    client, seller, company_b, organisation
):
    Organisation.objects.create(company=company_b, name="Vieras Ab")
    client.force_login(seller)

    response = client.get("/admin/crm/organisation/export/?format=csv")
    exported = response.content.decode("utf-8-sig")

    assert response.status_code == 200
    assert "1572860-0" in exported
    assert "Asiakas Oy" in exported
    assert "Vieras Ab" not in exported
    _upload(client, ORGANISATIONS, exported)
    assert _confirm(client, ORGANISATIONS).status_code == 302
    assert Organisation.objects.filter(company=organisation.company).count() == 1
