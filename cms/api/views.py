"""The `/graphql/` endpoint: authentication, CSRF, limits and error shapes."""

import json
import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionResult, GraphQLError

from cms.api import limits
from cms.api.auth import authenticate_token, bearer_token, csrf_failure
from cms.api.schema import get_schema

logger = logging.getLogger(__name__)


class RequestError(HttpError):
    """A request refused before any query runs, with a code for clients."""

    def __init__(self, message, *, code: str, status: int = 400):
        super().__init__(JsonResponse({}, status=status), str(message))
        self.code = code


def _error_response(message, *, code: str, status: int) -> JsonResponse:
    response = JsonResponse(
        {"errors": [{"message": str(message), "extensions": {"code": code}}]},
        status=status,
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _request_language(request) -> str:
    if "HTTP_ACCEPT_LANGUAGE" in request.META:
        return translation.get_language_from_request(request, check_path=False)
    return settings.LANGUAGE_CODE


# Session requests are checked for CSRF in `_authenticate`; token requests
# need no CSRF token, so the middleware's blanket check is turned off here.
@method_decorator(csrf_exempt, name="dispatch")
class ApiView(GraphQLView):
    """Serve GraphQL to API tokens and logged-in browser sessions."""

    def __init__(self, **kwargs):
        kwargs.setdefault("schema", get_schema())
        super().__init__(**kwargs)

    def dispatch(self, request, *args, **kwargs):
        # The site's URL patterns pin unprefixed URLs to the default
        # language; an API client says what it reads in Accept-Language.
        with translation.override(_request_language(request)):
            self.graphiql = settings.GRAPHQL_INTROSPECTION
            refusal = self._authenticate(request)
            if refusal is not None:
                return refusal
            self.validation_rules = limits.validation_rules()
            return super().dispatch(request, *args, **kwargs)

    def _authenticate(self, request):
        plain = bearer_token(request)
        if plain is not None:
            token = authenticate_token(plain)
            if token is None:
                return _error_response(
                    _("The API token is invalid, expired or revoked."),
                    code="invalid_token",
                    status=401,
                )
            request.user = token.user
            request.api_token = token
            return None
        if not request.user.is_authenticated or not request.user.is_active:
            if self.graphiql and self.request_wants_html(request):
                return redirect_to_login(request.get_full_path())
            return _error_response(
                _("Log in or send an API token to use the API."),
                code="unauthenticated",
                status=401,
            )
        if request.method == "POST":
            reason = csrf_failure(request)
            if reason is not None:
                return _error_response(
                    _("The CSRF check failed (%(reason)s).") % {"reason": reason},
                    code="csrf_failed",
                    status=403,
                )
        return None

    def parse_body(self, request):
        if self.get_content_type(request) != "application/json":
            return super().parse_body(request)
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise RequestError(
                _("The request body is not valid JSON."), code="invalid_json"
            ) from error
        if isinstance(data, list):
            raise RequestError(
                _("Batched requests are not supported; send one query per request."),
                code="batch_refused",
            )
        if not isinstance(data, dict):
            raise RequestError(
                _("The request body must be a JSON object."), code="invalid_json"
            )
        return data

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        too_large = limits.query_too_large(query or "")
        if too_large is not None:
            return ExecutionResult(data=None, errors=[too_large])
        return super().execute_graphql_request(
            request, data, query, variables, operation_name, show_graphiql
        )

    def format_error(self, error):
        if isinstance(error, HttpError):
            code = getattr(error, "code", "bad_request")
            return {"message": str(error.message), "extensions": {"code": code}}
        if not isinstance(error, GraphQLError):
            error = GraphQLError(str(error), original_error=error)
        formatted = error.formatted
        original = error.original_error
        if original is not None and not isinstance(original, GraphQLError):
            message, code = self._describe(original)
            formatted["message"] = message
            formatted["extensions"] = {"code": code}
        if not settings.GRAPHQL_INTROSPECTION:
            formatted["message"] = limits.without_suggestions(formatted["message"])
        return formatted

    def _describe(self, exception) -> tuple[str, str]:
        """Return the message and code that a client may see for `exception`."""
        if isinstance(exception, PermissionDenied):
            return str(exception) or _("You do not have permission to do this."), (
                "permission_denied"
            )
        if isinstance(exception, ValidationError):
            return " ".join(exception.messages), "invalid"
        logger.error(
            "GraphQL request failed",
            exc_info=(type(exception), exception, exception.__traceback__),
        )
        return _("The server could not complete the request."), "internal_error"
