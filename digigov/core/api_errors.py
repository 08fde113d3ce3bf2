"""The API's one error shape, declared on every operation so the OpenAPI document tells the truth."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str] = {}


def errors(*statuses: int) -> dict[int, Any]:
    """Response declarations for the given error statuses, e.g. {**errors(401, 404)}."""
    return dict.fromkeys(statuses, ErrorOut)


# Every authenticated operation can answer these.
AUTH_ERRORS = errors(401, 422)
