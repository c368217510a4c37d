"""Template tags of the themes: the menu and the language switcher."""

from django import template
from django.conf import settings
from django.utils.translation import get_language_info

from pages import access

register = template.Library()


@register.simple_tag
def translations(page):
    """Return the page's live translations as (language, name, url) tuples."""
    if page is None or not getattr(page, "locale_id", None):
        return []
    names = dict(settings.LANGUAGES)
    links = []
    for translation in (
        page.get_translations(inclusive=True).live().select_related("locale")
    ):
        code = translation.locale.language_code
        if code in names:
            info = get_language_info(code)
            links.append((code, info["name_local"], translation.url))
    order = list(names)
    return sorted(links, key=lambda link: order.index(link[0]))


@register.simple_tag(takes_context=True)
def site_menu(context, page=None):
    """Return the tree's home page and the pages of its menu."""
    home = None
    if page is not None and hasattr(page, "get_section_home"):
        home = page.get_section_home()
    home = home or context.get("site_root")
    if home is None:
        return {"home": None, "items": []}
    items = home.get_children().live().in_menu().specific()
    return {"home": home, "items": access.viewable_pages(items, context["request"])}


@register.filter
def is_within(page, ancestor) -> bool:
    """Return whether `page` is `ancestor` or one of its descendants."""
    return bool(page and ancestor) and page.path.startswith(ancestor.path)
