from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefinableConfig(AppConfig):
    name = "cms.definable"
    label = "definable"
    verbose_name = _("Definable forms")

    def ready(self):
        from cms.definable import checks  # noqa: F401 - registers the checks
