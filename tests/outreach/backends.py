"""A mail backend for tests: the locmem outbox, with a server that refuses some.

It stands in for an SMTP server that rejects a recipient, which is outside
the machine; every other message lands in `django.core.mail.outbox`.
"""

import smtplib
import threading

from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                if address.startswith("refused"):
                    raise smtplib.SMTPRecipientsRefused(
                        {address: (550, b"5.1.1 Mailbox does not exist")}
                    )
        return super().send_messages(messages)


class WorkerKilled(BaseException):
    """The worker process dying: not an error the sending code may catch."""


class DyingBackend(EmailBackend):
    """A server that accepts a message, then the worker dies before it notes it.

    Addresses starting with "last" are accepted and then the worker is
    killed, as if the database commit after the hand-over never happened.
    """

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        if any(address.startswith("last") for m in messages for address in m.to):
            raise WorkerKilled
        return sent


class SlowBackend(EmailBackend):
    """A server that holds messages to "busy..." until the test lets them go."""

    arrived = threading.Event()
    release = threading.Event()

    def send_messages(self, messages):
        if any(address.startswith("busy") for m in messages for address in m.to):
            SlowBackend.arrived.set()
            SlowBackend.release.wait(timeout=60)
        return super().send_messages(messages)
