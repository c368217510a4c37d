"""Limits that keep one GraphQL request from costing too much.

Size is checked before parsing; depth, aliases and introspection are
validation rules, so an over-limit query never runs at all. The limits
come from settings.GRAPHQL_MAX_QUERY_BYTES, GRAPHQL_MAX_DEPTH,
GRAPHQL_MAX_ALIASES and GRAPHQL_INTROSPECTION, read per request.
"""

import re

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    ValidationRule,
    get_named_type,
    is_introspection_type,
    specified_rules,
)

from cms.api.errors import ApiError

INTROSPECTION_ROOTS = {"__schema", "__type"}
SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def query_too_large(query: str) -> ApiError | None:
    """Return the error for a query text over the size limit, or None."""
    limit = settings.GRAPHQL_MAX_QUERY_BYTES
    if len(query.encode("utf-8")) <= limit:
        return None
    return ApiError(
        _("The query is larger than %(limit)s bytes.") % {"limit": limit},
        code="query_too_large",
    )


def _rule_error(message, node, code) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": code})


class _Measure:
    """Depth and alias count of selection sets, each fragment measured once."""

    def __init__(self, context):
        self.context = context
        self.fragments: dict[str, tuple[int, int]] = {}
        self.visiting: set[str] = set()

    def selection_set(self, selection_set) -> tuple[int, int]:
        depth, aliases = 0, 0
        if selection_set is None:
            return depth, aliases
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value in INTROSPECTION_ROOTS:
                    continue
                inner_depth, inner_aliases = self.selection_set(selection.selection_set)
                depth = max(depth, inner_depth + 1)
                aliases += inner_aliases + (1 if selection.alias else 0)
            elif isinstance(selection, InlineFragmentNode):
                inner_depth, inner_aliases = self.selection_set(selection.selection_set)
                depth = max(depth, inner_depth)
                aliases += inner_aliases
            elif isinstance(selection, FragmentSpreadNode):
                inner_depth, inner_aliases = self.fragment(selection.name.value)
                depth = max(depth, inner_depth)
                aliases += inner_aliases
        return depth, aliases

    def fragment(self, name: str) -> tuple[int, int]:
        if name in self.fragments:
            return self.fragments[name]
        fragment = self.context.get_fragment(name)
        if fragment is None or name in self.visiting:
            # Unknown and cyclic fragments are reported by the standard rules.
            return 0, 0
        self.visiting.add(name)
        measured = self.selection_set(fragment.selection_set)
        self.visiting.discard(name)
        self.fragments[name] = measured
        return measured


class QueryCostRule(ValidationRule):
    """Refuse operations nested too deep or with too many aliases."""

    def enter_operation_definition(self, node, *_args):
        depth, aliases = _Measure(self.context).selection_set(node.selection_set)
        max_depth = settings.GRAPHQL_MAX_DEPTH
        max_aliases = settings.GRAPHQL_MAX_ALIASES
        if depth > max_depth:
            self.report_error(
                _rule_error(
                    _(
                        "The query is nested %(depth)s levels deep; "
                        "the limit is %(max)s."
                    )
                    % {"depth": depth, "max": max_depth},
                    node,
                    "query_too_deep",
                )
            )
        if aliases > max_aliases:
            self.report_error(
                _rule_error(
                    ngettext(
                        "The query uses %(count)s alias; the limit is %(max)s.",
                        "The query uses %(count)s aliases; the limit is %(max)s.",
                        aliases,
                    )
                    % {"count": aliases, "max": max_aliases},
                    node,
                    "too_many_aliases",
                )
            )


class NoIntrospectionRule(ValidationRule):
    """Refuse `__schema` and `__type` queries; `__typename` stays allowed."""

    def enter_field(self, node, *_args):
        field_type = self.context.get_type()
        if field_type is not None and is_introspection_type(get_named_type(field_type)):
            self.report_error(
                _rule_error(
                    _("Introspection is turned off on this server."),
                    node,
                    "introspection_disabled",
                )
            )


def validation_rules() -> list[type[ValidationRule]]:
    """Return the validation rules for a request under the current settings."""
    rules = [*specified_rules, QueryCostRule]
    if not settings.GRAPHQL_INTROSPECTION:
        rules.append(NoIntrospectionRule)
    return rules


def without_suggestions(message: str) -> str:
    """Return `message` without graphql-core's "Did you mean ...?" hints.

    The hints would reveal field and type names that introspection hides.
    """
    return SUGGESTION.sub("", message)
