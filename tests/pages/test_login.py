"""Partners, customers and employees log in on the site, not in the admin."""

import pytest


def test_login_page_shows_a_form_in_the_site_theme(trees, client):
    response = client.get("/login/?next=/extranet/")

    assert response.status_code == 200
    assert 'name="password"' in response.text
    assert "/static/themes/default/site.css" in response.text
    assert 'href="/login/?next=' not in response.text


def test_partner_logs_in_and_returns_to_the_page_asked_for(trees, client, partner):
    response = client.post(
        "/login/?next=/extranet/kumppanit/",
        {"username": "pekka", "password": "pw-pekka", "next": "/extranet/kumppanit/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/extranet/kumppanit/"
    assert client.get("/extranet/kumppanit/").status_code == 200


@pytest.mark.parametrize(
    ("who", "password", "landing"),
    [
        ("employee", "pw-eeva", "/intranet/"),
        ("partner", "pw-pekka", "/extranet/"),
        ("stranger", "pw-vieras", "/"),
    ],
)
def test_without_a_next_page_users_land_in_their_own_tree(
    trees, client, request, who, password, landing
):
    user = request.getfixturevalue(who)

    response = client.post("/login/", {"username": user.username, "password": password})

    assert response["Location"] == landing


def test_wrong_password_is_refused_with_a_message(trees, client, partner):
    response = client.post("/login/", {"username": "pekka", "password": "wrong"})

    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert "_auth_user_id" not in client.session


def test_logout_returns_to_the_front_page(trees, client, employee):
    client.force_login(employee)

    response = client.post("/logout/")

    assert response["Location"] == "/"
    assert client.get("/intranet/").status_code == 302
