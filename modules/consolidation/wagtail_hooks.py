"""Admin URLs of the group statements and the financial statements PDF."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from modules.consolidation import views
from modules.ledger.reports.admin_hooks import MENU_HOOK, ReportMenuItem


@hooks.register("register_admin_urls")
def register_consolidation_urls():
    return [
        path(
            "consolidation/statements/",
            views.ConsolidatedStatementView.as_view(),
            name="consolidation_statements",
        ),
        path(
            "consolidation/statements/accounts/",
            views.MemberAccountsView.as_view(),
            name="consolidation_member_accounts",
        ),
        path(
            "consolidation/vouchers/<int:pk>/",
            views.GroupVoucherView.as_view(),
            name="consolidation_voucher",
        ),
        path(
            "ledger/reports/financial-statements/",
            views.FinancialStatementsView.as_view(),
            name="financial_statements",
        ),
    ]


@hooks.register(MENU_HOOK)
def financial_statements_menu_item():
    return ReportMenuItem(
        _("Financial statements"),
        reverse("financial_statements"),
        name="ledger-report-financial-statements",
        icon_name="doc-full-inverse",
        order=60,
    )


@hooks.register(MENU_HOOK)
def group_statements_menu_item():
    return ReportMenuItem(
        _("Group statements"),
        reverse("consolidation_statements"),
        name="ledger-report-group-statements",
        icon_name="group",
        order=70,
    )
