"""Hooks other apps register so that the end of a consent takes effect at once.

The cases app registers a handler in its `AppConfig.ready()` that blocks pending referrals and
transfers and creates tasks for earlier recipients. Handlers run inside the transaction that
records the withdrawal (also expiry and invalidation): if one raises, nothing is recorded.
"""

from collections.abc import Callable
from typing import Any

WithdrawalHandler = Callable[..., Any]

_withdrawal_handlers: list[WithdrawalHandler] = []


def register_withdrawal_handler(fn: WithdrawalHandler) -> WithdrawalHandler:
    """Register `fn(consent=..., actor=...)`; registering the same function twice is a no-op.

    Usable as a decorator. `consent.state` tells the handler why the consent ended
    (withdrawn, expired or invalidated).
    """
    if fn not in _withdrawal_handlers:
        _withdrawal_handlers.append(fn)
    return fn


def unregister_withdrawal_handler(fn: WithdrawalHandler) -> None:
    if fn in _withdrawal_handlers:
        _withdrawal_handlers.remove(fn)


def withdrawal_handlers() -> tuple[WithdrawalHandler, ...]:
    return tuple(_withdrawal_handlers)
