"""Bank channels: where bank files come from without an upload.

A channel adapter lists the files waiting for the company and is told
when one has been imported. A real bank connection (Web Services, EBICS,
a bank's REST API or an operator's SFTP) implements the same two
methods; the product ships the watched folder, which is also what tests
and installations with a file-transfer client use.

A folder is named in the account's `BankConnection` relative to the
installation's BANK_FILES_DIR, so an administrator can never point the
importer at an arbitrary place on the server.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cms.settings.env import env_path
from modules.banking.models import BankConnection, Channel

logger = logging.getLogger(__name__)

DONE_FOLDER = "imported"
FAILED_FOLDER = "failed"
_SUFFIXES = {".xml", ".txt", ".dat", ".camt", ".nda"}


@dataclass(frozen=True)
class IncomingFile:
    """A bank file waiting in a channel."""

    name: str
    data: bytes


class BankChannel(Protocol):
    """The two things the importer asks of a bank channel."""

    def pending_files(self) -> Iterator[IncomingFile]:
        """Yield the files not yet imported, oldest first."""

    def acknowledge(self, name: str, *, ok: bool) -> None:
        """Mark a file as imported (ok) or as refused."""


def bank_files_root() -> Path:
    """Return the directory under which watched folders live.

    The setting BANK_FILES_DIR, else the environment variable of that name,
    else `bank/` under the installation's var directory.
    """
    configured = getattr(settings, "BANK_FILES_DIR", None)
    if configured:
        return Path(configured)
    return env_path("BANK_FILES_DIR", Path(settings.VAR_DIR) / "bank")


def folder_path(name: str, *, root: Path | None = None) -> Path:
    """Return the watched folder `name` under `root` (by default the bank
    file directory), refusing paths that leave the root."""
    root = (root or bank_files_root()).resolve()
    path = (root / name).resolve()
    if not name or path == root or root not in path.parents:
        raise ValidationError(
            _("%(name)s is not a folder name under the bank file directory."),
            code="bad_folder",
            params={"name": name},
        )
    return path


class FolderChannel:
    """Files dropped in a folder; imported ones move to `imported/`."""

    def __init__(self, path: Path, *, max_bytes: int):
        self.path = path
        self.max_bytes = max_bytes

    def pending_files(self) -> Iterator[IncomingFile]:
        if not self.path.is_dir():
            return
        candidates = sorted(
            (
                p
                for p in self.path.iterdir()
                if p.is_file() and p.suffix.lower() in _SUFFIXES
            ),
            key=lambda p: (p.stat().st_mtime, p.name),
        )
        for path in candidates:
            with path.open("rb") as handle:
                # One byte past the limit is enough for the importer to refuse.
                yield IncomingFile(name=path.name, data=handle.read(self.max_bytes + 1))

    def acknowledge(self, name: str, *, ok: bool) -> None:
        target = self.path / (DONE_FOLDER if ok else FAILED_FOLDER)
        target.mkdir(exist_ok=True)
        (self.path / name).replace(target / name)


def channel_for(connection: BankConnection) -> BankChannel | None:
    """Return the channel adapter of a bank connection, or None (upload only)."""
    from integrations.xmlsafe import max_xml_bytes

    if connection.channel == Channel.FOLDER and connection.folder:
        return FolderChannel(folder_path(connection.folder), max_bytes=max_xml_bytes())
    return None
