"""koffer.payment: fees paid at the suitcase (issue 22).

- :mod:`~koffer.payment.money`: EUR text <-> integer cents (never float);
- :mod:`~koffer.payment.chain`: the cash book's hash chain, pure
  (canonical encoding, :func:`~koffer.payment.chain.verify_chain`);
- :mod:`~koffer.payment.models`: the tables ``cashbook``, ``cashbook_head``
  and ``card_intents`` (migration ``0005_cashbook`` of the store);
- :mod:`~koffer.payment.cashbook`: the append-only cash book in the store
  (cash, invoice, waived, reversal, closing entries);
- :mod:`~koffer.payment.card`: exactly-once card payments through a
  :class:`~koffer.devices.interfaces.PaymentTerminal` (intents, settle);
- :mod:`~koffer.payment.terminal`: the configured terminal, through the
  device registry.

Nothing about a payment is logged beyond method, amount and result.
"""

from koffer.errors import KofferError


class PaymentError(KofferError):
    """A payment cannot be taken or recorded (German message, ``message_en``)."""


__all__ = ["PaymentError"]
