"""Admin URLs of the ledger reports, under /admin/ledger/reports/."""

from django.urls import path

from modules.ledger.reports import views

app_name = "ledger_reports"

urlpatterns = [
    path("journal/", views.JournalView.as_view(), name="journal"),
    path("general-ledger/", views.GeneralLedgerView.as_view(), name="general_ledger"),
    path("trial-balance/", views.TrialBalanceView.as_view(), name="trial_balance"),
    path(
        "income-statement/",
        views.IncomeStatementView.as_view(),
        name="income_statement",
    ),
    path("balance-sheet/", views.BalanceSheetView.as_view(), name="balance_sheet"),
    path("statement-row/", views.StatementRowView.as_view(), name="statement_row"),
    path("voucher/<int:pk>/", views.VoucherView.as_view(), name="voucher"),
]
