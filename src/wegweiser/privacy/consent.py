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


# Whose consents a recipient may read -------------------------------------------------------
# A notice names its recipients by organisation or by kind ("every welfare association"): the
# person agreed that those may receive their data, not that every such organisation may read
# every consent. A recipient reads the consents of the people it holds – the cases app says
# which: the people whose case the user may open. Without a registered function, recipients
# read none (only the organisation that recorded a consent does).

SubjectsHeld = Callable[[Any], Any]

_subjects_held: list[SubjectsHeld] = []


def register_subjects_held(fn: SubjectsHeld) -> SubjectsHeld:
    """Register `fn(user)`, returning the subject ids (a `values()` queryset or a list) of the
    people the user holds; registering the same function twice is a no-op."""
    if fn not in _subjects_held:
        _subjects_held.append(fn)
    return fn


def unregister_subjects_held(fn: SubjectsHeld) -> None:
    if fn in _subjects_held:
        _subjects_held.remove(fn)


def subjects_held_functions() -> tuple[SubjectsHeld, ...]:
    return tuple(_subjects_held)
