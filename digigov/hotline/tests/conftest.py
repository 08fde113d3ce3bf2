"""Hotline fixtures: the reference data (channels, time limits, the category tree) and the demo staff."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from digigov.hotline.demo_loader import load_reference
from digigov.hotline.models import Category
from digigov.hotline.services.intake import AppealInput
from digigov.identity.models import User


@pytest.fixture
def hotline(db: None) -> None:
    """A no-op once the session's demo city holds the hotline; loads the reference data otherwise."""
    assert load_reference(Path(settings.HOTLINE_DATA_DIR)), (
        "the hotline data folder (../shared/data/hotline) is missing"
    )


@pytest.fixture
def staff(db: None):  # type: ignore[no-untyped-def]
    return lambda username: User.objects.get(username=username)


def category(path: str) -> Category:
    return Category.objects.get(path=path)


HOUSING = "城乡建设/住房保障与房地产"  # handled by 市住建局 (zjj)
PS_ADDRESS = "本溪市平山区平山街道胜利路35号"


def appeal_input(**overrides: object) -> AppealInput:
    fields: dict[str, object] = {
        "channel": "phone",
        "appeal_type": "complaint",
        "subject": "小区电梯频繁故障无人维修",
        "text": "平山街道胜利路35号小区3号楼电梯近一个月内停运四次，物业公司一直推诿不修，老人上下楼非常困难。",
        "address": PS_ADDRESS,
        "caller_name": "刘淑珍",
        "caller_phone": "13841412786",
    }
    fields.update(overrides)
    return AppealInput(**fields)  # type: ignore[arg-type]
