"""Masked display of personal data, for every place where the full value is not needed."""

from __future__ import annotations


def mask_id_number(value: str) -> str:
    """210502199001011234 -> 210502********1234 (region kept, birth date hidden)."""
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_mobile(value: str) -> str:
    """13812345678 -> 138****5678."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """王小明 -> 王*明，李雷 -> 李*."""
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
