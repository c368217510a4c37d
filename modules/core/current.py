"""The user's current company, chosen with the switch in the admin."""

from modules.core.scoping import companies_for

SESSION_KEY = "current_company_id"


def current_company(request):
    """Return the company chosen in the session, else the user's default.

    Returns None for users without any company. The answer is cached on
    the request.
    """
    if hasattr(request, "_current_company"):
        return request._current_company
    user = getattr(request, "user", None)
    companies = companies_for(user)
    session = getattr(request, "session", None)
    chosen = session.get(SESSION_KEY) if session is not None else None
    company = companies.filter(pk=chosen).first() if chosen is not None else None
    if company is None and user is not None and user.is_authenticated:
        company = (
            companies.filter(memberships__user=user, memberships__is_default=True)
            .order_by("pk")
            .first()
        )
    if company is None:
        company = companies.order_by("pk").first()
    request._current_company = company
    return company


def set_current_company(request, company) -> None:
    """Remember `company` as the current one for this session."""
    request.session[SESSION_KEY] = company.pk
    request._current_company = company
