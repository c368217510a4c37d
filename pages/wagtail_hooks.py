"""Wagtail hooks of the page trees: who may enter the intranet and extranet."""

from django.utils.cache import add_never_cache_headers
from wagtail import hooks
from wagtail.wagtail_hooks import require_wagtail_login

from pages import access, views


@hooks.register("before_serve_page")
def refuse_visitors_without_access(page, request, serve_args, serve_kwargs):
    """Send strangers to the login page and refuse logged-in outsiders."""
    refusal = access.refusal_for(page, request)
    if refusal is None:
        return None
    if refusal.needs_login:
        response = require_wagtail_login(next=request.get_full_path())
        add_never_cache_headers(response)
        return response
    return views.refuse(request, page, refusal)
