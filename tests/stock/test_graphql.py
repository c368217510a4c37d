"""Stock over GraphQL: balances are read, the ledger is never written."""

from django.contrib.auth.models import Permission


def _graphql(client, query, variables=None):
    return client.post(
        "/graphql/",
        {"query": query, "variables": variables or {}},
        content_type="application/json",
    ).json()


def test_balances_are_read_and_moves_cannot_be_created(
    client, make_user, company_a, product, warehouse, receive
):
    receive(company_a, product, warehouse, "6")
    user = make_user("integrator", company_a)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="stock",
            codename__in=["view_warehousestock", "add_stockmove", "view_stockmove"],
        )
    )
    client.force_login(user)

    listed = _graphql(
        client, "{ warehouseStocks { edges { node { onHand reserved } } } }"
    )
    created = _graphql(
        client,
        "mutation($input: StockMoveInput!) { createStockMove(input: $input) "
        "{ ok errors { code } } }",
        {"input": {"product": product.pk, "warehouse": warehouse.pk, "quantity": 5}},
    )

    nodes = [edge["node"] for edge in listed["data"]["warehouseStocks"]["edges"]]
    assert [float(node["onHand"]) for node in nodes] == [6.0]
    assert created["data"]["createStockMove"]["ok"] is False
    codes = [error["code"] for error in created["data"]["createStockMove"]["errors"]]
    assert "stock_read_only" in codes
