"""The admin generated from a registration: lists, forms, scoping, history."""

from decimal import Decimal

import pytest
from wagtail.users.models import UserProfile

from modules.core.models import AuditEntry
from tests.registry.conftest import english
from tests.sample.models import Gadget, GadgetPart

INDEX = "/admin/sample/gadget/"
PARTS = "/admin/sample/gadgetpart/"


def test_registered_model_has_admin_menu_and_list(client, clerk_a, gadget_a):
    client.force_login(clerk_a)

    dashboard = client.get("/admin/")
    listing = client.get(INDEX)

    assert dashboard.status_code == 200
    assert b"Sample" in dashboard.content
    assert listing.status_code == 200
    assert "Alfa gadget" in listing.content.decode()


def test_list_shows_only_own_company(client, clerk_a, gadget_a, gadget_b):
    client.force_login(clerk_a)

    html = client.get(INDEX).content.decode()

    assert "Alfa gadget" in html
    assert "Beta gadget" not in html


def test_search_filters_the_list(client, clerk_a, company_a):
    Gadget.objects.create(company=company_a, code="X1", name="Ruuvi")
    Gadget.objects.create(company=company_a, code="X2", name="Mutteri")
    client.force_login(clerk_a)

    html = client.get(INDEX, {"q": "Ruuvi"}).content.decode()

    assert "Ruuvi" in html
    assert "Mutteri" not in html


@pytest.mark.parametrize("view", ["edit", "inspect", "delete", "history"])
def test_other_companys_object_is_not_found(client, clerk_a, gadget_b, view):
    client.force_login(clerk_a)

    response = client.get(f"{INDEX}{view}/{gadget_b.pk}/")

    assert response.status_code == 404


def test_create_goes_through_services_into_current_company(client, clerk_a, company_a):
    profile = UserProfile.get_for_user(clerk_a)
    profile.preferred_language = "fi"
    profile.save()
    client.force_login(clerk_a)

    response = client.post(
        f"{PARTS.replace('gadgetpart', 'gadget')}new/",
        {
            "code": "N1",
            "name": "Uusi",
            "quantity": "2,5",
            "price": "10",
            "active": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    gadget = Gadget.objects.get(code="N1")
    assert gadget.company == company_a
    assert gadget.quantity == Decimal("2.5"), "a Finnish user writes 2,5"
    assert AuditEntry.objects.filter(object_id=str(gadget.pk), action="create").exists()


def test_duplicate_code_shows_field_error_and_saves_nothing(client, clerk_a, gadget_a):
    client.force_login(clerk_a)

    response = client.post(
        f"{INDEX}new/", {"code": "A1", "name": "Toinen", "quantity": "1", "price": "1"}
    )

    assert response.status_code == 200
    assert Gadget.objects.filter(code="A1").count() == 1
    assert "already exists" in response.content.decode()


def test_edit_records_before_and_after(client, clerk_a, gadget_a):
    client.force_login(clerk_a)

    response = client.post(
        f"{INDEX}edit/{gadget_a.pk}/",
        {
            "code": "A1",
            "name": "Renamed",
            "quantity": "0",
            "price": "0",
            "active": "on",
        },
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_id=str(gadget_a.pk), action="update")
    assert entry.before["name"] == "Alfa gadget"
    assert entry.after["name"] == "Renamed"
    history = client.get(f"{INDEX}history/{gadget_a.pk}/")
    assert history.status_code == 200


def test_foreign_key_choices_are_limited_to_own_company(
    client, clerk_a, gadget_a, gadget_b
):
    client.force_login(clerk_a)

    form = client.get(f"{PARTS}new/").content.decode()
    response = client.post(
        f"{PARTS}new/", {"gadget": gadget_b.pk, "name": "Smuggled", "count": 1}
    )

    assert "Alfa gadget" in form
    assert "Beta gadget" not in form
    assert response.status_code == 200
    assert not GadgetPart.objects.filter(name="Smuggled").exists()


def test_user_without_permission_is_refused(client, make_user, company_a, gadget_a):
    user = make_user("nobody", company_a)
    client.force_login(user)

    response = client.get(INDEX)

    assert response.status_code in (302, 403)
    assert "Alfa gadget" not in response.content.decode()


def test_row_owned_through_a_relation_joins_the_current_company(
    client, make_user, company_a
):
    admin = english(make_user("boss", company_a))
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)

    response = client.post("/admin/core/companygroup/new/", {"name": "Konserni"})

    assert response.status_code == 302, response.content.decode()[-3000:]
    company_a.refresh_from_db()
    assert company_a.group.name == "Konserni"


def test_deleting_a_row_others_refer_to_explains_why(client, clerk_a, gadget_a):
    from modules.core.models import Currency, ExchangeRate

    superuser = english(clerk_a)
    superuser.is_superuser = True
    superuser.save()
    currency = Currency.objects.get(code="SEK")
    ExchangeRate.objects.create(currency=currency, date="2026-12-01", rate="11.2")
    client.force_login(superuser)

    response = client.post(f"/admin/core/currency/delete/{currency.pk}/", follow=True)

    assert Currency.objects.filter(pk=currency.pk).exists()
    html = response.content.decode()
    # Wagtail's reference index may catch the reference before the service.
    assert "cannot be deleted" in html or "prevent it from being deleted" in html
