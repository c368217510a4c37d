"""API tokens in the Wagtail admin, under Settings, for users allowed to manage them."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet

from cms.api import admin_views
from cms.api.models import ApiToken


class ApiTokenViewSet(ModelViewSet):
    model = ApiToken
    name = "api_tokens"
    icon = "key"
    menu_label = _("API tokens")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    search_fields = ["name", "prefix"]
    list_filter = ["company"]
    list_display = [
        "name",
        "prefix",
        "user",
        "company",
        Column("status", label=_("Status"), accessor=admin_views.token_status),
        DateColumn("created_at", label=_("Created")),
        DateColumn("last_used_at", label=_("Last used")),
        DateColumn("expires_at", label=_("Expires")),
    ]
    index_view_class = admin_views.TokenIndexView
    add_view_class = admin_views.TokenCreateView
    edit_view_class = admin_views.TokenEditView
    delete_view_class = admin_views.TokenDeleteView
    history_view_class = admin_views.TokenHistoryView
    usage_view_class = admin_views.TokenUsageView

    def get_form_class(self, for_update=False):
        return admin_views.TokenEditForm if for_update else admin_views.TokenCreateForm

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            revoke_url_name=self.get_url_name("revoke"), **kwargs
        )

    @property
    def revoke_view(self):
        return self.construct_view(
            admin_views.RevokeView, index_url_name=self.get_url_name("index")
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<int:pk>/", self.revoke_view, name="revoke"),
        ]


@hooks.register("register_admin_viewset")
def register_api_token_viewset():
    return ApiTokenViewSet()


@hooks.register("register_log_actions")
def register_api_token_actions(actions):
    actions.register_action(
        admin_views.REVOKE_ACTION, _("Revoke API token"), _("API token revoked")
    )
