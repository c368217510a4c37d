"""CSV/XLSX import with preview, and export, generated from a registration."""

import io
from decimal import Decimal

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.models import ImportFile
from tests.sample.models import Gadget

IMPORT = "/admin/sample/gadget/import/"
EXPORT = "/admin/sample/gadget/export/"


def _csv(text, name="gadgets.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def _preview(client, upload):
    return client.post(IMPORT, {"file": upload})


def _confirm(client):
    stored = ImportFile.objects.latest("pk")
    return client.post(IMPORT, {"confirm": "1", "import_file": stored.pk})


def test_preview_shows_changes_and_writes_nothing(client, clerk_a, gadget_a):
    client.force_login(clerk_a)

    response = _preview(
        client,
        _csv("code;name;quantity;price\nA1;Alfa renamed;1;2\nN2;Uusi;3,5;1 234,50\n"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "1 new row, 1 changed row, 0 unchanged rows" in html
    assert Gadget.objects.get(code="A1").name == "Alfa gadget"
    assert not Gadget.objects.filter(code="N2").exists()


def test_confirmed_import_creates_and_updates_in_current_company(
    client, clerk_a, company_a, gadget_a
):
    client.force_login(clerk_a)
    _preview(
        client,
        _csv("code;name;quantity;price\nA1;Alfa renamed;1;2\nN2;Uusi;3,5;1 234,50\n"),
    )

    response = _confirm(client)

    assert response.status_code == 302
    assert Gadget.objects.get(code="A1").name == "Alfa renamed"
    new = Gadget.objects.get(code="N2")
    assert new.company == company_a
    assert new.price == Decimal("1234.50")
    assert not ImportFile.objects.exists()


def test_a_bad_row_is_reported_and_nothing_is_saved(client, clerk_a):
    client.force_login(clerk_a)

    response = _preview(
        client, _csv("code,name,quantity,price\nG1,Hyvä,1,1\nG2,,abc,1\nG3,Ok,1,1\n")
    )

    html = response.content.decode()
    assert "cannot be imported" in html
    assert "is not a number" in html
    assert html.count("<td>Invalid</td>") == 1, "each failing row is listed once"
    assert "Confirm import" not in html
    assert not Gadget.objects.exists()


def test_import_cannot_touch_another_companys_row(client, clerk_a, gadget_b):
    client.force_login(clerk_a)
    _preview(client, _csv("code;name;quantity;price\nB1;Hijacked;1;1\n"))

    _confirm(client)

    gadget_b.refresh_from_db()
    assert gadget_b.name == "Beta gadget"
    assert Gadget.objects.filter(code="B1").count() == 2


def test_malformed_file_gets_a_clear_message(client, clerk_a):
    client.force_login(clerk_a)

    binary = _preview(client, SimpleUploadedFile("x.csv", b"\x00\x01\x02" * 100))
    wrong_type = _preview(client, SimpleUploadedFile("x.pdf", b"%PDF-1.4"))
    broken_xlsx = _preview(client, SimpleUploadedFile("x.xlsx", b"PK\x03\x04broken"))

    assert "not a text CSV file" in binary.content.decode()
    assert "Choose a CSV or XLSX file" in wrong_type.content.decode()
    assert "not a readable Excel" in broken_xlsx.content.decode()
    assert not ImportFile.objects.exists()


def test_cp1252_csv_from_finnish_excel_is_read(client, clerk_a):
    client.force_login(clerk_a)
    _preview(client, _csv("code;name\nÄ1;Päärynä\n", encoding="cp1252"))

    _confirm(client)

    assert Gadget.objects.get(code="Ä1").name == "Päärynä"


def test_export_csv_has_only_own_company_rows(client, clerk_a, gadget_a, gadget_b):
    client.force_login(clerk_a)

    response = client.get(EXPORT, {"format": "csv"})

    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Alfa gadget" in text
    assert "Beta gadget" not in text


def test_exported_xlsx_imports_back_unchanged(client, clerk_a, gadget_a):
    client.force_login(clerk_a)
    exported = client.get(EXPORT, {"format": "xlsx"}).content
    sheet = openpyxl.load_workbook(io.BytesIO(exported)).active
    assert [cell.value for cell in sheet[1]][:2] == ["code", "name"]

    response = _preview(client, SimpleUploadedFile("back.xlsx", exported))

    assert "0 new rows, 0 changed rows, 1 unchanged row" in response.content.decode()


def test_import_needs_add_permission(client, make_user, company_a):
    viewer = make_user("viewer", company_a, perms=("sample.view_gadget",))
    client.force_login(viewer)

    response = client.get(IMPORT)

    assert response.status_code in (302, 403)
