"""12345 in the staff inbox: the demo's appeals rebuilt into 签收/回复/回访 rows whose scope equals the handler
worklist and the callback list, whose cards equal clock.card_for at any time, and the hook after 签收 (no call here)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from digigov.core.inbox.selectors import card_at, inbox_for
from digigov.core.inbox.services import inbox_rebuild
from digigov.core.models import InboxTask
from digigov.hotline.inbox import CALLBACK, REPLY, SIGN
from digigov.hotline.models import Appeal, AppealStatus
from digigov.hotline.selectors import handler_worklist, pending_callbacks
from digigov.hotline.services import loop
from digigov.hotline.services.clock import card_for
from digigov.identity.models import User

pytestmark = pytest.mark.django_db
PEOPLE = ("liguoqiang", "wangshuang", "zhaominghui", "qianli", "hanxue", "zhoupeng", "sujianping", "fengxue")


def user(username: str) -> User:
    return User.objects.get(username=username)


def inbox_objects(actor: User, kind: str) -> set[int]:
    return {int(row.task.object_id) for row in inbox_for(actor, "todo", kind=kind, per_page=1000).rows}


def test_rebuilt_rows_have_the_scope_of_the_worklists() -> None:
    results = {result.name: result for result in inbox_rebuild(only=["hotline.appeals", "hotline.callbacks"])}
    assert results["hotline.appeals"].opened == 0  # load_demo already rebuilt them: nothing new
    assert InboxTask.objects.filter(kind__in=(SIGN.key, REPLY.key), closed_at=None).exists()
    non_empty = 0
    for username in PEOPLE:
        actor = user(username)
        worklist = handler_worklist(actor).filter(handler_region__isnull=False)
        signing = set(worklist.filter(status=AppealStatus.DISPATCHED).values_list("pk", flat=True))
        replying = set(worklist.filter(status=AppealStatus.SIGNED).values_list("pk", flat=True))
        callbacks = set(pending_callbacks(actor).values_list("pk", flat=True))
        assert inbox_objects(actor, SIGN.key) == signing, username
        assert inbox_objects(actor, REPLY.key) == replying, username
        assert inbox_objects(actor, CALLBACK.key) == callbacks, username
        non_empty += bool(signing or replying or callbacks)
    assert non_empty >= 3


def test_cards_equal_the_clock_at_any_time() -> None:
    appeals = Appeal.objects.filter(status__in=(AppealStatus.DISPATCHED, AppealStatus.SIGNED))
    tasks = {
        int(task.object_id): task for task in InboxTask.objects.filter(kind__in=(SIGN.key, REPLY.key), closed_at=None)
    }
    now = timezone.now()
    checked = set()
    for appeal in appeals.exclude(handler_region=None):
        moments = [now + timedelta(days=offset, hours=offset) for offset in (-30, -2, 0, 1, 3, 10, 40)]
        for instant in (appeal.yellow_at, appeal.due_at):  # either side of each change of card
            moments += [instant - timedelta(seconds=1), instant + timedelta(seconds=1)] if instant else []
        for moment in moments:
            expected = card_for(appeal, moment)
            assert card_at(tasks[appeal.pk], moment) == expected, (appeal.number, moment)
            checked.add(expected)
    assert checked >= {"green", "yellow", "red"}


def test_sign_moves_the_task_from_sign_to_reply() -> None:
    appeal = Appeal.objects.filter(status=AppealStatus.DISPATCHED).exclude(handler_region=None).first()
    assert appeal is not None
    handler = next(u for u in map(user, PEOPLE) if appeal.pk in inbox_objects(u, SIGN.key))
    loop.sign(actor=handler, appeal=appeal)
    assert appeal.pk not in inbox_objects(handler, SIGN.key) and appeal.pk in inbox_objects(handler, REPLY.key)
    done = inbox_for(handler, "done").rows[0].task
    assert (done.kind, done.object_id, done.closed_how) == (SIGN.key, str(appeal.pk), "signed")
    reply = InboxTask.objects.get(kind=REPLY.key, object_id=str(appeal.pk), closed_at=None)
    assert reply.due_at == appeal.reply_due_at and reply.link == f"/console/hotline/appeals/{appeal.pk}/"
