"""Run the auditor's check over the books of one or every company."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from modules.core.models import Company
from modules.ledger.selectors import verify_ledger


class Command(BaseCommand):
    help = _(
        "Verify that posted vouchers balance, are numbered without gaps and "
        "that their hash chain is intact."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--company", help=_("Business ID of the company; all when left out.")
        )

    def handle(self, *args, company=None, **options):
        companies = Company.objects.order_by("name")
        if company:
            companies = companies.filter(business_id=company)
            if not companies.exists():
                raise CommandError(_("No company has business ID %s.") % company)

        broken = 0
        for each in companies:
            result = verify_ledger(company=each)
            if result.ok:
                self.stdout.write(
                    ngettext(
                        "%(company)s: %(count)s posted voucher, all checks passed.",
                        "%(company)s: %(count)s posted vouchers, all checks passed.",
                        result.vouchers,
                    )
                    % {"company": each.name, "count": result.vouchers}
                )
                continue
            broken += 1
            self.stdout.write(
                ngettext(
                    "%(company)s: %(count)s posted voucher, problems found:",
                    "%(company)s: %(count)s posted vouchers, problems found:",
                    result.vouchers,
                )
                % {"company": each.name, "count": result.vouchers}
            )
            for finding in result.findings:
                self.stdout.write(f"  - {finding.message}")

        if broken:
            raise CommandError(
                ngettext(
                    "The books of %(count)s company failed the check.",
                    "The books of %(count)s companies failed the check.",
                    broken,
                )
                % {"count": broken}
            )
