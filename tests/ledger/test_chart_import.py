"""A chart of accounts imported from a file through the generated import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cms.models import ImportFile
from fixtures.chart_of_accounts import CSV_PATH
from modules.ledger.models import Account

IMPORT = "/admin/ledger/account/import/"


@pytest.fixture
def bookkeeper(client, make_user, company_a):
    user = make_user(
        "bookkeeper",
        company_a,
        perms=[f"ledger.{action}_account" for action in ("view", "add", "change")],
    )
    client.force_login(user)
    return user


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def _import(client, content: bytes):
    client.post(IMPORT, {"file": SimpleUploadedFile("chart.csv", content)})
    stored = ImportFile.objects.latest("pk")
    return client.post(IMPORT, {"confirm": "1", "import_file": stored.pk})


def test_template_file_imports_as_a_chart(client, bookkeeper, company_a):
    _import(client, CSV_PATH.read_bytes())

    accounts = Account.objects.filter(company=company_a)
    assert accounts.count() >= 120
    assert accounts.get(number="2870").name_en == "Output VAT"


def test_reimport_renames_by_account_number(client, bookkeeper, company_a):
    _import(client, CSV_PATH.read_bytes())
    header = "number;name_fi;type;statement_line\n"

    _import(client, (header + "1910;Nordea;asset;bs_cash\n").encode())

    assert Account.objects.get(company=company_a, number="1910").name_fi == "Nordea"
    assert Account.objects.filter(company=company_a, number="1910").count() == 1


def test_broken_row_is_reported_and_nothing_is_saved(client, bookkeeper, company_a):
    content = (
        "number;name_fi;type;statement_line\n"
        "1910;Pankki;asset;bs_cash\n"
        "19X0;Kassa;asset;bs_cash\n"
    )

    response = client.post(
        IMPORT, {"file": SimpleUploadedFile("chart.csv", content.encode())}
    )

    assert "Use 3 to 10 digits" in response.content.decode()
    assert not Account.objects.filter(company=company_a).exists()
