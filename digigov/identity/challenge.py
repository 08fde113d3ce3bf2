"""The arithmetic challenge a login must answer once its address or account has failed a few times.

It is bound to the session, single use and short-lived, so an answer cannot be replayed or collected in
advance. It slows scripted guessing and makes it visible; the counters in services.login_throttle are what
stop it (docs/adr/0007-login-throttling.md).
"""

from __future__ import annotations

import secrets
import time
from typing import Any

SESSION_KEY = "login_challenge"
LIFETIME_SECONDS = 300


def challenge_issue(session: Any) -> str:
    """A fresh question (replacing any earlier one), e.g. "7 + 8 = ?"."""
    left, right = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    if secrets.randbelow(2):
        question, answer = f"{left} × {right}", left * right
    else:
        question, answer = f"{left + right} − {right}", left
    session[SESSION_KEY] = {"question": question, "answer": answer, "at": time.time()}
    return question


def challenge_question(session: Any) -> str | None:
    pending = session.get(SESSION_KEY)
    return pending["question"] if pending else None


def challenge_take(session: Any, answer: str) -> bool:
    """Whether the answer is right; the question is used up either way."""
    pending = session.pop(SESSION_KEY, None)
    if not pending or pending["at"] + LIFETIME_SECONDS < time.time():
        return False
    return answer.strip() == str(pending["answer"])
