"""Admin screens of the ledger beyond the generated ones."""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from modules.core.current import current_company
from modules.ledger.budget_views import budget_chart, budget_file
from modules.ledger.budgets import GROUPINGS, budget_vs_actual
from modules.ledger.closing import close_fiscal_year
from modules.ledger.currencies import import_exchange_rates, revalue_currencies
from modules.ledger.models import FiscalYear, VatBox, VatSettlement
from modules.ledger.reports.exports import (
    Table,
    csv_response,
    filename,
    pdf_response,
    xlsx_response,
)
from modules.ledger.reports.views import DOWNLOADS
from modules.ledger.selectors import verify_ledger
from modules.ledger.vat_return import box_lines, settle_vat, vat_return

VERIFY_PERMISSION = "ledger.view_voucher"


class VerifyLedgerView(WagtailAdminTemplateMixin, TemplateView):
    """The auditor's check of the current company's books."""

    page_title = gettext_lazy("Ledger check")
    header_icon = "tick-inverse"
    template_name = "ledger/verify_ledger.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VERIFY_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        company = current_company(self.request)
        context["company"] = company
        context["result"] = verify_ledger(company=company) if company else None
        return context


class _LedgerScreen(WagtailAdminTemplateMixin, TemplateView):
    """An admin screen over the current company's books."""

    permission = VERIFY_PERMISSION

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.company = current_company(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["company"] = self.company
        return context


def _previous_month() -> tuple[datetime.date, datetime.date]:
    first = datetime.date.today().replace(day=1)
    end = first - datetime.timedelta(days=1)
    return end.replace(day=1), end


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("start"))
    end = forms.DateField(label=gettext_lazy("end"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError(
                gettext_lazy("The period must end after it starts.")
            )
        return cleaned


def _period(data) -> tuple[PeriodForm, tuple | None]:
    start, end = _previous_month()
    form = PeriodForm(data or None, initial={"start": start, "end": end})
    if not data:
        return form, (start, end)
    if form.is_valid():
        return form, (form.cleaned_data["start"], form.cleaned_data["end"])
    return form, None


class VatReturnView(_LedgerScreen):
    """The periodic VAT return with drill-down and the settlement button."""

    page_title = gettext_lazy("VAT return")
    header_icon = "percent"
    template_name = "ledger/vat_return.html"

    def get(self, request, *args, **kwargs):
        wanted = request.GET.get("format")
        if wanted in DOWNLOADS:
            context = self.get_context_data()
            if "result" not in context:
                raise Http404
            return self._download(wanted, context)
        return super().get(request, *args, **kwargs)

    def _download(self, wanted, context):
        subtitle = f"{context['start']:%d.%m.%Y}-{context['end']:%d.%m.%Y}"
        title = str(self.page_title)
        if wanted == "pdf":
            context.update(
                subtitle=subtitle,
                content_template="ledger/_vat_return_table.html",
                links=False,
            )
            return pdf_response(
                "ledger/reports/pdf.html",
                context,
                name=filename(title, subtitle, "pdf"),
                request=self.request,
            )
        table = Table(
            title=title,
            subtitle=subtitle,
            headers=[_("Line of the return"), _("Amount")],
            rows=[[row.label, row.amount] for row in context["result"].rows],
        )
        return csv_response(table) if wanted == "csv" else xlsx_response(table)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, period = _period(self.request.GET)
        context["form"] = form
        if self.company and period:
            context["start"], context["end"] = period
            query = self.request.GET.copy()
            query.pop("format", None)
            query["start"], query["end"] = period[0].isoformat(), period[1].isoformat()
            context["query"] = query.urlencode()
            context["result"] = vat_return(
                company=self.company, start=period[0], end=period[1]
            )
            context["settlement"] = VatSettlement.objects.filter(
                company=self.company, start=period[0]
            ).first()
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("ledger.add_vatsettlement"):
            raise PermissionDenied
        form, period = _period(request.POST)
        if self.company is None or period is None:
            messages.error(request, _("Choose a company and a period first."))
            return redirect("ledger_vat_return")
        try:
            settlement = settle_vat(
                company=self.company, user=request.user, start=period[0], end=period[1]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("VAT settled with voucher %(voucher)s.")
                % {"voucher": settlement.voucher},
            )
        query = urlencode({"start": period[0], "end": period[1]})
        return redirect(f"{reverse('ledger_vat_return')}?{query}")


class VatLinesView(_LedgerScreen):
    """The journal lines behind one figure of the VAT return."""

    page_title = gettext_lazy("VAT return lines")
    header_icon = "list-ul"
    template_name = "ledger/vat_lines.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _form, period = _period(self.request.GET)
        box = self.request.GET.get("box", "")
        if box not in VatBox.values or period is None or self.company is None:
            raise Http404
        rate = self.request.GET.get("rate") or None
        try:
            rate = Decimal(rate) if rate else None
        except ArithmeticError as error:
            raise Http404 from error
        context["box_label"] = VatBox(box).label
        context["lines"] = box_lines(
            company=self.company, start=period[0], end=period[1], box=box, rate=rate
        )
        return context


class BudgetReportView(_LedgerScreen):
    """Budget against posted figures by account, cost centre or project."""

    page_title = gettext_lazy("Budget vs actual")
    header_icon = "table"
    template_name = "ledger/budget_report.html"

    def _report(self):
        form, period = _period(self.request.GET)
        by = self.request.GET.get("by", "account")
        if by not in GROUPINGS:
            by = "account"
        if self.company is None or period is None:
            return form, by, None
        report = budget_vs_actual(
            company=self.company, start=period[0], end=period[1], by=by
        )
        return form, by, report

    def get(self, request, *args, **kwargs):
        file_format = request.GET.get("format")
        if file_format in {"csv", "xlsx"}:
            _form, _by, report = self._report()
            if report is None:
                raise Http404
            return budget_file(report, file_format)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, by, report = self._report()
        context.update(form=form, by=by, report=report)
        if report is not None:
            context["chart"] = budget_chart(report)
        return context


class RatesForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("ECB rates file (CSV or XML)"))


class PeriodEndView(_LedgerScreen):
    """Period-end tasks: import rates, revalue currencies, close a year."""

    page_title = gettext_lazy("Period end")
    header_icon = "date"
    template_name = "ledger/period_end.html"
    permission = "ledger.add_voucher"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rates_form"] = RatesForm()
        context["years"] = (
            FiscalYear.objects.filter(company=self.company, state="open")
            if self.company
            else []
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        try:
            message = self._run(request, action)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, message)
        return redirect("ledger_period_end")

    def _run(self, request, action) -> str:
        if self.company is None:
            raise ValidationError(_("Choose a company first."))
        if action == "rates":
            form = RatesForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError(_("Choose a rates file."))
            result = import_exchange_rates(
                user=request.user, content=form.cleaned_data["file"].read()
            )
            text = _("%(count)s exchange rates stored.") % {"count": result.stored}
            if result.unknown_currencies:
                text += " " + _("Not stored, unknown currencies: %(codes)s.") % {
                    "codes": ", ".join(result.unknown_currencies)
                }
            return text
        if action == "revalue":
            form = forms.DateField().clean(request.POST.get("date"))
            done = revalue_currencies(
                company=self.company, user=request.user, date=form
            )
            if done is None:
                return _("No foreign-currency balance needed revaluing.")
            return _("Revaluation %(voucher)s posted and reversed by %(reversal)s.") % {
                "voucher": done[0],
                "reversal": done[1],
            }
        if action == "close":
            year = FiscalYear.objects.filter(
                company=self.company, pk=request.POST.get("year")
            ).first()
            if year is None:
                raise ValidationError(_("Choose a fiscal year."))
            opening = close_fiscal_year(fiscal_year=year, user=request.user)
            return _("Fiscal year %(year)s closed; opening balances: %(voucher)s.") % {
                "year": year,
                "voucher": opening or "-",
            }
        raise ValidationError(_("Unknown action."))
