"""One registration is enough: tests/sample has models and registry.py only."""

from pathlib import Path

from django.contrib.auth.models import Permission

import tests.sample

SAMPLE = Path(tests.sample.__file__).parent


def test_sample_module_has_no_admin_api_or_import_code():
    files = {path.name for path in SAMPLE.glob("*.py")}

    assert files == {"__init__.py", "apps.py", "models.py", "registry.py"}


def test_registered_model_is_in_admin_graphql_and_import_export(
    client, clerk_a, gadget_a
):
    clerk_a.user_permissions.add(
        Permission.objects.get(content_type__app_label="core", codename="view_company")
    )
    client.force_login(clerk_a)

    listing = client.get("/admin/sample/gadget/")
    exported = client.get("/admin/sample/gadget/export/", {"format": "csv"})
    importing = client.get("/admin/sample/gadget/import/")
    answer = client.post(
        "/graphql/",
        {"query": "{ gadgets { edges { node { code name company { name } } } } }"},
        content_type="application/json",
    ).json()

    assert "Alfa gadget" in listing.content.decode()
    assert "Alfa gadget" in exported.content.decode("utf-8-sig")
    assert importing.status_code == 200
    assert answer["data"]["gadgets"]["edges"] == [
        {"node": {"code": "A1", "name": "Alfa gadget", "company": {"name": "Alfa Oy"}}}
    ]
