"""Waybills: the domestic waybill (rahtikirja) and the CMR consignment note.

Plain Python: a caller fills the dataclasses of `documents` and
`render.waybill_pdf` / `render.cmr_pdf` return PDF bytes made by
WeasyPrint from the HTML templates beside this file. Nothing here reads
the database; the orders module builds the documents from a delivery.
"""
