"""Admin for extra forms: administrators define them here without code.

The forms live in the Settings menu; each is edited with its fields inline.
A user sees the forms for every company and those of their own companies.
"""

from django.db.models import Q
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from cms.definable import views
from cms.definable.forms import DefinableFormAdminForm
from cms.definable.models import DefinableForm
from modules.core.scoping import companies_for


def _visible_forms(queryset, user):
    return queryset.filter(
        Q(company__isnull=True) | Q(company__in=companies_for(user).values("pk"))
    )


class DefinableFormIndexView(generic.IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("content_type")
        return _visible_forms(queryset, self.request.user)


class DefinableFormEditView(generic.EditView):
    def get_queryset(self):
        return _visible_forms(super().get_queryset(), self.request.user)


class DefinableFormDeleteView(generic.DeleteView):
    def get_queryset(self):
        return _visible_forms(super().get_queryset(), self.request.user)


FIELD_PANELS = [
    FieldRowPanel(
        [FieldPanel("key"), FieldPanel("field_type"), FieldPanel("required")]
    ),
    FieldRowPanel(
        [FieldPanel("label_fi"), FieldPanel("label_sv"), FieldPanel("label_en")]
    ),
    FieldRowPanel(
        [
            FieldPanel("help_text_fi"),
            FieldPanel("help_text_sv"),
            FieldPanel("help_text_en"),
        ]
    ),
    FieldPanel("choices"),
    FieldRowPanel([FieldPanel("min_value"), FieldPanel("max_value")]),
    FieldPanel("target_content_type"),
]


class DefinableFormViewSet(ModelViewSet):
    model = DefinableForm
    icon = "form"
    menu_label = _("Extra forms")
    add_to_settings_menu = True
    copy_view_enabled = False
    index_view_class = DefinableFormIndexView
    edit_view_class = DefinableFormEditView
    delete_view_class = DefinableFormDeleteView
    list_display = ["name", "content_type", "company", "active", "order"]
    list_filter = ["content_type", "active"]
    search_fields = ["name_fi", "name_sv", "name_en"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("name_fi"), FieldPanel("name_sv"), FieldPanel("name_en")],
                heading=_("Name"),
            ),
            FieldRowPanel([FieldPanel("content_type"), FieldPanel("company")]),
            FieldRowPanel([FieldPanel("active"), FieldPanel("order")]),
            InlinePanel(
                "fields", heading=_("Fields"), label=_("Field"), panels=FIELD_PANELS
            ),
        ],
        base_form_class=DefinableFormAdminForm,
    )


@hooks.register("register_admin_viewset")
def register_definable_forms():
    return DefinableFormViewSet("definable_forms")


@hooks.register("register_admin_urls")
def register_file_download():
    return [
        path(
            "definable/files/<str:app_label>/<str:model_name>/<str:pk>/<str:key>/",
            views.download_file,
            name="definable_file",
        )
    ]
