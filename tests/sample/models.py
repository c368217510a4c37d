from django.db import models

from cms.definable.models import extra_index


class Gadget(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.CASCADE)
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=100)
    quantity = models.DecimalField(max_digits=12, decimal_places=3, default=0)
    price = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    active = models.BooleanField(default=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["code"]
        indexes = [extra_index("sample_gadget_extra")]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"], name="sample_gadget_unique_code"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class GadgetPart(models.Model):
    gadget = models.ForeignKey(Gadget, related_name="parts", on_delete=models.CASCADE)
    company = models.ForeignKey("core.Company", on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    count = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name
