"""What marketing and events register with the platform.

Segments, mailings, events, invitations and registrations each get the
generated admin, GraphQL, permissions and company scoping; segments and
events also import and export. A mailing's per-recipient log and the
withdrawals of consent are written by sending and unsubscribing only, and
are read on the mailing's page and the person's card.
"""

from django.utils.translation import gettext_lazy as _

from cms.registry import ImportExport, Services, register, register_menu
from modules.outreach import (
    cards,  # noqa: F401  (adds the person card panel)
    services,
)
from modules.outreach.models import Event, Invitation, Mailing, Registration, Segment
from modules.outreach.viewsets import EventViewSet, MailingViewSet, SegmentViewSet

register_menu(
    "outreach",
    _("Marketing and events"),
    icon="mail",
    order=220,
    roles=("administrator", "sales"),
    read_roles=(),
)

register(
    Segment,
    menu="outreach",
    icon="group",
    menu_order=10,
    list_display=["name", "language", "town", "consent"],
    list_filter=["language", "consent"],
    search_fields=["name", "description", "town", "role"],
    form_fields=[
        "name",
        "description",
        "classifications",
        "classification_match",
        "form_conditions",
        "language",
        "town",
        "consent",
        "role",
    ],
    viewset_class=SegmentViewSet,
    services=Services(create=services.create_segment, update=services.update_segment),
    import_export=ImportExport(
        key=("name",),
        fields=(
            "name",
            "description",
            "classification_match",
            "language",
            "town",
            "consent",
            "role",
        ),
    ),
)
register(
    Mailing,
    menu="outreach",
    icon="mail",
    menu_order=20,
    list_display=["name", "segment", "event", "status", "sent_at"],
    list_filter=["status"],
    search_fields=["name", "subject_fi", "subject_sv", "subject_en"],
    form_fields=[
        "name",
        "segment",
        "event",
        "from_email",
        "subject_fi",
        "body_fi",
        "subject_sv",
        "body_sv",
        "subject_en",
        "body_en",
    ],
    viewset_class=MailingViewSet,
    services=Services(update=services.update_mailing),
    import_export=None,
)
register(
    Event,
    menu="outreach",
    icon="date",
    menu_order=30,
    list_display=["name", "starts_at", "place", "capacity"],
    search_fields=["name", "place", "description"],
    form_fields=[
        "name",
        "starts_at",
        "ends_at",
        "place",
        "capacity",
        "description",
        "segment",
    ],
    viewset_class=EventViewSet,
    import_export=ImportExport(
        key=("name", "starts_at"),
        fields=("name", "starts_at", "ends_at", "place", "capacity", "description"),
    ),
)
register(
    Invitation,
    menu="outreach",
    icon="mail",
    menu_order=40,
    list_display=["person", "event", "added_manually", "created_at"],
    list_filter=["event", "added_manually"],
    search_fields=["person__last_name", "person__email", "event__name"],
    form_fields=["event", "person"],
    import_export=None,
)
register(
    Registration,
    menu="outreach",
    icon="tick",
    menu_order=50,
    list_display=["person", "event", "status", "created_at"],
    list_filter=["event", "status"],
    search_fields=["person__last_name", "person__email", "event__name"],
    form_fields=["event", "person", "note"],
    services=Services(create=services.create_registration),
    import_export=None,
)
