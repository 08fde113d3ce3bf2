"""Hot issues on real messages: the matters the city heard about most come out as clusters of related texts,
with growth against the previous window, public support and a documented ranking."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from django.conf import settings

from digigov.hotline.analytics.digests import DATA_TIME_ZONE, AppealDigest, digest_from_message, read_messages
from digigov.hotline.analytics.hotspots import (
    GROWTH_WEIGHT,
    SUPPORT_WEIGHT,
    HotIssue,
    cluster_labels,
    find_hot_issues,
)

NOVEMBER = datetime(2019, 11, 1, tzinfo=DATA_TIME_ZONE)
NEW_YEAR = datetime(2020, 1, 1, tzinfo=DATA_TIME_ZONE)


@cache
def votes_since_september() -> tuple[AppealDigest, ...]:
    """Messages of September to December 2019 (the window Nov-Dec and the previous window Sep-Oct)."""
    path = Path(settings.HOTLINE_DATA_DIR) / "messages_votes.csv"
    assert path.exists(), f"the hotline data set is missing: {path}"
    rows = [r for r in read_messages(path) if r["留言时间"].startswith(("2019/9", "2019/1", "2019-09", "2019-1"))]
    digests = tuple(digest_from_message(r) for r in rows)
    return tuple(d for d in digests if datetime(2019, 9, 1, tzinfo=DATA_TIME_ZONE) <= d.created_at < NEW_YEAR)


def mentions(digest: AppealDigest, *words: str) -> bool:
    return any(word in digest.subject + digest.text for word in words)


def issue_about(issues: list[HotIssue], *words: str) -> HotIssue:
    by_id = {d.id: d for d in votes_since_september()}
    for issue in issues:
        if sum(mentions(by_id[i], *words) for i in issue.member_ids) > issue.size / 2:
            return issue
    raise AssertionError(f"no hot issue about {words}: {[i.label for i in issues]}")


def test_the_mixing_plant_by_one_estate_is_the_top_issue_of_november_and_december() -> None:
    issues = find_hot_issues(votes_since_september(), window_start=NOVEMBER, window_end=NEW_YEAR)
    plant = issue_about(issues, "搅拌")
    assert issues.index(plant) <= 1
    by_id = {d.id: d for d in votes_since_september()}
    members = [by_id[i] for i in plant.member_ids]
    assert plant.size == len(members) >= 30
    related = [d for d in members if mentions(d, "搅拌") and mentions(d, "丽发", "暮云", "搅拌站")]
    assert len(related) >= 0.9 * plant.size  # one matter, not "everything about noise"
    assert "搅拌站" in plant.keywords and plant.places[0][0] == "丽发新城"
    assert plant.previous_size == 0 and plant.growth is None  # it began in November
    assert plant.support == sum(d.support for d in members)
    assert all(r.id in plant.member_ids and "搅拌" in r.subject + r.excerpt for r in plant.representatives)
    assert all(NOVEMBER <= d.created_at < NEW_YEAR for d in members)


def test_issues_are_ranked_by_the_documented_heat() -> None:
    issues = find_hot_issues(votes_since_september(), window_start=NOVEMBER, window_end=NEW_YEAR, limit=30)
    assert len(issues) >= 8
    for issue in issues:
        growth = GROWTH_WEIGHT * max(0, issue.size - issue.previous_size)
        assert issue.heat == round(issue.size + growth + SUPPORT_WEIGHT * math.log1p(issue.support), 2)
        assert issue.size >= 3 and 1 <= len(issue.representatives) <= 3 and issue.label
        assert len({r.subject for r in issue.representatives}) == len(issue.representatives)
    assert [i.heat for i in issues] == sorted((i.heat for i in issues), reverse=True)


def test_a_burst_shows_as_growth_against_the_previous_window() -> None:
    """One real complaint repeated: 2 times in October, 8 times in November."""
    base = next(d for d in votes_since_september() if "丽发新城附近建搅拌站噪音扰民" in d.subject)
    background = [d for d in votes_since_september() if not mentions(d, "搅拌", "丽发")]
    october = [replace(base, id=-i, created_at=NOVEMBER - timedelta(days=3 + i)) for i in range(1, 3)]
    november = [replace(base, id=-10 - i, created_at=NOVEMBER + timedelta(days=2 + i)) for i in range(8)]
    issues = find_hot_issues(
        [*background, *october, *november], window_start=NOVEMBER, window_end=NOVEMBER + timedelta(days=30)
    )
    burst = next(i for i in issues if -11 in i.member_ids)
    assert (burst.size, burst.previous_size) == (8, 2)
    assert burst.growth == 3.0  # (8 - 2) / 2
    assert set(burst.member_ids) == {d.id for d in november}


def test_related_texts_share_a_cluster_and_unrelated_ones_do_not() -> None:
    digests = votes_since_september()
    labels = dict(zip((d.id for d in digests), cluster_labels([d.analytics_tokens() for d in digests]), strict=True))
    plant = [d.id for d in digests if "丽发新城附近建搅拌站" in d.subject]
    parking = [d.id for d in digests if "伊景园滨河苑" in d.subject and "车位" in d.subject]
    assert len(plant) >= 2 and len(parking) >= 2
    assert len({labels[i] for i in plant}) == 1
    assert len({labels[i] for i in parking}) == 1
    assert labels[plant[0]] != labels[parking[0]]


def test_small_clusters_and_empty_windows_give_nothing() -> None:
    digests = votes_since_september()
    assert find_hot_issues(digests, window_start=NEW_YEAR, window_end=NOVEMBER) == []
    assert find_hot_issues([], window_start=NOVEMBER, window_end=NEW_YEAR) == []
    few = find_hot_issues(digests, window_start=NOVEMBER, window_end=NEW_YEAR, min_size=20, limit=50)
    assert len(few) == 1 and few[0].size >= 20
