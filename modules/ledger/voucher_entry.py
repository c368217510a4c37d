"""The voucher entry screen: an accountant types a journal voucher by hand.

The screen is a form for the voucher (series, date, description, source
document) and a formset of lines that the browser grows and shrinks
(`static/ledger/voucher_entry.js`). While typing, the browser asks
`VoucherPreviewView` for the tax lines the VAT codes call for and the
totals after them, worked out by the same `expand_vat` the posting service
uses. Saving posts through `post_voucher`; a refusal (unbalanced, locked
period, VAT code without a rate, currency without a rate) is shown above
the lines, which stay as they were typed. A posted voucher's page has a
button to reverse it (`ReverseVoucherView`).

Both need the permission to add vouchers and the accountant's (or
administrator's) role in the current company.
"""

import dataclasses
import datetime
import logging
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import FileExtensionValidator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.documents import get_document_model

from modules.core.current import current_company
from modules.core.models import Currency, Role
from modules.core.money import round_decimal
from modules.core.scoping import require_role, user_has_role
from modules.core.selectors import BASE_CURRENCY, rate_on
from modules.ledger.models import (
    Account,
    CostCentre,
    Project,
    VatCode,
    VatRole,
    Voucher,
    VoucherSeries,
)
from modules.ledger.services import (
    LineInput,
    attach_document,
    post_voucher,
    reverse_voucher,
)
from modules.ledger.vat import VatTable, expand_vat

logger = logging.getLogger(__name__)

ENTRY_PERMISSION = "ledger.add_voucher"
ENTRY_ROLES = (Role.ADMINISTRATOR, Role.ACCOUNTANT)
ZERO = Decimal("0.00")
TAX_ROLES = (VatRole.TAX_PAYABLE, VatRole.TAX_DEDUCTIBLE)
DOCUMENT_TYPES = ["pdf", "png", "jpg", "jpeg", "tif", "tiff", "gif", "webp"]
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# A line row with any of these filled in is a line, else an empty row.
TYPED_FIELDS = ("account", "description", "debit", "credit", "amount_in_currency")


def may_enter_vouchers(user, company) -> bool:
    """Return whether `user` may post and reverse vouchers of `company`."""
    return user.has_perm(ENTRY_PERMISSION) and user_has_role(user, company, ENTRY_ROLES)


def require_entry_rights(request):
    """Return the current company if the user may post vouchers in it."""
    company = current_company(request)
    if company is None or not request.user.has_perm(ENTRY_PERMISSION):
        raise PermissionDenied
    require_role(request.user, company, ENTRY_ROLES)
    return company


# Forms


def _amount_field(label):
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
        localize=True,
    )


class VoucherForm(forms.Form):
    """The voucher's own fields."""

    series = forms.ModelChoiceField(
        label=gettext_lazy("series"), queryset=VoucherSeries.objects.none()
    )
    date = forms.DateField(
        label=gettext_lazy("date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    description = forms.CharField(label=gettext_lazy("description"), max_length=200)
    document = forms.FileField(
        label=gettext_lazy("source document (PDF or image)"),
        required=False,
        validators=[FileExtensionValidator(DOCUMENT_TYPES)],
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = VoucherSeries.objects.filter(
            company=company
        ).order_by("code")

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document is not None and document.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        return document


class LineForm(forms.Form):
    """One line as typed; a row left wholly empty is no line."""

    account = forms.ModelChoiceField(
        label=gettext_lazy("account"), queryset=Account.objects.none(), required=False
    )
    description = forms.CharField(
        label=gettext_lazy("description"), max_length=200, required=False
    )
    debit = _amount_field(gettext_lazy("debit"))
    credit = _amount_field(gettext_lazy("credit"))
    vat_code = forms.ChoiceField(label=gettext_lazy("VAT code"), required=False)
    cost_centre = forms.ModelChoiceField(
        label=gettext_lazy("cost centre"),
        queryset=CostCentre.objects.none(),
        required=False,
    )
    project = forms.ModelChoiceField(
        label=gettext_lazy("project"), queryset=Project.objects.none(), required=False
    )
    currency = forms.ChoiceField(label=gettext_lazy("currency"), required=False)
    amount_in_currency = forms.DecimalField(
        label=gettext_lazy("amount in currency (+ debit, - credit)"),
        required=False,
        max_digits=18,
        decimal_places=2,
        localize=True,
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = choices["accounts"]
        self.fields["cost_centre"].queryset = choices["cost_centres"]
        self.fields["project"].queryset = choices["projects"]
        self.fields["vat_code"].choices = choices["vat_codes"]
        self.fields["currency"].choices = choices["currencies"]
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = field.label

    def clean(self):
        cleaned = super().clean()
        typed = any(cleaned.get(name) for name in TYPED_FIELDS)
        if typed and cleaned.get("account") is None and "account" not in self.errors:
            self.add_error("account", _("Choose an account."))
        return cleaned

    def line_input(self) -> LineInput | None:
        """Return the line for the posting service, None for an empty row."""
        data = self.cleaned_data
        if data.get("account") is None:
            return None
        return LineInput(
            account=data["account"],
            debit=data.get("debit") or ZERO,
            credit=data.get("credit") or ZERO,
            description=data.get("description", ""),
            vat_code=data.get("vat_code", ""),
            cost_centre=data.get("cost_centre"),
            project=data.get("project"),
            currency=data.get("currency") or BASE_CURRENCY,
            amount_in_currency=data.get("amount_in_currency"),
        )


LineFormSet = forms.formset_factory(LineForm, extra=0)


def line_choices(company) -> dict:
    """Return the company's accounts, codes and dimensions for the lines."""
    codes = VatCode.objects.filter(company=company, is_active=True).order_by("code")
    currencies = Currency.objects.order_by("code").values_list("code", flat=True)
    return {
        "accounts": Account.objects.filter(company=company, is_active=True).order_by(
            "number"
        ),
        "cost_centres": CostCentre.objects.filter(
            company=company, is_active=True
        ).order_by("code"),
        "projects": Project.objects.filter(company=company, is_active=True).order_by(
            "code"
        ),
        "vat_codes": [("", "")] + [(code.code, str(code)) for code in codes],
        "currencies": [(BASE_CURRENCY, BASE_CURRENCY)]
        + [(code, code) for code in currencies if code != BASE_CURRENCY],
    }


def entry_forms(company, data=None, files=None, *, initial_lines=2):
    """Return the bound (or fresh) voucher form and line formset."""
    voucher_form = VoucherForm(
        data,
        files,
        company=company,
        initial={"date": datetime.date.today()},
    )
    choices = line_choices(company)
    lines = LineFormSet(
        data,
        prefix="lines",
        form_kwargs={"choices": choices},
        initial=None if data is not None else [{}] * initial_lines,
    )
    return voucher_form, lines


def typed_lines(formset) -> list[LineInput]:
    """Return the lines of a valid formset, empty rows left out."""
    return [line for form in formset for line in [form.line_input()] if line]


# Preview


@dataclasses.dataclass
class Preview:
    """The voucher's lines after VAT, and its totals, or why there are none."""

    tax_lines: list = dataclasses.field(default_factory=list)
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    error: str = ""

    @property
    def difference(self) -> Decimal:
        return self.debit - self.credit

    def as_json(self) -> dict:
        def money(value):
            return number_format(value, 2, force_grouping=True)

        return {
            "tax_lines": [
                {
                    "account": str(line.account),
                    "description": line.description,
                    "debit": money(line.debit) if line.debit else "",
                    "credit": money(line.credit) if line.credit else "",
                }
                for line in self.tax_lines
            ],
            "debit": money(self.debit),
            "credit": money(self.credit),
            "difference": money(self.difference),
            "balanced": not self.difference and not self.error,
            "error": self.error,
        }


def _in_euros(line: LineInput, date) -> LineInput:
    """Give a line typed only in a foreign currency its euro side.

    The posting service converts the same way (rate of the voucher date);
    lines with a euro amount keep it.
    """
    if line.currency == BASE_CURRENCY or line.debit or line.credit:
        return line
    if line.amount_in_currency is None:
        return line
    euros = round_decimal(line.amount_in_currency / rate_on(line.currency, date), 2)
    return dataclasses.replace(line, debit=max(euros, ZERO), credit=max(-euros, ZERO))


def preview_lines(*, company, date, lines) -> Preview:
    """Return the tax lines and totals `post_voucher` would post for `lines`."""
    try:
        euros = [_in_euros(line, date) for line in lines]
        expanded = expand_vat(table=VatTable(company), date=date, lines=euros)
    except ValidationError as error:
        return Preview(error=" ".join(error.messages))
    return Preview(
        tax_lines=[line for line in expanded if line.vat_role in TAX_ROLES],
        debit=sum((line.debit for line in expanded), ZERO),
        credit=sum((line.credit for line in expanded), ZERO),
    )


# Views


class VoucherEntryView(WagtailAdminTemplateMixin, TemplateView):
    """Enter a journal voucher and post it."""

    page_title = gettext_lazy("Enter a voucher")
    header_icon = "doc-full-inverse"
    template_name = "ledger/voucher_entry.html"

    def dispatch(self, request, *args, **kwargs):
        self.company = require_entry_rights(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        voucher_form, lines = entry_forms(self.company)
        return self.render_to_response(
            self.get_context_data(voucher_form=voucher_form, lines=lines)
        )

    def post(self, request, *args, **kwargs):
        voucher_form, lines = entry_forms(self.company, request.POST, request.FILES)
        errors = []
        if voucher_form.is_valid() and lines.is_valid():
            try:
                voucher = self._post(voucher_form.cleaned_data, typed_lines(lines))
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(
                    request, _("Voucher %(voucher)s posted.") % {"voucher": voucher}
                )
                return redirect("ledger_reports:voucher", pk=voucher.pk)
        else:
            errors = [_("Check the marked fields.")]
        if request.FILES.get("document"):
            errors.append(_("Choose the source document again."))
        context = self.get_context_data(
            voucher_form=voucher_form, lines=lines, errors=errors
        )
        return self.render_to_response(context, status=400)

    def _post(self, cleaned, lines) -> Voucher:
        user = self.request.user
        with transaction.atomic():
            voucher = post_voucher(
                company=self.company,
                user=user,
                series=cleaned["series"],
                date=cleaned["date"],
                description=cleaned["description"],
                lines=lines,
            )
            upload = cleaned.get("document")
            if upload is not None:
                document = get_document_model()(
                    title=upload.name[:255], file=upload, uploaded_by_user=user
                )
                document.save()
                attach_document(voucher=voucher, user=user, document=document)
        logger.info("Voucher %s entered by hand by %s", voucher, user.pk)
        return voucher


class VoucherPreviewView(View):
    """The tax lines and totals of the voucher being typed, as JSON."""

    def post(self, request, *args, **kwargs):
        company = require_entry_rights(request)
        voucher_form, lines = entry_forms(company, request.POST)
        try:
            date = voucher_form.fields["date"].clean(request.POST.get("date"))
        except ValidationError:
            return JsonResponse(Preview(error=_("Give the date.")).as_json())
        valid = [form.line_input() for form in lines if form.is_valid()]
        preview = preview_lines(
            company=company, date=date, lines=[line for line in valid if line]
        )
        return JsonResponse(preview.as_json())


class ReverseVoucherView(View):
    """Reverse a posted voucher of the current company on a chosen date."""

    def post(self, request, pk):
        company = require_entry_rights(request)
        voucher = get_object_or_404(Voucher, pk=pk, company=company)
        try:
            date = forms.DateField(localize=True).clean(request.POST.get("date"))
            reversal = reverse_voucher(voucher=voucher, user=request.user, date=date)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("ledger_reports:voucher", pk=voucher.pk)
        messages.success(
            request,
            _("Voucher %(voucher)s reversed by %(reversal)s.")
            % {"voucher": voucher, "reversal": reversal},
        )
        return redirect("ledger_reports:voucher", pk=reversal.pk)
