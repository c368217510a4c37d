"""The events panel of the customer card.

On a person's card it lists the person's event registrations and when they
withdrew marketing consent; on an organisation's card, the registrations
of its contact persons.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from modules.core.scoping import scope_queryset
from modules.crm.cards import register_panel
from modules.crm.models import Organisation, Person
from modules.outreach.models import Registration, Unsubscription

RECENT_REGISTRATIONS = 20


def events_panel(request, record):
    """Render the registrations of a person, or of an organisation's contacts."""
    if not request.user.has_perm("outreach.view_registration"):
        return None
    registrations = scope_queryset(Registration.objects.all(), request.user)
    unsubscriptions = []
    if isinstance(record, Person):
        registrations = registrations.filter(person=record)
        unsubscriptions = Unsubscription.objects.filter(person=record)
    elif isinstance(record, Organisation):
        registrations = registrations.filter(person__contacts__organisation=record)
    else:
        return None
    registrations = registrations.select_related("event", "person").order_by(
        "-event__starts_at", "pk"
    )[:RECENT_REGISTRATIONS]
    return render_to_string(
        "outreach/panels/events.html",
        {
            "registrations": registrations,
            "unsubscriptions": unsubscriptions,
            "show_person": isinstance(record, Organisation),
        },
        request=request,
    )


register_panel("events", title=_("Events"), render=events_panel, order=60, persons=True)
