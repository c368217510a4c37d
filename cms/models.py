"""Platform records that belong to no module."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportFile(models.Model):
    """An uploaded import file kept between its preview and its confirmation.

    Stored in the database rather than on local disk so that any app server
    can confirm an import another one previewed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    model_label = models.CharField(max_length=100)
    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("import file")
        verbose_name_plural = _("import files")

    def __str__(self):
        return self.filename
