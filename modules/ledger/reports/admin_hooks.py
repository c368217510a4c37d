"""The ledger reports' admin URLs and their menu, next to Bookkeeping.

Imported by `modules.ledger.wagtail_hooks`, which Wagtail loads.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from modules.ledger.reports import urls
from modules.ledger.reports.views import REPORT_PERMISSION

REPORT_MENU = [
    ("journal", _("Journal"), "list-ul"),
    ("general_ledger", _("General ledger"), "table"),
    ("trial_balance", _("Trial balance"), "tasks"),
    ("income_statement", _("Income statement"), "doc-full"),
    ("balance_sheet", _("Balance sheet"), "doc-full"),
]

# Other apps (the financial statements document, group accounts) add their
# screens to this submenu by registering a function under this hook name
# that returns a `ReportMenuItem`.
MENU_HOOK = "register_ledger_report_menu_item"


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REPORT_PERMISSION)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("ledger/reports/", include(urls, namespace="ledger_reports"))]


def _items():
    return [
        ReportMenuItem(
            label,
            reverse(f"ledger_reports:{name}"),
            name=f"ledger-report-{name.replace('_', '-')}",
            icon_name=icon,
            order=index * 10,
        )
        for index, (name, label, icon) in enumerate(REPORT_MENU, start=1)
    ]


class ReportsSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REPORT_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_reports_menu():
    return ReportsSubmenu(
        _("Ledger reports"),
        Menu(register_hook_name=MENU_HOOK, items=_items()),
        name="ledger-reports",
        icon_name="table",
        order=205,
    )
