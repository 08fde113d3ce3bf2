"""No query string and no credential in any log line the platform writes.

Request logs are where secrets leak: runserver's `django.server` prints each request line, gunicorn's access log
prints the request line, the referer and the query, `django.request` logs every 4xx and 5xx. A refused Open311
call with its `api_key` in the URL, a password reset link, a search for a 身份证号: all would be kept for as long
as the logs are. `RequestSecretsFilter` (configured in settings.LOGGING on those loggers and on the handlers, and
on gunicorn's loggers by `gunicorn.conf.py`) rewrites every record before it is formatted:

* any query string (`?` and what follows, up to a space or quote) is dropped;
* `api_key=`, `token=`, `password=`, `secret=` and the like, and `Bearer …`, lose their values in any form: in a
  query, a form body, JSON, percent-encoded once or more;
* a formatted traceback goes through the same rules.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

REDACTED = "[已隐去]"
_QUERY = re.compile(r"(?<=[^\s?])\?[^\s\"'<>]*")
_CREDENTIAL = re.compile(
    r"(?i)((?:api[_-]?key|apikey|[a-z_]*token|pass(?:word|wd)?|pwd|secret|otp|totp)[\"']?\s*(?:=|:)\s*[\"']?)"
    r"[^\s&\"',;]+"
)
_BEARER = re.compile(r"(?i)\b(bearer\s+)\S+")
# gunicorn's access-log atoms that are query strings themselves (%(q)s); the request line and referer are
# cleaned like any other text
_QUERY_ATOMS = frozenset({"q"})


def _decoded(text: str) -> str:
    """Percent-decoded until stable (a name encoded twice, `api%255Fkey`, is still a name)."""
    for _ in range(3):
        if "%" not in text and "+" not in text:
            break
        decoded = unquote_plus(text)
        if decoded == text:
            break
        text = decoded
    return text


def redact(text: str) -> str:
    """text without query strings or credential values."""
    if not any(mark in text for mark in ("?", "=", ":", "%", "earer")):
        return text
    text = _decoded(text) if "%" in text else text
    text = _QUERY.sub("", text)
    text = _CREDENTIAL.sub(lambda m: m.group(1) + REDACTED, text)
    return _BEARER.sub(lambda m: m.group(1) + REDACTED, text)


class RequestSecretsFilter(logging.Filter):
    """Formats the record's message now, with `redact` applied (and its traceback likewise); never drops a record.

    The message is formatted before it is cleaned so that a format string such as "password=%s" cannot lose a
    placeholder; gunicorn's query atom is blanked before formatting, since a bare query has no `?` to find."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            record.args = {key: "-" if key in _QUERY_ATOMS else value for key, value in record.args.items()}
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: keep its parts, cleaned
            message = " ".join(str(part) for part in (record.msg, record.args))
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def add_filter_once(logger: logging.Logger) -> None:
    """Put a RequestSecretsFilter on a logger that was set up outside settings.LOGGING (gunicorn's)."""
    if not any(isinstance(f, RequestSecretsFilter) for f in logger.filters):
        logger.addFilter(RequestSecretsFilter())
