"""The customer card's extension point: panels other modules contribute.

A module registers a panel once, at import time of its `registry.py`:

    register_panel("open_invoices", title=_("Open invoices"), render=render)

`render(request, organisation)` returns the panel's HTML (render a template
with `render_to_string`), or None when it has nothing to show for this
organisation or this user. Panels are shown in `order`, then by name.
A panel registered with `persons=True` is shown on persons' cards too and
then gets the person instead of an organisation.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from modules.core.scoping import scope_queryset

logger = logging.getLogger(__name__)

RECENT_PROCESSES = 10


@dataclass(frozen=True)
class CardPanel:
    """A panel on the customer card."""

    name: str
    title: str
    render: Callable
    order: int = 100
    persons: bool = False


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    title: str
    html: str


_panels: dict[str, CardPanel] = {}


def register_panel(
    name: str, *, title, render: Callable, order: int = 100, persons: bool = False
) -> None:
    """Add a panel to the customer card, replacing one of the same name."""
    _panels[name] = CardPanel(name, title, render, order, persons)


def unregister_panel(name: str) -> None:
    """Remove a panel (used by tests that register throwaway panels)."""
    _panels.pop(name, None)


def card_panels() -> list[CardPanel]:
    """Return the registered panels in the order they are shown."""
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.name))


def render_panels(request, organisation) -> list[RenderedPanel]:
    """Render every panel that has something to show for `organisation`.

    A failing panel is replaced by a notice, so that one module's fault
    never hides the rest of the card.
    """
    rendered = []
    is_person = organisation._meta.model_name == "person"
    for panel in card_panels():
        if is_person and not panel.persons:
            continue
        try:
            html = panel.render(request, organisation)
        except Exception:
            logger.exception("Customer card panel %s failed", panel.name)
            html = render_to_string(
                "crm/panels/failed.html",
                {"message": _("This panel could not be shown.")},
            )
        if html:
            rendered.append(RenderedPanel(panel.name, str(panel.title), html))
    return rendered


def _contacts_panel(request, organisation):
    from modules.crm.models import Contact

    if not request.user.has_perm("crm.view_contact"):
        return None
    contacts = scope_queryset(
        Contact.objects.filter(organisation=organisation), request.user
    ).select_related("person")
    return render_to_string(
        "crm/panels/contacts.html",
        {"contacts": contacts, "organisation": organisation},
        request=request,
    )


register_panel(
    "contacts", title=gettext_lazy("Contact persons"), render=_contacts_panel, order=10
)


def _processes_panel(request, organisation):
    from modules.crm.models import Process

    if not request.user.has_perm("crm.view_process"):
        return None
    processes = scope_queryset(
        Process.objects.filter(organisation=organisation), request.user
    ).select_related("process_type", "assignee", "person")[:RECENT_PROCESSES]
    return render_to_string(
        "crm/panels/processes.html",
        {"processes": processes, "organisation": organisation},
        request=request,
    )


register_panel(
    "processes",
    title=gettext_lazy("Recent processes"),
    render=_processes_panel,
    order=20,
)
