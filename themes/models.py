"""The theme each Wagtail site is shown in, chosen in the admin settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from themes.catalog import DEFAULT_THEME, theme_choices


@register_setting(icon="image")
class ThemeSettings(BaseSiteSetting):
    """The look of one site: which folder in themes/ its pages use."""

    theme = models.CharField(
        _("theme"),
        max_length=50,
        choices=theme_choices,
        default=DEFAULT_THEME,
        help_text=_("The look of this site's pages, for every visitor."),
    )

    panels = [FieldPanel("theme")]

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
