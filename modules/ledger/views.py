"""Admin screens of the ledger beyond the generated ones."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from modules.core.current import current_company
from modules.ledger.selectors import verify_ledger

VERIFY_PERMISSION = "ledger.view_voucher"


class VerifyLedgerView(WagtailAdminTemplateMixin, TemplateView):
    """The auditor's check of the current company's books."""

    page_title = gettext_lazy("Ledger check")
    header_icon = "tick-inverse"
    template_name = "ledger/verify_ledger.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VERIFY_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        company = current_company(self.request)
        context["company"] = company
        context["result"] = verify_ledger(company=company) if company else None
        return context
