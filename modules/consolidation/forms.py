"""Choices of the group statements and the financial statements document."""

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.ledger.models import FiscalYear
from modules.ledger.reports.forms import StatementForm
from modules.ledger.reports.layouts import LAYOUT_CHOICES
from modules.ledger.reports.periods import DateRange


class ConsolidationForm(StatementForm):
    # Cost centres and projects are each company's own, not the group's.
    cost_centre = None
    project = None
    statement = forms.ChoiceField(
        label=_("Statement"),
        choices=[("income", _("Income statement")), ("balance", _("Balance sheet"))],
        required=False,
    )

    def clean_statement(self):
        return self.cleaned_data.get("statement") or "income"


class FinancialStatementsForm(forms.Form):
    fiscal_year = forms.ModelChoiceField(
        label=_("Fiscal year"), queryset=FiscalYear.objects.none()
    )
    layout = forms.ChoiceField(
        label=_("Layout"), choices=LAYOUT_CHOICES, initial="pma_small", required=False
    )

    def __init__(self, data=None, *, company, **kwargs):
        years = FiscalYear.objects.filter(company=company).order_by("-start")
        if not data and years.exists():
            data = {"fiscal_year": years.first().pk, "layout": "pma_small"}
        super().__init__(data, **kwargs)
        self.fields["fiscal_year"].queryset = years

    def clean(self):
        cleaned = super().clean()
        cleaned["layout"] = cleaned.get("layout") or "pma_small"
        year = cleaned.get("fiscal_year")
        if year is not None:
            cleaned["period"] = DateRange(year.start, year.end)
            cleaned["compare"] = True
        return cleaned
