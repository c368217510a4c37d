"""Registering organisations and persons: validation and duplicates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from modules.crm.models import Contact, Organisation, Person
from modules.crm.services import (
    archive_organisation,
    create_contact,
    create_organisation,
    create_person,
    update_organisation,
    update_person,
)


def _messages(error, field):
    return " ".join(error.value.message_dict[field])


def test_organisation_gets_its_vat_number_from_the_business_id(company_a, seller):
    organisation = create_organisation(
        company=company_a,
        user=seller,
        data={"name": "Uusi Oy", "business_id": "0737546-2", "is_customer": True},
    )

    organisation.refresh_from_db()
    assert organisation.vat_number == "FI07375462"
    assert organisation.company == company_a


def test_a_bad_business_id_is_refused_with_a_clear_message(company_a, seller):
    with pytest.raises(ValidationError) as error:
        create_organisation(
            company=company_a,
            user=seller,
            data={"name": "Virhe Oy", "business_id": "0737546-1"},
        )

    assert "0737546-1 is not a valid Finnish business ID" in _messages(
        error, "business_id"
    )
    assert not Organisation.objects.filter(name="Virhe Oy").exists()


def test_a_bad_finnish_vat_number_is_refused(company_a, seller):
    with pytest.raises(ValidationError) as error:
        create_organisation(
            company=company_a,
            user=seller,
            data={"name": "Virhe Oy", "vat_number": "FI07375461"},
        )

    assert "wrong check digit" in _messages(error, "vat_number")


def test_a_business_id_already_registered_is_refused_naming_the_holder(
    company_a, seller, organisation
):
    with pytest.raises(ValidationError) as error:
        create_organisation(
            company=company_a,
            user=seller,
            data={"name": "Toinen Oy", "business_id": organisation.business_id},
        )

    assert _messages(error, "business_id") == (
        "The business ID 1572860-0 is already registered to Asiakas Oy."
    )
    assert Organisation.objects.filter(business_id="1572860-0").count() == 1


def test_another_company_may_register_the_same_business_id(
    company_b, make_user, organisation
):
    user_b = make_user("seller_b", company_b)

    created = create_organisation(
        company=company_b,
        user=user_b,
        data={"name": "Asiakas Oy", "business_id": organisation.business_id},
    )

    assert created.company == company_b


def test_changing_an_organisation_to_a_taken_business_id_is_refused(
    company_a, seller, organisation
):
    other = create_organisation(company=company_a, user=seller, data={"name": "Muu Oy"})

    with pytest.raises(ValidationError) as error:
        update_organisation(
            instance=other, user=seller, data={"business_id": "1572860-0"}
        )

    assert "already registered to Asiakas Oy" in _messages(error, "business_id")


def test_an_organisation_cannot_be_its_own_parent(company_a, seller, organisation):
    child = create_organisation(
        company=company_a,
        user=seller,
        data={"name": "Tytär Oy", "parent": organisation},
    )

    with pytest.raises(ValidationError) as error:
        update_organisation(instance=organisation, user=seller, data={"parent": child})

    assert "cannot be its own parent" in _messages(error, "parent")


def test_archiving_keeps_the_organisation(company_a, seller, organisation):
    archive_organisation(instance=organisation, user=seller)

    organisation.refresh_from_db()
    assert organisation.is_archived


def test_an_email_already_registered_is_refused_in_any_letter_case(
    company_a, seller, person
):
    with pytest.raises(ValidationError) as error:
        create_person(
            company=company_a,
            user=seller,
            data={"last_name": "Kopio", "email": "AINO@asiakas.example"},
        )

    assert _messages(error, "email") == (
        "Aino Asiakas is already registered with the email address "
        "AINO@asiakas.example."
    )
    assert Person.objects.count() == 1


def test_a_person_keeps_their_own_email_on_update(company_a, seller, person):
    updated = update_person(
        instance=person,
        user=seller,
        data={"email": "aino@asiakas.example", "phone": "040 123 4567"},
    )

    assert updated.phone == "040 123 4567"


def test_a_contact_must_link_rows_of_the_same_company(
    company_a, company_b, seller, organisation
):
    stranger = Person.objects.create(company=company_b, last_name="Vieras")

    with pytest.raises(ValidationError) as error:
        create_contact(
            company=company_a,
            user=seller,
            data={"person": stranger, "organisation": organisation},
        )

    assert "same company" in _messages(error, "person")
    assert not Contact.objects.exists()


def test_a_consent_given_without_a_date_is_dated_today(company_a, seller):
    person = create_person(
        company=company_a,
        user=seller,
        data={"last_name": "Lupa", "marketing_consent": True, "consent_source": "Web"},
    )

    assert person.consent_date == timezone.localdate()


def test_a_withdrawn_consent_loses_its_date(company_a, seller, person):
    given = update_person(
        instance=person,
        user=seller,
        data={"marketing_consent": True, "consent_date": datetime.date(2026, 1, 5)},
    )

    withdrawn = update_person(
        instance=given, user=seller, data={"marketing_consent": False}
    )

    assert given.consent_date == datetime.date(2026, 1, 5)
    assert withdrawn.consent_date is None
