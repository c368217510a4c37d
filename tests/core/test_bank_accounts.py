"""Bank accounts: validated IBAN and BIC, one default per company."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cms import services as platform
from modules.core.models import AuditEntry, BankAccount, Role

NORDEA = "FI21 1234 5600 0007 85"
OP = "FI4950009420028730"


@pytest.fixture
def accountant(make_user, company_a):
    return make_user("kalle", company_a, role=Role.ACCOUNTANT)


def _add(company, user, **data):
    return platform.create(model=BankAccount, company=company, user=user, data=data)


def test_finnish_iban_fills_in_the_bic(company_a, accountant):
    account = _add(company_a, accountant, name="Nordea", iban=NORDEA)

    assert account.iban == "FI2112345600000785"
    assert account.bic == "NDEAFIHH"
    assert account.formatted_iban == "FI21 1234 5600 0007 85"


def test_given_bic_is_kept(company_a, accountant):
    account = _add(company_a, accountant, name="Nordea", iban=NORDEA, bic="ndeafihh")

    assert account.bic == "NDEAFIHH"


def test_first_account_becomes_the_default(company_a, accountant):
    first = _add(company_a, accountant, name="Nordea", iban=NORDEA)
    second = _add(company_a, accountant, name="OP", iban=OP)

    assert first.is_default
    assert not second.is_default


def test_new_default_account_replaces_the_old_one(company_a, accountant):
    first = _add(company_a, accountant, name="Nordea", iban=NORDEA)
    second = _add(company_a, accountant, name="OP", iban=OP)

    platform.update(instance=second, user=accountant, data={"is_default": True})

    first.refresh_from_db()
    second.refresh_from_db()
    assert second.is_default
    assert not first.is_default
    assert AuditEntry.objects.filter(object_id=str(first.pk), action="update").exists()


def test_wrong_iban_is_refused_with_its_reason_and_nothing_is_saved(
    company_a, accountant
):
    with pytest.raises(ValidationError) as error:
        _add(company_a, accountant, name="Typo", iban="FI2112345600000786")

    assert error.value.message_dict["iban"] == [
        "The IBAN FI2112345600000786 has wrong check digits; "
        "check it for typing errors."
    ]
    assert not BankAccount.objects.exists()


def test_wrong_bic_is_refused(company_a, accountant):
    with pytest.raises(ValidationError) as error:
        _add(company_a, accountant, name="Nordea", iban=NORDEA, bic="NDEAFIH")

    assert error.value.message_dict["bic"] == [
        "The BIC NDEAFIH must have 8 or 11 characters."
    ]


def test_same_account_twice_in_one_company_is_refused(company_a, accountant):
    _add(company_a, accountant, name="Nordea", iban=NORDEA)

    with pytest.raises(ValidationError) as error:
        _add(company_a, accountant, name="Again", iban="FI2112345600000785")

    assert "The company already has this account." in error.value.messages


def test_sales_staff_cannot_change_bank_accounts(make_user, company_a, accountant):
    account = _add(company_a, accountant, name="Nordea", iban=NORDEA)
    seller = make_user("sanna", company_a, role=Role.SALES)

    with pytest.raises(PermissionDenied):
        platform.update(instance=account, user=seller, data={"iban": OP})

    account.refresh_from_db()
    assert account.iban == "FI2112345600000785"


def test_user_of_another_company_cannot_add_accounts_to_it(
    make_user, company_a, company_b
):
    stranger = make_user("bertil", company_b)

    with pytest.raises(PermissionDenied):
        _add(company_a, stranger, name="Hijack", iban=NORDEA)

    assert not BankAccount.objects.exists()
