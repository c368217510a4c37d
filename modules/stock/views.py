"""Admin screens of stock beyond the generated ones.

The valuation report (also as CSV, XLSX and PDF), the ABC analysis with
its chart, batch tracing, and the review of a stock count with its PDF
count sheet. Each works on the current company and checks a permission
of the stock models.
"""

import datetime
import logging
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from modules.core.current import current_company
from modules.stock import counting, reports
from modules.stock.models import Batch, CountState, StockCount, Warehouse

logger = logging.getLogger(__name__)


def render_pdf(template_name: str, context: dict, filename: str) -> HttpResponse:
    """Return a PDF rendered by WeasyPrint from an HTML template."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    response = HttpResponse(HTML(string=html).write_pdf(), "application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class StockAdminView(WagtailAdminTemplateMixin, TemplateView):
    """An admin screen about the current company's stock."""

    permission = "stock.view_stockmove"
    header_icon = "home"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.company = current_company(request)
        if self.company is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class WarehouseChoice(forms.Form):
    warehouse = forms.ModelChoiceField(
        queryset=Warehouse.objects.none(),
        required=False,
        label=gettext_lazy("Warehouse"),
        empty_label=gettext_lazy("All warehouses"),
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = Warehouse.objects.filter(company=company)


class ValuationView(StockAdminView):
    """Stock value per product and warehouse at moving average cost."""

    page_title = gettext_lazy("Stock valuation")
    template_name = "stock/valuation.html"

    def get(self, request, *args, **kwargs):
        form = WarehouseChoice(request.GET or None, company=self.company)
        warehouse = form.cleaned_data["warehouse"] if form.is_valid() else None
        valuation = reports.stock_valuation(company=self.company, warehouse=warehouse)
        file_format = request.GET.get("format")
        if file_format in ("csv", "xlsx"):
            return self._table(valuation, file_format)
        context = self.get_context_data(
            form=form,
            valuation=valuation,
            company=self.company,
            warehouse=warehouse,
            today=timezone.localdate(),
        )
        if file_format == "pdf":
            return render_pdf("stock/valuation_pdf.html", context, "valuation.pdf")
        return self.render_to_response(context)

    def _table(self, valuation, file_format) -> HttpResponse:
        import tablib

        def cell(value):
            # Finnish spreadsheets read a decimal comma from CSV.
            if file_format == "csv" and isinstance(value, Decimal):
                return f"{value:f}".replace(".", ",")
            return value

        names = [name for name, _label in reports.VALUATION_COLUMNS]
        data = tablib.Dataset(
            headers=[str(label) for _name, label in reports.VALUATION_COLUMNS]
        )
        for row in valuation.rows:
            data.append([cell(getattr(row, name)) for name in names])
        data.append(["", "", "", "", "", str(_("Total")), cell(valuation.total)])
        if file_format == "csv":
            response = HttpResponse(
                "\ufeff" + data.export("csv", delimiter=";"),
                content_type="text/csv; charset=utf-8",
            )
        else:
            response = HttpResponse(
                data.export("xlsx"),
                content_type=(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                ),
            )
        response["Content-Disposition"] = (
            f'attachment; filename="valuation.{file_format}"'
        )
        return response


class AbcForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"))
    end = forms.DateField(label=gettext_lazy("To"))
    measure = forms.ChoiceField(
        label=gettext_lazy("Measure"), choices=reports.AbcMeasure.CHOICES
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("start")
            and cleaned.get("end")
            and cleaned["end"] < cleaned["start"]
        ):
            raise ValidationError(_("The period ends before it starts."))
        return cleaned


class AbcView(StockAdminView):
    """ABC analysis over a period, with a Pareto chart; classes can be saved."""

    page_title = gettext_lazy("ABC analysis")
    template_name = "stock/abc.html"

    def _form(self, data):
        today = timezone.localdate()
        initial = {
            "start": today - datetime.timedelta(days=365),
            "end": today,
            "measure": reports.AbcMeasure.VALUE,
        }
        return AbcForm(data or None, initial=initial)

    def _result(self, form):
        if not form.is_valid():
            return None
        return reports.abc_analysis(
            company=self.company,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            measure=form.cleaned_data["measure"],
        )

    def get(self, request, *args, **kwargs):
        form = self._form(request.GET)
        result = self._result(form)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                result=result,
                chart=reports.abc_chart_points(result) if result else None,
            )
        )

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("products.change_product"):
            raise PermissionDenied
        form = self._form(request.POST)
        result = self._result(form)
        if result is None:
            messages.error(request, _("Check the period and the measure."))
            return redirect("stock_abc")
        changed = reports.apply_abc_classes(result=result, user=request.user)
        messages.success(
            request,
            _("ABC classes saved; %(count)s products changed.") % {"count": changed},
        )
        return redirect(f"{request.path}?{request.POST.urlencode()}")


class BatchTraceView(StockAdminView):
    """Where a batch came from and every document it left with."""

    page_title = gettext_lazy("Batch trace")
    template_name = "stock/batch_trace.html"

    def get(self, request, *args, **kwargs):
        number = request.GET.get("number", "").strip()
        batches = (
            Batch.objects.filter(
                company=self.company, number__iexact=number
            ).select_related("product")
            if number
            else Batch.objects.none()
        )
        traces = [reports.trace_batch(batch=batch) for batch in batches]
        return self.render_to_response(
            self.get_context_data(number=number, traces=traces, searched=bool(number))
        )


class CountReviewView(StockAdminView):
    """A count's lines with their differences; post or cancel it."""

    permission = "stock.view_stockcount"
    page_title = gettext_lazy("Stock count")
    template_name = "stock/count_review.html"

    def _count(self):
        return get_object_or_404(
            StockCount.objects.select_related("warehouse"),
            pk=self.kwargs["pk"],
            company=self.company,
        )

    def get(self, request, *args, **kwargs):
        count = self._count()
        lines = count.lines.select_related("product", "location", "batch", "counted_by")
        if request.GET.get("format") == "pdf":
            return render_pdf(
                "stock/count_sheet_pdf.html",
                {"count": count, "lines": lines, "company": self.company},
                f"count-{count.number}.pdf",
            )
        return self.render_to_response(
            self.get_context_data(
                count=count, lines=lines, is_open=count.state == CountState.OPEN
            )
        )

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("stock.change_stockcount"):
            raise PermissionDenied
        count = self._count()
        action = request.POST.get("action")
        try:
            if action == "post":
                moves = counting.post_count(count=count, user=request.user)
                messages.success(
                    request,
                    _("Count posted: %(count)s differences booked.")
                    % {"count": len(moves)},
                )
            elif action == "cancel":
                counting.cancel_count(count=count, user=request.user)
                messages.success(request, _("Count cancelled."))
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("stock_count_review", pk=count.pk)
