"""Intake (受理) from every channel: validate, locate, route, flag similar open appeals, store.

One function serves the agent's phone form, the web and mobile forms, the API and Open311. Everything that can
be decided before writing (validation, location, the model's suggestions, the duplicate check) is, so the
transaction holds only the inserts. Create-or-replay goes through core.idempotency (operation
"hotline.appeal_create", the key owned by the actor, the Open311 client, or the channel when there is neither): a
retried submission with the same idempotency key returns the first appeal, a different submission reusing the
key is a conflict, and of two concurrent retries exactly one files the appeal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from digigov.core.crypto import sm3_hex
from digigov.core.errors import ValidationFailed
from digigov.core.idempotency import Answer, Outcome, run_idempotent, user_client
from digigov.core.masking import mask_mobile, mask_name
from digigov.core.policy import SystemActor, person, require
from digigov.core.process_cache import versions_read_once
from digigov.core.protected import blind_index, seal
from digigov.core.uploads import (
    check_upload,
    file_extension,
    remember_saved_file,
    safe_file_name,
)
from digigov.core.validators import validate_mobile
from digigov.core.workflow import start
from digigov.hotline import policy
from digigov.hotline.analytics.queries import similar_open_appeals
from digigov.hotline.analytics.text import appeal_tokens
from digigov.hotline.models import Appeal, AppealAttachment, AppealType, Channel, RoutedBy
from digigov.hotline.policy import Action
from digigov.hotline.services import assignment, location
from digigov.hotline.services.appeal_words import index_appeal_words
from digigov.hotline.services.loop import apply_dispatch
from digigov.hotline.services.reference import intake_reference
from digigov.hotline.workflow import appeal_workflow
from digigov.identity.models import User

MAX_SUBJECT = 100
MAX_ATTACHMENTS = 5
ATTACHMENT_TYPES = ("jpg", "jpeg", "png", "pdf")
ATTACHMENT_MAX_MB = 10
MAX_TEXT = 5000
MIN_TEXT = 5
LANDLINE_RE = re.compile(r"0\d{2,3}-?\d{7,8}")
URL_RE = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
SEAL_NAME, SEAL_PHONE = "hotline.caller_name", "hotline.caller_phone"
APPEAL_CREATE = "hotline.appeal_create"
KEY_CONFLICT = "该幂等键已用于另一条诉求"


@dataclass(frozen=True)
class AppealInput:
    channel: str
    appeal_type: str
    subject: str
    text: str
    address: str = ""
    region_code: str = ""
    latitude: str | float | Decimal | None = None
    longitude: str | float | Decimal | None = None
    caller_name: str = ""
    caller_phone: str = ""
    confidential: bool = False
    idempotency_key: str = ""
    support_count: int = 0
    category_code: str = ""  # a category the caller chose (web form, Open311 service_code): routes without the model
    attachments: tuple[tuple[str, bytes], ...] = ()  # (file name, content): photos or documents
    media_url: str = ""  # a link to a photo (Open311)


def _clean_phone(value: str) -> str:
    value = value.strip().replace(" ", "")
    if not value:
        return ""
    if LANDLINE_RE.fullmatch(value):
        return value
    return validate_mobile(value, field="caller_phone")


def _clean_coordinate(value: object, field: str, low: int, high: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed("坐标格式不正确", fields={field: "应为数字"}) from exc
    if not low <= number <= high:
        raise ValidationFailed("坐标超出范围", fields={field: f"应在 {low} 到 {high} 之间"})
    return number


@dataclass(frozen=True)
class CleanInput:
    subject: str
    text: str
    phone: str
    latitude: Decimal | None
    longitude: Decimal | None


def _length_errors(data: AppealInput, subject: str, text: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not subject:
        errors["subject"] = "请填写诉求标题"
    elif len(subject) > MAX_SUBJECT:
        errors["subject"] = f"标题不能超过{MAX_SUBJECT}字"
    if len(text) < MIN_TEXT:
        errors["text"] = f"请描述诉求内容（至少{MIN_TEXT}个字）"
    elif len(text) > MAX_TEXT:
        errors["text"] = f"诉求内容不能超过{MAX_TEXT}字，请精简或分条反映"
    for field, limit, label in (("address", 200, "地址"), ("caller_name", 30, "姓名")):
        if len(getattr(data, field)) > limit:
            errors[field] = f"{label}不能超过{limit}字"
    if len(data.idempotency_key) > 80:
        errors["idempotency_key"] = "幂等键不能超过80个字符"
    return errors


def validate(data: AppealInput) -> CleanInput:
    """Every check that needs no write; the Chinese message names each bad field."""
    subject, text = data.subject.strip(), data.text.strip()
    errors = _length_errors(data, subject, text)
    if data.appeal_type not in AppealType.values:
        errors["appeal_type"] = "请选择诉求类型（咨询、投诉、建议、求助、举报）"
    if len(data.attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = f"附件最多{MAX_ATTACHMENTS}个"
    if data.media_url and (len(data.media_url) > 500 or not URL_RE.fullmatch(data.media_url)):
        errors["media_url"] = "图片链接应为 http(s) 开头的网址"
    if errors:
        raise ValidationFailed("诉求信息不完整或有误，请按提示修改", fields=errors)
    for name, content in data.attachments:  # raises with the file's own message
        check_upload("附件", name, content, file_types=ATTACHMENT_TYPES, max_size_mb=ATTACHMENT_MAX_MB)
    return CleanInput(
        subject=subject,
        text=text,
        phone=_clean_phone(data.caller_phone),
        latitude=_clean_coordinate(data.latitude, "latitude", -90, 90),
        longitude=_clean_coordinate(data.longitude, "longitude", -180, 180),
    )


def _request_body(data: AppealInput) -> dict[str, str]:
    """What a retry must repeat: every field but the key, each attachment by name and SM3."""
    payload = {k: str(v) for k, v in sorted(data.__dict__.items()) if k not in ("idempotency_key", "attachments")}
    payload["attachments"] = ",".join(f"{name}:{sm3_hex(content)}" for name, content in data.attachments)
    return payload


def _key_owner(actor: User | None, channel: Channel) -> str:
    return user_client(actor.pk) if actor is not None else f"channel:{channel.code}"


def _active_channel(code: str) -> Channel:
    channel = intake_reference().channels.get(code)
    if channel is None:
        raise ValidationFailed("受理渠道不存在或已停用", fields={"channel": "未登记的渠道"})
    return channel


def submit_appeal(*, actor: User | SystemActor, data: AppealInput, now: datetime | None = None) -> Appeal:
    """Store one appeal; dispatch it at once when the model is confident. Returns the (first) appeal.
    actor: a citizen for themselves, an agent holding HOTLINE_INTAKE, or SYSTEM (Open311, the demo loader)."""
    return appeal_intake(actor=actor, data=data, now=now).value


def appeal_intake(
    *,
    actor: User | SystemActor,
    data: AppealInput,
    now: datetime | None = None,
    client: str = "",
    answer: Callable[[Appeal], Answer] | None = None,
    also: Callable[[Appeal], None] | None = None,
) -> Outcome[Appeal]:
    """submit_appeal with its create-or-replay outcome. client: who owns data.idempotency_key (default: the
    actor, or the channel when there is none); answer: the status and body a replay answers with (the API's);
    also: more writes for a new appeal, in its transaction (Open311 records which client filed it)."""
    require(policy.can(actor, Action.SUBMIT), "您没有热线受理权限")
    user = person(actor)
    with versions_read_once():  # channels, regions, routing version, categories, calendar: one cache round trip
        channel = _active_channel(data.channel)
        return run_idempotent(
            client=client or _key_owner(user, channel),
            operation=APPEAL_CREATE,
            key=data.idempotency_key,
            request=_request_body(data),
            prepare=lambda: _prepare(actor, channel, data, now or timezone.now(), also),
            load=lambda pk: Appeal.objects.select_related("channel").get(pk=pk),
            answer=answer,
            conflict_message=KEY_CONFLICT,
        )


def _prepare(
    actor: User | SystemActor, channel: Channel, data: AppealInput, now: datetime, also: Callable[[Appeal], None] | None
) -> Callable[[], Appeal]:
    """Every decision before the transaction; the returned writes run inside run_idempotent's transaction,
    which also stores the key (and deletes saved files on rollback)."""
    clean = validate(data)
    region = location.locate(data.address, data.region_code)
    decision = assignment.decide(clean.subject, clean.text, category_code=data.category_code)
    tokens = appeal_tokens(clean.subject, clean.text)
    similar = similar_open_appeals(
        subject=clean.subject, text=clean.text, address=data.address, region=region, now=now, tokens=tokens
    )
    appeal = Appeal(
        number="",  # the readable number is made from the id, taken in the transaction (_insert)
        channel=channel,
        idempotency_key=data.idempotency_key,
        appeal_type=data.appeal_type,
        subject=clean.subject,
        text=clean.text,
        address=data.address.strip(),
        latitude=clean.latitude,
        longitude=clean.longitude,
        region=region,
        confidential=data.confidential,
        caller_user=actor if isinstance(actor, User) and actor.kind == "citizen" else None,
        suggestions=decision.suggestions,
        routing_confidence=decision.confidence,
        routing_model_version=decision.model_version,
        needs_dispatcher=not decision.automatic,
        analytics_tokens=tokens,
        similar_appeals=similar,
        support_count=max(0, data.support_count),
        created_at=now,
    )
    _set_caller(appeal, data.caller_name.strip(), clean.phone)
    steps = [("received", "")]
    if decision.automatic:  # intake and dispatch are one move here; the timeline says both
        steps.append(("dispatched", _auto_dispatch(appeal, decision, now)))

    def create() -> Appeal:
        start(
            appeal_workflow,
            actor=actor,
            obj=appeal,
            steps=steps,
            insert=lambda new: _insert(new, data),
            audit_changes=_received_audit,
            now=now,
        )
        if also is not None:
            also(appeal)
        return appeal

    return create


def _set_caller(appeal: Appeal, name: str, phone: str) -> None:
    if name:
        appeal.caller_name_sealed = seal(SEAL_NAME, name)
        appeal.caller_name_masked = mask_name(name)
    if phone:
        appeal.caller_phone_sealed = seal(SEAL_PHONE, phone)
        appeal.caller_phone_masked = mask_mobile(phone) if phone.startswith("1") else phone[:4] + "****" + phone[-2:]
        appeal.caller_phone_index = blind_index(SEAL_PHONE, phone)


def _auto_dispatch(appeal: Appeal, decision: assignment.RoutingDecision, now: datetime) -> str:
    """Set what the automatic dispatch decides (as any dispatch: loop.apply_dispatch); returns the timeline's
    note for it."""
    department = decision.category_department()
    assert decision.category is not None and department is not None
    by = RoutedBy.CALLER if decision.chosen_by_caller else RoutedBy.MODEL
    apply_dispatch(appeal, department=department, handler_region=None, category=decision.category, by=by, now=now)
    if by == RoutedBy.CALLER:
        return f"按来电人选择的分类「{decision.category.path}」分拨"
    return f"自动分拨（置信度 {appeal.routing_confidence or 0:.2f}，模型 v{appeal.routing_model_version}）"


def _attach(appeal: Appeal, data: AppealInput) -> None:
    for name, content in data.attachments:
        digest = sm3_hex(content)
        stored = AppealAttachment(appeal=appeal, original_name=safe_file_name(name), size=len(content), sm3=digest)
        stored.file.save(f"{digest[:32]}.{file_extension(name)}", ContentFile(content), save=False)
        remember_saved_file(stored.file.storage, stored.file.name)
        stored.save()
    if data.media_url:
        AppealAttachment.objects.create(appeal=appeal, media_url=data.media_url)


def _next_appeal_id() -> int:
    """The id the new appeal will get, taken before its INSERT so that the readable number, made from it, goes
    into the same statement (no UPDATE after it). PostgreSQL: the id column's sequence, which hands every
    caller its own value. SQLite: one above the highest id ever given (AUTOINCREMENT's counter) — safe because
    the caller's transaction is IMMEDIATE, so no other writer runs until it commits."""
    table = Appeal._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        else:
            cursor.execute(
                f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0),"  # noqa: S608 (a table name)
                f" COALESCE((SELECT MAX(id) FROM {table}), 0)) + 1",
                [table],
            )
        row = cursor.fetchone()
    return int(row[0])


def _insert(appeal: Appeal, data: AppealInput) -> None:
    """The appeal's row, its duplicate-check words and its files (removed again if the transaction fails)."""
    appeal.pk = _next_appeal_id()
    appeal.number = f"RX{timezone.localdate(appeal.created_at):%Y%m%d}{appeal.pk:06d}"
    appeal.save(force_insert=True)
    index_appeal_words([appeal])
    _attach(appeal, data)


def _received_audit(appeal: Appeal) -> dict[str, object]:
    return {
        "channel": appeal.channel.code,
        "type": appeal.appeal_type,
        "status": appeal.status,
        "department": appeal.department_id,
        "caller": appeal.caller_phone_index,  # a blind index, never the number
    }
