"""Channels that bring purchase invoices in without an upload.

Two kinds, both polled by Celery beat (`tasks.poll_invoice_channels`):

- an e-invoice folder where the operator's file-transfer client drops
  Finvoice messages and SOAP batches. It is banking's watched folder
  (`modules.banking.channels.FolderChannel`): each file is received once
  and moved to `imported/`; a file that cannot be received at all (too
  big) moves to `failed/`. Unreadable messages are received anyway and
  wait in the inbox as needs attention.
- an invoice mailbox: every PDF, image or XML attachment of each new mail
  becomes an inbox invoice. `Mailbox` is the interface; `ImapMailbox`
  talks to a mail server with imaplib, `MaildirMailbox` reads a Maildir on
  this server (what a local mail delivery agent or a mail-fetching tool
  writes, and what the tests use).

Folders are named relative to the installation's EINVOICE_FILES_DIR, so
an administrator can never point the importer at an arbitrary place.
"""

from __future__ import annotations

import email
import email.policy
import imaplib
import logging
import mailbox
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError

from cms.settings.env import env_path
from modules.banking.channels import FolderChannel, folder_path

from . import services
from .models import PurchaseSettings

logger = logging.getLogger(__name__)

INVOICE_TYPES = ("application/pdf", "application/xml", "text/xml")


def einvoice_files_root() -> Path:
    """Return the directory under which e-invoice folders and mail folders
    live: the setting EINVOICE_FILES_DIR, else the environment variable of
    that name, else `einvoices/` under the installation's var directory."""
    configured = getattr(settings, "EINVOICE_FILES_DIR", None)
    if configured:
        return Path(configured)
    return env_path("EINVOICE_FILES_DIR", Path(settings.VAR_DIR) / "einvoices")


def einvoice_folder(name: str) -> FolderChannel:
    """Return the watched e-invoice folder `name`."""
    path = folder_path(name, root=einvoice_files_root())
    return FolderChannel(path, max_bytes=services.MAX_FILE_BYTES)


@dataclass(frozen=True)
class IncomingMail:
    """One mail waiting in a mailbox: its key there and its raw bytes."""

    key: str
    data: bytes


class Mailbox(Protocol):
    """What the importer asks of an invoice mailbox."""

    def pending_mail(self) -> Iterator[IncomingMail]:
        """Yield the mails not yet imported."""

    def acknowledge(self, key: str) -> None:
        """Mark a mail as imported, so it is not yielded again."""

    def close(self) -> None:
        """Let go of the connection."""


class MaildirMailbox:
    """A Maildir on this server; imported mails are flagged seen."""

    def __init__(self, path: Path):
        self.box = mailbox.Maildir(path, create=False)

    def pending_mail(self) -> Iterator[IncomingMail]:
        for key in sorted(self.box.keys()):
            message = self.box.get_message(key)
            if "S" not in message.get_flags():
                yield IncomingMail(key=key, data=self.box.get_bytes(key))

    def acknowledge(self, key: str) -> None:
        message = self.box.get_message(key)
        message.set_subdir("cur")
        message.add_flag("S")
        self.box[key] = message

    def close(self) -> None:
        self.box.close()


class ImapMailbox:
    """An IMAP mailbox; unseen mails are imported and then flagged seen."""

    def __init__(self, *, host: str, user: str, password: str, folder="INBOX"):
        self.host, self.user, self.password = host, user, password
        self.folder = folder or "INBOX"
        self._client = None

    def _connect(self):
        if self._client is None:
            client = imaplib.IMAP4_SSL(self.host)
            client.login(self.user, self.password)
            client.select(self.folder)
            self._client = client
        return self._client

    def pending_mail(self) -> Iterator[IncomingMail]:
        client = self._connect()
        _status, found = client.uid("SEARCH", None, "UNSEEN")
        for uid in (found[0] or b"").split():
            # BODY.PEEK leaves the mail unseen until it has been imported.
            _status, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
            yield IncomingMail(key=uid.decode(), data=parts[0][1])

    def acknowledge(self, key: str) -> None:
        self._connect().uid("STORE", key, "+FLAGS", "(\\Seen)")

    def close(self) -> None:
        if self._client is not None:
            self._client.logout()
            self._client = None


def mailbox_for(config: PurchaseSettings) -> Mailbox | None:
    """Return the company's invoice mailbox, or None when it has none.

    The IMAP password is not stored in the database: it is read from the
    environment variable PURCHASE_IMAP_PASSWORD_<company id>, else
    PURCHASE_IMAP_PASSWORD.
    """
    if config.mailbox == PurchaseSettings.Mailbox.MAILDIR and config.mailbox_folder:
        return MaildirMailbox(
            folder_path(config.mailbox_folder, root=einvoice_files_root())
        )
    if config.mailbox == PurchaseSettings.Mailbox.IMAP and config.mailbox_host:
        password = os.environ.get(
            f"PURCHASE_IMAP_PASSWORD_{config.company_id}"
        ) or os.environ.get("PURCHASE_IMAP_PASSWORD", "")
        return ImapMailbox(
            host=config.mailbox_host,
            user=config.mailbox_user,
            password=password,
            folder=config.mailbox_folder,
        )
    return None


def _is_invoice_part(part) -> bool:
    kind = part.get_content_type()
    return kind in INVOICE_TYPES or kind.startswith("image/")


def receive_mail(*, company, data: bytes, user=None) -> services.ReceiveResult:
    """Receive every PDF, image and XML attachment of one mail into the
    inbox. A mail with none lands itself as needs attention."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    total = services.ReceiveResult()
    parts = [part for part in message.iter_attachments() if _is_invoice_part(part)]
    for index, part in enumerate(parts, start=1):
        content = part.get_payload(decode=True) or b""
        name = part.get_filename() or f"attachment-{index}"
        if part.get_content_type() in ("application/xml", "text/xml"):
            result = services.receive_einvoice(
                company=company, data=content, filename=name, user=user
            )
        else:
            result = services.receive_document(
                company=company,
                data=content,
                filename=name,
                content_type=part.get_content_type(),
                user=user,
            )
        total.add(result)
    if not parts:
        total.add(
            services.receive_unreadable(
                company=company,
                data=data,
                filename=f"{message.get('subject', '') or 'mail'}.eml"[:200],
                content_type="message/rfc822",
                problem=services.NO_ATTACHMENT_MESSAGE,
                user=user,
            )
        )
    return total


def poll_folder(config: PurchaseSettings) -> dict:
    """Receive every file waiting in the company's e-invoice folder."""
    counts = {"files": 0, "refused": 0}
    channel = einvoice_folder(config.einvoice_folder)
    for incoming in channel.pending_files():
        try:
            services.receive_einvoice(
                company=config.company,
                data=incoming.data,
                filename=incoming.name,
                user=None,
            )
        except ValidationError as error:
            logger.warning("E-invoice file %s refused: %s", incoming.name, error)
            channel.acknowledge(incoming.name, ok=False)
            counts["refused"] += 1
            continue
        channel.acknowledge(incoming.name, ok=True)
        counts["files"] += 1
    return counts


def poll_mailbox(config: PurchaseSettings, box: Mailbox) -> dict:
    """Receive the attachments of every new mail in the company's mailbox."""
    counts = {"mails": 0, "refused": 0}
    for mail in box.pending_mail():
        try:
            receive_mail(company=config.company, data=mail.data)
        except ValidationError as error:
            logger.warning("Invoice mail %s refused: %s", mail.key, error)
            counts["refused"] += 1
        box.acknowledge(mail.key)
        counts["mails"] += 1
    return counts
