"""The public side of events: the registration form of a registration page."""

import logging

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import constant_time_compare
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from modules.outreach.services import register_for_event

logger = logging.getLogger(__name__)


class RegistrationForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=100)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=100)
    email = forms.EmailField(label=gettext_lazy("Email"))
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=50, required=False)
    consent = forms.BooleanField(
        label=gettext_lazy("Send me news and offers by email"), required=False
    )


def _may_see(page, request) -> bool:
    if page.access != page.Access.LINK:
        return True
    return constant_time_compare(request.GET.get("key", ""), page.secret_key)


def serve_registration_page(page, request):
    """Show the event's registration form and register whoever sends it."""
    if not _may_see(page, request):
        raise Http404(_("No such page."))
    registration = None
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = {**form.cleaned_data, "language": (get_language() or "fi")[:2]}
        try:
            registration = register_for_event(
                event=page.event,
                data=data,
                source=_("Registration page %(title)s") % {"title": page.title},
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)

    context = page.get_context(request)
    context.update({"form": form, "registration": registration})
    response = TemplateResponse(request, page.get_template(request), context)
    if page.access == page.Access.LINK:
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"

    return response
