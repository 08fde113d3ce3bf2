"""Masked display: region and last four of a 身份证号, first three and last four of a mobile, a name's ends."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digigov.core.masking import mask_id_number, mask_mobile, mask_name


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("21050219900101123X", "210502********123X"),
        ("210502199001011234", "210502********1234"),
        ("210502900101123", "210502*****1123"),  # old 15-digit number: still region + last four
        ("1234567890", "1234567890"),  # ten characters: nothing left in the middle
        ("123456789", "*********"),  # too short to show anything
        ("", ""),
    ],
)
def test_mask_id_number(number: str, masked: str) -> None:
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(
    ("mobile", "masked"),
    [
        ("13812345678", "138****5678"),
        ("19900001111", "199****1111"),
        ("1234567", "1234567"),  # seven characters: nothing left in the middle
        ("123456", "******"),
        ("", ""),
    ],
)
def test_mask_mobile(mobile: str, masked: str) -> None:
    assert mask_mobile(mobile) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("王小明", "王*明"),
        ("李雷", "李*"),
        ("欧阳娜娜", "欧**娜"),
        ("爱新觉罗·溥仪", "爱*****仪"),
        ("王", "王"),
        ("", ""),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@given(st.from_regex(r"\d{17}[\dX]", fullmatch=True))
def test_masked_id_number_hides_the_birth_date_and_keeps_the_length(number: str) -> None:
    masked = mask_id_number(number)
    assert len(masked) == len(number) == 18
    assert masked[6:14] == "*" * 8
    assert (masked[:6], masked[-4:]) == (number[:6], number[-4:])


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_masked_mobile_hides_the_middle_four(mobile: str) -> None:
    masked = mask_mobile(mobile)
    assert masked == mobile[:3] + "****" + mobile[-4:]
