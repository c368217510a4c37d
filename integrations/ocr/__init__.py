"""Text out of scanned purchase invoices.

PDFs that carry text are read with `pdftotext` (poppler); image-only PDFs
are rendered page by page with `pdftoppm` and read with `tesseract`, as are
PNG, JPEG and TIFF images. Everything runs as Debian command-line tools in
a temporary directory, with a time limit, and nothing touches the network.

`extract_text` raises `UnreadableDocument` with a message a clerk can act
on when the file is broken or holds nothing readable.
"""

import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

LANGUAGES = "fin+swe+eng"
PAGE_LIMIT = 10
TIMEOUT_SECONDS = 120
# Fewer letters than this on a PDF page means it is a scan without a text
# layer, and the page is read with OCR instead.
MIN_TEXT_CHARS = 20

IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
}


class UnreadableDocument(Exception):
    """The file is broken, of an unknown type, or holds no readable text."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class ExtractedText:
    text: str
    pages: int
    method: str  # "text layer" or "ocr"


def sniff_kind(data: bytes) -> str:
    """Return "pdf", "png", "jpeg" or "tiff" from the file's first bytes."""
    if data[:5] == b"%PDF-":
        return "pdf"
    for signature, kind in IMAGE_SIGNATURES.items():
        if data.startswith(signature):
            return kind
    raise UnreadableDocument(
        _("The file is not a PDF, PNG, JPEG or TIFF document and cannot be read.")
    )


def _run(args: list[str], *, cwd: Path) -> str:
    try:
        done = subprocess.run(
            args,
            cwd=cwd,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise UnreadableDocument(
            _("Reading the document took too long; it may be damaged.")
        ) from exc
    if done.returncode != 0:
        logger.info("%s failed: %s", args[0], done.stderr[:500])
        raise UnreadableDocument(_("The document is damaged and could not be opened."))
    return done.stdout.decode("utf-8", errors="replace")


def ocr_image(path: Path) -> str:
    """Return the text tesseract reads from one image file."""
    return _run(["tesseract", str(path), "stdout", "-l", LANGUAGES], cwd=path.parent)


def _pdf_pages(path: Path) -> int:
    info = _run(["pdfinfo", str(path)], cwd=path.parent)
    for line in info.splitlines():
        if line.startswith("Pages:"):
            return int(line.split(":", 1)[1])
    raise UnreadableDocument(_("The document is damaged and could not be opened."))


def _read_pdf(path: Path) -> ExtractedText:
    pages = _pdf_pages(path)
    if pages > PAGE_LIMIT:
        raise UnreadableDocument(
            _("The document has %(pages)s pages; at most %(limit)s are read.")
            % {"pages": pages, "limit": PAGE_LIMIT}
        )
    texts = []
    method = "text layer"
    for page in range(1, pages + 1):
        text = _run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
            cwd=path.parent,
        )
        if len(text.strip()) < MIN_TEXT_CHARS:
            prefix = path.parent / f"page-{page}"
            _run(
                ["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile"]
                + ["-f", str(page), "-l", str(page), str(path), str(prefix)],
                cwd=path.parent,
            )
            text = ocr_image(prefix.with_suffix(".png"))
            method = "ocr"
        texts.append(text)
    return ExtractedText(text="\f".join(texts), pages=pages, method=method)


def extract_text(data: bytes) -> ExtractedText:
    """Return the text of a PDF or image, reading scans with OCR."""
    kind = sniff_kind(data)
    workdir = Path(tempfile.mkdtemp(prefix="ocr-"))
    try:
        source = workdir / f"document.{kind}"
        source.write_bytes(data)
        if kind == "pdf":
            result = _read_pdf(source)
        else:
            result = ExtractedText(text=ocr_image(source), pages=1, method="ocr")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if not result.text.strip():
        raise UnreadableDocument(
            _("No text could be read from the document; enter the invoice by hand.")
        )
    return result
