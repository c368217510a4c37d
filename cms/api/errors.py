"""API errors: top-level GraphQL errors and the field errors of mutations."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from graphene.utils.str_converters import to_camel_case
from graphql import GraphQLError

UNIQUE_CODES = {"unique", "unique_together"}


class ApiError(GraphQLError):
    """A GraphQL error with a translated message and a machine-readable code."""

    def __init__(self, message, *, code: str, nodes=None):
        super().__init__(str(message), nodes, extensions={"code": code})


def _field_name(name: str) -> str | None:
    if name == NON_FIELD_ERRORS:
        return None
    head, dot, rest = name.partition(".")
    return to_camel_case(head) + dot + rest


def _unique_field(error: ValidationError, company_field: str | None) -> str | None:
    # A uniqueness rule over (company, code) is about `code` for an API
    # caller, who never sends the company as a field.
    if error.code not in UNIQUE_CODES or not isinstance(error.params, dict):
        return None
    fields = [
        name for name in error.params.get("unique_check", ()) if name != company_field
    ]
    return fields[0] if len(fields) == 1 else None


def field_errors(error: ValidationError, *, company_field=None) -> list[dict]:
    """Return `error` as `{field, messages, code}` entries, one per field."""
    if not hasattr(error, "error_dict"):
        return [
            {
                "field": None,
                "messages": error.messages,
                "code": error.error_list[0].code or "invalid",
            }
        ]
    grouped: dict[str | None, dict] = {}
    for name, errors in error.error_dict.items():
        for item in errors:
            target = name
            if name == NON_FIELD_ERRORS:
                target = _unique_field(item, company_field) or name
            field = _field_name(target)
            entry = grouped.setdefault(
                field, {"field": field, "messages": [], "code": item.code or "invalid"}
            )
            entry["messages"].extend(item.messages)
    return list(grouped.values())
