"""Admin menus and dashboard generated from the module registry."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from cms.viewsets import build_viewsets


@hooks.register("register_admin_viewset")
def register_registered_models():
    return build_viewsets()


@hooks.register("construct_homepage_panels")
def add_modules_panel(request, panels):
    from cms.dashboard import ModulesPanel

    panels.append(ModulesPanel(request))


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("cms/admin.css"))


@hooks.register("before_serve_document")
def protect_business_documents(document, request):
    from cms.documents import check_document_access

    check_document_access(document, request.user)
