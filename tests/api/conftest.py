"""Fixtures for the GraphQL API tests: users with permissions, gadgets, a caller."""

from decimal import Decimal

import pytest

from cms.api.services import issue_api_token
from tests.sample.models import Gadget, GadgetPart

READ = ("sample.view_gadget", "sample.view_gadgetpart", "core.view_company")
WRITE = (
    *READ,
    "sample.add_gadget",
    "sample.change_gadget",
    "sample.delete_gadget",
    "sample.add_gadgetpart",
    "sample.change_gadgetpart",
    "sample.delete_gadgetpart",
)


class GraphQL:
    """Post queries to /graphql/ as JSON, with a session or a bearer token."""

    def __init__(self, client):
        self.client = client

    def post(self, query, variables=None, *, token=None, **extra):
        if token is not None:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return self.client.post(
            "/graphql/",
            {"query": query, "variables": variables or {}},
            content_type="application/json",
            **extra,
        )

    def __call__(self, query, variables=None, **kwargs):
        """Return the decoded answer of a request that reached GraphQL."""
        response = self.post(query, variables, **kwargs)
        assert response.status_code == 200, response.content
        return response.json()


@pytest.fixture
def graphql(client):
    return GraphQL(client)


@pytest.fixture
def reader(make_user, company_a):
    return make_user("reader", company_a, perms=READ)


@pytest.fixture
def editor(make_user, company_a):
    return make_user("editor", company_a, perms=WRITE)


@pytest.fixture
def as_reader(client, reader, graphql):
    client.force_login(reader)
    return graphql


@pytest.fixture
def as_editor(client, editor, graphql):
    client.force_login(editor)
    return graphql


@pytest.fixture
def make_gadget(db):
    def make(company, code, name=None, *, parts=0, **fields):
        gadget = Gadget.objects.create(
            company=company, code=code, name=name or f"Gadget {code}", **fields
        )
        for index in range(parts):
            GadgetPart.objects.create(
                gadget=gadget, company=company, name=f"{code} part {index + 1}"
            )
        return gadget

    return make


@pytest.fixture
def catalogue(company_a, company_b, make_gadget):
    """Three gadgets of company A, one of company B."""
    return {
        "drill": make_gadget(
            company_a, "D-1", "Drill", parts=2, price=Decimal("99.90")
        ),
        "saw": make_gadget(company_a, "S-1", "Saw", price=Decimal("49.00")),
        "old": make_gadget(
            company_a, "O-1", "Old hammer", active=False, price=Decimal("5.00")
        ),
        "foreign": make_gadget(company_b, "F-1", "Foreign drill", parts=1),
    }


@pytest.fixture
def make_token(db):
    def make(owner, *, company=None, name="Integration", **kwargs):
        token, plain = issue_api_token(
            company=company, user=owner, owner=owner, name=name, **kwargs
        )
        return token, plain

    return make
