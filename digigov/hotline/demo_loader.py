"""The demo city's 12345 hotline: channels, the category tree with its departments, time limits, a knowledge base
seeded from real answers, a trained routing model and a few hundred appeals in every stage of the loop.

Idempotent. Appeals go in through the same services an agent, a dispatcher, a department and a callback agent
would use. Texts are real messages from a public message board (../shared/data/hotline), with its anonymised
places mapped to the demo city's districts.
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from digigov.core.policy import SYSTEM
from digigov.hotline import demo_data as data
from digigov.hotline.models import Appeal, AppealStatus, Category, Channel, KnowledgeEntry, Satisfaction
from digigov.hotline.services import loop, reference
from digigov.hotline.services.intake import AppealInput, submit_appeal
from digigov.identity.models import Department, Region, RegionLevel, User, UserKind
from digigov.identity.permissions import Perm
from digigov.identity.scope import in_scope

SEED = 12345
KNOWLEDGE_ENTRIES = 150
APPEALS_FROM_VOTES, APPEALS_FROM_REPLIES, APPEALS_FROM_UNLABELED = 150, 60, 40
DAYS_BACK = 60


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        yield from csv.DictReader(f)


def load_demo_hotline(*, with_appeals: bool = True) -> dict[str, int]:
    """with_appeals=False leaves out the 250 demo appeals (tests that empty the database between them reload
    the city without them, and file their own)."""
    data_dir = Path(settings.HOTLINE_DATA_DIR)
    if not load_reference(data_dir):
        print(f"热线演示数据目录不存在（{data_dir}），跳过分类、知识库和演示工单", file=sys.stderr)
        return _counts()
    if not KnowledgeEntry.objects.exists():
        _load_knowledge(data_dir)
    _ensure_routing_model(data_dir)
    if with_appeals and not Appeal.objects.exists():
        _load_appeals(data_dir)
    return _counts()


def load_reference(data_dir: Path) -> bool:
    """Channels, time limits and the category tree; False when the data folder (taxonomy.csv) is missing."""
    if not Channel.objects.exists():
        for code, name, agent_entered in data.CHANNELS:
            reference.channel_upsert(actor=SYSTEM, code=code, name=name, agent_entered=agent_entered)
        for appeal_type, hours, days, callback_days in data.DEADLINES:
            reference.deadline_policy_set(
                actor=SYSTEM,
                appeal_type=appeal_type,
                sign_working_hours=hours,
                handle_working_days=days,
                callback_working_days=callback_days,
            )
    if not (data_dir / "taxonomy.csv").exists():
        return False
    if not Category.objects.exists():
        rows = [(r["一级分类"], r["二级分类"], r["三级分类"]) for r in read_rows(data_dir / "taxonomy.csv")]
        reference.taxonomy_load(actor=SYSTEM, rows=rows, departments=data.CATEGORY_DEPARTMENTS)
    return True


def _counts() -> dict[str, int]:
    return {
        "hotline_categories": Category.objects.count(),
        "hotline_knowledge": KnowledgeEntry.objects.count(),
        "hotline_appeals": Appeal.objects.count(),
    }


def _load_knowledge(data_dir: Path) -> None:
    from digigov.hotline.analytics.knowledge import qa_from_reply

    level1 = {c.name: c for c in Category.objects.filter(level=1)}
    added = 0
    for row in read_rows(data_dir / "messages_replies.csv"):
        qa = qa_from_reply(row)
        if qa is None:
            continue
        # Places are renamed after cleaning: a longer name can push the text past the column's limit.
        question = _clip(data.localise(qa.question), reference.MAX_QUESTION)
        answer = _clip(data.localise(qa.answer), reference.MAX_ANSWER)
        reference.knowledge_entry_save(
            actor=SYSTEM, question=question, answer=answer, category=level1.get(qa.category or ""), source="reply"
        )
        added += 1
        if added >= KNOWLEDGE_ENTRIES:
            return


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# The model trained from the shipped data, kept for the life of the process: a database emptied and loaded
# again (tests) publishes the same model again instead of spending seconds on training it anew.
_trained: dict[Path, Any] = {}


def _ensure_routing_model(data_dir: Path) -> None:
    from digigov.hotline.models import RoutingModelVersion
    from digigov.hotline.routing.training import train_from_data_dir
    from digigov.hotline.services.routing_models import publish_version

    if not RoutingModelVersion.objects.filter(is_active=True).exists():
        if data_dir not in _trained:
            _trained[data_dir] = train_from_data_dir(data_dir)
        publish_version(_trained[data_dir], actor=SYSTEM)


# --- appeals -----------------------------------------------------------------------------------------------


def _pick_rows(data_dir: Path, rng: random.Random) -> list[dict[str, str]]:
    votes = sorted(read_rows(data_dir / "messages_votes.csv"), key=lambda r: -int(r.get("点赞数") or 0))
    picked = votes[: APPEALS_FROM_VOTES // 2] + rng.sample(votes[APPEALS_FROM_VOTES // 2 :], APPEALS_FROM_VOTES // 2)
    picked += rng.sample(list(read_rows(data_dir / "messages_replies.csv")), APPEALS_FROM_REPLIES)
    picked += rng.sample(list(read_rows(data_dir / "messages_unlabeled.csv")), APPEALS_FROM_UNLABELED)
    rng.shuffle(picked)
    return picked


def _address(text: str, streets: dict[str, list[Region]], rng: random.Random) -> str:
    for district, options in streets.items():
        if district in text:
            return f"本溪市{district}{rng.choice(options).name}"
    district = rng.choice(list(streets))
    return f"本溪市{district}{rng.choice(streets[district]).name}"


def _created_at(rng: random.Random) -> datetime:
    day = timezone.localdate() - timedelta(days=rng.randint(0, DAYS_BACK))
    moment = datetime.combine(day, time(8, 0)) + timedelta(minutes=rng.randint(0, 11 * 60))
    return min(timezone.make_aware(moment), timezone.now())


def _load_appeals(data_dir: Path) -> None:
    rng = random.Random(SEED)  # noqa: S311 (reproducible demo data, not security)
    streets: dict[str, list[Region]] = {}
    for district in Region.objects.filter(level=RegionLevel.DISTRICT):
        streets[district.name] = list(Region.objects.filter(level=RegionLevel.STREET, parent=district))
    agent, dispatcher = User.objects.get(username="hanxue"), User.objects.get(username="zhoupeng")
    handlers = [u for u in User.objects.filter(kind=UserKind.STAFF, is_active=True).order_by("username")]
    channels = ["phone"] * 5 + ["web"] * 2 + ["mobile"] * 2 + ["api"]
    merges = 0
    for i, row in enumerate(_pick_rows(data_dir, rng)):
        subject, text = data.localise(row["留言主题"].strip())[:100], data.localise(row["留言详情"].strip())
        name, phone = data.DEMO_CALLERS[i % len(data.DEMO_CALLERS)]
        appeal = submit_appeal(
            actor=agent,
            data=AppealInput(
                channel=channels[i % len(channels)],
                appeal_type=data.guess_type(subject, text),
                subject=subject,
                text=text[:5000] if len(text) >= 5 else subject,
                address=_address(subject + text, streets, rng),
                caller_name=name,
                caller_phone=phone,
                confidential=i % 13 == 0,
                support_count=int(row.get("点赞数") or 0),
            ),
            now=_created_at(rng),
        )
        if appeal.similar_appeals and merges < 3:
            master = Appeal.objects.filter(pk=appeal.similar_appeals[0]["id"]).first()
            if master is not None and master.status in (AppealStatus.DISPATCHED, AppealStatus.SIGNED):
                loop.merge(actor=dispatcher, master=master, duplicates=[appeal])
                merges += 1
                continue
        _progress(appeal, rng, dispatcher, agent, handlers)


def _progress(appeal: Appeal, rng: random.Random, dispatcher: User, agent: User, handlers: list[User]) -> None:
    """Walk the appeal some way round the loop: 10% stay in the queue, the rest go as far as a dice says."""
    if appeal.status == AppealStatus.RECEIVED:
        if rng.random() < 0.3:
            return
        category = _category_for(appeal)
        department = category.department if category is not None else None
        if department is None:
            department = Department.objects.get(code="zhzfj")
        loop.dispatch(actor=dispatcher, appeal=appeal, department=department, category=category)
    handler = next(
        (
            h
            for h in handlers
            if appeal.handler_region is not None
            and in_scope(h, Perm.HOTLINE_HANDLE, region=appeal.handler_region, department_id=appeal.department_id)
        ),
        None,
    )
    stage = rng.random()
    if handler is None or stage < 0.25:
        return  # waits for 签收 (the red cards of departments without a hotline liaison)
    loop.sign(actor=handler, appeal=appeal)
    if stage < 0.45:
        if rng.random() < 0.3:
            loop.request_extension(
                actor=handler, appeal=appeal, working_days=5, reason="需协调多个部门联合处置，申请延期"
            )
        return
    reply = data.REPLY_OPENING + data.REPLY_TEMPLATES[rng.randrange(len(data.REPLY_TEMPLATES))]
    loop.reply(actor=handler, appeal=appeal, text=reply)
    if stage < 0.6:
        return
    task = appeal.callbacks.get(round=1)
    dice = rng.random()
    result = (
        Satisfaction.SATISFIED if dice < 0.7 else Satisfaction.BASICALLY if dice < 0.9 else Satisfaction.UNSATISFIED
    )
    loop.record_callback(
        actor=agent, task=task, result=result, comment="" if result != "unsatisfied" else "问题没有解决"
    )


def _category_for(appeal: Appeal) -> Category | None:
    label = appeal.suggestions[0]["label"] if appeal.suggestions else "城乡建设"
    return Category.objects.filter(level=1, name=label).select_related("department").first()
