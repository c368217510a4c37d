"""Where the administrator-defined fields (`extra`) sent over the API are checked.

Models registered with `definable_forms=True` keep those values in a JSON
field named `extra`. The API reads it as a JSON scalar; on writes the
values pass through the definable-forms application, the same as in the
admin form, before the services store them.
"""


def clean_extra(model, values, *, company, instance):
    """Return `values` validated and converted by the definable forms of `model`.

    Raises ValidationError for values that break a form's rules.
    """
    from cms.definable import api

    existing = getattr(instance, "extra", None) or {}
    return api.clean_values(model, values or {}, company=company, existing=existing)
