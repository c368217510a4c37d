"""The bulk register import: validated first, written whole or not at all."""

import pytest
from django.core.exceptions import ValidationError

from modules.crm.bulk import bulk_import_register
from modules.crm.models import Contact, Organisation, Person


def _row(name, business_id, email, **extra):
    return {
        "name": name,
        "business_id": business_id,
        "city": "Turku",
        "first_name": "Aino",
        "last_name": name.split()[0],
        "person_email": email,
        **extra,
    }


def test_good_rows_become_organisations_with_their_contact_person(company_a, seller):
    result = bulk_import_register(
        company=company_a,
        user=seller,
        rows=[
            _row("Alfa Oy", "0737546-2", "aino@alfa.example"),
            _row("Beta Oy", "", "beta@beta.example", title="CFO"),
        ],
    )

    assert (result.organisations, result.persons) == (2, 2)
    alfa = Organisation.objects.get(business_id="0737546-2")
    assert alfa.vat_number == "FI07375462"
    assert alfa.persons.get().email == "aino@alfa.example"
    assert Contact.objects.get(person__email="beta@beta.example").title == "CFO"


def test_bad_rows_are_named_and_nothing_is_written(company_a, seller, organisation):
    with pytest.raises(ValidationError) as error:
        bulk_import_register(
            company=company_a,
            user=seller,
            rows=[
                _row("Alfa Oy", "0737546-3", "aino@alfa.example"),
                _row("Beta Oy", "2077474-0", "not-an-email"),
                _row("Gamma Oy", "2077474-0", "gamma@example.fi"),
                _row("Delta Oy", "", "delta@example.fi"),
            ],
        )

    assert error.value.messages == [
        "Row 1: 0737546-3 is not a valid Finnish business ID.",
        "Row 2: not-an-email is not a valid email address.",
        "Row 3: The business ID 2077474-0 is already on row 2.",
    ]
    assert Organisation.objects.count() == 1
    assert not Person.objects.exists()


def test_rows_already_in_the_register_are_refused(
    company_a, seller, organisation, person
):
    with pytest.raises(ValidationError) as error:
        bulk_import_register(
            company=company_a,
            user=seller,
            rows=[_row("Asiakas Oy", "1572860-0", "AINO@asiakas.example")],
        )

    assert error.value.messages == [
        "Row 1: the business ID 1572860-0 is already registered.",
        "Row 1: the email address AINO@asiakas.example is already registered.",
    ]


def test_the_command_imports_a_csv_file(company_a, seller, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "register.csv"
    path.write_text(
        "name;business_id;city;first_name;last_name;person_email\n"
        "Alfa Oy;0737546-2;Turku;Aino;Alfa;aino@alfa.example\n",
        encoding="utf-8",
    )

    call_command("import_register", company_a.business_id, str(path), user="seller")

    assert Organisation.objects.get().persons.get().email == "aino@alfa.example"
