"""Writes to the hotline's reference data: channels, the category tree, time limits, the knowledge base; and
the per-process copy of the channels and time limits that every intake reads (``intake_reference``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from digigov.core.audit import audit_append
from digigov.core.errors import Conflict, ValidationFailed
from digigov.core.policy import SystemActor, require
from digigov.core.process_cache import ProcessCache, invalidate
from digigov.hotline import policy
from digigov.hotline.models import AppealType, Category, CategoryLevel, Channel, DeadlinePolicy, KnowledgeEntry
from digigov.hotline.policy import Action
from digigov.hotline.services.assignment import CATEGORIES_CACHE
from digigov.identity.models import Department, User

MAX_QUESTION, MAX_ANSWER = 300, 5000
SETTINGS_REFUSED = "热线配置对全市生效，需要全市范围的热线配置权限"
KNOWLEDGE_REFUSED = "只有热线知识库管理员可以维护知识库"
# Allowed time limits (the settings form shows the same ranges).
SIGN_HOURS_RANGE, HANDLE_DAYS_RANGE, CALLBACK_DAYS_RANGE = (1, 48), (1, 60), (1, 10)


@dataclass(frozen=True)
class IntakeReference:
    """What intake reads on every call and the centre seldom changes. The objects are shared: read only."""

    channels: dict[str, Channel]  # the active channels by code
    limits: dict[str, tuple[int, int, int]]  # the centre's time limits by appeal type: sign h, handle d, callback d

    @classmethod
    def load(cls) -> IntakeReference:
        return cls(
            {c.code: c for c in Channel.objects.filter(is_active=True)},
            {
                p.appeal_type: (p.sign_working_hours, p.handle_working_days, p.callback_working_days)
                for p in DeadlinePolicy.objects.all()
            },
        )


# Kept per process; the writers below invalidate it (every process reloads), and so must anything that changes
# channels or time limits another way.
_intake_reference: ProcessCache[IntakeReference] = ProcessCache("hotline.intake_reference", IntakeReference.load)


def intake_reference() -> IntakeReference:
    return _intake_reference.get()


def intake_reference_changed() -> None:
    _intake_reference.invalidate()


def channel_upsert(
    *, actor: User | SystemActor, code: str, name: str, agent_entered: bool, is_active: bool = True
) -> Channel:
    require(policy.can(actor, Action.MANAGE_SETTINGS), SETTINGS_REFUSED)
    with transaction.atomic():
        channel, created = Channel.objects.update_or_create(
            code=code, defaults={"name": name, "agent_entered": agent_entered, "is_active": is_active}
        )
        intake_reference_changed()
        audit_append(
            actor=actor,
            action="hotline.channel_created" if created else "hotline.channel_updated",
            object_type="channel",
            object_id=channel.pk,
            changes={"code": code, "name": name, "is_active": is_active},
        )
    return channel


def taxonomy_load(
    *, actor: User | SystemActor, rows: Iterable[tuple[str, str, str]], departments: dict[str, str]
) -> int:
    """The three-level tree from (一级, 二级, 三级) rows; departments: {"一级" or "一级/二级": department code}.
    Codes are stable: by order of first appearance (L1 two digits, then two more per level). Idempotent.
    The tree routes every appeal in the city: a city-wide settings grant (or SYSTEM, the demo loader)."""
    require(policy.can(actor, Action.MANAGE_SETTINGS), SETTINGS_REFUSED)
    by_code = {d.code: d for d in Department.objects.filter(code__in=set(departments.values()))}
    missing = set(departments.values()) - set(by_code)
    if missing:
        raise ValidationFailed("分类对应的部门不存在：" + "、".join(sorted(missing)))
    nodes: dict[str, Category] = {c.path: c for c in Category.objects.all()}
    children: dict[str, int] = {}  # parent code ("" for the roots) → children so far, for the next code
    for node in nodes.values():
        key = node.code[:-2]
        children[key] = max(children.get(key, 0), int(node.code[-2:]))
    created = 0
    with transaction.atomic():
        for row in rows:
            parent: Category | None = None
            for level in range(1, len(row) + 1):
                path = "/".join(part.strip() for part in row[:level])
                if path not in nodes:
                    prefix = parent.code if parent is not None else ""
                    children[prefix] = children.get(prefix, 0) + 1
                    nodes[path] = Category.objects.create(
                        code=f"{prefix}{children[prefix]:02d}",
                        name=row[level - 1].strip(),
                        level=CategoryLevel(level),
                        parent=parent,
                        path=path,
                        department=by_code.get(departments.get(path, "")),
                    )
                    created += 1
                parent = nodes[path]
        invalidate(CATEGORIES_CACHE)
        audit_append(
            actor=actor, action="hotline.taxonomy_loaded", object_type="category", changes={"created": created}
        )
    return created


def deadline_policy_set(
    *,
    actor: User | SystemActor,
    appeal_type: str,
    sign_working_hours: int,
    handle_working_days: int,
    callback_working_days: int,
) -> DeadlinePolicy:
    require(policy.can(actor, Action.MANAGE_SETTINGS), SETTINGS_REFUSED)
    if appeal_type not in AppealType.values:
        raise ValidationFailed("未知的诉求类型", fields={"appeal_type": "请选择诉求类型"})
    errors = {}
    for field, value, (low, high), what in (
        ("sign_working_hours", sign_working_hours, SIGN_HOURS_RANGE, "签收时限应为{}至{}个工作小时"),
        ("handle_working_days", handle_working_days, HANDLE_DAYS_RANGE, "办理时限应为{}至{}个工作日"),
        ("callback_working_days", callback_working_days, CALLBACK_DAYS_RANGE, "回访时限应为{}至{}个工作日"),
    ):
        if not low <= value <= high:
            errors[field] = what.format(low, high)
    if errors:
        raise ValidationFailed("时限设置有误", fields=errors)
    with transaction.atomic():
        row, _ = DeadlinePolicy.objects.update_or_create(
            appeal_type=appeal_type,
            defaults={
                "sign_working_hours": sign_working_hours,
                "handle_working_days": handle_working_days,
                "callback_working_days": callback_working_days,
            },
        )
        intake_reference_changed()
        audit_append(
            actor=actor,
            action="hotline.deadline_policy_set",
            object_type="deadline_policy",
            object_id=row.pk,
            changes={
                "type": appeal_type,
                "sign_h": sign_working_hours,
                "handle_d": handle_working_days,
                "callback_d": callback_working_days,
            },
        )
    return row


def knowledge_entry_save(
    *,
    actor: User | SystemActor,
    question: str,
    answer: str,
    category: Category | None = None,
    department: Department | None = None,
    source: str = "manual",
    entry: KnowledgeEntry | None = None,
) -> KnowledgeEntry:
    require(policy.can(actor, Action.MANAGE_KNOWLEDGE), KNOWLEDGE_REFUSED)
    from digigov.hotline.analytics.knowledge import knowledge_tokens  # late: jieba loads its dictionary

    question, answer = question.strip(), answer.strip()
    errors = {}
    if not question or len(question) > MAX_QUESTION:
        errors["question"] = f"问题不能为空，且不超过{MAX_QUESTION}字"
    if not answer or len(answer) > MAX_ANSWER:
        errors["answer"] = f"答案不能为空，且不超过{MAX_ANSWER}字"
    if errors:
        raise ValidationFailed("知识条目填写有误", fields=errors)
    entry = entry or KnowledgeEntry()
    created = entry.pk is None
    entry.question, entry.answer, entry.category, entry.department = question, answer, category, department
    entry.source = source
    entry.search_tokens = knowledge_tokens(f"{question} {answer}")
    with transaction.atomic():
        if created:
            entry.save()
        else:  # an edit never brings back an entry someone deactivated meanwhile
            fields = ["question", "answer", "category", "department", "source", "search_tokens", "updated_at"]
            if not KnowledgeEntry.objects.filter(pk=entry.pk, is_active=True).select_for_update().exists():
                raise Conflict("该知识条目已停用，不能修改")
            entry.save(update_fields=fields)
        audit_append(
            actor=actor,
            action="hotline.knowledge_created" if created else "hotline.knowledge_updated",
            object_type="knowledge_entry",
            object_id=entry.pk,
            changes={"question": question, "answer": answer},
        )
    return entry


def knowledge_entry_deactivate(*, actor: User | SystemActor, entry: KnowledgeEntry) -> KnowledgeEntry:
    """Take an entry out of the knowledge base: agents no longer find it and no appeal can be closed from it.
    The row stays (closed appeals' timelines refer to it)."""
    require(policy.can(actor, Action.MANAGE_KNOWLEDGE), KNOWLEDGE_REFUSED)
    with transaction.atomic():
        updated = KnowledgeEntry.objects.filter(pk=entry.pk, is_active=True).update(is_active=False)
        if not updated:
            raise Conflict("该知识条目已停用")
        audit_append(
            actor=actor,
            action="hotline.knowledge_deactivated",
            object_type="knowledge_entry",
            object_id=entry.pk,
            changes={"question": entry.question},
        )
    entry.is_active = False
    return entry
