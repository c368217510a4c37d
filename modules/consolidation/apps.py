from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsolidationConfig(AppConfig):
    name = "modules.consolidation"
    label = "consolidation"
    verbose_name = _("Group accounts")
