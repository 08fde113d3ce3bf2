"""Validators for Chinese identifiers (python-stdnum does the check digits) and mobile numbers.

Each returns the normalised value or raises ValidationFailed with a message a citizen can act on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

from digigov.core.errors import ValidationFailed

MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")


def _normalise(value: str) -> str:
    """Full-width digits and letters from a Chinese IME become ASCII (NFKC), so one number has one form."""
    return re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", value or "")).upper()


@dataclass(frozen=True)
class IdNumberFacts:
    number: str
    birth_date: date
    region_code: str  # GB/T 2260 six-digit code of the place of first registration
    gender: str  # "M" or "F" (odd/even sequence digit)


def _id_number_facts(number: str) -> IdNumberFacts:
    return IdNumberFacts(
        number=number,
        birth_date=ric.get_birth_date(number),
        region_code=number[:6],
        gender="M" if int(number[16]) % 2 else "F",
    )


def validate_id_number(value: str, *, field: str = "id_number", skip_check_digit: bool = False) -> IdNumberFacts:
    """GB 11643 身份证号. skip_check_digit is for the audited manual override of genuine numbers."""
    number = _normalise(value)
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise ValidationFailed("身份证号应为18位，前17位为数字，末位为数字或X", fields={field: "格式错误"})
    try:
        ric.get_birth_date(number)
    except stdnum_errors.ValidationError as exc:
        raise ValidationFailed("身份证号中的出生日期无效", fields={field: "出生日期无效"}) from exc
    if not skip_check_digit:
        try:
            ric.validate(number)
        except stdnum_errors.InvalidChecksum as exc:
            raise ValidationFailed("身份证号校验位不正确，请核对后重新输入", fields={field: "校验位错误"}) from exc
        except (stdnum_errors.ValidationError, KeyError) as exc:
            # KeyError: python-stdnum 2.x looks up a county for the first 6 digits and fails so when they name
            # only a province or prefecture (e.g. 644547): not a county code either
            message = "身份证号前6位不是出生时有效的行政区划代码，请核对"
            raise ValidationFailed(message, fields={field: "地区代码无效"}) from exc
    facts = _id_number_facts(number)
    if facts.birth_date > date.today():
        raise ValidationFailed("身份证号中的出生日期晚于今天", fields={field: "出生日期无效"})
    return facts


def validate_uscc(value: str, *, field: str = "uscc", skip_check_digit: bool = False) -> str:
    """GB 32100 统一社会信用代码: 18 characters, letters without I, O, S, V, Z."""
    code = _normalise(value)
    if not re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}", code):
        raise ValidationFailed("统一社会信用代码应为18位数字或大写字母(不含I、O、S、V、Z)", fields={field: "格式错误"})
    if not skip_check_digit:
        try:
            uscc.validate(code)
        except stdnum_errors.ValidationError as exc:
            message = "统一社会信用代码校验位不正确，请核对营业执照"
            raise ValidationFailed(message, fields={field: "校验位错误"}) from exc
    return code


def validate_mobile(value: str, *, field: str = "mobile") -> str:
    number = _normalise(value)
    if number.startswith("+86"):
        number = number[3:]
    if not MOBILE_RE.fullmatch(number):
        raise ValidationFailed("手机号码应为以1开头的11位数字", fields={field: "格式错误"})
    return number
