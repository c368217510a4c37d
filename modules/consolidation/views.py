"""Admin screens: consolidated statements and the financial statements PDF.

Both live in the ledger reports menu. The consolidated statements need
the permission to view vouchers and access to every company of the
current company's group; the financial statements document is the
current company's own.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from modules.consolidation.documents import financial_statements
from modules.consolidation.forms import ConsolidationForm, FinancialStatementsForm
from modules.consolidation.selectors import consolidated_statement
from modules.consolidation.services import require_whole_group
from modules.ledger.reports.exports import Table, filename, pdf_response
from modules.ledger.reports.views import ReportView, statement_table


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
        return context


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
