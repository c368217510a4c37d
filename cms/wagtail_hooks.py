"""Admin menus and dashboard generated from the module registry."""

from wagtail import hooks

from cms.viewsets import build_viewsets


@hooks.register("register_admin_viewset")
def register_registered_models():
    return build_viewsets()
