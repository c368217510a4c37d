"""Each tree can be served under its own host name as a Wagtail site."""

from wagtail.models import Site


def test_site_whose_root_is_the_intranet_serves_it_at_the_root(trees, client, employee):
    Site.objects.create(
        hostname="intranet.kide.test", port=80, root_page=trees.intranet
    )
    client.force_login(employee)

    response = client.get("/", HTTP_HOST="intranet.kide.test")

    assert response.status_code == 200
    assert "Pikkujoulut 12.12." in response.text
    assert 'href="/tiedotteet/pikkujoulut/"' in response.text


def test_intranet_host_still_sends_strangers_to_log_in(trees, client):
    Site.objects.create(
        hostname="intranet.kide.test", port=80, root_page=trees.intranet
    )

    response = client.get("/", HTTP_HOST="intranet.kide.test")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_extranet_host_serves_the_extranet_to_a_partner(trees, client, partner):
    Site.objects.create(
        hostname="extranet.kide.test", port=80, root_page=trees.extranet
    )
    client.force_login(partner)

    response = client.get("/kumppanit/", HTTP_HOST="extranet.kide.test")

    assert response.status_code == 200
    assert "Kumppaneille" in response.text
