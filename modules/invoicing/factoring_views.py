"""Admin screen of factoring transfers: what is waiting, run, download.

Lists, per factoring company of the current company, the assigned
invoices not yet transferred, starts a transfer (POST) and serves the
stored CSV file and the PDF report of each earlier transfer. Reading
needs the view permission of factoring transfers, a run the add one.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from modules.core.current import current_company
from modules.invoicing.factoring import (
    transfer_assigned_invoices,
    transfer_report_pdf,
    untransferred_invoices,
)
from modules.invoicing.models import FactoringCompany, FactoringTransfer

VIEW = "invoicing.view_factoringtransfer"
ADD = "invoicing.add_factoringtransfer"


def _company(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied
    company = current_company(request)
    if company is None:
        raise Http404
    return company


class FactoringTransfersView(WagtailAdminTemplateMixin, TemplateView):
    """Waiting assigned invoices per factoring company, and past transfers."""

    page_title = gettext_lazy("Factoring transfers")
    header_icon = "doc-full"
    template_name = "invoicing/factoring.html"

    def dispatch(self, request, *args, **kwargs):
        self.company = _company(request, VIEW)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        companies = FactoringCompany.objects.filter(company=self.company)
        context.update(
            waiting=[
                (
                    factoring,
                    list(
                        untransferred_invoices(
                            company=self.company, factoring_company=factoring
                        )
                    ),
                )
                for factoring in companies
            ],
            transfers=FactoringTransfer.objects.filter(
                company=self.company
            ).select_related("factoring_company")[:50],
            can_run=self.request.user.has_perm(ADD),
        )
        return context

    def post(self, request):
        company = _company(request, ADD)
        factoring = get_object_or_404(
            FactoringCompany, company=company, pk=request.POST.get("factoring")
        )
        try:
            transfer = transfer_assigned_invoices(
                company=company, factoring_company=factoring, user=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                ngettext(
                    "Transfer %(number)s made with %(count)s document.",
                    "Transfer %(number)s made with %(count)s documents.",
                    transfer.invoice_count,
                )
                % {"number": transfer.number, "count": transfer.invoice_count},
            )
        return redirect("invoicing_factoring")


class FactoringFileView(View):
    """The stored CSV file or the PDF report of one transfer."""

    def get(self, request, pk, kind):
        company = _company(request, VIEW)
        transfer = get_object_or_404(FactoringTransfer, company=company, pk=pk)
        if kind == "csv":
            response = HttpResponse(transfer.file_csv, "text/csv; charset=utf-8")
        elif kind == "pdf":
            response = HttpResponse(transfer_report_pdf(transfer), "application/pdf")
        else:
            raise Http404
        response["Content-Disposition"] = (
            f'attachment; filename="factoring-{transfer.number}.{kind}"'
        )
        return response
