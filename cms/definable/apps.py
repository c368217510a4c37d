from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefinableConfig(AppConfig):
    name = "cms.definable"
    label = "definable"
    verbose_name = _("Definable forms")
