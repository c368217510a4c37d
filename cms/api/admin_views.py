"""Admin screens for API tokens: list, issue (showing the token once), revoke."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import BaseObjectMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.widgets import AdminDateTimeInput, MenuItem
from wagtail.log_actions import log

from cms.api.models import ApiToken
from cms.api.services import issue_api_token, revoke_api_token
from modules.core.scoping import companies_for

REVOKE_ACTION = "api.revoke_token"


def visible_tokens(user):
    """Return the tokens `user` manages: their own, or all for superusers."""
    tokens = ApiToken.objects.select_related("user", "company")
    return tokens if user.is_superuser else tokens.filter(user=user)


def token_status(token: ApiToken) -> str:
    """Return a short word for the state of `token`."""
    if token.revoked_at is not None:
        return _("Revoked")
    if not token.is_active:
        return _("Expired")
    return _("Active")


class TokenCreateForm(WagtailAdminModelForm):
    """Issue a token; non-superusers can only issue tokens for themselves."""

    class Meta:
        model = ApiToken
        fields = ["name", "user", "company", "expires_at"]
        widgets = {"expires_at": AdminDateTimeInput}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        users = get_user_model().objects.filter(is_active=True)
        if not for_user.is_superuser:
            users = users.filter(pk=for_user.pk)
            self.fields["user"].initial = for_user.pk
        self.fields["user"].queryset = users
        self.fields["company"].queryset = companies_for(for_user)


class TokenEditForm(WagtailAdminModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]


class _OwnTokensMixin:
    """Limit a view's objects to the tokens the user manages."""

    def get_queryset(self):
        return visible_tokens(self.request.user)

    def get_base_object_queryset(self):
        return visible_tokens(self.request.user)


class TokenIndexView(generic.IndexView):
    revoke_url_name = None

    def get_base_queryset(self):
        return visible_tokens(self.request.user)

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.revoked_at is None and self.permission_policy.user_has_permission(
            self.request.user, "change"
        ):
            buttons.append(
                MenuItem(
                    _("Revoke"),
                    url=reverse(self.revoke_url_name, args=[instance.pk]),
                    icon_name="cross",
                    priority=25,
                )
            )
        return buttons


class TokenCreateView(generic.CreateView):
    """Issue the token through the service and show its plain text once."""

    success_template_name = "api/token_created.html"

    def form_valid(self, form):
        self.form = form
        try:
            self.object, plain = issue_api_token(
                company=form.cleaned_data["company"],
                user=self.request.user,
                owner=form.cleaned_data["user"],
                name=form.cleaned_data["name"],
                expires_at=form.cleaned_data["expires_at"],
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                error = ValidationError({"user": str(error)})
            form.add_error(None, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        log(instance=self.object, action="wagtail.create", user=self.request.user)
        response = TemplateResponse(
            self.request,
            self.success_template_name,
            {
                **self.get_context_data(form=form),
                "token": self.object,
                "plain_token": plain,
            },
        )
        # The page holds a secret: no cache may keep it.
        add_never_cache_headers(response)
        return response


class TokenEditView(_OwnTokensMixin, generic.EditView):
    pass


class TokenDeleteView(_OwnTokensMixin, generic.DeleteView):
    pass


class TokenHistoryView(_OwnTokensMixin, HistoryView):
    pass


class TokenUsageView(_OwnTokensMixin, UsageView):
    pass


class RevokeView(
    PermissionCheckedMixin,
    _OwnTokensMixin,
    BaseObjectMixin,
    generic.base.WagtailAdminTemplateMixin,
    TemplateView,
):
    """Ask for confirmation, then revoke a token."""

    model = ApiToken
    permission_required = "change"
    template_name = "api/confirm_revoke.html"
    page_title = gettext_lazy("Revoke API token")
    header_icon = "key"
    index_url_name = None

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["token"] = self.object
        context["index_url"] = reverse(self.index_url_name)
        return context

    def post(self, request, *args, **kwargs):
        revoke_api_token(token=self.object, user=request.user)
        log(instance=self.object, action=REVOKE_ACTION, user=request.user)
        messages.success(
            request,
            _("API token “%(name)s” revoked.") % {"name": self.object.name},
        )
        return redirect(self.index_url_name)
