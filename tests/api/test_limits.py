"""Hardening: size, depth and alias limits, batches, introspection."""

from django.test import override_settings

DEEP = """
{ gadgetParts { edges { node { gadget { parts { gadget { parts { gadget {
  parts { gadget { code } } } } } } } } } } }
"""


def test_query_over_the_size_limit_is_refused(as_reader):
    query = "{ gadgets { totalCount } }" + " " * 200

    with override_settings(GRAPHQL_MAX_QUERY_BYTES=100):
        response = as_reader.post(query)

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "query_too_large"
    assert "data" not in response.json()


def test_query_nested_too_deep_is_refused(as_reader):
    response = as_reader.post(DEEP)

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "query_too_deep"


def test_depth_counts_through_fragments(as_reader):
    query = """
    { gadgets { edges { node { ...Deep } } } }
    fragment Deep on Gadget { parts { gadget { parts { gadget { parts {
      gadget { parts { name } } } } } } } }
    """

    response = as_reader.post(query)

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "query_too_deep"


def test_query_within_the_depth_limit_runs(as_reader, catalogue):
    with override_settings(GRAPHQL_MAX_DEPTH=4):
        shallow = as_reader.post("{ gadgets { edges { node { code } } } }")
        deeper = as_reader.post("{ gadgets { edges { node { company { name } } } } }")

    assert shallow.status_code == 200
    assert deeper.status_code == 400


def test_too_many_aliases_are_refused(as_reader):
    fields = " ".join(f"a{index}: totalCount" for index in range(5))

    with override_settings(GRAPHQL_MAX_ALIASES=4):
        response = as_reader.post("{ gadgets { " + fields + " } }")

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "too_many_aliases"


def test_aliases_within_the_limit_run(as_reader, catalogue):
    with override_settings(GRAPHQL_MAX_ALIASES=4):
        answer = as_reader(
            "{ one: gadgets { totalCount } two: gadgets { totalCount } }"
        )

    assert answer["data"] == {"one": {"totalCount": 3}, "two": {"totalCount": 3}}


def test_batched_requests_are_refused(as_reader):
    response = as_reader.client.post(
        "/graphql/",
        [{"query": "{ gadgets { totalCount } }"}] * 2,
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "batch_refused"


def test_invalid_json_body_is_a_clear_error(as_reader):
    response = as_reader.client.post(
        "/graphql/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "invalid_json"


def test_introspection_works_when_allowed(as_reader):
    with override_settings(GRAPHQL_INTROSPECTION=True):
        answer = as_reader("{ __schema { queryType { name } } }")

    assert answer == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


def test_introspection_is_refused_when_turned_off(as_reader):
    with override_settings(GRAPHQL_INTROSPECTION=False):
        schema = as_reader.post("{ __schema { types { name } } }")
        one_type = as_reader.post('{ __type(name: "Gadget") { name } }')
        typename = as_reader.post("{ __typename }")

    assert schema.status_code == 400
    assert schema.json()["errors"][0]["extensions"]["code"] == (
        "introspection_disabled"
    )
    assert one_type.status_code == 400
    assert typename.json() == {"data": {"__typename": "Query"}}


def test_no_field_suggestions_when_introspection_is_off(as_reader):
    query = "{ gadgets { edges { node { nam } } } }"

    with override_settings(GRAPHQL_INTROSPECTION=True):
        open_answer = as_reader.post(query).json()
    with override_settings(GRAPHQL_INTROSPECTION=False):
        closed_answer = as_reader.post(query).json()

    assert "Did you mean" in open_answer["errors"][0]["message"]
    assert "Did you mean" not in closed_answer["errors"][0]["message"]
    assert "nam" in closed_answer["errors"][0]["message"]


def test_graphiql_is_not_served_when_introspection_is_off(client, reader):
    client.force_login(reader)

    with override_settings(GRAPHQL_INTROSPECTION=False):
        response = client.get("/graphql/", HTTP_ACCEPT="text/html")

    assert b"graphiql" not in response.content.lower()
