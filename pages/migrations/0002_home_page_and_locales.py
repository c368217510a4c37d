"""Create the Finnish, Swedish and English locales, and replace Wagtail's
welcome page with our home page as the root of the default site."""

from django.db import migrations
from django.utils import timezone

LANGUAGE_CODES = ["fi", "sv", "en"]


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in LANGUAGE_CODES:
        Locale.objects.get_or_create(language_code=code)


def replace_welcome_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("pages", "HomePage")

    plain_page = ContentType.objects.get_for_model(Page)
    welcome = Page.objects.filter(
        content_type=plain_page, slug="home", depth=2, numchild=0
    ).first()
    if welcome is None:
        # An installation whose editors already replaced the welcome page.
        return
    sites = list(
        Site.objects.filter(root_page=welcome).values(
            "hostname", "port", "site_name", "is_default_site"
        )
    )
    path = welcome.path
    welcome.delete()

    now = timezone.now()
    home = HomePage.objects.create(
        title="Etusivu",
        draft_title="Etusivu",
        slug="home",
        content_type=ContentType.objects.get_for_model(HomePage),
        locale=Locale.objects.get(language_code="fi"),
        path=path,
        depth=2,
        numchild=0,
        url_path="/home/",
        live=True,
        first_published_at=now,
        last_published_at=now,
    )
    if not sites and not Site.objects.filter(is_default_site=True).exists():
        sites = [{"hostname": "localhost", "is_default_site": True}]
    for site in sites:
        Site.objects.create(root_page=home, **site)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_locales, migrations.RunPython.noop),
        migrations.RunPython(replace_welcome_page, migrations.RunPython.noop),
    ]
