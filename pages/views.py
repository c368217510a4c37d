"""The site's own login and logout, and the page that refuses a visitor."""

from django.contrib.auth import views as auth_views
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from wagtail.models import Site

from cms.auth import ThrottledLoginForm
from pages.access import Refusal
from themes.selectors import theme_context


def _landing_url(request) -> str:
    """Return where a user lands after logging in without a `next` page."""
    from pages.models import ExtranetHomePage, IntranetHomePage

    site = Site.find_for_request(request)
    if site is None:
        return "/"
    root = site.root_page.localized
    for model in (IntranetHomePage, ExtranetHomePage):
        home = model.objects.live().descendant_of(root, inclusive=True).first()
        if home is not None and home.admits(request.user):
            return home.get_url(request)
    return root.get_url(request) or "/"


class LoginView(auth_views.LoginView):
    """Log in on the site itself, so partners and customers need no admin."""

    template_name = "pages/login.html"
    authentication_form = ThrottledLoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(theme_context(self.request))
        return context

    def get_default_redirect_url(self):
        return _landing_url(self.request)


class LogoutView(auth_views.LogoutView):
    """Log out and return to the front page of the site."""

    def get_default_redirect_url(self):
        site = Site.find_for_request(self.request)
        url = site.root_page.localized.get_url(self.request) if site else None
        return url or "/"


def refuse(request, page, refusal: Refusal) -> TemplateResponse:
    """Answer a logged-in user who may not see `page` with a 403 page."""
    context = {"page": page, "message": refusal.message, **theme_context(request)}
    response = TemplateResponse(request, "pages/forbidden.html", context, status=403)
    add_never_cache_headers(response)
    return response
