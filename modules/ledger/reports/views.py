"""Admin screens of the ledger reports, with PDF, CSV and XLSX downloads.

Each screen reads the current company's books (the company switch of the
admin) and needs the permission to view vouchers. Figures link down the
audit trail: a statement row to its accounts, an account to its general
ledger lines, a line to its voucher with the source documents; and back
up from the voucher to the accounts' ledgers and the statements.
"""

import datetime
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from modules.core.current import current_company
from modules.ledger.models import BALANCE_SHEET_TYPES, Voucher
from modules.ledger.reports import books, statements
from modules.ledger.reports.exports import (
    Table,
    csv_response,
    filename,
    pdf_response,
    xlsx_response,
)
from modules.ledger.reports.forms import (
    JournalForm,
    LedgerForm,
    ReportForm,
    StatementForm,
)
from modules.ledger.voucher_entry import may_enter_vouchers

REPORT_PERMISSION = "ledger.view_voucher"
DOWNLOADS = ("csv", "xlsx", "pdf")


def require_report_permission(user) -> None:
    """Raise PermissionDenied unless `user` may read the ledger reports."""
    if not user.has_perm(REPORT_PERMISSION):
        raise PermissionDenied


class ReportView(WagtailAdminTemplateMixin, TemplateView):
    """A report of the current company: choices, figures and downloads."""

    form_class = ReportForm
    template_name = "ledger/reports/report.html"
    content_template = ""
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        require_report_permission(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_company(self):
        return current_company(self.request)

    def get(self, request, *args, **kwargs):
        self.company = self.get_company()
        self.form = self.report = None
        if self.company is not None:
            self.form = self.form_class(request.GET or None, company=self.company)
            if self.form.is_valid():
                self.report = self.build(self.form.cleaned_data)
        wanted = request.GET.get("format")
        if self.report is not None and wanted in DOWNLOADS:
            return self.download(wanted)
        return super().get(request, *args, **kwargs)

    def build(self, cleaned: dict):
        raise NotImplementedError

    def table(self) -> Table:
        raise NotImplementedError

    @property
    def subtitle(self) -> str:
        return str(self.form.cleaned_data["period"])

    def period_query(self) -> str:
        period = self.form.cleaned_data["period"]
        query = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        if self.form.cleaned_data.get("compare"):
            query["compare"] = "on"
        return urlencode(query)

    def download(self, wanted: str):
        if wanted == "pdf":
            context = self.get_context_data(pdf=True)
            name = filename(str(self.page_title), self.subtitle, "pdf")
            return pdf_response(
                "ledger/reports/pdf.html", context, name=name, request=self.request
            )
        table = self.table()
        return csv_response(table) if wanted == "csv" else xlsx_response(table)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            company=self.company,
            form=self.form,
            report=self.report,
            content_template=self.content_template,
            links=not kwargs.get("pdf"),
        )
        if self.report is not None:
            query = self.request.GET.copy()
            query.pop("format", None)
            context["query"] = query.urlencode()
            context["period_query"] = self.period_query()
            context["subtitle"] = self.subtitle
        return context


# Statements


def statement_table(statement, *, subtitle: str, with_accounts: bool) -> Table:
    """Flatten a statement into a table, accounts under their rows if asked."""
    rows = []
    for row in statement.rows:
        label = "  " * row.level + row.label
        rows.append([label, *(row.values or [None] * len(statement.columns))])
        if with_accounts:
            for item in row.accounts:
                rows.append(
                    [
                        "  " * (row.level + 1) + str(item.account),
                        *item.values,
                    ]
                )
    return Table(
        title=statement.title,
        subtitle=subtitle,
        headers=["", *(column.label for column in statement.columns)],
        rows=rows,
    )


class StatementView(ReportView):
    form_class = StatementForm
    content_template = "ledger/reports/_statement.html"
    builder = None

    def build(self, cleaned):
        return self.builder(
            company=self.company,
            period=cleaned["period"],
            layout=cleaned["layout"],
            compare=cleaned["compare"],
            line_filter=cleaned["line_filter"],
        )

    @property
    def subtitle(self) -> str:
        parts = [str(self.form.cleaned_data["period"])]
        for name in ("cost_centre", "project"):
            if self.form.cleaned_data.get(name) is not None:
                parts.append(str(self.form.cleaned_data[name]))
        return ", ".join(parts)

    def table(self):
        return statement_table(
            self.report,
            subtitle=self.subtitle,
            with_accounts=self.form.cleaned_data["accounts"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_accounts"] = self.form and self.form.cleaned_data.get("accounts")
        return context


class IncomeStatementView(StatementView):
    page_title = gettext_lazy("Income statement")
    builder = staticmethod(statements.income_statement)


class BalanceSheetView(StatementView):
    page_title = gettext_lazy("Balance sheet")
    builder = staticmethod(statements.balance_sheet)


class StatementRowView(StatementView):
    """The accounts behind one row of a statement: the first drill-down step."""

    page_title = gettext_lazy("Statement row")
    content_template = "ledger/reports/_statement_row.html"

    def build(self, cleaned):
        kind = self.request.GET.get("statement")
        builders = {
            "income": statements.income_statement,
            "balance": statements.balance_sheet,
        }
        if kind not in builders:
            raise Http404
        statement = builders[kind](
            company=self.company,
            period=cleaned["period"],
            layout=cleaned["layout"],
            compare=cleaned["compare"],
            line_filter=cleaned["line_filter"],
        )
        try:
            self.row = statement.row(self.request.GET.get("row", ""))
        except StopIteration as error:
            raise Http404 from error
        self.page_title = f"{statement.title}: {self.row.label}"
        return statement

    def table(self):
        return Table(
            title=self.row.label,
            subtitle=self.subtitle,
            headers=[
                _("Account"),
                *(column.label for column in self.report.columns),
            ],
            rows=[[str(item.account), *item.values] for item in self.row.accounts],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.report is not None:
            context["row"] = self.row
        return context


# Books


class TrialBalanceView(ReportView):
    page_title = gettext_lazy("Trial balance")
    content_template = "ledger/reports/_trial_balance.html"

    def build(self, cleaned):
        return books.trial_balance(
            company=self.company, period=cleaned["period"], compare=cleaned["compare"]
        )

    def table(self):
        compare = len(self.report.columns) > 1
        headers = [_("Account"), _("Name"), _("Debit"), _("Credit"), _("Balance")]
        if compare:
            headers.append(_("Previous year"))
        rows = []
        for line in self.report.lines:
            row = [
                line.account.number,
                line.account.name,
                line.debit,
                line.credit,
                line.balance,
            ]
            rows.append([*row, line.previous] if compare else row)
        total = ["", _("Total"), self.report.debit, self.report.credit]
        total.append(self.report.debit - self.report.credit)
        rows.append([*total, self.report.previous] if compare else total)
        return Table(self.report.title, self.subtitle, headers, rows)


class GeneralLedgerView(ReportView):
    page_title = gettext_lazy("General ledger")
    form_class = LedgerForm
    content_template = "ledger/reports/_general_ledger.html"

    def build(self, cleaned):
        account = cleaned.get("account")
        return books.general_ledger(
            company=self.company,
            period=cleaned["period"],
            accounts=[account] if account else None,
            compare=cleaned["compare"],
        )

    def table(self):
        rows = []
        for item in self.report:
            account = str(item.account)
            rows.append([account, None, "", _("Opening balance"), None, None])
            rows[-1].append(item.opening)
            for entry in item.entries:
                line = entry.line
                rows.append(
                    [
                        account,
                        line.voucher.date,
                        str(line.voucher),
                        line.description or line.voucher.description,
                        line.debit or None,
                        line.credit or None,
                        entry.balance,
                    ]
                )
            rows.append(
                [account, None, "", _("Closing balance"), item.debit, item.credit]
            )
            rows[-1].append(item.closing)
            if item.previous is not None:
                label = self.previous_label()
                rows.append([account, None, "", label, None, None, item.previous])
        headers = [
            _("Account"),
            _("Date"),
            _("Voucher"),
            _("Description"),
            _("Debit"),
            _("Credit"),
            _("Balance"),
        ]
        return Table(str(self.page_title), self.subtitle, headers, rows)

    def previous_label(self) -> str:
        end = self.form.cleaned_data["period"].previous_year().end
        return _("Balance a year earlier, %(date)s") % {"date": f"{end:%d.%m.%Y}"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["balance_sheet_types"] = [str(kind) for kind in BALANCE_SHEET_TYPES]
        if self.report is not None:
            context["previous_label"] = self.previous_label()
        return context


class JournalView(ReportView):
    page_title = gettext_lazy("Journal")
    form_class = JournalForm
    content_template = "ledger/reports/_journal.html"

    def build(self, cleaned):
        self.months = None
        if cleaned["compare"]:
            self.months = books.journal_months(
                company=self.company,
                period=cleaned["period"],
                series=cleaned["series"],
            )
        return books.journal(
            company=self.company, period=cleaned["period"], series=cleaned["series"]
        )

    def table(self):
        rows = []
        for voucher in self.report:
            for line in voucher.lines.all():
                rows.append(
                    [
                        voucher.date,
                        str(voucher),
                        line.description or voucher.description,
                        line.account.number,
                        line.account.name,
                        line.debit or None,
                        line.credit or None,
                    ]
                )
        headers = [
            _("Date"),
            _("Voucher"),
            _("Description"),
            _("Account"),
            _("Name"),
            _("Debit"),
            _("Credit"),
        ]
        if self.months is not None:
            rows.append([])
            rows.append(["", "", _("Month"), "", "", _("Total"), _("Previous year")])
            for month in self.months:
                label = f"{month.month:%m/%Y}"
                rows.append(["", "", label, "", "", month.total, month.previous])
        return Table(str(self.page_title), self.subtitle, headers, rows)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["months"] = getattr(self, "months", None)
        return context


# The voucher at the bottom of the trail


class VoucherView(WagtailAdminTemplateMixin, TemplateView):
    """A posted voucher with its lines, source and attached documents."""

    template_name = "ledger/reports/voucher.html"
    header_icon = "doc-full-inverse"

    def dispatch(self, request, *args, **kwargs):
        require_report_permission(request.user)
        return super().dispatch(request, *args, **kwargs)

    # Links to the current company's own reports from the voucher's lines.
    ledger_links = True

    def companies(self) -> list:
        """Return the companies whose vouchers this view may show."""
        return [current_company(self.request)]

    def get(self, request, *args, **kwargs):
        self.voucher = get_object_or_404(
            Voucher.objects.select_related("series", "fiscal_year", "reversal_of"),
            pk=kwargs["pk"],
            company__in=[company for company in self.companies() if company],
        )
        self.page_title = str(self.voucher)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        voucher = self.voucher
        year = voucher.fiscal_year
        reversed_by = Voucher.objects.filter(reversal_of=voucher).first()
        context.update(
            voucher=voucher,
            lines=voucher.lines.select_related("account").order_by("pk"),
            attachments=voucher.attachments.select_related("document"),
            reversed_by=reversed_by,
            ledger_links=self.ledger_links,
            can_reverse=self.ledger_links
            and reversed_by is None
            and may_enter_vouchers(self.request.user, voucher.company),
            today=datetime.date.today(),
            source_url=_source_url(voucher, self.request.user),
            year_query=urlencode(
                {"start": year.start.isoformat(), "end": year.end.isoformat()}
            ),
        )
        return context


def _source_url(voucher, user) -> str | None:
    """Return the admin address of the document a voucher was posted from."""
    if voucher.source_type_id is None:
        return None
    model = ContentType.objects.get_for_id(voucher.source_type_id).model_class()
    source = model._default_manager.filter(pk=voucher.source_id).first()
    if source is None:
        return None
    return AdminURLFinder(user).get_edit_url(source)
