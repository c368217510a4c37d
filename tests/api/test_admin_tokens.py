"""Issuing and revoking API tokens in the Wagtail admin."""

import re

import pytest
from django.urls import reverse

from cms.api.auth import authenticate_token
from cms.api.models import ApiToken

MANAGE = ("api.add_apitoken", "api.change_apitoken", "api.delete_apitoken")


@pytest.fixture
def integrator(make_user, company_a):
    return make_user("integrator", company_a, perms=MANAGE)


def _issue(client, user, **fields):
    data = {"name": "Webshop", "user": user.pk, "company": "", "expires_at": ""}
    data.update(fields)
    return client.post(reverse("api_tokens:add"), data)


def test_created_token_is_shown_once_and_works(client, integrator, company_a):
    client.force_login(integrator)
    form = client.get(reverse("api_tokens:add"))

    response = _issue(client, integrator, company=company_a.pk)

    assert form.status_code == 200
    assert response.status_code == 200
    plain = re.search(r'value="(kide_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert authenticate_token(plain) == token
    assert token.company == company_a
    assert "no-store" in response["Cache-Control"]
    listing = client.get(reverse("api_tokens:index")).content.decode()
    assert token.prefix in listing
    assert plain not in listing


def test_token_for_a_company_the_user_is_not_in_is_refused(
    client, integrator, company_b
):
    client.force_login(integrator)

    response = _issue(client, integrator, company=company_b.pk)

    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert "kide_" not in response.content.decode()


def test_revoke_in_the_admin(client, integrator, make_token):
    token, plain = make_token(integrator)
    client.force_login(integrator)
    listing = client.get(reverse("api_tokens:index")).content.decode()

    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))

    assert reverse("api_tokens:revoke", args=[token.pk]) in listing
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert authenticate_token(plain) is None


def test_users_manage_only_their_own_tokens(
    client, integrator, make_user, company_a, make_token
):
    colleague = make_user("colleague", company_a, perms=MANAGE)
    theirs, _plain = make_token(colleague, name="Colleague's")
    client.force_login(integrator)

    listing = client.get(reverse("api_tokens:index")).content.decode()
    revoke = client.post(reverse("api_tokens:revoke", args=[theirs.pk]))
    edit = client.get(reverse("api_tokens:edit", args=[theirs.pk]))

    assert "Colleague&#x27;s" not in listing and "Colleague's" not in listing
    assert revoke.status_code == 404
    assert edit.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_non_superuser_cannot_issue_a_token_for_someone_else(
    client, integrator, make_user, company_a
):
    colleague = make_user("colleague", company_a)
    client.force_login(integrator)

    _issue(client, colleague)

    assert not ApiToken.objects.exists()


def test_only_users_with_api_permissions_see_tokens(
    client, integrator, make_user, company_a
):
    client.force_login(integrator)
    manager_menu = client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(make_user("clerk", company_a))

    response = client.get(reverse("api_tokens:index"))
    clerk_menu = client.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse("api_tokens:index") in manager_menu
    assert reverse("api_tokens:index") not in clerk_menu
    assert response.status_code in (302, 403)
