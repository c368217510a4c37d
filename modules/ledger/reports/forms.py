"""The choices above each report: dates, comparison, layout, account."""

import datetime

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from modules.ledger.models import (
    Account,
    CostCentre,
    FiscalYear,
    Project,
    VoucherSeries,
)
from modules.ledger.reports.layouts import LAYOUT_CHOICES
from modules.ledger.reports.periods import DateRange


def default_range(company, today=None) -> DateRange:
    """Return the fiscal year of today, or the calendar year without one."""
    today = today or datetime.date.today()
    year = (
        FiscalYear.objects.filter(company=company, start__lte=today, end__gte=today)
        .values_list("start", "end")
        .first()
    )
    if year is None:
        return DateRange(today.replace(month=1, day=1), today.replace(month=12, day=31))
    return DateRange(*year)


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"))
    end = forms.DateField(label=_("To"))
    compare = forms.BooleanField(
        label=_("Compare with the previous year"), required=False
    )

    def __init__(self, data=None, *, company, **kwargs):
        self.company = company
        if not data or "start" not in data:
            period = default_range(company)
            data = {"start": period.start, "end": period.end, "compare": "on"}
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(
                    _("The report must end on or after the day it starts."),
                    code="range_order",
                )
            cleaned["period"] = DateRange(start, end)
        return cleaned


class StatementForm(ReportForm):
    layout = forms.ChoiceField(
        label=_("Layout"), choices=LAYOUT_CHOICES, required=False
    )
    accounts = forms.BooleanField(label=_("Show accounts"), required=False)
    cost_centre = forms.ModelChoiceField(
        label=_("Cost centre"), queryset=CostCentre.objects.none(), required=False
    )
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False
    )

    def __init__(self, data=None, *, company, **kwargs):
        super().__init__(data, company=company, **kwargs)
        for name, model in (("cost_centre", CostCentre), ("project", Project)):
            if name in self.fields:
                self.fields[name].queryset = model.objects.filter(company=company)

    def clean_layout(self):
        return self.cleaned_data.get("layout") or "full"

    def clean(self):
        cleaned = super().clean()
        cleaned["line_filter"] = dimension_filter(
            cost_centre=cleaned.get("cost_centre"), project=cleaned.get("project")
        )
        return cleaned


def dimension_filter(*, cost_centre=None, project=None) -> Q | None:
    """Return the line filter of a cost centre and a project, or None.

    A cost centre includes the cost centres under it.
    """
    condition = Q()
    if cost_centre is not None:
        condition &= Q(cost_centre__in=cost_centre.descendant_ids())
    if project is not None:
        condition &= Q(project=project)
    return condition or None


class JournalForm(ReportForm):
    series = forms.ModelChoiceField(
        label=_("Voucher series"), queryset=VoucherSeries.objects.none(), required=False
    )

    def __init__(self, data=None, *, company, **kwargs):
        super().__init__(data, company=company, **kwargs)
        self.fields["series"].queryset = VoucherSeries.objects.filter(company=company)


class LedgerForm(ReportForm):
    account = forms.ModelChoiceField(
        label=_("Account"), queryset=Account.objects.none(), required=False
    )

    def __init__(self, data=None, *, company, **kwargs):
        super().__init__(data, company=company, **kwargs)
        self.fields["account"].queryset = Account.objects.filter(company=company)
