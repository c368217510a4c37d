"""Admin screens: consolidated statements and the financial statements PDF.

Both live in the ledger reports menu. The consolidated statements need
the permission to view vouchers and access to every company of the
current company's group; the financial statements document is the
current company's own.
"""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from modules.consolidation.documents import financial_statements
from modules.consolidation.forms import ConsolidationForm, FinancialStatementsForm
from modules.consolidation.models import GroupAccount
from modules.consolidation.selectors import consolidated_statement
from modules.consolidation.services import require_whole_group
from modules.core.current import current_company
from modules.core.scoping import companies_for
from modules.ledger.models import Account
from modules.ledger.reports import books
from modules.ledger.reports.exports import Table, filename, pdf_response
from modules.ledger.reports.forms import ReportForm
from modules.ledger.reports.views import (
    GeneralLedgerView,
    ReportView,
    VoucherView,
    statement_table,
)


def group_companies(request):
    """Return the companies of the current company's group the user may see."""
    company = current_company(request)
    if company is None or company.group_id is None:
        return companies_for(request.user).none()
    return companies_for(request.user).filter(group_id=company.group_id)


class ConsolidatedStatementView(ReportView):
    page_title = gettext_lazy("Group statements")
    form_class = ConsolidationForm
    content_template = "consolidation/_consolidated.html"

    def get(self, request, *args, **kwargs):
        company = self.get_company()
        self.group = company.group if company is not None else None
        if self.group is not None:
            require_whole_group(request.user, self.group)
        elif company is not None:
            raise PermissionDenied(_("The company is not in a company group."))
        return super().get(request, *args, **kwargs)

    def build(self, cleaned):
        return consolidated_statement(
            group=self.group,
            statement=cleaned["statement"],
            period=cleaned["period"],
            layout=cleaned["layout"],
            compare=cleaned["compare"],
        )

    def table(self):
        return statement_table(
            self.report.statement,
            subtitle=f"{self.group} {self.subtitle}",
            with_accounts=self.form.cleaned_data["accounts"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["group"] = self.group
        context["show_accounts"] = self.form and self.form.cleaned_data.get("accounts")
        if self.report is not None and not kwargs.get("pdf"):
            self._link_cells(self.report)
        return context

    def _link_cells(self, report):
        """Give each member's figure of an account a link to its accounts."""
        base = reverse("consolidation_member_accounts")
        members = report.members
        for row in report.statement.rows:
            for item in row.accounts:
                urls = []
                for member in members:
                    if isinstance(item.account, GroupAccount):
                        key = {"group_account": item.account.pk}
                    elif item.account.company_id == member.pk:
                        key = {"account": item.account.pk}
                    else:
                        urls.append(None)
                        continue
                    query = {"company": member.pk, **key}
                    urls.append(f"{base}?{self.period_query()}&{urlencode(query)}")
                urls += [None] * (len(item.values) - len(urls))
                item.cells = list(zip(item.values, urls, strict=True))


class MemberAccountsView(GeneralLedgerView):
    """One member company's accounts behind a group figure, with their lines.

    Open to users of that member company who may read its books; the
    vouchers open in the group's voucher view.
    """

    page_title = gettext_lazy("Group statements: a company's accounts")
    form_class = ReportForm
    content_template = "consolidation/_member_accounts.html"

    def get_company(self):
        member = group_companies(self.request).filter(
            pk=self.request.GET.get("company") or None
        )
        company = member.first()
        if company is None:
            raise Http404
        return company

    def build(self, cleaned):
        accounts = Account.objects.filter(company=self.company)
        if self.request.GET.get("group_account"):
            accounts = accounts.filter(
                group_mapping__group_account=self.request.GET["group_account"]
            )
        else:
            accounts = accounts.filter(pk=self.request.GET.get("account") or None)
        self.page_title = _("%(company)s: accounts behind a group figure") % {
            "company": self.company
        }
        return books.general_ledger(
            company=self.company,
            period=cleaned["period"],
            accounts=list(accounts),
            compare=cleaned["compare"],
        )


class GroupVoucherView(VoucherView):
    """A voucher of a group company the user may see, from the group view."""

    ledger_links = False

    def companies(self):
        return list(group_companies(self.request))


class FinancialStatementsView(ReportView):
    page_title = gettext_lazy("Financial statements")
    form_class = FinancialStatementsForm
    content_template = "consolidation/_financial_statements.html"

    def build(self, cleaned):
        return financial_statements(
            company=self.company,
            fiscal_year=cleaned["fiscal_year"],
            layout=cleaned["layout"],
        )

    def download(self, wanted):
        if wanted != "pdf":
            return super().download(wanted)
        context = self.get_context_data(pdf=True)
        name = filename(str(self.page_title), self.subtitle, "pdf")
        return pdf_response(
            "consolidation/financial_statements_pdf.html",
            context,
            name=name,
            request=self.request,
        )

    def table(self):
        income = statement_table(
            self.report.income, subtitle=self.subtitle, with_accounts=False
        )
        balance = statement_table(
            self.report.balance, subtitle=self.subtitle, with_accounts=False
        )
        return Table(
            title=str(self.page_title),
            subtitle=self.subtitle,
            headers=income.headers,
            rows=[
                [income.title],
                *income.rows,
                [],
                [balance.title, *balance.headers[1:]],
                *balance.rows,
            ],
        )
