"""Transfers of assigned invoices to a factoring company.

A `FactoringTransfer` is one run: the issued invoices and credit notes of
the customers assigned to one factoring company that no earlier transfer
carried, with the transfer file as it was handed over. Each invoice is on
one `FactoringTransferLine` at most (a one-to-one link in the database),
so a second run, even one started at the same moment, cannot repeat it.
Imported by `modules.invoicing.models` so that the app owns the tables.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from modules.core.models import Company

MONEY = {"max_digits": 18, "decimal_places": 2}


class FactoringTransfer(models.Model):
    """One transfer file of assigned invoices to a factoring company."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    factoring_company = models.ForeignKey(
        "invoicing.FactoringCompany",
        verbose_name=_("factoring company"),
        related_name="transfers",
        on_delete=models.PROTECT,
    )
    number = models.CharField(_("number"), max_length=30)
    invoice_count = models.PositiveIntegerField(_("invoices"), default=0)
    total = models.DecimalField(_("total"), default=0, **MONEY)
    file_csv = models.TextField(_("transfer file"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("factoring transfer")
        verbose_name_plural = _("factoring transfers")
        ordering = ["company", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"], name="invoicing_factoring_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.number} {self.factoring_company}"


class FactoringTransferLine(models.Model):
    """An invoice or credit note carried by a transfer, exactly once."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE
    )
    transfer = models.ForeignKey(
        FactoringTransfer,
        verbose_name=_("factoring transfer"),
        related_name="lines",
        on_delete=models.CASCADE,
    )
    invoice = models.OneToOneField(
        "invoicing.SalesInvoice",
        verbose_name=_("invoice"),
        related_name="factoring_transfer_line",
        on_delete=models.PROTECT,
    )
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        verbose_name = _("factoring transfer line")
        verbose_name_plural = _("factoring transfer lines")
        ordering = ["transfer", "pk"]

    def __str__(self):
        return f"{self.transfer.number}: {self.invoice}"
