"""API messages follow the client's Accept-Language, Finnish by default."""

import pytest


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "Kirjaudu sisään tai lähetä API-avain"),
        ("sv", "Logga in eller skicka en API-nyckel"),
        ("en", "Log in or send an API token"),
    ],
)
def test_refusal_is_in_the_clients_language(client, db, accept, expected):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}

    response = client.post(
        "/graphql/",
        {"query": "{ companies { totalCount } }"},
        content_type="application/json",
        **headers,
    )

    assert response.status_code == 401
    assert expected in response.json()["errors"][0]["message"]
