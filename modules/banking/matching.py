"""The matching engine: which open invoices does an incoming payment pay?

Plain Python over an in-memory index of the company's open items, so a
file of ten thousand payments is matched in one pass without a query per
payment. The rules, in order:

1. **Reference**: a payment whose reference (national or RF, compared on
   the national part) names open invoices pays them, oldest due first;
   a partial payment leaves the rest open, an overpayment leaves the
   surplus on the transaction for the user to refund or post.
2. **Amount and name**: invoices whose open amount equals the payment
   are scored by how much the payer's name resembles the customer's and
   whether the invoice number appears in the message. One clear winner
   (confidence >= AUTO_CONFIDENCE, the runner-up far behind) is applied;
   otherwise the candidates are kept as proposals for the user.

The index keeps what earlier payments in the same run took, so two
payments never spend the same open amount.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher

from integrations.refpayments.references import national_part
from modules.banking.providers import OpenItem

AUTO_CONFIDENCE = 0.9
PROPOSAL_CONFIDENCE = 0.3
MAX_PROPOSALS = 5

_COMPANY_FORMS = re.compile(
    r"\b(oy|oyj|ab|abp|ky|tmi|ay|ltd|oü|gmbh|as|asa|inc|co|ry)\b\.?", re.IGNORECASE
)
_NON_WORD = re.compile(r"[^\w]+")
_TOKENS = re.compile(r"[\w-]+")


def _normal_name(name: str) -> str:
    return " ".join(_NON_WORD.sub(" ", _COMPANY_FORMS.sub(" ", name.lower())).split())


def name_similarity(first: str, second: str) -> float:
    """Return how alike two names are, 0 to 1, ignoring company forms."""
    a, b = _normal_name(first), _normal_name(second)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    words_a, words_b = set(a.split()), set(b.split())
    overlap = len(words_a & words_b) / max(len(words_a), len(words_b))
    return max(overlap, SequenceMatcher(None, a, b).ratio())


@dataclass(frozen=True)
class Allocation:
    """An amount of a payment applied to one open item."""

    item: OpenItem
    amount: Decimal
    method: str
    confidence: float = 1.0


@dataclass
class MatchResult:
    """What the engine decided for one payment."""

    allocations: list[Allocation] = field(default_factory=list)
    proposals: list[dict] = field(default_factory=list)


class OpenItemIndex:
    """Open items looked up by reference, amount and number."""

    def __init__(self, items):
        self.remaining: dict[str, Decimal] = {}
        self.items: dict[str, OpenItem] = {}
        self._by_reference: dict[str, list[OpenItem]] = defaultdict(list)
        self._by_amount: dict[Decimal, list[OpenItem]] = defaultdict(list)
        self._by_number: dict[str, OpenItem] = {}
        for item in items:
            self.items[item.document_id] = item
            self.remaining[item.document_id] = item.open_amount
            if item.reference:
                self._by_reference[national_part(item.reference)].append(item)
            self._by_amount[item.open_amount].append(item)
            if item.number:
                self._by_number[item.number] = item
        for bucket in self._by_reference.values():
            bucket.sort(key=lambda item: (item.due_date is None, item.due_date))

    def by_reference(self, reference: str) -> list[OpenItem]:
        return self._by_reference.get(national_part(reference), [])

    def by_amount(self, amount: Decimal) -> list[OpenItem]:
        return [
            item
            for item in self._by_amount.get(amount, [])
            if self.remaining[item.document_id] == amount
        ]

    def by_number(self, text: str) -> list[OpenItem]:
        found = []
        for token in _TOKENS.findall(text or ""):
            item = self._by_number.get(token)
            if item is not None and item not in found:
                found.append(item)
        return found

    def take(self, item: OpenItem, amount: Decimal) -> None:
        self.remaining[item.document_id] -= amount


def _by_reference(payment, index, available) -> list[Allocation]:
    allocations = []
    for item in index.by_reference(payment.reference):
        if available <= 0:
            break
        amount = min(available, index.remaining[item.document_id])
        if amount <= 0:
            continue
        allocations.append(Allocation(item=item, amount=amount, method="reference"))
        index.take(item, amount)
        available -= amount
    return allocations


def _candidates(payment, index, available) -> list[tuple[float, OpenItem]]:
    scored: dict[str, tuple[float, OpenItem]] = {}
    for item in index.by_amount(available):
        similarity = name_similarity(payment.counterparty_name, item.customer_name)
        confidence = 0.3 + 0.7 * similarity
        scored[item.document_id] = (confidence, item)
    for item in index.by_number(payment.message):
        if index.remaining[item.document_id] <= 0:
            continue
        previous = scored.get(item.document_id, (0.3, item))[0]
        scored[item.document_id] = (min(1.0, previous + 0.3), item)
    return sorted(scored.values(), key=lambda entry: -entry[0])


def _proposal(confidence, item, index) -> dict:
    return {
        "document_id": item.document_id,
        "number": item.number,
        "customer": item.customer_name,
        "open_amount": str(index.remaining[item.document_id]),
        "confidence": round(confidence, 2),
    }


def match_payment(payment, index: OpenItemIndex) -> MatchResult:
    """Decide the allocations of one incoming payment (see module doc).

    `payment` needs `amount`, `reference`, `counterparty_name` and
    `message`; what is taken is removed from `index`.
    """
    result = MatchResult()
    available = payment.amount
    if payment.reference:
        result.allocations = _by_reference(payment, index, available)
        if result.allocations:
            return result

    ranked = _candidates(payment, index, available)
    if ranked:
        best_confidence, best = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        amount = min(available, index.remaining[best.document_id])
        if best_confidence >= AUTO_CONFIDENCE and runner_up < 0.6 and amount > 0:
            result.allocations = [
                Allocation(
                    item=best,
                    amount=amount,
                    method="amount_name",
                    confidence=best_confidence,
                )
            ]
            index.take(best, amount)
            return result
    result.proposals = [
        _proposal(confidence, item, index)
        for confidence, item in ranked[:MAX_PROPOSALS]
        if confidence >= PROPOSAL_CONFIDENCE
    ]
    return result
