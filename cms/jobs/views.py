"""Admin views for background jobs: list, detail, live progress, start, cancel.

Every view reads jobs through `cms.jobs.selectors.visible_jobs`, so a user
only ever finds the jobs of their own companies; others answer 404.
"""

import json
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, UserColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from cms.jobs.models import JobStatus
from cms.jobs.selectors import user_can_cancel_job, visible_jobs
from cms.jobs.services import cancel_job, start_job
from modules.core.current import current_company

COUNT_RECORDS_TASK = "cms.jobs.tasks.count_records"


def job_progress_data(job) -> dict:
    """Return what a progress bar shows of `job`, as JSON-ready values."""
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "finished": job.is_finished,
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "message": job.message,
        "error": job.error,
    }


class ProgressColumn(Column):
    cell_template_name = "jobs/progress_cell.html"


class JobIndexView(IndexView):
    def get_base_queryset(self):
        return visible_jobs(self.request.user)

    @property
    def columns(self):
        return [
            self._get_title_column("title"),
            StatusTagColumn(
                "status",
                label=gettext_lazy("Status"),
                accessor="get_status_display",
                sort_key="status",
                primary=lambda job: job.status == JobStatus.RUNNING,
            ),
            ProgressColumn("progress", label=gettext_lazy("Progress")),
            Column("company", label=gettext_lazy("Company")),
            UserColumn("user", label=gettext_lazy("Started by")),
            DateColumn(
                "created_at", label=gettext_lazy("Created"), sort_key="created_at"
            ),
        ]

    @property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Count records"),
                url=reverse("jobs:start_count"),
                icon_name="time",
            )
        ]


class JobInspectView(InspectView):
    template_name = "jobs/job_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(visible_jobs(self.request.user), pk=self.pk)

    def get_company_display_value(self):
        return self.object.company or _("All companies")

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None else value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_cancel"] = user_can_cancel_job(self.request.user, self.object)
        context["cancel_url"] = reverse("jobs:cancel", args=[self.object.pk])
        if self.object.result is not None:
            context["result_json"] = json.dumps(
                self.object.result, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder
            )
        return context


@require_GET
def job_progress(request, pk):
    """Answer the progress of one visible job as JSON, for the live bar."""
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    return JsonResponse(job_progress_data(job))


@require_POST
def job_cancel(request, pk):
    """Cancel a job the user started (or may manage) and show it again."""
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    if not user_can_cancel_job(request.user, job):
        messages.error(request, _("You cannot cancel this job."))
        return redirect("jobs:inspect", pk)

    try:
        cancel_job(job=job, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The job was cancelled."))
    return redirect("jobs:inspect", pk)


class StartCountRecordsView(WagtailAdminTemplateMixin, TemplateView):
    """Confirm and start a record count for the current company."""

    template_name = "jobs/start_count.html"
    page_title = gettext_lazy("Count records")
    header_icon = "time"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("jobs:index"), "label": _("Background jobs")},
            {"url": "", "label": self.get_page_title()},
        ]

    def _company(self):
        return current_company(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["company"] = self._company()
        context["can_start"] = (
            bool(context["company"]) or self.request.user.is_superuser
        )
        context["request_key"] = uuid.uuid4().hex
        return context

    def post(self, request):
        company = self._company()
        if company is None and not request.user.is_superuser:
            messages.error(request, _("Choose a company before starting a job."))
            return redirect("jobs:index")

        key = request.POST.get("request_key", "")[:64]
        try:
            job = start_job(
                company=company,
                user=request.user,
                kind=COUNT_RECORDS_TASK,
                title=_("Count records of %(company)s")
                % {"company": company or _("all companies")},
                params={},
                idempotency_key=f"count-records:{key}" if key else None,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("jobs:index")
        return redirect("jobs:inspect", job.pk)
