"""The generated admin screens of the core models, driven like a clerk would."""

import pytest
from django.urls import reverse

from cms.registry import registrations
from modules.core.models import BankAccount, Role

CORE_MODELS = [reg.name for reg in registrations() if reg.label.startswith("core.")]


@pytest.fixture
def superuser(make_user, company_a):
    user = make_user("aino", company_a)
    user.is_superuser = True
    user.save()
    return user


@pytest.mark.parametrize("model_name", CORE_MODELS)
@pytest.mark.parametrize("view", ["index", "add"])
def test_core_screens_open(client, superuser, model_name, view):
    client.force_login(superuser)

    response = client.get(reverse(f"core_{model_name}:{view}"))

    assert response.status_code == 200


@pytest.fixture
def accountant(make_user, company_a):
    return make_user(
        "kalle",
        company_a,
        role=Role.ACCOUNTANT,
        perms=("core.add_bankaccount", "core.view_bankaccount"),
    )


def test_accountant_adds_a_bank_account_and_gets_the_bic(client, accountant, company_a):
    client.force_login(accountant)

    response = client.post(
        reverse("core_bankaccount:add"),
        {"name": "Nordea", "iban": "FI21 1234 5600 0007 85", "bic": ""},
    )

    assert response.status_code == 302
    account = BankAccount.objects.get()
    assert (account.company, account.bic, account.is_default) == (
        company_a,
        "NDEAFIHH",
        True,
    )


def test_wrong_iban_is_shown_on_the_form(client, accountant):
    client.force_login(accountant)

    response = client.post(
        reverse("core_bankaccount:add"),
        {"name": "Typo", "iban": "FI2112345600000786", "bic": ""},
    )

    assert response.status_code == 200
    assert "has wrong check digits" in response.content.decode()
    assert not BankAccount.objects.exists()
