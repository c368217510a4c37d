"""Render waybills as PDF with WeasyPrint.

The templates live beside this module and are rendered by a Django
template engine of their own, so the package needs no installed app. The
printed labels carry Finnish, Swedish and English side by side, as the
preprinted CMR forms do: carriers and customs read them in any country.
"""

import logging
from decimal import Decimal
from pathlib import Path

from django.template import Context, Engine
from weasyprint import HTML

from integrations.waybill.documents import ConsignmentNote, DomesticWaybill

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
_engine = Engine(dirs=[str(TEMPLATES)], autoescape=True)


def _number(value) -> str:
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def _render(template: str, context: dict) -> bytes:
    html = _engine.get_template(template).render(Context(context))
    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()


def waybill_pdf(waybill: DomesticWaybill) -> bytes:
    """Return a domestic waybill as PDF bytes."""
    logger.info("Rendering waybill %s", waybill.number)
    return _render(
        "domestic.html",
        {"doc": waybill, "weight": _number(waybill.total_weight_kg)},
    )


def cmr_pdf(note: ConsignmentNote) -> bytes:
    """Return a CMR consignment note (boxes 1-24) as PDF bytes."""
    logger.info("Rendering CMR note %s", note.number)
    lines = [
        {
            "line": line,
            "weight": _number(line.gross_weight_kg),
            "volume": _number(line.volume_m3),
        }
        for line in note.goods
    ]
    return _render(
        "cmr.html",
        {
            "doc": note,
            "lines": lines,
            "weight": _number(note.total_weight_kg),
            "cod": _number(note.cash_on_delivery),
            "charges": note.charges,
            "total": _number(note.charges.total),
            "carriage": _number(note.charges.carriage),
            "supplementary": _number(note.charges.supplementary),
            "other": _number(note.charges.other),
        },
    )
