"""Admin screens of banking beyond the generated ones.

Import a bank file, reconcile what did not match, handle payment batches
(approve, download the pain.001 file, read the bank's pain.002 answer)
and see the cash forecast. Each screen works on the current company and
checks the model permission it acts under; every write goes through the
services.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from integrations.xmlsafe import read_limited
from modules.banking import payments, selectors, services
from modules.banking.charts import forecast_chart, forecast_table
from modules.banking.models import BankTransaction, PaymentBatch
from modules.banking.providers import receivables_provider
from modules.core.current import current_company
from modules.core.models import BankAccount
from modules.ledger.models import Account

IMPORT_PERMISSION = "banking.add_bankstatement"
RECONCILE_PERMISSION = "banking.change_banktransaction"
PAYMENTS_PERMISSION = "banking.change_paymentbatch"
FORECAST_PERMISSION = "banking.view_banktransaction"


class _BankingView(WagtailAdminTemplateMixin, TemplateView):
    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.company = current_company(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["company"] = self.company
        return context

    def _fail(self, error: ValidationError) -> None:
        for message in error.messages:
            messages.error(self.request, message)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Bank file"))
    bank_account = forms.ModelChoiceField(
        label=gettext_lazy("Account"),
        queryset=BankAccount.objects.none(),
        required=False,
        empty_label=gettext_lazy("The account named in the file"),
    )

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_account"].queryset = BankAccount.objects.filter(
            company=company
        )


class ImportBankFileView(_BankingView):
    """Upload a camt.053, camt.054 or reference payment file."""

    page_title = gettext_lazy("Import bank file")
    header_icon = "upload"
    template_name = "banking/import.html"
    permission = IMPORT_PERMISSION

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportForm(company=self.company))
        return context

    def post(self, request):
        form = ImportForm(request.POST, request.FILES, company=self.company)
        if self.company is None or not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        try:
            result = services.import_bank_file(
                company=self.company,
                data=read_limited(upload),
                user=request.user,
                file_name=upload.name,
                bank_account=form.cleaned_data["bank_account"],
            )
        except ValidationError as error:
            form.add_error("file", error)
            return self.render_to_response(self.get_context_data(form=form))
        if result.already_imported and not result.created:
            messages.warning(
                request, _("This file was imported before; nothing was added.")
            )
        else:
            messages.success(
                request,
                _(
                    "%(created)s transactions imported (%(known)s already known): "
                    "%(matched)s matched, %(waiting)s waiting for you."
                )
                % {
                    "created": result.created,
                    "known": result.duplicates,
                    "matched": result.matched,
                    "waiting": result.waiting,
                },
            )
        return redirect("banking_reconcile")


class ReconciliationView(_BankingView):
    """The payments that need a person: pick invoices or post to an account."""

    page_title = gettext_lazy("Bank reconciliation")
    header_icon = "list-ul"
    template_name = "banking/reconcile.html"
    permission = RECONCILE_PERMISSION

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.company is not None:
            context["transactions"] = list(
                selectors.waiting_transactions(company=self.company)[:200]
            )
            context["accounts"] = Account.objects.filter(
                company=self.company, is_active=True
            ).order_by("number")
        return context

    def _transaction(self, request) -> BankTransaction:
        if self.company is None:
            raise Http404
        return get_object_or_404(
            BankTransaction, pk=request.POST.get("transaction"), company=self.company
        )

    def _document_for(self, number: str) -> str:
        provider = receivables_provider()
        items = provider.open_items(company=self.company) if provider else []
        for item in items:
            if item.number == number.strip():
                return item.document_id
        raise ValidationError(
            _("No open invoice has the number %(number)s.") % {"number": number}
        )

    def _act(self, request, action):
        if action == "rematch":
            count = services.rematch_waiting(company=self.company, user=request.user)
            return _("%(count)s payments matched.") % {"count": count}
        bank_transaction = self._transaction(request)
        if action == "accept":
            services.allocate_to_invoices(
                bank_transaction=bank_transaction,
                user=request.user,
                lines=[(request.POST["document"], bank_transaction.open_amount)],
            )
        elif action == "allocate":
            services.allocate_to_invoices(
                bank_transaction=bank_transaction,
                user=request.user,
                lines=[
                    (
                        self._document_for(request.POST.get("invoice", "")),
                        request.POST.get("amount") or bank_transaction.open_amount,
                    )
                ],
            )
        elif action == "post":
            account = get_object_or_404(
                Account, pk=request.POST.get("account"), company=self.company
            )
            services.post_to_account(
                bank_transaction=bank_transaction,
                user=request.user,
                account=account,
                amount=request.POST.get("amount") or None,
                description=request.POST.get("description", ""),
            )
        elif action == "refund":
            batch = payments.create_payment_batch(
                company=self.company,
                bank_account=bank_transaction.bank_account,
                instructions=[
                    payments.refund_instruction(bank_transaction=bank_transaction)
                ],
                user=request.user,
            )
            return _("Refund added to payment batch %(batch)s.") % {"batch": batch}
        else:
            raise Http404
        return _("Saved: %(payment)s.") % {"payment": bank_transaction}

    def post(self, request):
        try:
            done = self._act(request, request.POST.get("action", ""))
        except ValidationError as error:
            self._fail(error)
        else:
            messages.success(request, done)
        return redirect("banking_reconcile")


class StatusReportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Status report (pain.002)"))


class PaymentBatchesView(_BankingView):
    """Payment batches: approve, download the file, read the bank's answer."""

    page_title = gettext_lazy("Payment batches")
    header_icon = "upload"
    template_name = "banking/batches.html"
    permission = PAYMENTS_PERMISSION

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", StatusReportForm())
        context["batches"] = (
            PaymentBatch.objects.filter(company=self.company)
            .select_related("bank_account")
            .prefetch_related("payments")
            .order_by("-pk")[:50]
        )
        return context

    def post(self, request):
        if self.company is None:
            raise Http404
        try:
            if request.POST.get("action") == "approve":
                batch = get_object_or_404(
                    PaymentBatch, pk=request.POST.get("batch"), company=self.company
                )
                payments.approve_payment_batch(batch=batch, user=request.user)
                messages.success(
                    request, _("Batch %(batch)s approved.") % {"batch": batch}
                )
            else:
                form = StatusReportForm(request.POST, request.FILES)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                batch = payments.apply_status_report(
                    company=self.company,
                    data=read_limited(form.cleaned_data["file"]),
                    user=request.user,
                )
                messages.success(
                    request,
                    _("The bank's answer was applied to batch %(batch)s.")
                    % {"batch": batch},
                )
        except ValidationError as error:
            self._fail(error)
        return redirect("banking_batches")


def payment_file_view(request, pk):
    """Download the pain.001 file of an approved batch."""
    if not request.user.has_perm(PAYMENTS_PERMISSION):
        raise PermissionDenied
    batch = get_object_or_404(PaymentBatch, pk=pk, company=current_company(request))
    try:
        xml = payments.payment_file(batch=batch, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("banking_batches")
    response = HttpResponse(xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{batch.number}.xml"'
    return response


class ForecastView(_BankingView):
    """Expected cash by day and week, as a chart, a table and a download."""

    page_title = gettext_lazy("Cash forecast")
    header_icon = "calendar"
    template_name = "banking/forecast.html"
    permission = FORECAST_PERMISSION

    def _days(self) -> int:
        try:
            return max(7, min(int(self.request.GET.get("days", 91)), 366))
        except ValueError:
            return 91

    def get(self, request, *args, **kwargs):
        if self.company is None:
            return super().get(request, *args, **kwargs)
        self.forecast = selectors.cash_forecast(
            company=self.company, start=timezone.localdate(), days=self._days()
        )
        export = request.GET.get("format")
        if export in ("csv", "xlsx"):
            dataset = forecast_table(self.forecast)
            content_type = (
                "text/csv; charset=utf-8"
                if export == "csv"
                else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response = HttpResponse(dataset.export(export), content_type=content_type)
            name = f"cash-forecast-{datetime.date.today():%Y-%m-%d}.{export}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forecast = getattr(self, "forecast", None)
        if forecast is not None:
            context["forecast"] = forecast
            context["weeks"] = forecast.weeks()
            context["chart"] = forecast_chart(forecast)
            context["days"] = self._days()
            context["export_url"] = reverse("banking_forecast")
        return context
