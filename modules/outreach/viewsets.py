"""Admin viewsets of marketing and events, built on the generated ones.

Their inspect views carry the actions: a segment's recipients and exports,
a mailing's sending, progress and per-recipient log, an event's invitation
list, registration pages and attendance.
"""

from django.core.paginator import Paginator
from django.db.models import Count
from wagtail.admin.panels import FieldPanel, ObjectList

from cms.jobs.models import Job
from cms.viewsets import (
    CreateView,
    InspectView,
    RegisteredModelForm,
    RegisteredViewSet,
)
from modules.core.scoping import scope_queryset
from modules.crm.selectors import visible_classifications
from modules.outreach.models import (
    Event,
    EventRegistrationPage,
    RecipientStatus,
    Registration,
)

LOG_PER_PAGE = 50


class SegmentForm(RegisteredModelForm):
    """Offer only the classifications of schemes the user sees."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        field = self.fields.get("classifications")
        if field is not None and for_user is not None:
            field.queryset = visible_classifications(
                for_user, company=self.instance.company_id
            )


class SegmentInspectView(InspectView):
    template_name = "outreach/segment_inspect.html"


class MailingInspectView(InspectView):
    template_name = "outreach/mailing_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recipients = self.object.recipients.select_related("person")
        context["log"] = Paginator(recipients, LOG_PER_PAGE).get_page(
            self.request.GET.get("p")
        )
        labels = dict(RecipientStatus.choices)
        context["log_counts"] = [
            (labels.get(row["status"], row["status"]), row["count"])
            for row in recipients.values("status").annotate(count=Count("pk"))
        ]
        job = self.object.job
        if job is not None and scope_queryset(
            Job.objects.filter(pk=job.pk), self.request.user
        ):
            context["job"] = job
        return context


class EventInspectView(InspectView):
    template_name = "outreach/event_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        context["invited"] = event.invitations.count()
        context["counts"] = {
            label: event.registrations.filter(status=value).count()
            for value, label in Registration.Status.choices
        }
        context["pages"] = [
            (page, page.get_url_for(self.request))
            for page in EventRegistrationPage.objects.filter(event=event)
        ]
        return context


class MailingCreateView(CreateView):
    """Start an invitation already addressed to the event it was written from."""

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance()
        value = self.request.GET.get("event", "")
        if value.isdigit():
            instance.event = scope_queryset(
                Event.objects.filter(pk=value),
                self.request.user,
                company=instance.company_id,
            ).first()
        return instance


class SegmentViewSet(RegisteredViewSet):
    inspect_view_class = SegmentInspectView

    def get_edit_handler(self):
        panels = [FieldPanel(name) for name in self.form_field_names()]
        handler = ObjectList(panels, base_form_class=SegmentForm)
        return handler.bind_to_model(self.model)


class MailingViewSet(RegisteredViewSet):
    add_view_class = MailingCreateView
    inspect_view_class = MailingInspectView


class EventViewSet(RegisteredViewSet):
    inspect_view_class = EventInspectView
