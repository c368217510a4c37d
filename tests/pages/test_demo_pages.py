"""The demo page loader: the trees, editor rights, moderation and languages."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page, Site

from fixtures import demo, pages
from modules.core.models import Role, role_group_name
from pages.models import (
    ExtranetHomePage,
    HomePage,
    IntranetHomePage,
    IntranetNewsPage,
)


@pytest.fixture
def demo_data(reference_data):
    """Load the demo data, which loads the demo pages; return both."""
    data = demo.load()
    roots = {
        "home": HomePage.objects.get(),
        "intranet": IntranetHomePage.objects.get(),
        "extranet": ExtranetHomePage.objects.get(),
    }
    return data, roots


def test_demo_home_page_replaces_the_wagtail_welcome_page(demo_data):
    site = Site.objects.get(is_default_site=True)

    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(title__startswith="Welcome to your new").exists()


def test_loading_the_demo_pages_again_changes_nothing(demo_data):
    data, _roots = demo_data
    count = Page.objects.count()

    pages.load(data["companies"], data["users"])

    assert Page.objects.count() == count


def test_demo_has_news_on_the_site_and_the_intranet(demo_data):
    _data, roots = demo_data

    assert (
        roots["intranet"].get_descendants().type(IntranetNewsPage).live().count() == 2
    )
    assert roots["home"].get_children().live().filter(slug="yhteystiedot").exists()


def test_web_editor_may_edit_and_publish_all_three_trees(demo_data):
    data, roots = demo_data
    editor = data["users"]["editor"]

    for key in ("home", "intranet", "extranet"):
        permissions = roots[key].permissions_for_user(editor)
        assert permissions.can_edit()
        assert permissions.can_publish()
    assert editor.has_perm("wagtailadmin.access_admin")


def test_pages_are_under_moderation_with_web_editors_as_approvers(demo_data):
    _data, roots = demo_data
    editors = Group.objects.get(name=role_group_name(Role.WEB_EDITOR))

    workflow = roots["intranet"].get_workflow()

    assert workflow is not None and workflow.active
    approvers = {
        group for task in workflow.tasks.specific() for group in task.groups.all()
    }
    assert editors in approvers


def test_finnish_swedish_and_english_locales_exist(db):
    codes = set(Locale.objects.values_list("language_code", flat=True))

    assert {"fi", "sv", "en"} <= codes
