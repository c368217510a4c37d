"""CSV/XLSX import and export for registered models.

A django-import-export resource is generated from each registration. Rows
are matched by the registration's key within the current company only;
every row is written through `cms.services`, and a file is imported in one
transaction: either every row is saved, or none is and the preview names
each failing row and why. The preview (a dry run) shows what would change
before anything is written.
"""

import csv
import io
import logging
from decimal import Decimal, InvalidOperation

import tablib
from django import forms
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import models, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from import_export import fields as ie_fields
from import_export import resources, widgets

from cms import services
from cms.models import ImportFile
from cms.registry import Registration, get_registration
from modules.core.current import current_company
from modules.core.scoping import scope_queryset

logger = logging.getLogger(__name__)

MAX_ROWS = 100_000
EXCLUDED = {"company", "extra"}


class ImportFileError(Exception):
    """An uploaded file that cannot be read as a table."""


class FinnishDecimalWidget(widgets.DecimalWidget):
    """Accept `1 234,50` as well as `1234.50`; export with a decimal comma."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, float):
            value = repr(value)
        text = str(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            return Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(
                _("“%(value)s” is not a number.") % {"value": value}
            ) from exc

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return format(value, "f").replace(".", ",")


class FinnishDateWidget(widgets.DateWidget):
    """Accept ISO dates and Finnish `31.12.2026`."""

    def __init__(self, **kwargs):
        super().__init__(format=None, **kwargs)
        self.formats = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y")


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """Look up linked rows only among the importing user's companies."""

    user = None

    def get_queryset(self, value, row, *args, **kwargs):
        return scope_queryset(self.model._default_manager.all(), self.user)


class ExtraField(ie_fields.Field):
    """A column for one administrator-defined extra field."""

    def __init__(self, definable_field, column_name):
        super().__init__(attribute=None, column_name=column_name, readonly=False)
        self.definable_field = definable_field

    def get_value(self, instance):
        return (instance.extra or {}).get(self.definable_field.key)

    def export(self, instance, **kwargs):
        from cms.definable import api

        return api.export_value(self.definable_field, self.get_value(instance))

    def save(self, instance, row, is_m2m=False, **kwargs):
        from cms.definable import api

        if self.column_name not in row:
            return
        extra = dict(instance.extra or {})
        try:
            extra[self.definable_field.key] = api.import_value(
                self.definable_field, row[self.column_name]
            )
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from error
        instance.extra = extra


class RegisteredResource(resources.ModelResource):
    """Base of the generated resources: scoped, and saving through services."""

    registration: Registration = None

    def __init__(self, *, user, company):
        super().__init__()
        self.user = user
        self.company = company
        for field in self.fields.values():
            if isinstance(field.widget, ScopedForeignKeyWidget):
                field.widget.user = user
        if self.registration.definable_forms:
            from cms.definable import api

            by_key = {field.key: field for field in api.fields_for(self._meta.model)}
            for column, key in api.export_columns(self._meta.model):
                if key in by_key:
                    self.fields[column] = ExtraField(by_key[key], column)

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, models.DecimalField):
            return FinnishDecimalWidget
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
            return FinnishDateWidget
        if isinstance(f, models.ForeignKey):
            return ScopedForeignKeyWidget
        return super().widget_from_django_field(f, default)

    @classmethod
    def widget_kwargs_for_field(cls, field_name, django_field):
        kwargs = super().widget_kwargs_for_field(field_name, django_field)
        if isinstance(django_field, models.ForeignKey):
            kwargs.setdefault("model", django_field.related_model)
        return kwargs

    def get_queryset(self):
        model = self._meta.model
        company = self.company if self.registration.company_field == "company" else None
        return scope_queryset(model._default_manager.all(), self.user, company=company)

    def init_instance(self, row=None):
        instance = self._meta.model()
        if self.registration.company_field == "company":
            instance.company = self.company
        return instance

    def _service_data(self, instance) -> dict:
        data = {}
        for field in self.get_import_fields():
            if isinstance(field, ExtraField) or not field.attribute:
                continue
            name = field.attribute
            if name in EXCLUDED or name == "id":
                continue
            data[name] = getattr(instance, name)
        if self.registration.definable_forms:
            from cms.definable import api

            data["extra"] = api.clean_values(
                self._meta.model,
                dict(instance.extra or {}),
                company=self.company,
                user=self.user,
                existing=instance.extra or {},
            )
        return data

    def do_instance_save(self, instance, is_create):
        data = self._service_data(instance)
        if is_create:
            saved = services.create(
                model=self._meta.model, company=self.company, user=self.user, data=data
            )
            instance.pk = saved.pk
        else:
            current = self._meta.model._default_manager.get(pk=instance.pk)
            services.update(instance=current, user=self.user, data=data)


def resource_class_for(registration: Registration) -> type[RegisteredResource]:
    """Return the import/export resource class generated for `registration`."""
    options = registration.import_export
    if options.resource_class is not None:
        return options.resource_class
    model = registration.model
    if options.fields is not None:
        field_names = list(options.fields)
    else:
        field_names = [
            field.name
            for field in model._meta.concrete_fields
            if field.editable
            and field.name not in EXCLUDED
            and (not field.primary_key or field.name in options.key)
        ]
    for key in options.key:
        if key not in field_names:
            field_names.insert(0, key)
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": field_names,
            "import_id_fields": list(options.key),
            "skip_unchanged": True,
            "report_skipped": True,
            "clean_model_instances": True,
            "use_transactions": True,
        },
    )
    return type(
        f"{model.__name__}Resource",
        (RegisteredResource,),
        {"Meta": meta, "registration": registration, "__module__": __name__},
    )


def read_table(content: bytes, filename: str) -> tablib.Dataset:
    """Read an uploaded CSV or XLSX file into a dataset, or raise ImportFileError."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            dataset = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
        except Exception as exc:
            logger.info("Unreadable XLSX upload %s: %s", filename, exc)
            raise ImportFileError(
                _("The file is not a readable Excel (XLSX) workbook.")
            ) from exc
    elif name.endswith(".csv") or name.endswith(".txt"):
        text = _decode(content)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
            delimiter = dialect.delimiter
        except csv.Error:
            delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
        try:
            dataset = tablib.Dataset().load(text, format="csv", delimiter=delimiter)
        except Exception as exc:
            raise ImportFileError(_("The CSV file could not be read.")) from exc
    else:
        raise ImportFileError(_("Choose a CSV or XLSX file."))
    if not dataset.headers:
        raise ImportFileError(_("The file has no header row."))
    if len(dataset) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(count)s rows; split it.") % {"count": MAX_ROWS}
        )
    return dataset


def _decode(content: bytes) -> str:
    if b"\x00" in content[:1024]:
        raise ImportFileError(_("The file is not a text CSV file."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file's character encoding is not supported."))


class RowReport:
    """What the import did or would do to one row, for the preview."""

    def __init__(self, number, status, values, errors):
        self.number = number
        self.status = status
        self.values = values
        self.errors = errors


def run_import(*, registration, dataset, user, company, dry_run: bool):
    """Import `dataset` in one transaction and return (result, row reports).

    On a dry run, or when any row fails, nothing is written.
    """
    resource = resource_class_for(registration)(user=user, company=company)
    with transaction.atomic():
        result = resource.import_data(
            dataset, dry_run=True, use_transactions=True, raise_errors=False
        )
        failed = result.has_errors() or result.has_validation_errors()
        if not dry_run and not failed:
            result = resource.import_data(
                dataset, dry_run=False, use_transactions=True, raise_errors=False
            )
            failed = result.has_errors() or result.has_validation_errors()
            if failed:
                transaction.set_rollback(True)
    return result, _row_reports(result, registration.model)


def _field_label(model, name: str) -> str:
    if name == NON_FIELD_ERRORS:
        return ""
    try:
        return f"{capfirst(model._meta.get_field(name).verbose_name)}: "
    except FieldDoesNotExist:
        return f"{name}: "


def _row_reports(result, model) -> list[RowReport]:
    reports = []
    labels = {
        "new": gettext_lazy("New"),
        "update": gettext_lazy("Changed"),
        "skip": gettext_lazy("Unchanged"),
        "error": gettext_lazy("Error"),
        "invalid": gettext_lazy("Invalid"),
        "delete": gettext_lazy("Deleted"),
    }
    for index, row in enumerate(result.rows, start=1):
        if row.import_type == "invalid":
            continue  # reported with its messages from invalid_rows below
        errors = [str(error.error) for error in row.errors]
        reports.append(
            RowReport(index, labels.get(row.import_type, ""), row.diff, errors)
        )
    for invalid in result.invalid_rows:
        messages = [
            _field_label(model, field) + " ".join(str(m) for m in msgs)
            for field, msgs in invalid.error_dict.items()
        ]
        reports.append(
            RowReport(invalid.number, labels["invalid"], list(invalid.values), messages)
        )
    for number, errors in result.row_errors():
        if not any(report.number == number for report in reports):
            reports.append(
                RowReport(number, labels["error"], [], [str(e.error) for e in errors])
            )
    reports.sort(key=lambda report: report.number)
    for report in reports:
        report.failed = bool(report.errors)
    return reports


def summary(totals) -> str:
    """Say in words how many rows are new, changed and unchanged."""
    new, changed, same = (totals.get(kind, 0) for kind in ("new", "update", "skip"))
    return ", ".join(
        [
            ngettext("%(count)s new row", "%(count)s new rows", new) % {"count": new},
            ngettext("%(count)s changed row", "%(count)s changed rows", changed)
            % {"count": changed},
            ngettext("%(count)s unchanged row", "%(count)s unchanged rows", same)
            % {"count": same},
        ]
    )


def _failed(result, rows) -> bool:
    return any(row.failed for row in rows) or bool(result.base_errors)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A CSV (comma or semicolon separated) or XLSX file."),
    )


class _ViewSetView(View):
    viewset = None

    @property
    def registration(self):
        return get_registration(self.viewset.model)

    def dispatch(self, request, *args, **kwargs):
        if not self.viewset.permission_policy.user_has_permission(
            request.user, self.required_permission
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _company(self):
        if self.registration.company_field in (None, "pk"):
            return None
        return current_company(self.request)

    def _context(self, **extra):
        return {
            "view": self,
            "model_opts": self.viewset.model._meta,
            "index_url": self.viewset.get_url_name("index"),
            "import_url": self.viewset.get_url_name("import"),
            "company": self._company(),
            **extra,
        }


class ImportView(_ViewSetView):
    """Upload, preview and confirm an import into the current company."""

    required_permission = "add"
    template_name = "cms/import.html"

    def get(self, request):
        return TemplateResponse(
            request, self.template_name, self._context(form=ImportUploadForm())
        )

    def post(self, request):
        if "confirm" in request.POST:
            return self._confirm(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return TemplateResponse(
                request, self.template_name, self._context(form=form)
            )
        upload = form.cleaned_data["file"]
        if upload.size > _max_bytes():
            form.add_error("file", _("The file is too large."))
            return TemplateResponse(
                request, self.template_name, self._context(form=form)
            )
        content = upload.read()
        stored = ImportFile.objects.create(
            user=request.user,
            model_label=self.viewset.model._meta.label_lower,
            filename=upload.name[:200],
            content=content,
        )
        return self._preview(request, stored, form)

    def _load(self, stored):
        return read_table(bytes(stored.content), stored.filename)

    def _preview(self, request, stored, form):
        company = self._company()
        if self.registration.company_field == "company" and company is None:
            form.add_error("file", _("You have no company to import into."))
            return TemplateResponse(
                request, self.template_name, self._context(form=form)
            )
        try:
            dataset = self._load(stored)
        except ImportFileError as error:
            stored.delete()
            form.add_error("file", str(error))
            return TemplateResponse(
                request, self.template_name, self._context(form=form)
            )
        result, rows = run_import(
            registration=self.registration,
            dataset=dataset,
            user=request.user,
            company=company,
            dry_run=True,
        )
        return self._render_preview(request, stored, result, rows)

    def _render_preview(self, request, stored, result, rows):
        return TemplateResponse(
            request,
            "cms/import_preview.html",
            self._context(
                stored=stored,
                headers=result.diff_headers,
                rows=rows,
                summary=summary(result.totals),
                failed=_failed(result, rows),
                base_errors=[str(error.error) for error in result.base_errors],
            ),
        )

    def _confirm(self, request):
        stored = get_object_or_404(
            ImportFile,
            pk=request.POST.get("import_file"),
            user=request.user,
            model_label=self.viewset.model._meta.label_lower,
        )
        dataset = self._load(stored)
        result, rows = run_import(
            registration=self.registration,
            dataset=dataset,
            user=request.user,
            company=self._company(),
            dry_run=False,
        )
        if _failed(result, rows):
            return self._render_preview(request, stored, result, rows)
        stored.delete()
        from wagtail.admin import messages

        messages.success(
            request,
            _("Import done: %(summary)s.") % {"summary": summary(result.totals)},
        )
        logger.info(
            "Import of %s by %s: %s", stored.filename, request.user, dict(result.totals)
        )
        return redirect(self.viewset.get_url_name("index"))


class ExportView(_ViewSetView):
    """Download the current company's rows as CSV or XLSX."""

    required_permission = "view"

    def dispatch(self, request, *args, **kwargs):
        policy = self.viewset.permission_policy
        if not policy.user_has_any_permission(request.user, ["view", "change"]):
            raise PermissionDenied
        return View.dispatch(self, request, *args, **kwargs)

    def get(self, request):
        export_format = request.GET.get("format", "csv")
        if export_format not in ("csv", "xlsx"):
            export_format = "csv"
        resource = resource_class_for(self.registration)(
            user=request.user, company=self._company()
        )
        dataset = resource.export(resource.get_queryset())
        stamp = timezone.localdate().isoformat()
        filename = f"{self.viewset.model._meta.model_name}-{stamp}.{export_format}"
        if export_format == "csv":
            body = "\ufeff" + dataset.export("csv", delimiter=";")
            content_type = "text/csv; charset=utf-8"
        else:
            body = dataset.export("xlsx")
            content_type = (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def _max_bytes() -> int:
    from django.conf import settings

    return settings.IMPORT_MAX_BYTES
