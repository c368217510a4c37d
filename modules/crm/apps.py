from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "modules.crm"
    label = "crm"
    verbose_name = _("Customers")

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.contrib.forms.models import FormSubmission

        from modules.crm.signals import contact_form_submitted

        post_save.connect(
            contact_form_submitted,
            sender=FormSubmission,
            dispatch_uid="crm_contact_form",
        )
