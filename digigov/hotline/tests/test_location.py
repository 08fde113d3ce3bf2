"""Where an appeal happened, from an explicit code or the address."""

from __future__ import annotations

import pytest

from digigov.core.errors import ValidationFailed
from digigov.hotline.services.location import locate
from digigov.identity.models import Region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("本溪市平山区平山街道胜利路35号", "平山街道"),
        ("桓仁满族自治县桓仁镇向阳街66号", "桓仁镇"),
        ("本溪市溪湖区河西路128号", "溪湖区"),
        ("不清楚具体位置", "本溪市"),
        ("", "本溪市"),
    ],
)
def test_the_most_specific_region_named_in_the_address(address: str, expected: str) -> None:
    assert locate(address).name == expected


def test_a_street_outside_the_named_district_does_not_count() -> None:
    assert locate("本溪市溪湖区平山街道附近").name == "溪湖区"  # 平山街道 lies in 平山区, not 溪湖区


def test_an_explicit_code_wins_and_must_exist() -> None:
    street = Region.objects.get(name="东明街道")
    assert locate("本溪市平山区平山街道", street.code) == street
    with pytest.raises(ValidationFailed):
        locate("", "210599999999")
