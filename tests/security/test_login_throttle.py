"""Repeated failed logins pause logging in for that name and address."""

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import ngettext


def _refusal(minutes=15):
    """The lock-out message as an anonymous visitor reads it: in Finnish."""
    with translation.override("fi"):
        return ngettext(
            "Too many failed logins. Wait %(minutes)s minute and try again.",
            "Too many failed logins. Wait %(minutes)s minutes and try again.",
            minutes,
        ) % {"minutes": minutes}


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(make_user, company_a):
    return make_user("kirsi", company_a)


def _login(client, url, password):
    return client.post(url, {"username": "kirsi", "password": password})


@pytest.mark.parametrize("url", ["/admin/login/", "/login/"])
def test_right_password_is_refused_after_five_failures(client, staff, settings, url):
    settings.LOGIN_MAX_FAILURES = 5
    for _ in range(5):
        _login(client, url, "wrong")

    response = _login(client, url, "pw-kirsi")

    assert response.status_code == 200
    assert _refusal() in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_clears_the_count(client, staff, settings):
    settings.LOGIN_MAX_FAILURES = 3
    _login(client, "/admin/login/", "wrong")
    _login(client, "/admin/login/", "wrong")
    assert _login(client, "/admin/login/", "pw-kirsi").status_code == 302
    client.logout()

    _login(client, "/admin/login/", "wrong")
    response = _login(client, "/admin/login/", "pw-kirsi")

    assert response.status_code == 302


def test_many_names_from_one_address_are_paused_too(client, staff, settings):
    settings.LOGIN_MAX_FAILURES = 2
    for number in range(8):
        client.post("/admin/login/", {"username": f"guess{number}", "password": "x"})

    response = _login(client, "/admin/login/", "pw-kirsi")

    assert _refusal() in response.content.decode()
