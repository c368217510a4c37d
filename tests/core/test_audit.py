"""The audit log: entries written by services, history views, scoping."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse

from cms import services as platform
from modules.core.audit import audit_url, entries_visible_to, field_changes
from modules.core.models import AuditEntry, BankAccount, Currency
from tests.sample.models import Gadget

IBAN = "FI2112345600000785"


@pytest.fixture
def gadget(company_a, make_user):
    author = make_user("aino", company_a)
    return platform.create(
        model=Gadget,
        company=company_a,
        user=author,
        data={"code": "G-1", "name": "Pump", "price": Decimal("12.50")},
    )


def _entries_for(instance):
    return AuditEntry.objects.filter(
        content_type__model=instance._meta.model_name, object_id=str(instance.pk)
    ).order_by("pk")


def test_create_change_and_delete_are_logged_with_who_and_what(company_a, gadget):
    user = AuditEntry.objects.get().user
    gadget_id = gadget.pk

    changed = platform.update(instance=gadget, user=user, data={"name": "Big pump"})
    platform.delete(instance=changed, user=user)

    entries = list(AuditEntry.objects.filter(object_id=str(gadget_id)).order_by("pk"))
    assert [entry.action for entry in entries] == ["create", "update", "delete"]
    assert {entry.user.username for entry in entries} == {"aino"}
    assert {entry.company for entry in entries} == {company_a}
    assert entries[1].before["name"] == "Pump"
    assert entries[1].after["name"] == "Big pump"
    assert entries[2].before["name"] == "Big pump"
    assert entries[2].after is None


def test_a_change_lists_only_the_fields_that_changed(gadget):
    user = AuditEntry.objects.get().user

    platform.update(instance=gadget, user=user, data={"name": "Big pump"})

    changes = field_changes(_entries_for(gadget).last())
    assert [(c.name, c.before, c.after) for c in changes] == [
        ("name", "Pump", "Big pump")
    ]


def test_a_creation_lists_the_values_set_with_readable_labels(gadget):
    changes = {c.name: c for c in field_changes(_entries_for(gadget).first())}

    assert changes["name"].after == "Pump"
    assert changes["price"].after == "12.50"
    assert changes["active"].after == "Yes"
    assert changes["company"].after == "Alfa Oy"
    assert "id" not in changes


def test_failed_change_writes_no_entry(gadget):
    user = AuditEntry.objects.get().user

    with pytest.raises(ValidationError):
        platform.update(instance=gadget, user=user, data={"code": "x" * 50})

    assert _entries_for(gadget).count() == 1


def test_audit_url_points_at_the_history_of_the_object(gadget):
    assert audit_url(gadget) == f"/admin/audit/sample/gadget/{gadget.pk}/"


def test_history_shows_who_changed_what(client, company_a, gadget, make_user):
    reader = make_user("kalle", company_a, perms=("sample.view_gadget",))
    user = AuditEntry.objects.get().user
    platform.update(instance=gadget, user=user, data={"name": "Big pump"})
    client.force_login(reader)

    response = client.get(audit_url(gadget))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Big pump" in page
    assert "<del>Pump</del>" in page
    assert "aino" in page


def test_history_needs_a_permission_on_the_model(client, company_a, gadget, make_user):
    stranger = make_user("kalle", company_a)
    client.force_login(stranger)

    response = client.get(audit_url(gadget))

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_history_of_another_companys_object_is_not_found(
    client, company_b, gadget, make_user
):
    outsider = make_user("bertil", company_b, perms=("sample.view_gadget",))
    client.force_login(outsider)

    response = client.get(audit_url(gadget))

    assert response.status_code == 404


def test_history_of_a_deleted_object_stays_readable_in_its_company(
    client, company_a, company_b, gadget, make_user
):
    reader = make_user("kalle", company_a, perms=("sample.view_gadget",))
    outsider = make_user("bertil", company_b, perms=("sample.view_gadget",))
    url = audit_url(gadget)
    platform.delete(instance=gadget, user=reader)

    client.force_login(reader)
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_audit_log_lists_only_the_auditors_companies(
    client, company_a, company_b, make_user
):
    auditor = make_user("tilintarkastaja", company_a, perms=("core.view_auditentry",))
    admin_b = make_user("bertil", company_b)
    platform.create(
        model=BankAccount,
        company=company_a,
        user=auditor,
        data={"name": "Alfa main", "iban": IBAN},
    )
    platform.create(
        model=BankAccount,
        company=company_b,
        user=admin_b,
        data={"name": "Beta secret", "iban": IBAN},
    )
    client.force_login(auditor)

    response = client.get(reverse("core_audit_index"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Alfa main" in page
    assert "Beta secret" not in page


def test_audit_log_is_only_for_auditors(client, company_a, make_user):
    clerk = make_user("kalle", company_a)
    client.force_login(clerk)

    response = client.get(reverse("core_audit_index"))

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_changes_to_shared_reference_data_are_visible_to_every_auditor(
    company_a, make_user
):
    auditor = make_user("tilintarkastaja", company_a, perms=("core.view_auditentry",))
    superuser = make_user("root")
    superuser.is_superuser = True
    superuser.save()
    sek = Currency.objects.get(code="SEK")

    platform.update(instance=sek, user=superuser, data={"symbol": "kr"})

    visible = entries_visible_to(auditor)
    assert visible.filter(object_id=str(sek.pk), action="update").exists()


def test_object_without_recorded_changes_has_an_empty_history(
    client, company_a, make_user
):
    reader = make_user("kalle", company_a, perms=("sample.view_gadget",))
    untracked = Gadget.objects.create(company=company_a, code="G-2", name="Valve")
    client.force_login(reader)

    response = client.get(audit_url(untracked))

    assert response.status_code == 200
    assert "No changes have been recorded for this object." in response.content.decode()


def test_audit_entries_cannot_be_rewritten_or_deleted(gadget):
    entry = AuditEntry.objects.get()

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="nothing here")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()

    entry.refresh_from_db()
    assert entry.object_repr == "G-1 Pump"


def test_deleting_a_user_keeps_their_audit_entries(gadget):
    author = AuditEntry.objects.get().user

    author.delete()

    entry = AuditEntry.objects.get()
    assert entry.user is None
    assert entry.action == "create"
