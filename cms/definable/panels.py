"""Admin panels that show a model's extra forms inside its edit form.

`with_extra_fields(edit_handler)` is the one call the generated admin
needs: the returned edit handler builds its form with
`ExtraFieldsFormMixin` and renders the extra fields, grouped by form, after
the model's own panels (as a last tab when the handler has tabs).
"""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList, Panel, TabbedInterface, get_form_for_model

from cms.definable.api import FORM_PREFIX
from cms.definable.forms import ExtraFieldsFormMixin


class ExtraFieldsPanel(Panel):
    """Render the `extra__<key>` fields of the form, one group per extra form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Extra forms"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "definable/panels/extra_fields.html"

        def groups(self) -> list[tuple[str, list]]:
            groups: dict[int, tuple[str, list]] = {}
            for name, field in self.form.fields.items():
                definable = getattr(field, "definable_field", None)
                if not name.startswith(FORM_PREFIX) or definable is None:
                    continue
                _heading, rows = groups.setdefault(
                    definable.form_id, (definable.form.name, [])
                )
                rows.append(self.form[name])
            return list(groups.values())

        def is_shown(self):
            return bool(self.groups())

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["groups"] = self.groups()
            return context


def _form_class(panel):
    base = (
        panel.base_form_class
        or getattr(panel.model, "base_form_class", None)
        or WagtailAdminModelForm
    )
    if not issubclass(base, ExtraFieldsFormMixin):
        base = type(f"Extra{base.__name__}", (ExtraFieldsFormMixin, base), {})
    return get_form_for_model(panel.model, form_class=base, **panel.get_form_options())


def render_unclaimed(bound_panel, prefixes=(FORM_PREFIX,)):
    """Render the form fields no panel claims, except those of `prefixes`.

    Fields with those prefixes are rendered by panels of their own.
    """
    claimed = set(bound_panel.panel.get_form_options().get("fields", []))
    # Bound fields render escaped HTML.
    return mark_safe(
        "".join(
            str(bound_panel.form[name])
            for name in bound_panel.form.fields
            if name not in claimed and not name.startswith(tuple(prefixes))
        )
    )


class ExtraFieldsObjectList(ObjectList):
    """An object list whose form carries the model's extra fields."""

    get_form_class = _form_class

    class BoundPanel(ObjectList.BoundPanel):
        render_missing_fields = render_unclaimed


class ExtraFieldsTabbedInterface(TabbedInterface):
    """A tabbed interface whose form carries the model's extra fields."""

    get_form_class = _form_class

    class BoundPanel(TabbedInterface.BoundPanel):
        render_missing_fields = render_unclaimed


def with_extra_fields(edit_handler) -> Panel:
    """Return `edit_handler` extended with the model's extra forms.

    Accepts a list of panels, an ObjectList or a TabbedInterface, unbound.
    """
    if isinstance(edit_handler, (ExtraFieldsObjectList, ExtraFieldsTabbedInterface)):
        return edit_handler
    if isinstance(edit_handler, (list, tuple)):
        edit_handler = ObjectList(list(edit_handler))
    options = edit_handler.clone_kwargs()
    children = list(options.pop("children"))
    if isinstance(edit_handler, TabbedInterface):
        children.append(ObjectList([ExtraFieldsPanel()], heading=_("Extra forms")))
        return ExtraFieldsTabbedInterface(children, **options)
    children.append(ExtraFieldsPanel())
    return ExtraFieldsObjectList(children, **options)
