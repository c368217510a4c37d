"""Admin addresses of marketing and events beside the generated views."""

from django.urls import path
from wagtail import hooks

from modules.outreach import views


@hooks.register("register_admin_urls")
def register_outreach_urls():
    return [
        path(
            "outreach/segment/<int:pk>/recipients/",
            views.SegmentPreviewView.as_view(),
            name="outreach_segment_preview",
        ),
        path(
            "outreach/segment/<int:pk>/export/<str:kind>/",
            views.SegmentExportView.as_view(),
            name="outreach_segment_export",
        ),
        path(
            "outreach/mailing/<int:pk>/send/",
            views.MailingSendView.as_view(),
            name="outreach_mailing_send",
        ),
        path(
            "outreach/event/<int:pk>/invite/",
            views.EventInviteView.as_view(),
            name="outreach_event_invite",
        ),
        path(
            "outreach/event/<int:pk>/attendance/",
            views.EventAttendanceView.as_view(),
            name="outreach_event_attendance",
        ),
        path(
            "outreach/event/<int:pk>/participants.csv",
            views.EventParticipantsExportView.as_view(),
            name="outreach_event_participants",
        ),
    ]
