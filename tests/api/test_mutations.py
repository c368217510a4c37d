"""Writing through generated mutations: services, field errors, permissions."""

from decimal import Decimal

from modules.core.models import AuditEntry, Membership, Role
from tests.api.conftest import WRITE
from tests.sample.models import Gadget, GadgetPart

CREATE = """
mutation($input: GadgetInput!, $company: ID) {
  createGadget(input: $input, company: $company) {
    ok
    errors { field messages code }
    object { id code name price active company { name } }
  }
}
"""
UPDATE = """
mutation($id: ID!, $input: GadgetInput!) {
  updateGadget(id: $id, input: $input) {
    ok
    errors { field messages code }
    object { code name price }
  }
}
"""
DELETE = """
mutation($id: ID!) {
  deleteGadget(id: $id) { ok deletedId errors { field code } }
}
"""
CREATE_PART = """
mutation($input: GadgetPartInput!) {
  createGadgetPart(input: $input) {
    ok
    errors { field messages code }
    object { name gadget { code } }
  }
}
"""


def test_create_goes_through_the_services_into_the_default_company(
    as_editor, editor, company_a
):
    answer = as_editor(
        CREATE, {"input": {"code": "N-1", "name": "New", "price": "12.50"}}
    )

    result = answer["data"]["createGadget"]
    assert result["ok"] is True
    assert result["errors"] == []
    assert result["object"]["code"] == "N-1"
    assert result["object"]["price"] == "12.50"
    assert result["object"]["company"] == {"name": "Alfa Oy"}
    gadget = Gadget.objects.get(code="N-1")
    assert gadget.company == company_a
    assert gadget.price == Decimal("12.50")
    assert AuditEntry.objects.filter(
        object_id=str(gadget.pk), action="create", user=editor
    ).exists()


def test_duplicate_code_is_an_error_on_code(as_editor, catalogue):
    answer = as_editor(CREATE, {"input": {"code": "D-1", "name": "Again"}})

    result = answer["data"]["createGadget"]
    assert result["ok"] is False
    assert result["object"] is None
    assert [(error["field"], error["code"]) for error in result["errors"]] == [
        ("code", "unique_together")
    ]
    assert result["errors"][0]["messages"]
    assert Gadget.objects.filter(code="D-1").count() == 1


def test_missing_name_is_an_error_on_name(as_editor, company_a):
    answer = as_editor(CREATE, {"input": {"code": "N-2"}})

    result = answer["data"]["createGadget"]
    assert result["ok"] is False
    assert [(error["field"], error["code"]) for error in result["errors"]] == [
        ("name", "blank")
    ]
    assert not Gadget.objects.filter(code="N-2").exists()


def test_malformed_value_is_refused_before_running(as_editor, company_a):
    response = as_editor.post(
        CREATE, {"input": {"code": "N-3", "name": "x", "price": "lots"}}
    )

    assert response.status_code == 400
    assert "price" in response.json()["errors"][0]["message"]
    assert "Traceback" not in response.content.decode()
    assert not Gadget.objects.filter(code="N-3").exists()


def test_create_in_another_of_the_users_companies(
    as_editor, editor, company_a, company_b
):
    Membership.objects.create(user=editor, company=company_b, role=Role.SALES)

    answer = as_editor(
        CREATE, {"input": {"code": "B-1", "name": "In B"}, "company": company_b.pk}
    )

    assert answer["data"]["createGadget"]["object"]["company"] == {"name": "Beta Ab"}
    assert Gadget.objects.get(code="B-1").company == company_b


def test_create_in_a_company_the_user_is_not_in_is_refused(as_editor, company_b):
    answer = as_editor(
        CREATE, {"input": {"code": "B-2", "name": "Sneaky"}, "company": company_b.pk}
    )

    result = answer["data"]["createGadget"]
    assert result["ok"] is False
    assert [(error["field"], error["code"]) for error in result["errors"]] == [
        ("company", "not_found")
    ]
    assert not Gadget.objects.filter(code="B-2").exists()


def test_update_changes_only_the_given_fields(as_editor, catalogue):
    drill = catalogue["drill"]

    answer = as_editor(UPDATE, {"id": drill.pk, "input": {"price": "120.00"}})

    assert answer["data"]["updateGadget"] == {
        "ok": True,
        "errors": [],
        "object": {"code": "D-1", "name": "Drill", "price": "120.00"},
    }
    drill.refresh_from_db()
    assert drill.price == Decimal("120.00")
    assert drill.name == "Drill"


def test_update_with_invalid_values_changes_nothing(as_editor, catalogue):
    drill = catalogue["drill"]

    answer = as_editor(UPDATE, {"id": drill.pk, "input": {"code": "S-1"}})

    assert answer["data"]["updateGadget"]["ok"] is False
    assert answer["data"]["updateGadget"]["errors"][0]["field"] == "code"
    drill.refresh_from_db()
    assert drill.code == "D-1"


def test_delete_removes_the_row(as_editor, catalogue):
    saw = catalogue["saw"]

    answer = as_editor(DELETE, {"id": saw.pk})

    assert answer["data"]["deleteGadget"] == {
        "ok": True,
        "deletedId": str(saw.pk),
        "errors": [],
    }
    assert not Gadget.objects.filter(pk=saw.pk).exists()


def test_foreign_key_ids_become_rows(as_editor, catalogue):
    answer = as_editor(
        CREATE_PART, {"input": {"name": "Chuck", "gadget": catalogue["saw"].pk}}
    )

    assert answer["data"]["createGadgetPart"]["object"] == {
        "name": "Chuck",
        "gadget": {"code": "S-1"},
    }
    assert GadgetPart.objects.get(name="Chuck").gadget == catalogue["saw"]


def test_missing_add_permission_is_an_error_and_writes_nothing(as_reader, company_a):
    answer = as_reader(CREATE, {"input": {"code": "R-1", "name": "Nope"}})

    result = answer["data"]["createGadget"]
    assert result["ok"] is False
    assert result["errors"][0]["code"] == "permission_denied"
    assert result["errors"][0]["field"] is None
    assert not Gadget.objects.filter(code="R-1").exists()


def test_missing_change_and_delete_permissions_are_errors(as_reader, catalogue):
    drill = catalogue["drill"]

    update = as_reader(UPDATE, {"id": drill.pk, "input": {"name": "Changed"}})
    delete = as_reader(DELETE, {"id": drill.pk})

    assert update["data"]["updateGadget"]["errors"][0]["code"] == "permission_denied"
    assert delete["data"]["deleteGadget"]["errors"][0]["code"] == "permission_denied"
    drill.refresh_from_db()
    assert drill.name == "Drill"


def test_unexpected_failure_is_a_plain_error_without_details(
    as_editor, company_a, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("cms.api.mutations.services.create", broken)

    answer = as_editor(CREATE, {"input": {"code": "X-1", "name": "Boom"}})

    assert answer["data"]["createGadget"] is None
    error = answer["errors"][0]
    assert error["extensions"]["code"] == "internal_error"
    assert "hunter2" not in str(answer)
    assert "Traceback" not in str(answer)


def test_token_bound_to_a_company_creates_there_by_default(
    graphql, make_user, company_a, company_b, make_token
):
    user = make_user("both", company_a, company_b, perms=WRITE)
    _token, plain = make_token(user, company=company_b)

    answer = graphql(CREATE, {"input": {"code": "T-1", "name": "Tok"}}, token=plain)
    elsewhere = graphql(
        CREATE,
        {"input": {"code": "T-2", "name": "Tok"}, "company": company_a.pk},
        token=plain,
    )

    assert answer["data"]["createGadget"]["ok"] is True
    assert Gadget.objects.get(code="T-1").company == company_b
    errors = elsewhere["data"]["createGadget"]["errors"]
    assert [(error["field"], error["code"]) for error in errors] == [
        ("company", "not_found")
    ]
