"""Which theme a request is shown in, and the template names that follow."""

import logging

from django.conf import settings
from wagtail.models import Site

from themes.catalog import DEFAULT_THEME, is_theme
from themes.models import ThemeSettings

logger = logging.getLogger(__name__)


def theme_for_request(request) -> str:
    """Return the theme of the site that answers `request`."""
    site = Site.find_for_request(request)
    if site is None:
        return DEFAULT_THEME
    name = ThemeSettings.for_request(request).theme
    if not is_theme(name):
        logger.warning("Theme %s of site %s is missing; using the default", name, site)
        return DEFAULT_THEME
    return name


def theme_template(theme: str, template_name: str) -> str:
    """Return the name under which `theme` may override `template_name`."""
    return f"themes/{theme}/{template_name}"


def theme_context(request) -> dict:
    """Return the template context every themed page needs."""
    theme = theme_for_request(request)
    site = Site.find_for_request(request)
    return {
        "theme": theme,
        "theme_base": theme_template(theme, "base.html"),
        "site_name": (site and site.site_name) or settings.WAGTAIL_SITE_NAME,
        "site_root": site.root_page.localized.specific if site else None,
    }
