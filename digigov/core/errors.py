"""Typed domain errors. Services raise them; the API and pages map them to a status and a Chinese message."""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"


class NotFound(DomainError):
    """Missing, or not visible to this actor: the two must look the same so nothing leaks."""

    status = 404
    code = "not_found"

    def __init__(self, message: str = "对象不存在或无权访问") -> None:
        super().__init__(message)


class Forbidden(DomainError):
    """The actor may see the object but not perform this action on it."""

    status = 403
    code = "forbidden"

    def __init__(self, message: str = "无权执行此操作") -> None:
        super().__init__(message)


class Conflict(DomainError):
    status = 409
    code = "conflict"


class TooManyRequests(DomainError):
    status = 429
    code = "too_many_requests"
