"""The analytics token form and the digests built from the public message files."""

from __future__ import annotations

from datetime import datetime

from digigov.hotline.analytics.digests import (
    DATA_TIME_ZONE,
    digest_from_message,
    guess_address,
    guess_district,
    parse_data_time,
)
from digigov.hotline.analytics.text import BODY_KEYWORDS, STOPWORDS, appeal_tokens, words

BODY = (
    "尊敬的领导：您好！我们是丽发新城小区的业主，小区旁边新建了一个搅拌站，每天从早到晚噪音不断，粉尘很大，"
    "搅拌站的大货车进进出出，严重影响居民休息，请相关部门尽快处理，谢谢！"
)


def test_appeal_tokens_put_the_subject_first_then_the_bodys_keywords() -> None:
    tokens = appeal_tokens("A2区丽发新城附近建搅拌站噪音扰民", BODY)
    assert tokens.startswith(" ") and tokens.endswith(" ")
    parts = tokens.split()
    subject = list(dict.fromkeys(words("A2区丽发新城附近建搅拌站噪音扰民")))
    assert parts[: len(subject)] == subject
    assert len(parts) - len(subject) <= BODY_KEYWORDS
    assert "搅拌站" in parts[len(subject) :]  # the body's strongest word, also in the subject: counted twice
    assert not set(parts) & STOPWORDS and not {"a2区", "区丽发"} & set(parts)


def test_message_rows_become_digests() -> None:
    row = {
        "留言编号": "189950",
        "留言主题": "投诉A2区丽发新城附近建搅拌站噪音扰民",
        "留言时间": "2019-11-13 11:20:21",
        "留言详情": "\n\t\t\t" + BODY + "\n\t\t",
        "点赞数": "3",
    }
    digest = digest_from_message(row)
    assert digest.id == 189950 and digest.support == 3
    assert digest.street == "A2区" and digest.address == "丽发新城"
    assert digest.text == BODY  # surrounding whitespace gone, full-width punctuation kept
    assert digest.created_at == datetime(2019, 11, 13, 11, 20, 21, tzinfo=DATA_TIME_ZONE)
    assert digest.tokens == appeal_tokens(digest.subject, digest.text)


def test_both_time_formats_of_the_files_parse() -> None:
    assert parse_data_time("2019/2/28 11:25:05") == datetime(2019, 2, 28, 11, 25, 5, tzinfo=DATA_TIME_ZONE)
    assert parse_data_time("2019-08-01 00:00:00") == datetime(2019, 8, 1, tzinfo=DATA_TIME_ZONE)


def test_places_and_districts_are_guessed_from_the_text() -> None:
    assert guess_address("A7县蟠龙路航鑫物资回收公司施工扰民", "") == "蟠龙路"
    assert guess_address("关于公交站点名称变更的建议", "马坡岭小学站名称不准确") == "马坡岭小学"
    assert guess_address("物价上涨太快", "") == ""
    assert guess_district("A市A5区魅力之城小区油烟扰民", "") == "A5区"
    assert guess_district("A市物价", "") == "A市"
