"""The staff inbox's kernel: open/close/reschedule rows, the scope filter as data, cards derived from the time
of the query, urgency order, 已办, and the rebuild. Objects are core rows (CalendarYear), actors plain objects:
core knows no domain."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from digigov.core.errors import NotFound
from digigov.core.inbox.registry import (
    InboxGrant,
    InboxKind,
    InboxSpec,
    kind_get,
    register_kind,
    register_rebuilder,
    unregister_rebuilder,
)
from digigov.core.inbox.selectors import (
    Card,
    card_at,
    inbox_card_counts,
    inbox_for,
    inbox_open_count,
    prefix_upper,
    relative_deadline,
    scope_q,
    simplify_grants,
)
from digigov.core.inbox.services import inbox_close, inbox_mark_read, inbox_open, inbox_rebuild, inbox_reschedule
from digigov.core.models import CalendarYear, InboxTask

TODO = register_kind(InboxKind("coretest.todo", "测试办理", "内核测试", "测", colour="teal"))
TOREAD = register_kind(InboxKind("coretest.toread", "测试阅知", "内核测试", "阅", colour="purple", box="toread"))
NOW = timezone.make_aware(datetime(2026, 3, 2, 10, 0))
CITY = "210500000000"
PINGSHAN = "210502000000"
STREET = "210502001000"
XIHU = "210503000000"
PERM = "coretest.handle"


def ours() -> Any:
    """This module's rows (the demo city's inbox rows are in the test database too)."""
    return InboxTask.objects.filter(kind__startswith="coretest.")


def actor(pk: int) -> Any:
    return SimpleNamespace(pk=pk, is_authenticated=True)


def year(y: int) -> CalendarYear:
    return CalendarYear.objects.create(year=y + 7000, source="manual", loaded_at=NOW)


def open_for_scope(obj: Any, region: str = STREET, department: int | None = 7, **kw: Any) -> InboxTask:
    return inbox_open(
        kind=kw.pop("kind", TODO.key),
        obj=obj,
        title=kw.pop("title", f"任务 {obj.pk}"),
        link=f"/x/{obj.pk}/",
        permission=PERM,
        region_code=region,
        department_id=department,
        now=kw.pop("now", NOW),
        **kw,
    )


def test_prefix_upper_and_simplified_grants() -> None:
    assert prefix_upper("2105") == "2106"
    assert prefix_upper("210599") == "210600"
    assert prefix_upper("2199") == "2200"
    assert prefix_upper("99") is None
    with pytest.raises(ValueError):
        prefix_upper("21a")
    city = InboxGrant(PERM, "2105", None)
    inner = InboxGrant(PERM, "210502", 7)
    other_perm = InboxGrant("x.other", "210502", 7)
    own_dept = InboxGrant(PERM, "210503", 7)
    assert simplify_grants([inner, city, city, other_perm]) == sorted([city, other_perm])
    assert simplify_grants([own_dept, InboxGrant(PERM, "210503001", 7)]) == [own_dept]
    assert simplify_grants([own_dept, InboxGrant(PERM, "210503001", None)]) == sorted(
        [own_dept, InboxGrant(PERM, "210503001", None)]
    )


@pytest.mark.django_db
def test_open_is_idempotent_per_kind_and_object() -> None:
    obj = year(2030)
    first = open_for_scope(obj, title="第一次")
    again = open_for_scope(obj, title="第二次", due_at=NOW + timedelta(days=2), now=NOW + timedelta(hours=1))
    assert again.pk == first.pk
    task = ours().get()
    assert (task.title, task.due_at, task.opened_at) == ("第二次", NOW + timedelta(days=2), NOW)
    assert task.updated_at == NOW + timedelta(hours=1)
    # another kind about the same object is another task
    inbox_open(kind=TOREAD.key, obj=obj, title="阅", link="/x/", for_user=5, now=NOW)
    assert ours().count() == 2
    # the database refuses a second open row for one (kind, object)
    with pytest.raises(IntegrityError), transaction.atomic():
        InboxTask.objects.create(
            kind=TODO.key,
            object_type="core.calendaryear",
            object_id=str(obj.pk),
            title="x",
            link="/",
            permission=PERM,
            region_code=STREET,
            opened_at=NOW,
            updated_at=NOW,
        )


@pytest.mark.django_db
def test_open_refuses_bad_recipients_kinds_and_deadlines() -> None:
    obj = year(2031)
    with pytest.raises(LookupError):
        inbox_open(kind="nobody.registered", obj=obj, title="x", link="/", for_user=1)
    with pytest.raises(ValueError, match="not both or neither"):
        inbox_open(kind=TODO.key, obj=obj, title="x", link="/")
    with pytest.raises(ValueError, match="not both or neither"):
        inbox_open(kind=TODO.key, obj=obj, title="x", link="/", for_user=1, permission=PERM, region_code=STREET)
    with pytest.raises(ValueError, match="12-digit"):
        inbox_open(kind=TODO.key, obj=obj, title="x", link="/", permission=PERM, region_code="2105")
    with pytest.raises(ValueError, match="yellow_at"):
        open_for_scope(obj, yellow_at=NOW + timedelta(days=2), due_at=NOW + timedelta(days=1))
    assert not ours().exists()
    with pytest.raises(ValueError):
        register_kind(InboxKind(TODO.key, "别的", "内核测试", "别"))
    with pytest.raises(ValueError, match="colour"):
        register_kind(InboxKind("coretest.badcolour", "x", "x", "x", colour="pink"))


@pytest.mark.django_db
def test_scope_covers_region_prefix_department_and_direct_tasks() -> None:
    tasks = {
        "street_dept7": open_for_scope(year(2001), STREET, 7),
        "street_dept8": open_for_scope(year(2002), STREET, 8),
        "street_citywide": open_for_scope(year(2003), STREET, None),
        "xihu_dept7": open_for_scope(year(2004), XIHU, 7),
        "other_perm": open_for_scope(year(2005), STREET, 7, kind=TODO.key),
        "mine": inbox_open(kind=TODO.key, obj=year(2006), title="给我", link="/", for_user=41, now=NOW),
        "someone_else": inbox_open(kind=TODO.key, obj=year(2007), title="给别人", link="/", for_user=42, now=NOW),
    }
    InboxTask.objects.filter(pk=tasks["other_perm"].pk).update(permission="coretest.other")

    def seen(*grants: InboxGrant) -> set[str]:
        ids = set(InboxTask.objects.filter(scope_q(actor(41), grants)).values_list("pk", flat=True))
        return {name for name, task in tasks.items() if task.pk in ids}

    assert seen() == {"mine"}
    assert seen(InboxGrant(PERM, "210502", 7)) == {"mine", "street_dept7"}
    assert seen(InboxGrant(PERM, "210502", None)) == {"mine", "street_dept7", "street_dept8", "street_citywide"}
    assert seen(InboxGrant(PERM, "2105", 7)) == {"mine", "street_dept7", "xihu_dept7"}
    assert seen(InboxGrant(PERM, "210502001", None), InboxGrant(PERM, "210503", 7)) == {
        "mine",
        "street_dept7",
        "street_dept8",
        "street_citywide",
        "xihu_dept7",
    }
    assert seen(InboxGrant(PERM, "210501", None)) == {"mine"}
    # a city-level task is not inside a district grant
    city_task = open_for_scope(year(2008), CITY, None)
    assert city_task.pk not in set(
        InboxTask.objects.filter(scope_q(actor(41), [InboxGrant(PERM, "210502", None)])).values_list("pk", flat=True)
    )
    # any_department: a grant with a department covers it too (e.g. 回访, which the centre does for everyone)
    anyone = inbox_open(
        kind=TODO.key,
        obj=year(2009),
        title="回访",
        link="/",
        permission=PERM,
        region_code=STREET,
        any_department=True,
        now=NOW,
    )
    assert anyone.pk in InboxTask.objects.filter(scope_q(actor(41), [InboxGrant(PERM, "210502", 99)])).values_list(
        "pk", flat=True
    )
    assert anyone.pk not in InboxTask.objects.filter(scope_q(actor(41), [InboxGrant(PERM, "210503", 99)])).values_list(
        "pk", flat=True
    )
    with pytest.raises(ValueError, match="any_department"):
        inbox_open(
            kind=TODO.key,
            obj=year(2010),
            title="x",
            link="/",
            permission=PERM,
            region_code=STREET,
            department_id=3,
            any_department=True,
        )
    # anonymous: nothing, not even unaddressed rows
    assert not InboxTask.objects.filter(scope_q(SimpleNamespace(pk=None, is_authenticated=False))).exists()


@pytest.mark.django_db
def test_cards_are_derived_from_the_time_of_the_query_and_order_by_urgency() -> None:
    grants = [InboxGrant(PERM, "2105", None)]
    hour = timedelta(hours=1)
    rows = {
        "green_far": open_for_scope(year(2011), yellow_at=NOW + 48 * hour, due_at=NOW + 72 * hour),
        "green_near": open_for_scope(year(2012), yellow_at=NOW + 5 * hour, due_at=NOW + 10 * hour),
        "yellow": open_for_scope(year(2013), yellow_at=NOW - hour, due_at=NOW + 20 * hour),
        "red_recent": open_for_scope(year(2014), yellow_at=NOW - 9 * hour, due_at=NOW - hour),
        "red_old": open_for_scope(year(2015), yellow_at=NOW - 90 * hour, due_at=NOW - 50 * hour),
        "no_clock_old": open_for_scope(year(2016), now=NOW - 100 * hour),
        "no_clock_new": open_for_scope(year(2017)),
    }
    names = {task.pk: name for name, task in rows.items()}
    page = inbox_for(actor(1), "todo", now=NOW, grants=grants)
    assert [names[row.task.pk] for row in page.rows] == [
        "red_old",
        "red_recent",
        "yellow",
        "green_near",
        "green_far",
        "no_clock_old",
        "no_clock_new",
    ]
    assert [row.card for row in page.rows] == ["red", "red", "yellow", "green", "green", "none", "none"]
    assert page.rows[0].card_label == "已超期" and page.rows[0].deadline_text == "已超期 2 天 2 小时"
    assert page.rows[2].deadline_text == "还剩 20 小时"
    # nothing stored: ten hours later the near green task is red, the far one yellow... by the same rows
    later = inbox_for(actor(1), "todo", now=NOW + 11 * hour, grants=grants)
    assert {names[row.task.pk]: row.card for row in later.rows}["green_near"] == "red"
    assert inbox_card_counts(actor(1), now=NOW, grants=grants) == {"red": 2, "yellow": 1, "green": 2, "none": 2}
    assert inbox_card_counts(actor(1), now=NOW + 49 * hour, grants=grants) == {
        "red": 4,
        "yellow": 1,
        "green": 0,
        "none": 2,
    }
    for card, expected in (("red", 2), ("yellow", 1), ("green", 2), ("none", 2)):
        filtered = inbox_for(actor(1), "todo", card=card, now=NOW, grants=grants)
        assert filtered.total == expected and {row.card for row in filtered.rows} == {card}
        assert all(card_at(row.task, NOW) == card for row in filtered.rows)
    assert inbox_for(actor(1), "todo", kind=TOREAD.key, now=NOW, grants=grants).total == 0
    assert inbox_open_count(actor(1), grants=grants) == 7


@pytest.mark.django_db
def test_paging() -> None:
    grants = [InboxGrant(PERM, "2105", None)]
    for y in range(2100, 2125):
        open_for_scope(year(y), due_at=NOW + timedelta(days=y - 2099))
    first = inbox_for(actor(1), "todo", page=1, per_page=10, now=NOW, grants=grants)
    third = inbox_for(actor(1), "todo", page="3", per_page=10, now=NOW, grants=grants)
    beyond = inbox_for(actor(1), "todo", page="99", per_page=10, now=NOW, grants=grants)
    assert (first.total, first.num_pages, first.has_previous, first.has_next) == (25, 3, False, True)
    assert len(third.rows) == 5 and not third.has_next and beyond.number == 3
    assert [row.task.due_at for row in first.rows] == sorted(row.task.due_at for row in first.rows)


@pytest.mark.django_db
def test_close_records_done_for_the_actor_and_reschedule_moves_deadlines() -> None:
    grants = [InboxGrant(PERM, "2105", None)]
    obj = year(2040)
    open_for_scope(obj, due_at=NOW + timedelta(days=1))
    inbox_open(kind=TOREAD.key, obj=obj, title="请阅", link="/", for_user=9, now=NOW)
    assert inbox_reschedule(kind=TODO.key, obj=obj, yellow_at=None, due_at=NOW - timedelta(hours=1)) == 1
    assert inbox_for(actor(1), "todo", now=NOW, grants=grants).rows[0].card == "red"
    assert inbox_close(kind=TODO.key, obj=obj, actor=actor(1), how="accept", now=NOW) == 1
    assert inbox_close(kind=TODO.key, obj=obj, actor=actor(1), how="accept", now=NOW) == 0  # already closed
    assert inbox_reschedule(kind=TODO.key, obj=obj, yellow_at=None, due_at=NOW) == 0
    assert inbox_for(actor(1), "todo", now=NOW, grants=grants).total == 0
    done = inbox_for(actor(1), "done", now=NOW, grants=grants)
    assert done.total == 1 and done.rows[0].task.closed_how == "accept" and done.rows[0].card_label == "超期办结"
    assert inbox_for(actor(2), "done", now=NOW, grants=grants).total == 0
    # a new open of the same kind after closing is a new task; the 已办 row stays
    reopened = open_for_scope(obj)
    assert InboxTask.objects.filter(kind=TODO.key).count() == 2 and reopened.closed_at is None
    # kind None closes every open task about the object
    assert inbox_close(kind=None, obj=obj, actor=None, how="withdrawn", now=NOW) == 2
    assert not ours().filter(closed_at__isnull=True).exists()


@pytest.mark.django_db
def test_toread_is_its_own_box_and_reading_closes_it() -> None:
    obj = year(2050)
    task = inbox_open(kind=TOREAD.key, obj=obj, title="通报", link="/", for_user=3, now=NOW)
    assert kind_get(TOREAD.key).box == task.box == "toread"
    assert inbox_for(actor(3), "todo", now=NOW, grants=[]).total == 0
    assert inbox_for(actor(3), "toread", now=NOW, grants=[]).total == 1
    assert inbox_open_count(actor(3), grants=[]) == 0 and inbox_open_count(actor(3), box="toread", grants=[]) == 1
    with pytest.raises(NotFound):
        inbox_mark_read(actor=actor(4), task_id=task.pk)
    todo = inbox_open(kind=TODO.key, obj=obj, title="办", link="/", for_user=3, now=NOW)
    with pytest.raises(NotFound):
        inbox_mark_read(actor=actor(3), task_id=todo.pk)  # only 待阅 is closed by reading
    inbox_mark_read(actor=actor(3), task_id=task.pk, now=NOW)
    assert inbox_for(actor(3), "toread", now=NOW, grants=[]).total == 0
    assert [row.task.pk for row in inbox_for(actor(3), "done", now=NOW, grants=[]).rows] == [task.pk]


@pytest.mark.django_db
def test_rebuild_opens_missing_updates_changed_and_closes_stale() -> None:
    objs = [year(y) for y in (2060, 2061, 2062)]
    wanted: list[InboxSpec] = []

    def rebuild() -> list[InboxSpec]:
        return list(wanted)

    register_rebuilder("coretest", kinds=[TODO.key], rebuild=rebuild)
    try:
        check_rebuild(objs, wanted)
    finally:
        unregister_rebuilder("coretest")


def check_rebuild(objs: list[CalendarYear], wanted: list[InboxSpec]) -> None:
    spec = {"kind": TODO.key, "link": "/", "permission": PERM, "region_code": STREET}
    stale = open_for_scope(objs[0])
    changed = inbox_open(obj=objs[1], title="旧", department_id=7, now=NOW, **spec)
    wanted[:] = [
        InboxSpec(obj=objs[1], title="旧", **spec),  # differs only in department (now none): updated
        InboxSpec(obj=objs[2], title="新", due_at=NOW, **spec),
        InboxSpec(obj=objs[2], title="新", due_at=NOW, **spec),  # listed twice: one row
    ]
    [result] = inbox_rebuild(only=["coretest"], now=NOW)
    assert (result.opened, result.updated, result.closed) == (1, 1, 1)
    stale.refresh_from_db()
    assert stale.closed_at == NOW and stale.closed_how == "rebuild" and stale.closed_by_id is None
    assert InboxTask.objects.get(pk=changed.pk).department_id is None
    [again] = inbox_rebuild(only=["coretest"], now=NOW)
    assert (again.opened, again.updated, again.closed) == (0, 0, 0)
    wanted[:] = [InboxSpec(obj=objs[0], title="x", **{**spec, "kind": TOREAD.key})]
    with pytest.raises(Exception, match="not one of its own"):
        inbox_rebuild(only=["coretest"], now=NOW)


def test_relative_deadline() -> None:
    assert relative_deadline(None, NOW) == ""
    assert relative_deadline(NOW + timedelta(days=2, hours=3), NOW) == "还剩 2 天 3 小时"
    assert relative_deadline(NOW + timedelta(days=2), NOW) == "还剩 2 天"
    assert relative_deadline(NOW - timedelta(minutes=40), NOW) == "已超期 40 分钟"
    assert relative_deadline(NOW + timedelta(seconds=5), NOW) == "还剩 1 分钟"
    assert relative_deadline(NOW + timedelta(hours=1, minutes=5), NOW) == "还剩 1 小时 5 分钟"
    assert Card.RED == "red"


@pytest.mark.django_db
def test_rebuild_command_reports_each_rebuilder_and_refuses_unknown_names() -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    from digigov.core.inbox.registry import rebuilders

    out = StringIO()
    call_command("inbox_rebuild", stdout=out)
    names = [line.split(":")[0] for line in out.getvalue().splitlines()]
    assert names == sorted(rebuilders()) and names  # the domains registered theirs through their inbox modules
    assert all("opened 0, updated 0, closed 0" in line for line in out.getvalue().splitlines())  # demo is current
    with pytest.raises(CommandError, match="未知的待办重建器"):
        call_command("inbox_rebuild", "--only", "nobody.registered")
