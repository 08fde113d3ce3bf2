"""Shared by the console page tests and the browser test: a routing model that answers by keywords (so the
pages' suggestions are known in advance, whatever model the demo trained), and appeals made through the
services the pages call."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from digigov.hotline.models import (
    OPEN_APPEAL_STATUSES,
    Appeal,
    AppealCard,
    AppealStatus,
    CallbackTask,
    ExtensionRequest,
    ExtensionStatus,
    Satisfaction,
)
from digigov.hotline.services.intake import AppealInput, submit_appeal
from digigov.identity.models import User

MODEL_VERSION = 7
# (words in the text, [(level-1 category, confidence), ...]): below 0.6 the appeal waits for a dispatcher.
RULES: tuple[tuple[tuple[str, ...], list[tuple[str, float]]], ...] = (
    (("工资", "欠薪"), [("劳动和社会保障", 0.93), ("城乡建设", 0.04), ("政法", 0.02)]),
    (("电梯", "物业", "小区"), [("城乡建设", 0.52), ("环境保护", 0.28), ("民政", 0.11)]),
    (("公积金",), [("城乡建设", 0.41), ("经济管理", 0.33), ("劳动和社会保障", 0.2)]),
)
FALLBACK = [("党务政务", 0.31), ("城乡建设", 0.22), ("政法", 0.12)]


@dataclass(frozen=True)
class Suggestion:
    label: str
    confidence: float


class KeywordRouter:
    version = MODEL_VERSION

    def suggest(self, subject: str, text: str) -> list[Suggestion]:
        whole = f"{subject} {text}"
        for words, answer in RULES:
            if any(w in whole for w in words):
                return [Suggestion(label, confidence) for label, confidence in answer]
        return [Suggestion(label, confidence) for label, confidence in FALLBACK]


def use_router(monkeypatch: pytest.MonkeyPatch, router: object | None) -> None:
    """Make `router` the active routing model (None: no model), whether or not the routing package is there."""
    name = "digigov.hotline.routing.store"
    try:
        __import__(name)
    except ImportError:
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setattr(sys.modules[name], "active_router", lambda *a, **k: router, raising=False)


@pytest.fixture
def keyword_router(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[KeywordRouter]:
    settings.HOTLINE_ROUTING_THRESHOLD = 0.6
    router = KeywordRouter()
    use_router(monkeypatch, router)
    yield router


def quiet_hotline() -> None:
    """Set aside what the demo data left open (inside the test's own transaction or flushed database), so a
    page shows just the test's appeals on its first page and the counts are the test's: open appeals are
    closed, pending callbacks marked unreachable (not counted in satisfaction), pending extensions refused."""
    Appeal.objects.filter(status__in=OPEN_APPEAL_STATUSES).update(status=AppealStatus.CLOSED, card=AppealCard.NONE)
    CallbackTask.objects.filter(done_at__isnull=True).update(done_at=timezone.now(), result=Satisfaction.UNREACHABLE)
    ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING).update(status=ExtensionStatus.REFUSED)


@pytest.fixture
def quiet(db: None) -> None:
    quiet_hotline()


ELEVATOR = {
    "channel": "phone",
    "appeal_type": "complaint",
    "subject": "小区电梯频繁故障无人维修",
    "text": "平山街道胜利路35号小区3号楼电梯近一个月内停运四次，物业公司一直推诿不修，老人上下楼非常困难。",
    "address": "本溪市平山区平山街道胜利路35号",
    "caller_name": "刘淑珍",
    "caller_phone": "13841412786",
}


def file_appeal(actor: User, **overrides: Any) -> Appeal:
    return submit_appeal(actor=actor, data=AppealInput(**{**ELEVATOR, **overrides}))


HOT_CLUSTER = (
    "丽发新城小区旁边的搅拌站每天夜里施工，噪音和粉尘严重扰民，请相关部门处理。",
    "丽发新城搅拌站夜间噪音扰民，粉尘很大，居民无法休息。",
    "投诉丽发新城附近搅拌站粉尘噪音污染，夜里还在生产。",
    "丽发新城搅拌站严重扰民，噪音粉尘影响居民生活，希望尽快关停。",
)
UNRELATED = (
    "公积金提取被拒，请问原因是什么？",
    "孩子入学报名需要哪些材料？",
    "公交车线路调整后站点太远，老人出行不便。",
    "医保异地报销流程太复杂，希望简化。",
    "路灯不亮已经半个月了。",
    "菜市场周边占道经营严重。",
)


def file_hot_cluster(actor: User) -> list[Appeal]:
    """Four appeals about one matter (a mixing plant by 丽发新城) among six about other things."""
    return [
        file_appeal(actor, subject=text[:14], text=text, address="", support_count=10 * i)
        for i, text in enumerate(HOT_CLUSTER + UNRELATED)
    ]
