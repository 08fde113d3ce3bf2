"""Intake from every channel: validation, location, routing by the caller's category or by the model,
sealed callers, idempotent retries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from digigov.core.errors import Conflict, ValidationFailed
from digigov.core.models import AuditEntry
from digigov.core.policy import SYSTEM
from digigov.core.protected import unseal
from digigov.core.tests import sample_files
from digigov.hotline.models import Appeal, AppealEvent, AppealStatus, Channel, RoutedBy
from digigov.hotline.selectors import caller_view
from digigov.hotline.services.intake import SEAL_PHONE, submit_appeal
from digigov.hotline.services.reference import channel_upsert
from digigov.hotline.tests.conftest import HOUSING, appeal_input, category

pytestmark = pytest.mark.usefixtures("hotline")


def test_caller_chosen_category_dispatches_to_its_department_and_the_street(staff: Any) -> None:
    agent = staff("hanxue")
    appeal = submit_appeal(actor=agent, data=appeal_input(category_code=category(HOUSING).code))
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.DISPATCHED
    assert appeal.routed_by == RoutedBy.CALLER
    assert appeal.department.code == "zjj"
    assert appeal.region.name == "平山街道" and appeal.handler_region == appeal.region  # 属地
    assert appeal.number.startswith("RX") and len(appeal.number) == 16
    assert appeal.sign_due_at is not None and appeal.sign_due_at > appeal.created_at
    assert [e.action for e in AppealEvent.objects.filter(appeal=appeal)] == ["received", "dispatched"]
    assert AuditEntry.objects.filter(action="hotline.appeal_received", object_id=str(appeal.pk)).exists()


def test_caller_is_sealed_and_masked(staff: Any) -> None:
    appeal = submit_appeal(actor=staff("hanxue"), data=appeal_input(category_code=category(HOUSING).code))
    assert appeal.caller_phone_masked == "138****2786"
    assert appeal.caller_name_masked == "刘*珍"
    assert unseal(SEAL_PHONE, bytes(appeal.caller_phone_sealed)) == "13841412786"
    with connection.cursor() as cursor:  # the plain number is nowhere in the row
        cursor.execute("SELECT * FROM hotline_appeal WHERE id = %s", [appeal.pk])
        row = cursor.fetchone()
    assert not any("13841412786" in str(value) for value in row)


def test_confidential_caller_is_invisible_to_the_handling_department(staff: Any) -> None:
    appeal = submit_appeal(
        actor=staff("hanxue"), data=appeal_input(category_code=category(HOUSING).code, confidential=True)
    )
    handler_view = caller_view(staff("liguoqiang"), appeal)
    assert handler_view.hidden and "138" not in handler_view.phone and "刘" not in handler_view.name
    centre_view = caller_view(staff("zhoupeng"), appeal)
    assert not centre_view.hidden and centre_view.phone == "138****2786"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": "   "}, "text"),
        ({"text": "太长" * 2501}, "text"),
        ({"subject": ""}, "subject"),
        ({"subject": "标" * 101}, "subject"),
        ({"appeal_type": "praise"}, "appeal_type"),
        ({"caller_phone": "12345"}, "caller_phone"),
        ({"latitude": "91"}, "latitude"),
        ({"longitude": "东经"}, "longitude"),
        ({"category_code": "999999"}, "category_code"),
        ({"region_code": "210599999999"}, "region_code"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_stores_nothing(
    staff: Any, overrides: dict[str, object], field: str
) -> None:
    before = Appeal.objects.count()
    with pytest.raises(ValidationFailed) as error:
        submit_appeal(actor=staff("hanxue"), data=appeal_input(**overrides))
    assert field in error.value.fields
    assert Appeal.objects.count() == before


def test_an_inactive_channel_is_refused(staff: Any) -> None:
    submit_appeal(actor=SYSTEM, data=appeal_input(channel="web"))  # intake's copy of the channels is loaded
    web = Channel.objects.get(code="web")
    channel_upsert(actor=SYSTEM, code="web", name=web.name, agent_entered=web.agent_entered, is_active=False)
    with pytest.raises(ValidationFailed) as error:
        submit_appeal(actor=SYSTEM, data=appeal_input(channel="web"))
    assert "channel" in error.value.fields


def test_a_retry_with_the_same_key_returns_the_first_appeal(staff: Any) -> None:
    data = appeal_input(channel="api", idempotency_key="dept-sys-7781", category_code=category(HOUSING).code)
    first = submit_appeal(actor=SYSTEM, data=data)
    again = submit_appeal(actor=SYSTEM, data=data)
    assert again.pk == first.pk
    assert Appeal.objects.filter(idempotency_key="dept-sys-7781").count() == 1
    with pytest.raises(Conflict):
        submit_appeal(
            actor=SYSTEM, data=appeal_input(channel="api", idempotency_key="dept-sys-7781", text="另一件事情的描述")
        )


def test_low_confidence_waits_for_a_dispatcher_with_the_suggestions(staff: Any, settings: Any) -> None:
    settings.HOTLINE_ROUTING_THRESHOLD = 1.01  # nothing is confident enough
    appeal = submit_appeal(actor=staff("hanxue"), data=appeal_input())
    assert appeal.status == AppealStatus.RECEIVED and appeal.needs_dispatcher
    assert appeal.department is None
    assert len(appeal.suggestions) >= 2
    confidences = [s["confidence"] for s in appeal.suggestions]
    assert confidences == sorted(confidences, reverse=True)
    assert appeal.routing_model_version is not None


def test_a_confident_model_dispatches_at_once(staff: Any, settings: Any) -> None:
    settings.HOTLINE_ROUTING_THRESHOLD = 0.0
    appeal = submit_appeal(
        actor=staff("hanxue"),
        data=appeal_input(
            subject="孩子上学划片不合理",
            text="我家住平山区平山街道，孩子今年小学入学被划到很远的学校，希望教育局调整学区划片。",
        ),
    )
    assert appeal.status == AppealStatus.DISPATCHED and appeal.routed_by == RoutedBy.MODEL
    assert appeal.category_l1 == appeal.suggestions[0]["label"] == "教育文体"
    assert appeal.department.code == "jyj"
    assert appeal.routing_model_version is not None


def test_location_from_the_address_or_the_city(staff: Any) -> None:
    code = category(HOUSING).code
    appeal = submit_appeal(
        actor=SYSTEM, data=appeal_input(address="桓仁满族自治县桓仁镇向阳街66号", category_code=code)
    )
    assert appeal.region.name == "桓仁镇"
    appeal = submit_appeal(actor=SYSTEM, data=appeal_input(address="不清楚具体位置", category_code=code))
    assert appeal.region.level == "city"


PNG, PDF = sample_files.PNG, sample_files.PDF  # real files: uploads are parsed through


def test_attachments_are_checked_by_content_and_kept_with_their_sm3(staff: Any, settings: Any) -> None:
    from digigov.core.crypto import sm3_hex

    data = appeal_input(
        attachments=(("电梯停运.png", PNG), ("维修记录.pdf", PDF)), media_url="https://example.cn/a.jpg"
    )
    appeal = submit_appeal(actor=staff("hanxue"), data=data)
    stored = list(appeal.attachments.order_by("id"))
    assert [(a.original_name, a.sm3) for a in stored[:2]] == [
        ("电梯停运.png", sm3_hex(PNG)),
        ("维修记录.pdf", sm3_hex(PDF)),
    ]
    assert stored[0].file.read() == PNG
    assert stored[2].media_url == "https://example.cn/a.jpg" and not stored[2].file


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"attachments": (("伪装.png", b"MZ\x90\x00 not a picture"),)}, "file"),
        ({"attachments": (("脚本.exe", PNG),)}, "file"),
        ({"attachments": tuple((f"{i}.png", PNG) for i in range(6))}, "attachments"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_stored(
    staff: Any, settings: Any, tmp_path: Any, overrides: dict[str, object], field: str
) -> None:
    before = Appeal.objects.count()
    with pytest.raises(ValidationFailed) as error:
        submit_appeal(actor=staff("hanxue"), data=appeal_input(**overrides))
    assert field in error.value.fields
    assert Appeal.objects.count() == before
    media = tmp_path / "media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_failed_intake_leaves_no_file_behind(staff: Any, monkeypatch: Any, tmp_path: Any) -> None:
    from digigov.core.workflow import engine

    def broken_audit(**kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(engine, "audit_append", broken_audit)  # fault injection: the write fails after the files
    with pytest.raises(RuntimeError):
        submit_appeal(actor=staff("hanxue"), data=appeal_input(attachments=(("照片.png", PNG),)))
    assert not any(p.is_file() for p in (tmp_path / "media").rglob("*"))
