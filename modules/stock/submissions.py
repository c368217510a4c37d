"""Offline-safe submit for handheld pages: book a form once per key.

A handheld page gives every form a fresh idempotency key and keeps unsent
forms in a queue while the phone is offline. When the connection returns
the same form may arrive twice (or twice at once, from a double tap); the
first one books, every later one gets the first one's result back. Stock
counting and transfers and the order pages (picking, goods receipt) all
go through `submit_once`.
"""

import logging

from django.db import IntegrityError, transaction

from modules.stock.models import HandheldSubmission

logger = logging.getLogger(__name__)


def submit_once(*, company, user, key, action, book) -> tuple[dict, bool]:
    """Run `book` once per submission `key`; return (result, first time).

    `book` does the booking and returns a JSON-safe dict, stored with the
    key. The key is claimed first, inside the booking's transaction: a
    concurrent duplicate waits on it, then gets the stored result and
    books nothing; if the booking fails, the claim goes with it and the
    form can be sent again.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = HandheldSubmission.objects.create(
                    company=company,
                    key=key,
                    action=action,
                    user=user if user is not None and user.is_authenticated else None,
                )
        except IntegrityError:
            earlier = HandheldSubmission.objects.get(company=company, key=key)
            logger.info("Handheld %s %s sent again: not booked", action, key)
            return earlier.result, False
        result = book()
        submission.result = result
        submission.save(update_fields=["result"])
    return result, True
