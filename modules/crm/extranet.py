"""Extranet pages of the register: partners' and customers' own requests.

A partner or customer logs in with an account linked to a register person
(`Person.user`). They send feedback and support requests for the
organisations they are a contact of, which become processes on that
organisation and person, and they follow the state of those requests. They
never see a process of another organisation or company.
"""

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from modules.crm.models import ProcessType
from modules.crm.selectors import (
    extranet_organisations,
    extranet_person,
    extranet_requests,
)
from modules.crm.services import submit_extranet_request
from pages.access import is_partner_or_customer
from themes.selectors import theme_context

logger = logging.getLogger(__name__)


class RequestForm(forms.Form):
    process_type = forms.ModelChoiceField(
        label=gettext_lazy("Kind of request"), queryset=ProcessType.objects.none()
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("On behalf of"), queryset=None
    )
    title = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Message"), widget=forms.Textarea, required=False
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process_type"].queryset = ProcessType.objects.filter(
            company=person.company_id, extranet_request=True
        ).order_by("code")
        self.fields["organisation"].queryset = extranet_organisations(person).order_by(
            "name"
        )


def _render(request, template, context, status=200):
    response = TemplateResponse(
        request, template, {**theme_context(request), **context}, status=status
    )
    add_never_cache_headers(response)
    return response


class ExtranetView(View):
    """Admit signed-in partners and customers who are in the register."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "pages:login")
        self.person = extranet_person(request.user)
        if not is_partner_or_customer(request.user) or self.person is None:
            return _render(
                request,
                "pages/forbidden.html",
                {
                    "message": _(
                        "Requests are for our partners and customers, and your "
                        "account is not linked to one."
                    )
                },
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)


class RequestListView(ExtranetView):
    """Show the person's requests and a form to send a new one."""

    def get(self, request, form=None):
        return _render(
            request,
            "crm/extranet/requests.html",
            {
                "person": self.person,
                "requests": extranet_requests(self.person),
                "form": form or RequestForm(person=self.person),
            },
        )

    def post(self, request):
        form = RequestForm(request.POST, person=self.person)
        if not form.is_valid():
            return self.get(request, form=form)
        try:
            process = submit_extranet_request(
                person=self.person,
                process_type=form.cleaned_data["process_type"],
                organisation=form.cleaned_data["organisation"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.get(request, form=form)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.get(request, form=form)
        messages.success(
            request,
            _("Thank you. Your request %(title)s has been received.")
            % {"title": process.title},
        )
        return redirect("crm_extranet:requests")


class RequestDetailView(ExtranetView):
    """Show one of the person's requests, or refuse anyone else's."""

    def get(self, request, pk):
        process = extranet_requests(self.person).filter(pk=pk).first()
        if process is None:
            logger.warning(
                "Extranet person %s asked for request %s", self.person.pk, pk
            )
            return _render(
                request,
                "pages/forbidden.html",
                {"message": _("This request is not among yours.")},
                status=404,
            )
        return _render(request, "crm/extranet/request.html", {"process": process})
