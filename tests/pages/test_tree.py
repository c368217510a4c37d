"""Which page types may go where in the three trees."""

import pytest

from pages.models import (
    ContactFormPage,
    ExtranetHomePage,
    ExtranetPage,
    HomePage,
    IntranetHomePage,
    IntranetNewsPage,
    IntranetStandardPage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)


@pytest.mark.parametrize(
    ("model", "parent", "allowed"),
    [
        (StandardPage, "home", True),
        (NewsIndexPage, "home", True),
        (ContactFormPage, "home", True),
        (NewsPage, "news", True),
        (NewsPage, "home", False),
        (NewsPage, "intranet_news", False),
        (IntranetNewsPage, "intranet_news", True),
        (IntranetNewsPage, "news", False),
        (IntranetNewsPage, "intranet", False),
        (IntranetStandardPage, "intranet", True),
        (IntranetStandardPage, "extranet", False),
        (ExtranetPage, "extranet", True),
        (ExtranetPage, "partner_page", True),
        (ExtranetPage, "intranet", False),
        (StandardPage, "intranet", False),
        (StandardPage, "extranet", False),
        (HomePage, "home", False),
    ],
)
def test_page_types_can_be_created_only_where_they_belong(
    trees, model, parent, allowed
):
    parent_page = getattr(trees, parent)

    assert model.can_create_at(parent_page) is allowed


@pytest.mark.parametrize("model", [IntranetHomePage, ExtranetHomePage])
def test_a_home_page_holds_only_one_intranet_and_one_extranet(trees, model):
    assert model.can_create_at(trees.home) is False


def test_editor_is_offered_only_news_items_under_a_news_index(trees):
    allowed = trees.intranet_news.specific_class.allowed_subpage_models()

    assert allowed == [IntranetNewsPage]
