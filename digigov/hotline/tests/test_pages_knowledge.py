"""The knowledge-base page: agents search the seeded Q&A by words (jieba segmentation, not substrings); the
knowledge manager (派单员 周鹏) adds, edits and deactivates entries, audited, with bad input told on the field;
a department liaison may not open it."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import pytest
from django.db.models import Q
from django.test import Client

from digigov.core.models import AuditEntry
from digigov.hotline.models import Category, KnowledgeEntry
from digigov.hotline.selectors_settings import knowledge_search

pytestmark = pytest.mark.usefixtures("hotline")

URL = "/console/hotline/knowledge/"
# A seeded entry (messages_replies.csv: "在A市买公寓能享受人才新政购房补贴吗?") and a caller's question in other
# words: a substring of no entry, found because it is segmented into 公寓 / 补贴 / 人才.
SEEDED = "能享受人才新政购房补贴吗"
QUERY = "买公寓有没有人才补贴"


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def result_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-testid="knowledge-(\d+)"', html)]


def field_html(html: str, name: str) -> str:
    """The console field block (hotline/console/_field.html) of one form field."""
    at = html.index(f'for="id_{name}"')
    start = max(html.rfind('<div class="field"', 0, at), html.rfind('<div class="field ', 0, at))
    following = [i for i in (html.find('<div class="field"', at), html.find('<div class="field ', at)) if i > 0]
    return html[start : min(following) if following else None]


def audited(action: str, entry: KnowledgeEntry, username: str) -> bool:
    return AuditEntry.objects.filter(
        action=action, object_type="knowledge_entry", object_id=str(entry.pk), actor_name=username
    ).exists()


def test_search_finds_a_seeded_entry_by_its_words_not_a_substring(login: Any) -> None:
    seeded = KnowledgeEntry.objects.get(question__contains=SEEDED, source="reply")
    assert not KnowledgeEntry.objects.filter(Q(question__contains=QUERY) | Q(answer__contains=QUERY)).exists()
    html = page(login("hanxue"), f"{URL}?q={QUERY}")
    ids = result_ids(html)
    assert ids and ids[0] == seeded.pk, ids
    assert ids == [r.entry.pk for r in knowledge_search(QUERY)]  # the page shows search_knowledge's ranking
    assert all(f"<mark>{word}</mark>" in html for word in ("公寓", "补贴", "人才"))
    assert "按相关度排序" in html
    assert 'data-testid="knowledge-new"' not in html  # an agent searches; she does not edit


def test_without_a_query_the_latest_entries_page_by_page(login: Any) -> None:
    agent = login("hanxue")
    newest = KnowledgeEntry.objects.filter(is_active=True).order_by("-id")
    first, second = result_ids(page(agent, URL)), result_ids(page(agent, f"{URL}?page=2"))
    assert first == [e.pk for e in newest[:20]]
    assert second == [e.pk for e in newest[20:40]]
    assert "第 1 / " in page(agent, URL)


def test_nothing_found_says_so(login: Any) -> None:
    html = page(login("hanxue"), f"{URL}?q=量子纠缠")
    assert result_ids(html) == [] and "没有找到相关的知识条目" in html


def test_the_manager_adds_edits_and_deactivates_an_entry_audited(login: Any) -> None:
    manager = login("zhoupeng")
    assert 'data-testid="knowledge-new"' in page(manager, URL)
    category = Category.objects.get(path="城乡建设/住房保障与房地产")
    response = manager.post(
        f"{URL}new/",
        {
            "question": "异地缴存的公积金能在本市办理商转公吗？",
            "answer": "目前市住房公积金管理中心不受理异地缴存职工的商转公申请，可向缴存地公积金中心咨询。",
            "category": str(category.pk),
        },
    )
    assert response.status_code == 302
    entry = KnowledgeEntry.objects.get(question="异地缴存的公积金能在本市办理商转公吗？")
    assert entry.category == category and entry.department is not None and entry.department.code == "zjj"
    assert entry.source == "manual" and audited("hotline.knowledge_created", entry, "zhoupeng")
    assert entry.pk in result_ids(page(manager, f"{URL}?q=商转公 异地"))

    edit_form = page(manager, f"{URL}{entry.pk}/edit/")
    assert "目前市住房公积金管理中心不受理" in edit_form
    response = manager.post(
        f"{URL}{entry.pk}/edit/",
        {"question": entry.question, "answer": "自2026年起可办理异地缴存职工商转公，携身份证到市公积金中心。"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.answer.startswith("自2026年起") and entry.category is None
    assert " 携 " in entry.search_tokens or " 身份证 " in entry.search_tokens  # re-segmented on edit
    assert audited("hotline.knowledge_updated", entry, "zhoupeng")

    response = manager.post(f"{URL}{entry.pk}/deactivate/", {"next": f"{URL}?q=商转公"})
    assert response.status_code == 302 and unquote(response["Location"]) == f"{URL}?q=商转公"
    entry.refresh_from_db()
    assert not entry.is_active and audited("hotline.knowledge_deactivated", entry, "zhoupeng")
    assert entry.pk not in result_ids(page(manager, f"{URL}?q=商转公 异地"))
    assert manager.get(f"{URL}{entry.pk}/edit/").status_code == 404  # a deactivated entry is gone from the page
    assert manager.post(f"{URL}{entry.pk}/deactivate/").status_code == 404


def test_bad_input_is_shown_on_the_field_and_nothing_is_saved(login: Any) -> None:
    manager = login("zhoupeng")
    before = KnowledgeEntry.objects.count()
    response = manager.post(f"{URL}new/", {"question": "   ", "answer": "答" * 20})
    html = response.content.decode()
    assert response.status_code == 200
    question = field_html(html, "question")
    assert "field-invalid" in question and "请填写问题" in question
    assert "field-invalid" not in field_html(html, "answer")
    too_long = manager.post(f"{URL}new/", {"question": "问" * 301, "answer": "答" * 20}).content.decode()
    assert "问题不超过300字" in field_html(too_long, "question")
    unknown = manager.post(f"{URL}new/", {"question": "问题", "answer": "答案", "category": "999999"})
    assert "field-invalid" in field_html(unknown.content.decode(), "category")
    assert KnowledgeEntry.objects.count() == before


def test_who_may_open_the_knowledge_pages(login: Any) -> None:
    entry = KnowledgeEntry.objects.filter(is_active=True).first()
    assert entry is not None
    liaison = login("liguoqiang")  # 市住建局 热线联络员: handles appeals, does not search the centre's knowledge base
    assert liaison.get(URL).status_code == 403
    assert liaison.get(f"{URL}new/").status_code == 403
    agent = login("hanxue")  # 话务员: searches, does not maintain
    assert agent.get(URL).status_code == 200
    assert agent.get(f"{URL}new/").status_code == 403
    assert agent.post(f"{URL}{entry.pk}/deactivate/").status_code == 403
    entry.refresh_from_db()
    assert entry.is_active
    assert 'href="/console/hotline/knowledge/"' in page(agent, "/console/hotline/")
    assert 'href="/console/hotline/knowledge/"' not in page(liaison, "/console/hotline/")


def test_a_search_page_costs_the_same_queries_however_many_entries_it_shows(
    login: Any, django_assert_max_num_queries: Any
) -> None:
    agent = login("hanxue")
    assert len(result_ids(page(agent, f"{URL}?q=小区 物业 停车"))) >= 8
    with django_assert_max_num_queries(8):  # session, user, grants, search, entries: never one per result
        page(agent, f"{URL}?q=小区 物业 停车")
