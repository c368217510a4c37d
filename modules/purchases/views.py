"""Screens of purchase invoicing beyond the generated ones.

The upload screen receives e-invoices and scans; the file view serves an
archived file only to users who may see its company; the action view runs
circulation steps from the invoice card; the approval page is the
phone-friendly page the approval emails link to.
"""

import datetime
import logging

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from modules.core.current import current_company
from modules.core.models import BankAccount
from modules.core.scoping import scope_queryset, user_can_access_company

from . import circulation, matching, posting, services
from .models import ArchivedFile, PurchaseInvoice

logger = logging.getLogger(__name__)

MANAGE_PERMISSION = "purchases.change_purchaseinvoice"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Files"),
        help_text=gettext_lazy(
            "Finvoice or Peppol XML (also operator batches), PDF or image scans."
        ),
    )


def _looks_like_xml(data: bytes) -> bool:
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def receive_upload(*, company, upload, user) -> services.ReceiveResult:
    """Receive one uploaded file through the channel its content shows."""
    data = upload.read(services.MAX_FILE_BYTES + 1)
    if _looks_like_xml(data):
        return services.receive_einvoice(
            company=company, data=data, filename=upload.name, user=user
        )
    return services.receive_document(
        company=company,
        data=data,
        filename=upload.name,
        content_type=upload.content_type or "application/octet-stream",
        user=user,
    )


class UploadView(WagtailAdminTemplateMixin, FormView):
    page_title = gettext_lazy("Receive purchase invoices")
    header_icon = "upload"
    template_name = "purchases/upload.html"
    form_class = UploadForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(MANAGE_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        company = current_company(self.request)
        if company is None:
            form.add_error(None, _("Choose a company first."))
            return self.form_invalid(form)
        created = again = attention = 0
        for upload in form.cleaned_data["files"]:
            try:
                result = receive_upload(
                    company=company, upload=upload, user=self.request.user
                )
            except ValidationError as error:
                form.add_error("files", f"{upload.name}: {' '.join(error.messages)}")
                continue
            created += len(result.created)
            again += result.already_received
            attention += len(result.needs_attention)
        if form.errors:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "%(created)s invoices received, %(attention)s need attention, "
                "%(again)s had been received before."
            )
            % {"created": created, "attention": attention, "again": again},
        )
        return redirect("purchases_purchaseinvoice:index")


def _visible_invoice(request, pk) -> PurchaseInvoice:
    invoice = scope_queryset(
        PurchaseInvoice.objects.filter(pk=pk), request.user
    ).first()
    if invoice is None:
        raise Http404
    return invoice


class ArchivedFileView(View):
    """Serve an archived file to someone who may see its invoice."""

    def get(self, request, pk):
        archived = get_object_or_404(
            ArchivedFile.objects.select_related("invoice", "document"), pk=pk
        )
        if not (
            request.user.has_perm("purchases.view_archivedfile")
            or circulation.is_involved(user=request.user, invoice=archived.invoice)
        ) or not user_can_access_company(request.user, archived.invoice.company_id):
            raise PermissionDenied
        return FileResponse(
            archived.document.file.open("rb"),
            content_type=archived.content_type,
            filename=archived.document.filename,
            as_attachment=request.GET.get("download") == "1",
        )


ACTIONS = ("circulate", "approve", "reject", "forward", "post", "match")


def run_action(*, request, invoice, action: str) -> None:
    """Run one circulation action for the request's user; raise on refusal."""
    user = request.user
    comment = request.POST.get("comment", "")
    if action == "circulate":
        if not user.has_perm(MANAGE_PERMISSION):
            raise PermissionDenied
        circulation.start_circulation(invoice=invoice, user=user)
    elif action == "approve":
        circulation.approve_invoice(invoice=invoice, user=user, comment=comment)
    elif action == "reject":
        circulation.reject_invoice(invoice=invoice, user=user, comment=comment)
    elif action == "forward":
        to_user = (
            get_user_model().objects.filter(pk=request.POST.get("to_user") or 0).first()
        )
        if to_user is None:
            raise ValidationError(_("Choose the person to forward the invoice to."))
        circulation.forward_invoice(
            invoice=invoice, user=user, to_user=to_user, comment=comment
        )
    elif action == "post":
        if not user.has_perm(MANAGE_PERMISSION):
            raise PermissionDenied
        posting.post_purchase_invoice(invoice=invoice, user=user)
    elif action == "match":
        if not user.has_perm(MANAGE_PERMISSION):
            raise PermissionDenied
        order = (
            matching.open_orders(invoice=invoice)
            .filter(pk=request.POST.get("purchase_order") or 0)
            .first()
        )
        if order is None:
            raise ValidationError(_("Choose one of the supplier's purchase orders."))
        services.link_purchase_order(invoice=invoice, order=order, user=user)
    else:
        raise Http404


class InvoiceActionView(View):
    """Circulation buttons of the admin invoice card."""

    def post(self, request, pk, action):
        invoice = _visible_invoice(request, pk)
        try:
            run_action(request=request, invoice=invoice, action=action)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You may not do that."))
        else:
            messages.success(request, _("Done: %(invoice)s.") % {"invoice": invoice})
        return redirect("purchases_purchaseinvoice:inspect", invoice.pk)


@method_decorator(login_required(login_url="pages:login"), name="dispatch")
class ApprovalPage(View):
    """The page an approval email links to, made for a phone."""

    template_name = "purchases/approve.html"

    def _context(self, request, invoice, error=""):
        step = circulation.current_step(invoice)
        return {
            "invoice": invoice,
            "step": step,
            "my_turn": circulation.is_my_turn(user=request.user, invoice=invoice),
            "images": invoice.files.all(),
            "rows": invoice.accounting_rows.select_related("account"),
            "colleagues": circulation.colleagues(invoice=invoice, user=request.user),
            "error": error,
        }

    def _invoice(self, request, pk):
        invoice = get_object_or_404(PurchaseInvoice, pk=pk)
        if not circulation.is_involved(user=request.user, invoice=invoice):
            raise PermissionDenied
        return invoice

    def get(self, request, pk):
        invoice = self._invoice(request, pk)
        return render(request, self.template_name, self._context(request, invoice))

    def post(self, request, pk):
        invoice = self._invoice(request, pk)
        action = request.POST.get("action", "")
        if action not in ("approve", "reject", "forward"):
            raise Http404
        try:
            run_action(request=request, invoice=invoice, action=action)
        except (ValidationError, PermissionDenied) as error:
            message = (
                " ".join(error.messages)
                if isinstance(error, ValidationError)
                else str(error)
            )
            invoice.refresh_from_db()
            context = self._context(request, invoice, error=message)
            return render(request, self.template_name, context, status=400)
        return redirect(reverse("purchases_approve", args=[invoice.pk]) + "?done=1")


class PaymentProposalForm(forms.Form):
    due_by = forms.DateField(label=gettext_lazy("Pay invoices due by"))
    bank_account = forms.ModelChoiceField(
        label=gettext_lazy("From account"), queryset=BankAccount.objects.none()
    )
    take_cash_discounts = forms.BooleanField(
        label=gettext_lazy("Take cash discounts"),
        required=False,
        help_text=gettext_lazy(
            "Pay invoices with a cash discount date still ahead on that date, "
            "less the discount."
        ),
    )

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_account"].queryset = BankAccount.objects.filter(
            company=company
        )


class PaymentProposalView(WagtailAdminTemplateMixin, FormView):
    """Pick the invoices to pay and turn them into a payment batch."""

    page_title = gettext_lazy("Payment proposal")
    header_icon = "doc-full"
    template_name = "purchases/payment_proposal.html"
    form_class = PaymentProposalForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(MANAGE_PERMISSION):
            raise PermissionDenied
        self.company = current_company(request)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "company": self.company}

    def get_initial(self):
        return {"due_by": timezone.localdate() + datetime.timedelta(days=7)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        valid = form.is_bound and form.is_valid()
        due_by = form.cleaned_data["due_by"] if valid else self.get_initial()["due_by"]
        take = valid and form.cleaned_data["take_cash_discounts"]
        context["open"] = (
            posting.open_payables(company=self.company) if self.company else []
        )
        today = timezone.localdate()
        context["candidates"] = [
            (
                invoice,
                *posting.payment_terms(invoice, today=today, take_cash_discounts=take),
            )
            for invoice in (
                posting.payment_candidates(
                    company=self.company, due_by=due_by, take_cash_discounts=take
                )
                if self.company
                else []
            )
        ]
        return context

    def form_valid(self, form):
        try:
            batch = posting.propose_payments(
                company=self.company,
                bank_account=form.cleaned_data["bank_account"],
                due_by=form.cleaned_data["due_by"],
                user=self.request.user,
                take_cash_discounts=form.cleaned_data["take_cash_discounts"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Payment batch %(batch)s created; approve it to get the SEPA file.")
            % {"batch": batch},
        )
        return redirect("banking_paymentbatch:inspect", batch.pk)
