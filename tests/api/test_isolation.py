"""A user of company A never sees or changes company B's rows over the API."""

from modules.core.models import Membership, Role
from tests.api.conftest import READ
from tests.sample.models import Gadget, GadgetPart

LIST = "{ gadgets { totalCount edges { node { code parts { name } } } } }"


def test_list_shows_only_the_users_company(as_editor, catalogue):
    answer = as_editor(LIST)

    codes = [edge["node"]["code"] for edge in answer["data"]["gadgets"]["edges"]]
    assert "F-1" not in codes
    assert answer["data"]["gadgets"]["totalCount"] == 3


def test_lookup_by_id_of_another_company_gives_null(as_editor, catalogue):
    answer = as_editor(
        "query($id: ID!) { gadget(id: $id) { code } }",
        {"id": catalogue["foreign"].pk},
    )

    assert answer == {"data": {"gadget": None}}


def test_update_and_delete_by_id_of_another_company_are_refused(as_editor, catalogue):
    foreign = catalogue["foreign"]

    update = as_editor(
        """mutation($id: ID!) {
             updateGadget(id: $id, input: {name: "Mine now"}) {
               ok errors { field code }
             }
           }""",
        {"id": foreign.pk},
    )
    delete = as_editor(
        "mutation($id: ID!) { deleteGadget(id: $id) { ok errors { field code } } }",
        {"id": foreign.pk},
    )

    not_found = {"ok": False, "errors": [{"field": "id", "code": "not_found"}]}
    assert update["data"]["updateGadget"] == not_found
    assert delete["data"]["deleteGadget"] == not_found
    foreign.refresh_from_db()
    assert foreign.name == "Foreign drill"


def test_foreign_key_to_another_companys_row_is_refused(as_editor, catalogue):
    answer = as_editor(
        """mutation($gadget: ID!) {
             createGadgetPart(input: {name: "Stolen", gadget: $gadget}) {
               ok errors { field code }
             }
           }""",
        {"gadget": catalogue["foreign"].pk},
    )

    assert answer["data"]["createGadgetPart"] == {
        "ok": False,
        "errors": [{"field": "gadget", "code": "not_found"}],
    }
    assert not GadgetPart.objects.filter(name="Stolen").exists()


def test_moving_a_child_to_another_companys_parent_is_refused(as_editor, catalogue):
    part = catalogue["drill"].parts.first()

    answer = as_editor(
        """mutation($id: ID!, $gadget: ID!) {
             updateGadgetPart(id: $id, input: {gadget: $gadget}) {
               ok errors { field code }
             }
           }""",
        {"id": part.pk, "gadget": catalogue["foreign"].pk},
    )

    assert answer["data"]["updateGadgetPart"]["errors"] == [
        {"field": "gadget", "code": "not_found"}
    ]
    part.refresh_from_db()
    assert part.gadget == catalogue["drill"]


def test_member_of_two_companies_links_only_within_one(
    as_editor, editor, catalogue, company_b
):
    Membership.objects.create(user=editor, company=company_b, role=Role.SALES)

    answer = as_editor(
        """mutation($gadget: ID!) {
             createGadgetPart(input: {name: "Mixed", gadget: $gadget}) {
               ok errors { field code }
             }
           }""",
        {"gadget": catalogue["foreign"].pk},
    )

    assert answer["data"]["createGadgetPart"]["errors"] == [
        {"field": "gadget", "code": "not_found"}
    ]


def test_nested_lists_leave_out_other_companies_rows(as_editor, catalogue, company_b):
    # A row that points across companies should never exist; if one does,
    # the API still does not show it.
    GadgetPart.objects.create(
        gadget=catalogue["drill"], company=company_b, name="Smuggled"
    )

    answer = as_editor(LIST)

    parts = [
        part["name"]
        for edge in answer["data"]["gadgets"]["edges"]
        for part in edge["node"]["parts"]
    ]
    assert "Smuggled" not in parts
    assert "D-1 part 1" in parts


def test_parent_of_another_company_is_not_shown_through_a_child(
    as_editor, catalogue, company_a
):
    GadgetPart.objects.create(
        gadget=catalogue["foreign"], company=company_a, name="Orphan"
    )

    answer = as_editor(
        '{ gadgetParts(search: "Orphan") { edges { node { name gadget { code } } } } }'
    )

    assert answer["data"]["gadgetParts"]["edges"] == [
        {"node": {"name": "Orphan", "gadget": None}}
    ]


def test_token_bound_to_a_company_sees_only_that_company(
    graphql, make_user, company_a, company_b, catalogue, make_token
):
    user = make_user("both", company_a, company_b, perms=READ)
    _token, plain = make_token(user, company=company_b)

    answer = graphql("{ gadgets { edges { node { code } } } }", token=plain)
    lookup = graphql(
        "query($id: ID!) { gadget(id: $id) { code } }",
        {"id": catalogue["drill"].pk},
        token=plain,
    )

    assert answer["data"]["gadgets"]["edges"] == [{"node": {"code": "F-1"}}]
    assert lookup["data"]["gadget"] is None
    assert Gadget.objects.filter(company=company_a).count() == 3
