"""The inbox pages through the Django client: staff only, tabs, filters by kind and card, paging, rows linking
to the object, the header count (staff only) and the console home opening on the inbox."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from digigov.core.inbox.registry import InboxKind, register_kind
from digigov.core.inbox.services import inbox_open
from digigov.core.models import CalendarYear, InboxTask
from digigov.identity.models import User

pytestmark = pytest.mark.django_db
TODO = register_kind(InboxKind("pagetest.todo", "测试办理", "页面测试", "测", colour="teal"))
TOREAD = register_kind(InboxKind("pagetest.toread", "测试阅知", "页面测试", "阅", colour="purple", box="toread"))


def for_user(username: str, n: int, *, kind: str = TODO.key, **kw: Any) -> list[InboxTask]:
    user = User.objects.get(username=username)
    tasks = []
    for i in range(n):
        obj = CalendarYear.objects.create(
            year=9000 + CalendarYear.objects.count(), source="manual", loaded_at=timezone.now()
        )
        tasks.append(
            inbox_open(kind=kind, obj=obj, title=f"测试任务{i}", link=f"/console/x/{obj.pk}/", for_user=user, **kw)
        )
    return tasks


def header_count(html: str) -> str | None:
    match = re.search(r'data-testid="header-inbox">待办(?:<span[^>]*>(\d+)</span>)?', html)
    return None if match is None else (match.group(1) or "0")


def test_staff_only(login: Any) -> None:
    assert login("chenhaoran").get("/console/inbox/").status_code == 403
    page = login("chenhaoran").get("/portal/").content.decode()
    assert header_count(page) is None  # citizens have no inbox count


def test_tabs_cards_filters_paging_and_links(login: Any) -> None:
    now = timezone.now()
    red = for_user("fengxue", 1, due_at=now - timedelta(hours=2))[0]
    yellow = for_user("fengxue", 1, yellow_at=now - timedelta(hours=1), due_at=now + timedelta(days=1))[0]
    plain = for_user("fengxue", 23)
    toread = for_user("fengxue", 1, kind=TOREAD.key)[0]
    client = login("fengxue")
    open_todo = InboxTask.objects.filter(closed_at__isnull=True, box="todo", for_user_id=red.for_user_id).count()
    html = client.get("/console/inbox/").content.decode()
    rows = re.findall(r'data-testid="task-(\d+)" data-card="(\w+)"', html)
    assert rows[:2] == [(str(red.pk), "red"), (str(yellow.pk), "yellow")]  # most urgent first
    assert len(rows) == 20 and "第 1 / " in html
    assert f'href="/console/x/{red.object_id}/"' in html and "已超期 2 小时" in html and "红牌·已超期" in html
    assert open_todo == 25 and header_count(html) == "25"  # fengxue has no other task in the demo
    page2 = re.findall(r'data-testid="task-(\d+)"', client.get("/console/inbox/?page=2").content.decode())
    assert page2 == [str(task.pk) for task in plain[-5:]]  # no clock: oldest first, after the cards
    only_red = client.get("/console/inbox/?card=red").content.decode()
    assert (str(red.pk), "red") in re.findall(r'data-testid="task-(\d+)" data-card="(\w+)"', only_red)
    assert {card for _, card in re.findall(r'data-testid="task-(\d+)" data-card="(\w+)"', only_red)} == {"red"}
    only_kind = client.get(f"/console/inbox/?kind={TODO.key}").content.decode()
    assert "第 1 / 2 页，共 25 条" in only_kind
    assert "共 0 条" in client.get("/console/inbox/?kind=services.application_accept").content.decode()
    assert client.get("/console/inbox/?kind=nonsense&card=purple&box=bad&page=x").status_code == 200
    # 待阅: its own tab; reading closes it and goes to the object; then it is 已办
    toread_html = client.get("/console/inbox/?box=toread").content.decode()
    assert f'data-testid="task-{toread.pk}"' in toread_html
    response = client.post(f"/console/inbox/{toread.pk}/read/")
    assert response.status_code == 302 and response["Location"] == toread.link
    assert f'data-testid="task-{toread.pk}"' in client.get("/console/inbox/?box=done").content.decode()
    assert client.post(f"/console/inbox/{toread.pk}/read/")["Location"].endswith("box=toread")  # already read
    # someone else's tasks are not shown, and they cannot read them
    other = login("helijuan")
    assert f'data-testid="task-{red.pk}"' not in other.get("/console/inbox/").content.decode()
    assert other.post(f"/console/inbox/{toread.pk}/read/").status_code == 302
    assert InboxTask.objects.get(pk=toread.pk).closed_by_id == red.for_user_id


def test_console_home_opens_on_the_inbox(login: Any) -> None:
    task = for_user("helijuan", 1, due_at=timezone.now() + timedelta(days=3))[0]
    html = login("helijuan").get("/console/").content.decode()
    assert 'data-testid="console-inbox"' in html and f'data-testid="task-{task.pk}"' in html
    assert html.index('data-testid="console-inbox"') < html.index('data-testid="grants"')
    assert header_count(html) is not None and int(header_count(html) or 0) >= 1
