"""Hooks other apps register, so that the privacy app depends on no domain app.

- Withdrawal handlers, `fn(consent=..., actor=...)`: the cases app registers one in its
  `AppConfig.ready()` that blocks pending referrals and transfers and creates tasks for earlier
  recipients. Handlers run inside the transaction that records the withdrawal (also expiry and
  invalidation): if one raises, nothing is recorded. `consent.state` tells the handler why the
  consent ended (withdrawn, expired or invalidated).
- Whom a user holds, `fn(user)`, returning the subject ids (a `values()` queryset or a list)
  of the people the user holds. A notice names its recipients by organisation or by kind
  ("every welfare association"): the person agreed that those may receive their data, not
  that every such organisation may read every consent. A recipient reads the consents of the
  people it holds – the cases app says which: the people whose case the user may open.
  Without a registered function, recipients read none (only the organisation that recorded a
  consent does).
"""

from collections.abc import Callable
from typing import Any

WithdrawalHandler = Callable[..., Any]
SubjectsHeld = Callable[[Any], Any]


class _Hooks:
    """Functions registered in order; registering the same function twice is a no-op."""

    def __init__(self) -> None:
        self._functions: list[Callable[..., Any]] = []

    def register(self, fn: Callable[..., Any]) -> Callable[..., Any]:  # usable as a decorator
        if fn not in self._functions:
            self._functions.append(fn)
        return fn

    def unregister(self, fn: Callable[..., Any]) -> None:
        if fn in self._functions:
            self._functions.remove(fn)

    def all(self) -> tuple[Callable[..., Any], ...]:
        return tuple(self._functions)


_withdrawal = _Hooks()
register_withdrawal_handler = _withdrawal.register
unregister_withdrawal_handler = _withdrawal.unregister
withdrawal_handlers = _withdrawal.all

_subjects_held = _Hooks()
register_subjects_held = _subjects_held.register
unregister_subjects_held = _subjects_held.unregister
subjects_held_functions = _subjects_held.all
