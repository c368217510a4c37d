"""Scheduled publishing and translated pages."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import Locale

from pages.models import NewsPage
from pages.tasks import publish_scheduled_pages


def test_scheduled_news_item_goes_live_when_the_task_runs(trees, client):
    news = NewsPage(title="Ajastettu uutinen", slug="ajastettu", live=False)
    trees.news.add_child(instance=news)
    revision = news.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save()

    publish_scheduled_pages.delay()

    news.refresh_from_db()
    assert news.live
    assert client.get("/uutiset/ajastettu/").status_code == 200


def test_home_page_translated_to_swedish_is_served_under_sv(trees, client):
    swedish = trees.home.copy_for_translation(Locale.objects.get(language_code="sv"))
    swedish.title = "Startsida"
    swedish.hero_title = "Välkommen till Kide"
    swedish.save_revision().publish()

    response = client.get("/sv/")

    assert response.status_code == 200
    assert "Välkommen till Kide" in response.text
    assert 'lang="sv"' in response.text
