"""身份证号 (GB 11643)，统一社会信用代码 (GB 32100) and mobile numbers: what passes, what fails and how it says so."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from digigov.core.errors import ValidationFailed
from digigov.core.validators import IdNumberFacts, validate_id_number, validate_mobile, validate_uscc
from digigov.identity.demo_city import USCC_ALPHABET, id_number_check_char, make_id_number, make_uscc

CJK = re.compile(r"[\u4e00-\u9fff]")

# 平山区 (210502) exists from 1983 in python-stdnum's region table; 本溪满族自治县 (210521) since long before.
VALID_ID = make_id_number("210502", date(1990, 3, 7), 123)  # odd sequence: male
VALID_ID_F = make_id_number("210521", date(1956, 11, 30), 88)  # even sequence: female
VALID_USCC = make_uscc("91210504", 17)


def _wrong_check_char(body17: str) -> str:
    right = id_number_check_char(body17)
    return next(ch for ch in "0123456789X" if ch != right)


def _failure(call: object, *args: object, **kwargs: object) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    error = info.value
    assert CJK.search(error.message), f"not a Chinese message: {error.message!r}"
    assert error.fields, "no field named"
    assert all(CJK.search(reason) for reason in error.fields.values())
    assert error.status == 422
    return error


# --- 身份证号 -------------------------------------------------------------------------------------------


def test_valid_id_number_gives_its_facts() -> None:
    facts = validate_id_number(VALID_ID)
    assert facts == IdNumberFacts(number=VALID_ID, birth_date=date(1990, 3, 7), region_code="210502", gender="M")
    female = validate_id_number(VALID_ID_F)
    assert (female.birth_date, female.region_code, female.gender) == (date(1956, 11, 30), "210521", "F")


def test_id_number_with_x_check_char_lowercase_is_normalised() -> None:
    body = next(
        b for seq in range(1000) if id_number_check_char(b := f"21050219850615{seq:03d}") == "X"
    )  # a number whose check character is X
    facts = validate_id_number(f" {body}x ")
    assert facts.number == body + "X"
    assert validate_id_number(f"{body[:6]} {body[6:14]} {body[14:]}X").number == body + "X"  # spaces removed


@pytest.mark.parametrize("number", [VALID_ID, VALID_ID_F])
def test_every_wrong_check_digit_is_rejected(number: str) -> None:
    for ch in "0123456789X":
        if ch == number[-1]:
            continue
        error = _failure(validate_id_number, number[:17] + ch)
        assert error.fields == {"id_number": "校验位错误"}
        assert "校验位" in error.message


@pytest.mark.parametrize(
    "value",
    [
        VALID_ID[:17],  # 17 characters
        VALID_ID + "1",  # 19
        VALID_ID[:15],  # the old 15-digit format
        "",
        VALID_ID[:10] + "A" + VALID_ID[11:],  # a letter in the body
        VALID_ID[:17] + "Y",  # a letter other than X at the end
        "X" + VALID_ID[1:],
    ],
)
def test_malformed_id_number_is_rejected(value: str) -> None:
    error = _failure(validate_id_number, value)
    assert error.fields == {"id_number": "格式错误"}


def test_field_name_is_the_callers() -> None:
    error = _failure(validate_id_number, "123", field="legal_rep_id")
    assert set(error.fields) == {"legal_rep_id"}


@pytest.mark.parametrize("birth", ["19990230", "19990231", "19991301", "19990001", "19990100", "20230229"])
def test_impossible_birth_date_is_rejected(birth: str) -> None:
    body = f"210502{birth}123"
    error = _failure(validate_id_number, body + id_number_check_char(body))
    assert error.fields == {"id_number": "出生日期无效"}


def test_impossible_birth_date_is_rejected_even_when_the_check_digit_is_skipped() -> None:
    body = "21050219990230123"
    error = _failure(validate_id_number, body + _wrong_check_char(body), skip_check_digit=True)
    assert error.fields == {"id_number": "出生日期无效"}


def test_leap_day_is_a_valid_birth_date() -> None:
    assert validate_id_number(make_id_number("210502", date(2000, 2, 29), 5)).birth_date == date(2000, 2, 29)


@pytest.mark.parametrize("days", [1, 400])
def test_future_birth_date_is_rejected(days: int) -> None:
    number = make_id_number("210502", date.today() + timedelta(days=days), 123)
    error = _failure(validate_id_number, number)
    assert error.fields == {"id_number": "出生日期无效"}
    with pytest.raises(ValidationFailed):
        validate_id_number(number[:17] + _wrong_check_char(number[:17]), skip_check_digit=True)


def test_born_today_is_accepted() -> None:
    assert validate_id_number(make_id_number("210502", date.today(), 123)).birth_date == date.today()


def test_skip_check_digit_accepts_a_genuine_number_with_a_bad_check_digit() -> None:
    """The audited manual override: the number is otherwise well-formed and its facts still come out."""
    bad = VALID_ID[:17] + _wrong_check_char(VALID_ID[:17])
    _failure(validate_id_number, bad)
    facts = validate_id_number(bad, skip_check_digit=True)
    assert facts.number == bad
    assert (facts.birth_date, facts.region_code, facts.gender) == (date(1990, 3, 7), "210502", "M")


def test_skip_check_digit_still_rejects_a_malformed_number() -> None:
    error = _failure(validate_id_number, VALID_ID[:16], skip_check_digit=True)
    assert error.fields == {"id_number": "格式错误"}


def test_region_that_did_not_exist_in_the_birth_year_is_rejected() -> None:
    """python-stdnum knows 平山区 (210502) only from 1983."""
    error = _failure(validate_id_number, make_id_number("210502", date(1975, 5, 5), 11))
    assert error.fields == {"id_number": "地区代码无效"}


@pytest.mark.parametrize("region", ["644547", "219999", "218888"])
def test_a_province_or_prefecture_prefix_is_no_county_code(region: str) -> None:
    """python-stdnum raises KeyError for these (found by the API's property test): refused, never a 500."""
    error = _failure(validate_id_number, make_id_number(region, date(1979, 12, 30), 27))
    assert error.fields == {"id_number": "地区代码无效"}


def test_unknown_region_is_rejected() -> None:
    error = _failure(validate_id_number, make_id_number("999999", date(1990, 5, 5), 11))
    assert error.fields == {"id_number": "地区代码无效"}


def _non_ascii_digit(value: str, position: int) -> str:
    """The same digit in full width (e.g. typed with a Chinese IME): ０-９ are U+FF10-FF19."""
    return value[:position] + chr(ord(value[position]) + 0xFEE0) + value[position + 1 :]


def test_full_width_id_number_is_normalised_to_ascii() -> None:
    """Typed with a Chinese IME: one number must have one form (and one blind index)."""
    assert validate_id_number(_non_ascii_digit(VALID_ID, 9)).number == VALID_ID
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in VALID_ID)
    assert validate_id_number(full_width).number == VALID_ID
    body = next(b for seq in range(1000) if id_number_check_char(b := f"21050219850615{seq:03d}") == "X")
    assert validate_id_number(body + "ｘ").number == body + "X"  # full-width small x


@pytest.mark.parametrize("digit", ["٠", "०"])  # Arabic-Indic and Devanagari zero: NFKC leaves them alone
def test_other_unicode_digits_in_id_number_are_rejected(digit: str) -> None:
    assert VALID_ID[9] == "0"
    error = _failure(validate_id_number, VALID_ID[:9] + digit + VALID_ID[10:])
    assert error.fields == {"id_number": "格式错误"}


REGIONS_SINCE_1984 = ["210502", "210503", "210504", "210505", "210521", "210522", "110101", "310101"]


@given(
    region=st.sampled_from(REGIONS_SINCE_1984),
    birth=st.dates(min_value=date(1984, 1, 1), max_value=date.today()),
    seq=st.integers(min_value=0, max_value=999),
)
def test_any_body_with_its_computed_check_char_is_valid(region: str, birth: date, seq: int) -> None:
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    facts = validate_id_number(body + id_number_check_char(body))
    assert facts.birth_date == birth
    assert facts.region_code == region
    assert facts.gender == ("M" if seq % 2 else "F")


@given(
    region=st.sampled_from(REGIONS_SINCE_1984),
    birth=st.dates(min_value=date(1984, 1, 1), max_value=date.today()),
    seq=st.integers(min_value=0, max_value=999),
    check=st.sampled_from("0123456789X"),
)
def test_any_other_check_char_is_rejected(region: str, birth: date, seq: int, check: str) -> None:
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    assume(check != id_number_check_char(body))
    with pytest.raises(ValidationFailed) as info:
        validate_id_number(body + check)
    assert info.value.fields == {"id_number": "校验位错误"}


@given(st.text(max_size=30))
def test_id_number_validation_never_fails_any_other_way(value: str) -> None:
    try:
        facts = validate_id_number(value)
    except ValidationFailed as error:
        assert error.fields
    else:
        assert re.fullmatch(r"\d{17}[\dX]", facts.number)


# --- 统一社会信用代码 ------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [VALID_USCC, make_uscc("11210500", 1), make_uscc("12210502", 40)])
def test_valid_uscc(code: str) -> None:
    assert validate_uscc(code) == code


def test_uscc_is_normalised() -> None:
    assert validate_uscc(f" {VALID_USCC[:9]} {VALID_USCC[9:]} ".lower()) == VALID_USCC


def test_every_wrong_uscc_check_char_is_rejected() -> None:
    for ch in USCC_ALPHABET:
        if ch == VALID_USCC[-1]:
            continue
        error = _failure(validate_uscc, VALID_USCC[:17] + ch)
        assert error.fields == {"uscc": "校验位错误"}


@pytest.mark.parametrize("letter", list("IOSVZ"))
@pytest.mark.parametrize("position", [0, 10, 17])
def test_uscc_with_forbidden_letter_is_rejected(letter: str, position: int) -> None:
    code = VALID_USCC[:position] + letter + VALID_USCC[position + 1 :]
    error = _failure(validate_uscc, code)
    assert error.fields == {"uscc": "格式错误"}
    with pytest.raises(ValidationFailed):  # not even by override
        validate_uscc(code, skip_check_digit=True)


@pytest.mark.parametrize(
    "code",
    [
        VALID_USCC[:17],
        VALID_USCC + "0",
        "",
        VALID_USCC[:2] + "A" + VALID_USCC[3:],  # the region part must be digits
        VALID_USCC[:5] + "-" + VALID_USCC[6:],
    ],
)
def test_malformed_uscc_is_rejected(code: str) -> None:
    error = _failure(validate_uscc, code, field="enterprise_uscc")
    assert error.fields == {"enterprise_uscc": "格式错误"}


def test_full_width_uscc_is_normalised_to_ascii() -> None:
    assert validate_uscc(_non_ascii_digit(VALID_USCC, 3)) == VALID_USCC
    assert validate_uscc("".join(chr(ord(ch) + 0xFEE0) for ch in VALID_USCC).lower()) == VALID_USCC


def test_uscc_skip_check_digit_override() -> None:
    bad = VALID_USCC[:17] + next(ch for ch in USCC_ALPHABET if ch != VALID_USCC[-1])
    _failure(validate_uscc, bad)
    assert validate_uscc(bad, skip_check_digit=True) == bad


@given(prefix=st.sampled_from(["11210500", "12210502", "91210504", "92210521"]), serial=st.integers(0, 10**6))
def test_every_generated_uscc_is_valid(prefix: str, serial: int) -> None:
    code = make_uscc(prefix, serial)
    assert validate_uscc(code) == code


# --- mobile ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("13812345678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        (" +86-199-0000-1111 ", "19900001111"),
        ("1\t3812345678", "13812345678"),
    ],
)
def test_valid_mobile_is_normalised(value: str, normalised: str) -> None:
    assert validate_mobile(value) == normalised


@pytest.mark.parametrize(
    "value",
    [
        "138123456789",  # 12 digits
        "1381234567",  # 10 digits
        "12812345678",  # second digit 2
        "10812345678",
        "23812345678",  # not starting with 1
        "1381234567a",
        "138I2345678",
        "+85213812345678",  # another country code
        "8613812345678",  # country code without +
        "",
        "+86",
    ],
)
def test_invalid_mobile_is_rejected(value: str) -> None:
    error = _failure(validate_mobile, value)
    assert error.fields == {"mobile": "格式错误"}


def test_full_width_mobile_is_normalised_to_ascii() -> None:
    assert validate_mobile(_non_ascii_digit("13812345678", 5)) == "13812345678"
    assert validate_mobile("＋８６ １３８－１２３４－５６７８") == "13812345678"


def test_arabic_indic_digits_in_mobile_are_rejected() -> None:
    _failure(validate_mobile, "138١٢٣٤٥٦٧٨")


def test_mobile_field_name_is_the_callers() -> None:
    assert set(_failure(validate_mobile, "1", field="contact_mobile").fields) == {"contact_mobile"}


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_any_mainland_mobile_is_valid(number: str) -> None:
    assert validate_mobile(number) == number
    assert validate_mobile(f"+86 {number[:3]}-{number[3:7]}-{number[7:]}") == number
