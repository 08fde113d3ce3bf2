"""How hard a login may be tried (docs/adr/0007-login-throttling.md).

Failures are counted over a sliding window of LOCKOUT_MINUTES under three keys, none of which tells whether
the account exists (the identifier is counted by its SM3 digest, known or not):
* the (identifier, address) pair: after LOGIN_PAIR_FAILURES that address is refused for that identifier, so
  one attacker stops long before the owner, trying from elsewhere, is affected;
* the address: after LOGIN_ADDRESS_CHALLENGE_AFTER every login from it needs the arithmetic challenge, after
  LOGIN_ADDRESS_FAILURES the address is refused for the rest of the window;
* the identifier: after LOGIN_ACCOUNT_CHALLENGE_AFTER every login to it needs the challenge (slows guessing
  spread over many addresses); after LOCKOUT_FAILURES an existing account locks for LOCKOUT_MINUTES, which
  its owner can lift at once (citizens by SMS code, staff through their administrator).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.conf import settings

from digigov.core.crypto import sm3_hex
from digigov.core.ratelimit import sliding_count, sliding_count_forget
from digigov.core.request_context import current_request_context

PAIR, ADDRESS, IDENTIFIER = "login_pair", "login_address", "login_identifier"


def source_address() -> str:
    """The caller's address as the counters key it (behind a proxy, the proxy must set REMOTE_ADDR)."""
    return current_request_context().source_ip or "unknown"


def identifier_key(identifier: str) -> str:
    """The digest every counter and audit entry uses instead of the identifier (a 身份证号 or phone number)."""
    return sm3_hex(unicodedata.normalize("NFKC", identifier).strip().lower().encode())


@dataclass(frozen=True)
class Standing:
    pair_failures: float
    address_failures: float
    identifier_failures: float

    @property
    def address_blocked(self) -> bool:
        return self.address_failures >= settings.LOGIN_ADDRESS_FAILURES

    @property
    def pair_blocked(self) -> bool:
        return self.pair_failures >= settings.LOGIN_PAIR_FAILURES

    @property
    def challenge_required(self) -> bool:
        return (
            self.address_failures >= settings.LOGIN_ADDRESS_CHALLENGE_AFTER
            or self.identifier_failures >= settings.LOGIN_ACCOUNT_CHALLENGE_AFTER
        )

    @property
    def account_lock_due(self) -> bool:
        return self.identifier_failures >= settings.LOCKOUT_FAILURES


def _window() -> int:
    return settings.LOCKOUT_MINUTES * 60


def _counts(key: str, address: str, *, add: bool, add_identifier: bool) -> Standing:
    window = _window()
    return Standing(
        pair_failures=sliding_count(scope=PAIR, key=f"{key}:{address}", window_seconds=window, add=add),
        address_failures=sliding_count(scope=ADDRESS, key=address, window_seconds=window, add=add),
        identifier_failures=sliding_count(scope=IDENTIFIER, key=key, window_seconds=window, add=add_identifier),
    )


def standing(key: str, address: str) -> Standing:
    return _counts(key, address, add=False, add_identifier=False)


def record_failure(key: str, address: str, *, count_for_identifier: bool) -> Standing:
    """One more failure. An address already blocked for this identifier no longer adds to the identifier's
    count, so one address can bring an account at most LOGIN_PAIR_FAILURES closer to its lock."""
    return _counts(key, address, add=True, add_identifier=count_for_identifier)


def forget_pair(key: str, address: str) -> None:
    """A successful login clears its own address's count for that identifier (not the others')."""
    sliding_count_forget(scope=PAIR, key=f"{key}:{address}", window_seconds=_window())


def forget_account(keys: list[str], address: str | None = None) -> None:
    """The owner proved who they are (SMS code, administrator): their identifiers start afresh, and so does
    the address they proved it from (an attacker's addresses stay blocked)."""
    for key in keys:
        sliding_count_forget(scope=IDENTIFIER, key=key, window_seconds=_window())
        if address is not None:
            forget_pair(key, address)
