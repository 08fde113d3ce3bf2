"""Duplicate detection on real messages from the public message board: complaints about one matter at one
estate are flagged with their reasons; the same estate's other matters, other districts' messages and old
appeals are not."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

from digigov.hotline.analytics.digests import AppealDigest, digest_from_message, read_messages
from digigov.hotline.analytics.similarity import (
    DUPLICATE_WINDOW,
    TEXT_THRESHOLD,
    TEXT_THRESHOLD_SAME_PLACE,
    place_core,
    same_place,
    similar_appeals,
)

MIXING_PLANT_1 = 189950  # 投诉A2区丽发新城附近建搅拌站噪音扰民 (2019-11-13)
MIXING_PLANT_2 = 238212  # 丽发新城小区附近建搅拌站合理吗? (2019-12-12)
ESTATE_ROAD = 284576  # A2区丽发新城小区云塘路还没有铺沥青: the same estate, another matter
REPOST_A, REPOST_B = 195095, 360100  # 魅力之城小区临街门面油烟直排扰民, posted twice


@cache
def _votes_rows() -> dict[int, dict[str, str]]:
    path = Path(settings.HOTLINE_DATA_DIR) / "messages_votes.csv"
    assert path.exists(), f"the hotline data set is missing: {path}"
    return {int(row["留言编号"]): row for row in read_messages(path)}


@cache
def message(message_id: int) -> AppealDigest:
    return digest_from_message(_votes_rows()[message_id])


def at(digest: AppealDigest, days_before: float, reference: AppealDigest) -> AppealDigest:
    return replace(digest, created_at=reference.created_at - timedelta(days=days_before))


def test_two_complaints_about_one_estates_mixing_plant_are_flagged_with_reasons() -> None:
    new = message(MIXING_PLANT_2)
    found = similar_appeals(new, [message(MIXING_PLANT_1)])  # a month earlier
    assert [s.id for s in found] == [MIXING_PLANT_1]
    flag = found[0]
    assert flag.text_similarity >= TEXT_THRESHOLD_SAME_PLACE and flag.same_place
    assert flag.reasons[0].startswith("文本相似度") and "同一地点：丽发新城" in flag.reasons
    assert flag.reasons[-1] == "28天前"  # 28 days and 23 hours
    assert flag.score == pytest.approx(min(1.0, flag.text_similarity + 0.1), abs=0.002)


def test_the_same_estates_other_matter_is_not_flagged() -> None:
    new = message(MIXING_PLANT_2)
    road = at(message(ESTATE_ROAD), 3, new)
    assert same_place(new.address, road.address)  # same 小区 ...
    assert similar_appeals(new, [road]) == []  # ... but a road, not the mixing plant


def test_a_reposted_message_scores_near_one() -> None:
    found = similar_appeals(message(REPOST_B), [message(REPOST_A)])
    assert len(found) == 1 and found[0].text_similarity > 0.95 and found[0].reasons[-1] == "同一天"


def test_appeals_outside_the_window_are_not_candidates() -> None:
    new = message(MIXING_PLANT_2)
    old = at(message(MIXING_PLANT_1), DUPLICATE_WINDOW.days + 1, new)
    assert similar_appeals(new, [old]) == []
    assert similar_appeals(new, [at(old, DUPLICATE_WINDOW.days - 1, new)]) != []


def test_unrelated_messages_of_the_same_months_are_not_flagged() -> None:
    new = message(MIXING_PLANT_2)
    others = [
        row
        for row in _votes_rows().values()
        if row["留言时间"].startswith(("2019/11", "2019/12", "2019-11", "2019-12"))
        and not any(word in row["留言主题"] + row["留言详情"] for word in ("搅拌", "丽发", "噪", "扰民", "污染"))
    ][:300]
    assert len(others) == 300
    candidates = [at(digest_from_message(row), 1, new) for row in others]
    assert similar_appeals(new, candidates) == []


def test_the_new_appeal_is_not_its_own_duplicate_and_results_are_best_first() -> None:
    new = message(MIXING_PLANT_2)
    third = at(message(253040), 5, new)  # the first complaint posted again a month later
    found = similar_appeals(new, [new, message(MIXING_PLANT_1), third])
    assert new.id not in [s.id for s in found]
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)


def test_without_a_shared_place_the_text_must_say_more() -> None:
    new = message(MIXING_PLANT_2)
    candidate = message(MIXING_PLANT_1)
    without_place = replace(candidate, address="")
    found = similar_appeals(new, [without_place])
    text_similarity = similar_appeals(new, [candidate])[0].text_similarity
    assert (found != []) == (text_similarity >= TEXT_THRESHOLD)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("丽发新城", "A2区丽发新城小区7栋", True),
        ("平山街道胜利路35号", "平山街道胜利路35号", True),
        ("本溪市平山区平山街道胜利路35号", "本溪市平山区东明街道解放路8号", False),
        ("本溪市平山区平山街道胜利路35号", "平山街道胜利路35号", True),
        ("平山街道丽发新城", "丽发新城小区", True),
        ("本溪市平山区平山街道", "本溪市平山区平山街道", True),
        ("平山街道胜利路35号", "平山街道解放路8号", False),
        ("", "丽发新城", False),
    ],
)
def test_same_place(a: str, b: str, expected: bool) -> None:
    assert same_place(a, b) is expected


def test_the_place_core_drops_administrative_parts() -> None:
    assert place_core("本溪市平山区平山街道胜利路35号") == "胜利路35号"
    assert place_core("A2区暮云街道丽发新城社区") == "丽发新城"
    assert place_core("丽发新城小区") == "丽发新城"
