"""django-filter FilterSets generated from a registration.

The registration's `list_filter` names become exact-match filters,
`search_fields` a `search` argument, models with definable forms an
`extra` argument, and `graphql_filters` adds more: a
dict of field name to lookups (`{"price": ["gte", "lte"]}`, giving
`price_Gte`, `price_Lte`) or to a ready `django_filters.Filter`.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.api import access
from cms.api.extra import extra_filter

SEARCH_LOOKUPS = {"^": "istartswith", "=": "iexact", "@": "search"}


def _search_filter(search_fields):
    paths = []
    for name in search_fields:
        lookup = SEARCH_LOOKUPS.get(name[:1])
        if lookup is None:
            paths.append(f"{name}__icontains")
        else:
            paths.append(f"{name[1:]}__{lookup}")

    def search(queryset, name, value):
        for term in value.split():
            condition = Q()
            for path in paths:
                condition |= Q(**{path: term})
            queryset = queryset.filter(condition)
        return queryset

    return django_filters.CharFilter(
        method=search, label=_("Search words, all of which must match.")
    )


def _scoped_choices(model):
    def queryset(request):
        return access.scoped(model._default_manager.all(), request)

    return queryset


def build_filterset(registration, name: str) -> type[django_filters.FilterSet]:
    """Return the FilterSet class of a registration's connection."""
    fields: dict[str, list[str]] = {
        entry: ["exact"] for entry in registration.list_filter if isinstance(entry, str)
    }
    declared = {}
    for field_name, spec in (registration.graphql_filters or {}).items():
        if isinstance(spec, django_filters.Filter):
            declared[field_name] = spec
        else:
            lookups = fields.setdefault(field_name, [])
            lookups.extend(lookup for lookup in spec if lookup not in lookups)
    if registration.search_fields:
        declared["search"] = _search_filter(registration.search_fields)
    if registration.definable_forms:
        declared["extra"] = extra_filter()

    meta = type("Meta", (), {"model": registration.model, "fields": fields})
    filterset = type(
        f"{name}FilterSet", (django_filters.FilterSet,), {**declared, "Meta": meta}
    )
    for item in filterset.base_filters.values():
        choices = getattr(item, "queryset", None)
        if isinstance(item, django_filters.filters.QuerySetRequestMixin) and hasattr(
            choices, "model"
        ):
            item.queryset = _scoped_choices(choices.model)
    return filterset
