"""Load related rows for a whole page at once, guided by the query itself.

The selection set of a GraphQL query says which relations will be read.
Foreign keys become `select_related` joins and lists (reverse foreign keys,
many-to-many) become one `prefetch_related` query each, scoped like any
other read, so a page of 10 or 200 rows costs the same number of queries.
Object types describe their relations in `api_relations` (see
`cms.api.types`); types without it are simply not optimised.
"""

from django.db.models import Prefetch
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode

from cms.api import access


def selected_fields(field_nodes, info) -> dict[str, list[FieldNode]]:
    """Return the sub-fields selected under `field_nodes`, grouped by name.

    Fragments are flattened and aliases of one field are grouped together.
    """
    grouped: dict[str, list[FieldNode]] = {}

    def visit(selection_set, seen):
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                grouped.setdefault(selection.name.value, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                visit(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = info.fragments.get(name)
                if fragment is not None and name not in seen:
                    visit(fragment.selection_set, seen | {name})

    for node in field_nodes:
        visit(node.selection_set, frozenset())
    return grouped


def child_nodes(field_nodes, info, name: str) -> list[FieldNode]:
    """Return the nodes of sub-field `name` selected under `field_nodes`."""
    return selected_fields(field_nodes, info).get(name, [])


def connection_node_fields(field_nodes, info) -> list[FieldNode]:
    """Return the `edges { node }` nodes under a connection field."""
    return child_nodes(child_nodes(field_nodes, info, "edges"), info, "node")


def optimize(queryset, object_type, field_nodes, info):
    """Add the joins and prefetches that the selection under `field_nodes` needs."""
    joins: set[str] = set()
    prefetches: list[Prefetch] = []
    _plan(object_type, field_nodes, info, "", joins, prefetches)
    if joins:
        queryset = queryset.select_related(*sorted(joins))
    if prefetches:
        queryset = queryset.prefetch_related(*prefetches)
    return queryset


def _plan(object_type, field_nodes, info, prefix, joins, prefetches) -> None:
    relations = getattr(object_type, "api_relations", {})
    request = info.context
    for name, nodes in selected_fields(field_nodes, info).items():
        relation = relations.get(name)
        if relation is None:
            continue
        path = prefix + relation.attname
        if not relation.many:
            joins.add(path)
            _plan(relation.target(), nodes, info, path + "__", joins, prefetches)
            continue
        if not access.can(request.user, relation.model, "view"):
            # The field's resolver reports the refusal; nothing to load.
            continue
        related = access.scoped(relation.model._default_manager.all(), request)
        related = optimize(related, relation.target(), nodes, info)
        prefetches.append(Prefetch(path, queryset=related, to_attr=relation.cache_attr))
