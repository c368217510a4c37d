"""Who may call the API: tokens and sessions, and nobody else."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from cms.api.models import ApiToken
from cms.api.services import issue_api_token, revoke_api_token
from tests.api.conftest import READ, GraphQL

QUERY = "{ gadgets { totalCount } }"


def test_anonymous_request_gets_an_error_and_no_data(graphql, catalogue):
    response = graphql.post(QUERY)

    assert response.status_code == 401
    assert "data" not in response.json()
    assert response.json()["errors"][0]["extensions"]["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_valid_token_acts_as_its_user(graphql, reader, catalogue, make_token):
    token, plain = make_token(reader)

    answer = graphql(QUERY, token=plain)

    assert answer == {"data": {"gadgets": {"totalCount": 3}}}
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_is_refused(graphql, reader, catalogue, make_token):
    token, plain = make_token(reader)
    revoke_api_token(token=token, user=reader)

    response = graphql.post(QUERY, token=plain)

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "invalid_token"


def test_wrong_and_malformed_tokens_are_refused(graphql, reader, catalogue, make_token):
    _token, plain = make_token(reader)

    wrong = graphql.post(QUERY, token=plain + "x")
    empty = graphql.post(QUERY, token="")
    basic = graphql.post(QUERY, HTTP_AUTHORIZATION="Basic cmVhZGVyOnB3")

    for response in (wrong, empty, basic):
        assert response.status_code == 401
        assert "data" not in response.json()


def test_expired_token_is_refused(graphql, reader, catalogue, make_token):
    token, plain = make_token(reader, expires_at=timezone.now() + timedelta(days=1))
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    response = graphql.post(QUERY, token=plain)

    assert response.status_code == 401


def test_token_of_a_deactivated_user_is_refused(graphql, reader, make_token):
    _token, plain = make_token(reader)
    reader.is_active = False
    reader.save()

    response = graphql.post(QUERY, token=plain)

    assert response.status_code == 401


def test_only_the_hash_of_the_token_is_stored(reader, make_token):
    token, plain = make_token(reader)

    stored = ApiToken.objects.filter(pk=token.pk).values().get()

    assert plain not in [str(value) for value in stored.values()]
    assert plain.startswith(token.prefix)


def test_session_post_needs_the_csrf_token(reader, catalogue):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)

    response = GraphQL(browser).post(QUERY)

    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "csrf_failed"


def test_session_post_with_the_csrf_token_is_served(reader, catalogue):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)
    browser.get("/graphql/", HTTP_ACCEPT="text/html")
    csrf = browser.cookies["csrftoken"].value

    answer = GraphQL(browser)(QUERY, HTTP_X_CSRFTOKEN=csrf)

    assert answer == {"data": {"gadgets": {"totalCount": 3}}}


def test_token_request_needs_no_csrf_token(reader, catalogue, make_token):
    _token, plain = make_token(reader)
    browser = Client(enforce_csrf_checks=True)

    answer = GraphQL(browser)(QUERY, token=plain)

    assert answer == {"data": {"gadgets": {"totalCount": 3}}}


def test_a_token_cannot_be_issued_for_someone_else(make_user, company_a, reader):
    other = make_user("other", company_a, perms=READ)

    with pytest.raises(PermissionDenied):
        issue_api_token(company=None, user=other, owner=reader, name="Borrowed")

    assert not ApiToken.objects.exists()
