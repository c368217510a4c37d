"""The theme chosen for a site in the admin decides how its pages look."""

from wagtail.models import Site

from themes.catalog import available_themes
from themes.models import ThemeSettings


def _choose_theme(site, theme):
    settings, _created = ThemeSettings.objects.get_or_create(site=site)
    settings.theme = theme
    settings.save()


def test_default_and_nordic_themes_are_offered():
    assert available_themes()[:1] == ["default"]
    assert "nordic" in available_themes()


def test_pages_use_the_default_theme_unless_told_otherwise(trees, client):
    response = client.get("/")

    assert "/static/themes/default/site.css" in response.text
    assert "/static/themes/nordic/nordic.css" not in response.text
    assert 'class="theme-default"' in response.text


def test_choosing_nordic_for_the_site_changes_its_pages(trees, client):
    _choose_theme(Site.objects.get(is_default_site=True), "nordic")

    response = client.get("/uutiset/")

    assert "/static/themes/nordic/nordic.css" in response.text
    assert 'class="theme-nordic"' in response.text


def test_theme_is_chosen_per_site(trees, client, employee):
    _choose_theme(Site.objects.get(is_default_site=True), "nordic")
    intranet_site = Site.objects.create(
        hostname="intranet.kide.test", port=80, root_page=trees.intranet
    )
    _choose_theme(intranet_site, "default")
    client.force_login(employee)

    public = client.get("/")
    intranet = client.get("/", HTTP_HOST="intranet.kide.test")

    assert 'class="theme-nordic"' in public.text
    assert 'class="theme-default"' in intranet.text


def test_a_missing_theme_falls_back_to_the_default(trees, client):
    _choose_theme(Site.objects.get(is_default_site=True), "removed_theme")

    response = client.get("/")

    assert response.status_code == 200
    assert 'class="theme-default"' in response.text


def test_theme_stylesheets_are_found_by_collectstatic():
    from django.contrib.staticfiles import finders

    assert finders.find("themes/default/site.css")
    assert finders.find("themes/nordic/nordic.css")


def test_dates_are_shown_in_finnish_format(trees, client):
    import datetime

    news = trees.news.get_children().first().specific
    news.date = datetime.date(2026, 3, 7)
    news.save()

    response = client.get("/uutiset/")

    assert "7.3.2026" in response.text
