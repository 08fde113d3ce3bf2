"""Shared by the console page tests and the browser test: what the active routing model (the one the demo
loader trained and activated) says about a text, as the pages show it; the routing threshold a test needs; and
appeals made through the services the pages call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from digigov.hotline.models import (
    OPEN_APPEAL_STATUSES,
    Appeal,
    AppealStatus,
    CallbackTask,
    Category,
    CategoryLevel,
    ExtensionRequest,
    ExtensionStatus,
    Satisfaction,
)
from digigov.hotline.routing.store import active_router, active_version
from digigov.hotline.services.assignment import responsible_department
from digigov.hotline.services.intake import AppealInput, submit_appeal
from digigov.identity.models import Department, User

# settings.HOTLINE_ROUTING_THRESHOLD: above any confidence, every appeal waits for a dispatcher; at zero, the
# model's top category is dispatched at once, however unsure the model is.
WAIT_FOR_DISPATCHER = 1.01
DISPATCH_AUTOMATICALLY = 0.0


@dataclass(frozen=True)
class Suggested:
    """One suggestion of the active model, as the pages show it."""

    label: str
    confidence: float  # as stored on an appeal: four decimals
    category: Category | None  # the level-1 node of the label
    department: Department | None  # the department that node names

    @property
    def percent(self) -> str:
        return f"{round(self.confidence * 100)}%"

    @property
    def department_label(self) -> str:
        """The department as the suggestion lists show it (short name)."""
        assert self.department is not None, f"no department for {self.label}"
        return self.department.short_name or self.department.name


def model_says(subject: str, text: str) -> list[Suggested]:
    """The active routing model's suggestions for this subject and text, best first, with their departments."""
    router = active_router()
    assert router is not None, "the demo loader trains and activates a routing model"
    suggested = []
    for s in router.suggest(subject.strip(), text.strip(), top=3):
        node = Category.objects.filter(level=CategoryLevel.L1, name=s.label, is_active=True).first()
        department = responsible_department(node) if node is not None else None
        suggested.append(Suggested(s.label, round(float(s.confidence), 4), node, department))
    assert suggested, "the model gave no suggestion"
    return suggested


def model_version() -> int:
    row = active_version()
    assert row is not None, "the demo loader trains and activates a routing model"
    return row.version


@pytest.fixture
def wait_for_dispatcher(settings: Any) -> None:
    """Every appeal waits in the dispatchers' queue, whatever the model says (a test sets
    DISPATCH_AUTOMATICALLY itself where it needs the model's top category dispatched at once)."""
    settings.HOTLINE_ROUTING_THRESHOLD = WAIT_FOR_DISPATCHER


def quiet_hotline() -> None:
    """Set aside what the demo data left open (inside the test's own transaction or flushed database), so a
    page shows just the test's appeals on its first page and the counts are the test's: open appeals are
    closed, pending callbacks marked unreachable (not counted in satisfaction), pending extensions refused."""
    Appeal.objects.filter(status__in=OPEN_APPEAL_STATUSES).update(status=AppealStatus.CLOSED)
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
