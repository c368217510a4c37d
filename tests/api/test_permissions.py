"""Per-type permissions: reading needs view (or change), superusers pass."""

from django.contrib.auth import get_user_model


def test_without_view_permission_the_list_is_refused(
    client, graphql, make_user, company_a, catalogue
):
    client.force_login(make_user("nobody", company_a))

    answer = graphql("{ gadgets { edges { node { code } } } }")

    assert answer["data"]["gadgets"] is None
    assert answer["errors"][0]["extensions"]["code"] == "permission_denied"
    assert answer["errors"][0]["path"] == ["gadgets"]


def test_without_view_permission_the_lookup_is_refused(
    client, graphql, make_user, company_a, catalogue
):
    client.force_login(make_user("nobody", company_a))

    answer = graphql(
        "query($id: ID!) { gadget(id: $id) { code } }", {"id": catalogue["drill"].pk}
    )

    assert answer["data"]["gadget"] is None
    assert answer["errors"][0]["extensions"]["code"] == "permission_denied"


def test_change_permission_is_enough_to_read(
    client, graphql, make_user, company_a, catalogue
):
    client.force_login(make_user("changer", company_a, perms=["sample.change_gadget"]))

    answer = graphql("{ gadgets { totalCount } }")

    assert answer == {"data": {"gadgets": {"totalCount": 3}}}


def test_nested_type_without_permission_is_refused_alone(
    client, graphql, make_user, company_a, catalogue
):
    client.force_login(make_user("half", company_a, perms=["sample.view_gadget"]))

    answer = graphql(
        '{ gadgets(search: "D-1") { edges { node { code parts { name } } } } }'
    )

    assert answer["data"]["gadgets"]["edges"] == [
        {"node": {"code": "D-1", "parts": None}}
    ]
    assert answer["errors"][0]["path"] == ["gadgets", "edges", 0, "node", "parts"]
    assert answer["errors"][0]["extensions"]["code"] == "permission_denied"


def test_superuser_reads_every_company(client, graphql, catalogue):
    admin = get_user_model().objects.create_superuser("root", password="pw")
    client.force_login(admin)

    answer = graphql("{ gadgets { totalCount } }")

    assert answer == {"data": {"gadgets": {"totalCount": 4}}}
