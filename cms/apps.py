from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Platform")

    def ready(self):
        from cms import auth, registry

        auth.connect_signals()
        registry.autodiscover()
