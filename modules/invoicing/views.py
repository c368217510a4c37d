"""Admin screens of invoicing beyond the generated ones.

The receivables overview (open items by age, with runs to start), the
actions on one invoice (issue, send, credit, print) and the customer
statement. Every view checks the model permission it acts under and
reads only the current company's records.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from cms.jobs.services import start_job
from modules.core.current import current_company
from modules.core.scoping import scope_queryset
from modules.crm.models import Organisation
from modules.invoicing.delivery import send_invoice
from modules.invoicing.documents import render_invoice_pdf
from modules.invoicing.models import SalesInvoice
from modules.invoicing.receivables import render_statement_pdf
from modules.invoicing.selectors import ageing
from modules.invoicing.services import credit_invoice, issue_invoice

VIEW = "invoicing.view_salesinvoice"
CHANGE = "invoicing.change_salesinvoice"


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


class ReceivablesView(WagtailAdminTemplateMixin, TemplateView):
    """Open receivables per customer by age, and the runs to start."""

    page_title = gettext_lazy("Receivables")
    header_icon = "doc-full"
    template_name = "invoicing/receivables.html"

    def dispatch(self, request, *args, **kwargs):
        _require(request, VIEW)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        company = current_company(self.request)
        today = timezone.localdate()
        context.update(
            company=company,
            today=today,
            rows=ageing(company=company, on_date=today) if company else [],
        )
        return context

    def post(self, request):
        _require(request, CHANGE)
        company = current_company(request)
        kind = request.POST.get("run")
        runs = {
            "invoicing.run": (_("Invoicing run"), "up_to"),
            "invoicing.reminders": (_("Payment reminders"), "on_date"),
        }
        if company is None or kind not in runs:
            raise Http404
        title, field = runs[kind]
        today = timezone.localdate()
        job = start_job(
            company=company,
            user=request.user,
            kind=kind,
            title=title,
            params={field: today.isoformat()},
            idempotency_key=f"{kind}:{company.pk}:{today}",
        )
        messages.success(request, _("%(title)s started.") % {"title": title})
        return (
            redirect("jobs_job:inspect", job.pk)
            if _has_job_view()
            else redirect("invoicing_receivables")
        )


def _has_job_view() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("jobs_job:inspect", args=[1])
    except NoReverseMatch:
        return False
    return True


def _invoice(request, pk) -> SalesInvoice:
    company = current_company(request)
    queryset = scope_queryset(SalesInvoice.objects.all(), request.user, company=company)
    return get_object_or_404(queryset, pk=pk)


class InvoiceActionView(View):
    """Issue, send or credit one invoice (POST), or print it (GET)."""

    def get(self, request, pk):
        _require(request, VIEW)
        invoice = _invoice(request, pk)
        if not invoice.is_issued:
            raise Http404
        response = HttpResponse(render_invoice_pdf(invoice), "application/pdf")
        response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
        return response

    def post(self, request, pk, action):
        _require(request, CHANGE)
        invoice = _invoice(request, pk)
        actions = {
            "issue": lambda: issue_invoice(invoice=invoice, user=request.user),
            "send": lambda: send_invoice(invoice=invoice, user=request.user),
            "credit": lambda: credit_invoice(invoice=invoice, user=request.user),
        }
        if action not in actions:
            raise Http404
        try:
            actions[action]()
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Done: %(invoice)s") % {"invoice": invoice})
        return redirect("invoicing_salesinvoice:inspect", invoice.pk)


class StatementView(View):
    """A customer's statement of open items as a PDF."""

    def get(self, request, pk):
        _require(request, VIEW)
        company = current_company(request)
        organisations = scope_queryset(
            Organisation.objects.all(), request.user, company=company
        )
        organisation = get_object_or_404(organisations, pk=pk)
        pdf = render_statement_pdf(
            company=company, customer=organisation, on_date=datetime.date.today()
        )
        return HttpResponse(pdf, "application/pdf")
