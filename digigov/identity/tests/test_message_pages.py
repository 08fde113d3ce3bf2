"""The message centre's pages: each person's own messages, paged, unread first or newest first; read marks by
POST with CSRF; links go through a read mark to pages that check access again; the header counts unread."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from digigov.core.messages import message_send
from digigov.core.models import Message, MessagePreference
from digigov.identity.models import User

pytestmark = pytest.mark.django_db


def tell(username: str, n: int = 1, link: str = "/portal/") -> list[Message]:
    person = User.objects.get(username=username)
    sent = []
    with transaction.atomic():
        for i in range(n):
            message = message_send(
                recipient=person,
                kind="identity.agent_invited",
                context={"enterprise": f"页面测试企业{i}"},
                link=link,
                key=f"page-test:{username}:{i}:{link}",
            )
            assert message is not None
            sent.append(message)
    return sent


def header_count(html: str) -> int:
    found = re.search(r'aria-label="(\d+) 条未读消息"', html)
    return int(found.group(1)) if found else 0


def test_a_citizen_sees_their_own_messages_and_the_header_counts_the_unread(login: Any) -> None:
    Message.objects.all().delete()
    tell("chenhaoran", 3)
    tell("zhangjianguo", 1)
    client = login("18900006438")
    page = client.get("/messages/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("页面测试企业") == 3 * 2  # title and body of each
    assert header_count(html) == 3
    assert header_count(client.get("/portal/").content.decode()) == 3, "the count is in the header of every page"


def test_staff_and_enterprise_clerks_have_a_message_centre_too(login: Any) -> None:
    Message.objects.all().delete()
    tell("zhangjianguo", 2)
    staff = login("zhangjianguo")
    html = staff.get("/messages/").content.decode()
    assert html.count("页面测试企业") == 4 and header_count(html) == 2
    clerk = login("13800001352")  # 李秀兰, an accepted 经办人
    assert clerk.get("/messages/").status_code == 200
    assert "页面测试企业" not in clerk.get("/messages/").content.decode()


def test_marking_read_is_a_post_of_ones_own_message_and_unread_come_first(login: Any) -> None:
    Message.objects.all().delete()
    first, second, third = tell("chenhaoran", 3)
    theirs = tell("zhangjianguo", 1)[0]
    client = login("18900006438")
    assert client.get(f"/messages/{first.pk}/read/").status_code == 405
    assert client.post(f"/messages/{theirs.pk}/read/").status_code == 404, "another's message is not found"
    assert Message.objects.get(pk=theirs.pk).read_at is None
    done = client.post(f"/messages/{first.pk}/read/", {"order": "unread"})
    assert done.status_code == 302 and done.headers["Location"].startswith("/messages/?order=unread")
    assert Message.objects.get(pk=first.pk).read_at is not None
    html = client.get("/messages/?order=unread").content.decode()
    assert html.index("页面测试企业2") < html.index("页面测试企业1") < html.index("页面测试企业0")
    Message.objects.filter(pk=third.pk).update(read_at=timezone.now())
    unread_first = client.get("/messages/").content.decode()
    assert unread_first.index("页面测试企业1") < unread_first.index("页面测试企业2"), "unread before read"
    newest = client.get("/messages/?order=newest").content.decode()
    assert newest.index("页面测试企业2") < newest.index("页面测试企业1")
    assert client.post("/messages/read-all/").status_code == 302
    assert not Message.objects.filter(recipient__username="chenhaoran", read_at__isnull=True).exists()
    assert Message.objects.get(pk=theirs.pk).read_at is None
    assert second.pk


def test_read_marks_need_the_csrf_token(login: Any) -> None:
    [message] = tell("chenhaoran", 1)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = login("18900006438").cookies
    assert strict.post(f"/messages/{message.pk}/read/").status_code == 403
    assert strict.post("/messages/read-all/").status_code == 403
    assert Message.objects.get(pk=message.pk).read_at is None


def test_opening_a_message_marks_it_read_and_follows_its_link_which_checks_access(login: Any) -> None:
    [message] = tell("chenhaoran", 1, link="/console/")
    client = login("18900006438")
    opened = client.post(f"/messages/{message.pk}/read/", {"open": "1"})
    assert opened.status_code == 302 and opened.headers["Location"] == "/console/"
    assert Message.objects.get(pk=message.pk).read_at is not None
    assert client.get("/console/").status_code in (302, 403), "the linked page decides who may see it"
    with pytest.raises(ValueError, match="path"), transaction.atomic():
        message_send(recipient=message.recipient, kind=message.kind, context={"enterprise": "x"},
                     link="https://evil.example/")


def test_the_list_is_paged(login: Any) -> None:
    Message.objects.all().delete()
    tell("chenhaoran", 25)
    client = login("18900006438")
    first = client.get("/messages/").content.decode()
    assert "第 1 / 2 页" in first and first.count('name="open"') == 20
    second = client.get("/messages/?page=2").content.decode()
    assert second.count('name="open"') == 5


def test_anonymous_visitors_are_sent_to_login() -> None:
    for url in ("/messages/", "/account/messages/settings/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response.headers["Location"]


def test_citizens_choose_sms_or_email_staff_are_offered_no_sms_and_security_notices_stay_on(login: Any) -> None:
    citizen = User.objects.get(username="chenhaoran")
    citizen.email = "chen@example.com"
    citizen.save(update_fields=["email"])
    client = login("18900006438")
    page = client.get("/account/messages/settings/").content.decode()
    assert 'name="identity.agent_invited:sms" value="1" checked' in page
    assert 'name="identity.agent_invited:email" value="1">' in page
    assert 'name="security.locked:sms" value="1" checked disabled' in page
    saved = client.post("/account/messages/settings/", {"identity.agent_invited:email": "1"})
    assert saved.status_code == 302
    stored = MessagePreference.objects.get(user=citizen, kind="identity.agent_invited")
    assert stored.channels == "email"
    assert not MessagePreference.objects.filter(user=citizen, kind__startswith="security.").exists()
    staff = User.objects.get(username="zhangjianguo")
    staff.email = "zhang@example.com"
    staff.save(update_fields=["email"])
    staff_page = login("zhangjianguo").get("/account/messages/settings/").content.decode()
    assert "手机短信" not in staff_page and "电子邮件" in staff_page
    assert "工作人员账号不提供短信提醒" in staff_page
