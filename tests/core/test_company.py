"""Companies: identifiers, settings and who may change them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cms import services as platform
from modules.core.models import Company, CompanyGroup, Membership, Role, VatPeriod
from modules.core.scoping import scope_queryset


@pytest.mark.parametrize("business_id", ["2077474-0", "0737546-2", "1572860-0"])
def test_valid_business_ids_are_accepted(reference_data, business_id):
    company = Company(name="Oy", business_id=business_id)

    company.full_clean()


@pytest.mark.parametrize("business_id", ["0737546-1", "12345", "07375462"])
def test_invalid_business_id_is_refused_with_a_message(reference_data, business_id):
    company = Company(name="Oy", business_id=business_id)

    with pytest.raises(ValidationError) as error:
        company.full_clean()

    assert "business_id" in error.value.message_dict


def test_user_sees_only_companies_they_belong_to(company_a, company_b, make_user):
    user = make_user("anna", company_a)

    visible = scope_queryset(Company.objects.all(), user)

    assert list(visible) == [company_a]


def test_vat_number_is_stored_compact(reference_data):
    company = Company(name="Oy", business_id="2077474-0", vat_number="fi 2077 4740")

    company.full_clean()

    assert company.vat_number == "FI20774740"


def test_vat_number_of_another_business_id_is_refused(reference_data):
    company = Company(name="Oy", business_id="2077474-0", vat_number="FI07375462")

    with pytest.raises(ValidationError) as error:
        company.full_clean()

    assert error.value.message_dict["vat_number"] == [
        "The VAT number FI07375462 does not match the business ID; "
        "it should be FI20774740."
    ]


def test_unknown_currency_and_country_are_refused(reference_data):
    company = Company(
        name="Oy", business_id="2077474-0", default_currency="XYZ", country="QQ"
    )

    with pytest.raises(ValidationError) as error:
        company.full_clean()

    assert error.value.message_dict["default_currency"] == [
        "XYZ is not a known currency code."
    ]
    assert error.value.message_dict["country"] == ["QQ is not a known country code."]


def test_new_company_has_finnish_defaults(reference_data):
    company = Company(name="Oy", business_id="2077474-0", default_currency="sek")

    company.full_clean()

    assert company.default_currency == "SEK"
    assert company.country == "FI"
    assert company.language == "fi"
    assert company.fiscal_year_start_month == 1
    assert company.vat_period == VatPeriod.MONTHLY


def test_creator_of_a_company_becomes_its_administrator(company_a, make_user):
    user = make_user("anna", company_a)

    created = platform.create(
        model=Company,
        company=company_a,
        user=user,
        data={"name": "Gamma Oy", "business_id": "1572860-0"},
    )

    membership = Membership.objects.get(user=user, company=created)
    assert membership.role == Role.ADMINISTRATOR
    assert scope_queryset(Company.objects.all(), user).filter(pk=created.pk).exists()


def test_bad_company_data_leaves_nothing_behind(company_a, make_user):
    user = make_user("anna", company_a)

    with pytest.raises(ValidationError):
        platform.create(
            model=Company,
            company=company_a,
            user=user,
            data={"name": "Gamma Oy", "business_id": "1572860-1"},
        )

    assert not Company.objects.filter(name="Gamma Oy").exists()
    assert Membership.objects.filter(user=user).count() == 1


def test_only_an_administrator_may_change_a_company(company_a, make_user):
    clerk = make_user("kalle", company_a, role=Role.SALES)

    with pytest.raises(PermissionDenied):
        platform.update(instance=company_a, user=clerk, data={"name": "Renamed"})

    company_a.refresh_from_db()
    assert company_a.name == "Alfa Oy"


def test_administrator_changes_fiscal_settings(company_a, make_user):
    admin = make_user("aino", company_a)

    platform.update(
        instance=company_a,
        user=admin,
        data={"fiscal_year_start_month": 7, "vat_period": VatPeriod.QUARTERLY},
    )

    company_a.refresh_from_db()
    assert company_a.fiscal_year_start_month == 7
    assert company_a.vat_period == VatPeriod.QUARTERLY


def test_company_cannot_join_a_group_of_foreign_companies(
    company_a, company_b, make_user
):
    admin = make_user("aino", company_a)
    foreign_group = CompanyGroup.objects.create(name="Beta-konserni")
    company_b.group = foreign_group
    company_b.save()

    with pytest.raises(ValidationError) as error:
        platform.update(instance=company_a, user=admin, data={"group": foreign_group})

    assert "group" in error.value.message_dict
    company_a.refresh_from_db()
    assert company_a.group is None
