"""Knowledge base: stored tokens without stopwords, boilerplate-free answers from real replies, BM25 ranking,
and the database search agents use on the phone."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from digigov.core.policy import SYSTEM
from digigov.hotline.analytics.digests import read_messages
from digigov.hotline.analytics.knowledge import (
    clean_answer,
    knowledge_query_tokens,
    knowledge_tokens,
    qa_from_reply,
    rank_knowledge,
    search_knowledge,
)
from digigov.hotline.analytics.text import STOPWORDS, appeal_tokens
from digigov.hotline.services.reference import knowledge_entry_save

# A real reply (messages_replies.csv), as published: salutation, receipt, "现将…如下", thanks, date.
REAL_REPLY = (
    "网友“UU008846”\u3000\u3000您好！您的留言已收悉。现将有关情况回复如下：\u3000\u3000针对您所反映的问题，"
    "岳路、A2区及A4区城管执法大队迅速进行了调查。经调查了解，节假日期间，在沿江风光带周边，有不少商贩沿街非法"
    "销售“孔明灯”。\u3000\u3000感谢您对我们工作的支持、理解与监督！\u3000\u3000\u30002018年3月19日"
)


def test_knowledge_tokens_are_wrapped_distinct_and_free_of_stopwords() -> None:
    tokens = knowledge_tokens("尊敬的领导您好，请问我们小区的物业管理费收费标准是什么？谢谢！")
    assert tokens.startswith(" ") and tokens.endswith(" ")
    words = tokens.split()
    assert {"物业", "管理费", "收费", "标准"} <= set(words)
    assert len(words) == len(set(words))
    assert not set(words) & {"尊敬", "领导", "您好", "请问", "我们", "什么", "谢谢"}
    assert not set(words) & STOPWORDS and all(len(w) > 1 for w in words)


def test_anonymised_codes_do_not_glue_onto_names() -> None:
    assert " 景蓉华苑 " in knowledge_tokens("A2区景蓉华苑物业管理有问题")
    assert "区景蓉华苑" not in appeal_tokens("A2区景蓉华苑物业管理有问题", "")


def test_the_reply_boilerplate_is_stripped() -> None:
    answer = clean_answer(REAL_REPLY)
    assert answer.startswith("针对您所反映的问题")
    assert answer.endswith("非法销售“孔明灯”。")
    for boilerplate in ("网友", "您好", "收悉", "回复如下", "感谢您对我们工作", "2018年"):
        assert boilerplate not in answer


def test_a_receipt_without_an_answer_is_no_entry() -> None:
    row = {"留言编号": "1", "留言主题": "某小区停车难", "留言详情": "停车难", "答复意见": "网友：您好！留言已收悉"}
    assert qa_from_reply(row) is None
    forwarded = dict(row, 答复意见="您好！您的留言已收悉。我们已将您反映的问题转相关部门进行处理，敬请关注后续回复！")
    assert qa_from_reply(forwarded) is None


def test_real_replies_become_clean_question_and_answer_pairs() -> None:
    path = Path(settings.HOTLINE_DATA_DIR) / "messages_replies.csv"
    assert path.exists(), f"the hotline data set is missing: {path}"
    rows = list(read_messages(path))
    entries = [qa for qa in map(qa_from_reply, rows) if qa is not None]
    assert 0.8 * len(rows) < len(entries) < len(rows)  # receipt-only replies are left out
    for qa in entries:
        assert qa.question.startswith(qa.subject) and len(qa.question) <= 300
        assert len(qa.answer) >= 30
        assert not qa.answer.startswith(("网友", "您好", "你好", "尊敬的")), qa.answer[:40]
        assert "留言已收悉" not in qa.answer[:20] and "回复如下" not in qa.answer[:40]
    greetings = sum("您好" in row["答复意见"][:40] for row in rows)
    assert greetings > len(rows) // 2  # the stripping had work to do


@dataclass(frozen=True)
class Entry:
    id: int
    question: str
    answer: str
    search_tokens: str


def entry(pk: int, question: str, answer: str) -> Entry:
    return Entry(pk, question, answer, knowledge_tokens(f"{question} {answer}"))


def test_ranking_prefers_entries_sharing_the_rare_words_of_the_query() -> None:
    entries = [
        entry(1, "公交线路调整怎么查询", "可以关注公交集团公众号查询线路调整。"),
        entry(2, "物业费收费标准是多少", "住宅物业服务收费实行政府指导价，按物业等级确定收费标准。"),
        entry(3, "小区停车收费标准", "小区停车收费由业主大会决定，物业不得擅自收费。"),
    ]
    hits = rank_knowledge("我们小区物业费收费标准", entries)
    assert [h.id for h in hits][:2] == [2, 3]
    assert 1 not in [h.id for h in hits]  # shares no word with the query
    assert hits[0].score > hits[1].score and "物业费" in hits[0].matched
    assert rank_knowledge("   ", entries) == [] and rank_knowledge("物业费", []) == []


def test_query_tokens_put_the_rarest_words_first() -> None:
    terms = knowledge_query_tokens("请问丽发新城搅拌站的噪音问题")
    assert terms.index("搅拌站") < terms.index("噪音")
    assert "请问" not in terms and "问题" not in terms


@pytest.mark.django_db
def test_search_finds_stored_entries_by_their_tokens() -> None:
    for question, answer in (
        ("独生子女证怎么办理", "持户口簿、身份证和结婚证到户籍所在地街道计生办办理独生子女父母光荣证。"),
        ("居住证办理需要什么材料", "持身份证、居住证明材料到居住地派出所申领居住证。"),
    ):
        knowledge_entry_save(actor=SYSTEM, question=question, answer=answer, source="test")
    hits = search_knowledge("独生子女证在哪里办", limit=3)
    assert hits and hits[0].entry.question == "独生子女证怎么办理"
    assert all(h.entry.question != "居住证办理需要什么材料" for h in hits)
