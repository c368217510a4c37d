"""Parse XML from outside the company without trusting it.

Bank files, e-invoices and status reports come from networks and users.
`parse_xml` refuses every construct that lets a document reach beyond
itself or blow up in memory: document type declarations (and with them
entity definitions, the vector of "billion laughs" and external-entity
attacks), network and file access, deep or huge trees, and anything over
a size limit. It raises one typed error, `UnsafeXMLError` (a Django
`ValidationError` with a translated message), whatever the cause.
"""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from lxml import etree

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 32 * 1024 * 1024

# A document type declaration may only stand before the root element; in
# any of the encodings an XML file may use it is spelled one of these ways.
_DECLARATIONS = tuple(
    word.encode(encoding)
    for word in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)

_DTD_MESSAGE = _(
    "The file declares a document type or entities, which are not accepted "
    "in business files; it was not read."
)


class UnsafeXMLError(ValidationError):
    """An XML document was refused; the message says why in user terms."""


class XMLTooLargeError(UnsafeXMLError):
    """The document is larger than the size limit."""


class ForbiddenXMLError(UnsafeXMLError):
    """The document declares a DTD or entities."""


class MalformedXMLError(UnsafeXMLError):
    """The document is not well-formed XML."""


def max_xml_bytes() -> int:
    """Return the size limit for incoming XML (setting XML_MAX_BYTES)."""
    return int(getattr(settings, "XML_MAX_BYTES", DEFAULT_MAX_BYTES))


def read_limited(source, *, max_bytes: int | None = None) -> bytes:
    """Return the bytes of `source` (bytes or a binary file), size-checked.

    Reads at most one byte past the limit, so a huge upload is never held
    in memory whole.
    """
    limit = max_xml_bytes() if max_bytes is None else max_bytes
    if isinstance(source, bytes | bytearray):
        data = bytes(source[: limit + 1])
    else:
        data = source.read(limit + 1)
    if isinstance(data, str):
        raise TypeError("Read XML from a binary file, not a text file.")
    if len(data) > limit:
        raise XMLTooLargeError(
            _("The file is larger than %(limit)s MB; it was not read."),
            code="xml_too_large",
            params={"limit": round(limit / (1024 * 1024), 1)},
        )
    return data


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
        collect_ids=False,
    )


def parse_xml(source, *, max_bytes: int | None = None) -> etree._Element:
    """Parse untrusted XML and return its root element.

    `source` is bytes or a binary file. Raises `UnsafeXMLError` for files
    over the size limit, with a DTD or entity declarations, or not
    well-formed; no file or network is ever opened on the document's
    behalf.
    """
    data = read_limited(source, max_bytes=max_bytes)
    if not data.strip():
        raise MalformedXMLError(_("The file is empty."), code="xml_empty")
    if any(declaration in data for declaration in _DECLARATIONS):
        raise ForbiddenXMLError(
            _DTD_MESSAGE,
            code="xml_dtd",
        )

    try:
        tree = etree.parse(io.BytesIO(data), _parser())
    except etree.XMLSyntaxError as error:
        logger.info("Malformed XML refused: %s", error)
        raise MalformedXMLError(
            _("The file is not well-formed XML (line %(line)s): %(detail)s"),
            code="xml_malformed",
            params={"line": error.lineno or "?", "detail": error.msg},
        ) from error

    # A declaration in an encoding the byte scan does not know still shows
    # up here; refuse it as well.
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise ForbiddenXMLError(
            _DTD_MESSAGE,
            code="xml_dtd",
        )
    return tree.getroot()


def local_name(element) -> str:
    """Return the tag of `element` without its namespace."""
    return etree.QName(element).localname
