from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _voucher_document_company(document) -> int | None:
    from modules.ledger.models import VoucherAttachment

    return (
        VoucherAttachment.objects.filter(document=document)
        .values_list("voucher__company_id", flat=True)
        .first()
    )


class LedgerConfig(AppConfig):
    name = "modules.ledger"
    label = "ledger"
    verbose_name = _("Bookkeeping")

    def ready(self):
        from cms.documents import register_document_owner

        # A voucher's source documents are the company's books.
        register_document_owner(
            _voucher_document_company, permission="ledger.view_voucher"
        )
