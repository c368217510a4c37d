"""Views of marketing and events that the generated admin does not offer.

Admin: a segment's recipients and their export, sending a mailing, an
event's invitation list, attendance and participant export. Public: the
unsubscribe page of the links in mailings.
"""

import csv
import io
import logging

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from modules.core.scoping import scope_queryset
from modules.crm.models import Person
from modules.outreach import exports, services
from modules.outreach.mail import read_unsubscribe_token
from modules.outreach.models import Event, Mailing, Registration, Segment
from modules.outreach.segments import persons_for_user

logger = logging.getLogger(__name__)

RECIPIENTS_PER_PAGE = 50


def _scoped(request, model, pk, *permissions):
    for permission in permissions:
        if not request.user.has_perm(permission):
            raise PermissionDenied(_("You may not do that."))
    return get_object_or_404(scope_queryset(model.objects.all(), request.user), pk=pk)


class AdminPage(WagtailAdminTemplateMixin, TemplateView):
    """An admin page about one record the user must be allowed to see."""

    model = None
    permissions: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        self.object = _scoped(request, self.model, kwargs["pk"], *self.permissions)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context


class SegmentPreviewView(AdminPage):
    """The persons a segment picks now, with their count, page by page."""

    template_name = "outreach/segment_preview.html"
    header_icon = "group"
    page_title = gettext_lazy("Segment recipients")
    model = Segment
    permissions = ("outreach.view_segment",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        persons = persons_for_user(self.object, self.request.user)
        paginator = Paginator(persons, RECIPIENTS_PER_PAGE)
        context["persons"] = paginator.get_page(self.request.GET.get("p"))
        context["count"] = paginator.count
        context["with_consent"] = persons.filter(marketing_consent=True).count()
        return context


EXPORTS = {
    "csv": (exports.persons_csv, "text/csv; charset=utf-8", "csv"),
    "vcard": (exports.persons_vcards, "text/vcard; charset=utf-8", "vcf"),
}


class SegmentExportView(View):
    """Download a segment's persons as CSV or vCard."""

    def get(self, request, pk, kind):
        if kind not in EXPORTS:
            raise Http404
        segment = _scoped(request, Segment, pk, "outreach.view_segment")
        persons = persons_for_user(segment, request.user).prefetch_related(
            "contacts__organisation"
        )
        render_file, content_type, extension = EXPORTS[kind]
        response = HttpResponse(render_file(persons), content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="segment-{segment.pk}.{extension}"'
        )
        logger.info(
            "Segment %s exported as %s by %s", segment.pk, kind, request.user.pk
        )
        return response


class MailingSendView(AdminPage):
    """Confirm, then send a mailing in the background."""

    template_name = "outreach/mailing_send.html"
    header_icon = "mail"
    page_title = gettext_lazy("Send mailing")
    model = Mailing
    permissions = ("outreach.change_mailing",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        persons = services.mailing_persons(self.object)
        context["count"] = persons.count()
        context["with_consent"] = persons.filter(marketing_consent=True).count()
        return context

    def post(self, request, pk):
        try:
            services.send_mailing(mailing=self.object, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("outreach_mailing:inspect", self.object.pk)
        messages.success(request, _("The mailing is being sent."))
        return redirect("outreach_mailing:inspect", self.object.pk)


class EventInviteView(View):
    """Add the event segment's persons to the invitation list."""

    def post(self, request, pk):
        event = _scoped(request, Event, pk, "outreach.add_invitation")
        try:
            added = services.build_invitations(event=event, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s person invited.", "%(count)s persons invited.", added
                )
                % {"count": added},
            )
        return redirect("outreach_event:inspect", event.pk)


class EventAttendanceView(AdminPage):
    """Mark who registered, attended or cancelled."""

    template_name = "outreach/event_attendance.html"
    header_icon = "tick"
    page_title = gettext_lazy("Attendance")
    model = Event
    permissions = ("outreach.view_registration",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["registrations"] = self.object.registrations.select_related("person")
        context["statuses"] = Registration.Status.choices
        context["may_change"] = self.request.user.has_perm(
            "outreach.change_registration"
        )
        return context

    def post(self, request, pk):
        registration = get_object_or_404(
            self.object.registrations, pk=request.POST.get("registration") or 0
        )
        try:
            services.set_attendance(
                registration=registration,
                user=request.user,
                status=request.POST.get("status", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attendance saved."))
        return redirect("outreach_event_attendance", self.object.pk)


class EventParticipantsExportView(View):
    """Download an event's registrations as CSV."""

    def get(self, request, pk):
        event = _scoped(
            request, Event, pk, "outreach.view_registration", "crm.view_person"
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(
            [_("First name"), _("Last name"), _("Email"), _("Phone"), _("Status")]
        )
        for registration in event.registrations.select_related("person"):
            person = registration.person
            writer.writerow(
                [
                    exports.csv_cell(value)
                    for value in (
                        person.first_name,
                        person.last_name,
                        person.email,
                        person.phone,
                        registration.get_status_display(),
                    )
                ]
            )
        response = HttpResponse(
            buffer.getvalue().encode("utf-8-sig"), content_type="text/csv"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="event-{event.pk}-participants.csv"'
        )
        return response


# Public


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """Withdraw marketing consent with one click, in the person's language.

    Opening the link shows a single button: mail scanners open links too,
    so a GET alone changes nothing. Mail programs that offer one-click
    unsubscribe (RFC 8058) POST to the same address without a form, which
    is why the view takes no CSRF token; the signed token is the proof.
    """

    template_name = "outreach/unsubscribe.html"

    def _person(self, token):
        try:
            person_id, mailing_id = read_unsubscribe_token(token)
        except signing.BadSignature:
            raise Http404(_("This unsubscribe link is not valid.")) from None
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            raise Http404(_("This unsubscribe link is not valid."))
        return person, mailing_id

    def _render(self, request, person, done):
        with translation.override(person.language or "fi"):
            response = render(
                request,
                self.template_name,
                {"person": person, "done": done, "language": person.language},
            )
        response["X-Robots-Tag"] = "noindex"
        return response

    def get(self, request, token):
        person, _mailing_id = self._person(token)
        return self._render(request, person, done=False)

    def post(self, request, token):
        person, mailing_id = self._person(token)
        with translation.override(person.language or "fi"):
            source = _("Unsubscribe link in a mailing")
        person = services.unsubscribe(
            person_id=person.pk, mailing_id=mailing_id, source=source
        )
        return self._render(request, person, done=True)
