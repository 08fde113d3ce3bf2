"""The database side of the analytics: duplicates among open appeals of the same street at intake, hot issues
in an actor's scope, with the real messages' texts placed in the demo city."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from digigov.hotline.analytics import queries
from digigov.hotline.analytics.digests import read_messages
from digigov.hotline.analytics.queries import (
    appeal_digests,
    hot_issues_for,
    similar_open_appeals,
    street_names,
)
from digigov.hotline.analytics.similarity import anchors
from digigov.hotline.analytics.text import appeal_tokens
from digigov.hotline.models import Appeal, AppealStatus, AppealWord, Channel
from digigov.hotline.services import loop
from digigov.hotline.services.appeal_words import index_appeal_words
from digigov.hotline.services.sweeper import sweep_appeals
from digigov.identity.models import Region, User

pytestmark = pytest.mark.usefixtures("hotline")

PLANT_A, PLANT_B, PLANT_C = 189950, 238212, 253040  # 丽发新城搅拌站 complaints
ESTATE_ROAD = 284576  # the same estate, another matter
NOW = timezone.now()
_numbers = count(1)


@cache
def _rows() -> dict[int, dict[str, str]]:
    path = Path(settings.HOTLINE_DATA_DIR) / "messages_votes.csv"
    return {int(r["留言编号"]): r for r in read_messages(path)}


def real(message_id: int) -> tuple[str, str]:
    row = _rows()[message_id]
    return row["留言主题"].strip()[:100], " ".join(row["留言详情"].split())


def background(size: int) -> list[int]:
    """Messages about anything but the estate (so that word rarity means something)."""
    other = [i for i, r in _rows().items() if not any(w in r["留言主题"] + r["留言详情"] for w in ("丽发", "搅拌"))]
    return other[:size]


def street(name: str) -> Region:
    return Region.objects.get(name=name, level="street")


def appeal(
    message_id: int,
    *,
    region: Region,
    days_ago: float = 1,
    status: str = AppealStatus.DISPATCHED,
    address: str = "",
    support: int = 0,
) -> Appeal:
    """Test data straight into the table (as the benchmark's generator does), with its words indexed as intake
    does: analytics only reads."""
    subject, text = real(message_id)
    made = Appeal.objects.create(
        number=f"TA{next(_numbers):08d}",
        channel=Channel.objects.get(code="web"),
        appeal_type="complaint",
        subject=subject,
        text=text,
        analytics_tokens=appeal_tokens(subject, text),  # as intake stores them
        address=address,
        region=region,
        status=status,
        created_at=NOW - timedelta(days=days_ago),
        support_count=support,
    )
    index_appeal_words([made])
    return made


def test_an_open_appeal_about_the_same_matter_in_the_same_street_is_flagged() -> None:
    ps = street("平山街道")
    first = appeal(PLANT_A, region=ps, address="平山街道丽发新城")
    appeal(ESTATE_ROAD, region=ps, address="平山街道丽发新城")  # same estate, another matter
    appeal(PLANT_C, region=ps, status=AppealStatus.CLOSED, address="平山街道丽发新城")  # no longer open
    appeal(PLANT_C, region=street("河西街道"), address="丽发新城")  # another street
    appeal(PLANT_C, region=ps, days_ago=45, address="丽发新城")  # too old
    subject, text = real(PLANT_B)
    found = similar_open_appeals(subject=subject, text=text, address="丽发新城小区", region=ps, now=NOW)
    assert [f["id"] for f in found] == [first.pk]
    assert found[0]["number"] == first.number and found[0]["subject"] == first.subject
    assert 0 < found[0]["score"] <= 1 and "同一地点：平山街道丽发新城" in found[0]["reasons"]
    assert "同一街道：平山街道" in found[0]["reasons"]


def test_a_community_appeal_is_compared_within_its_street() -> None:
    ps = street("平山街道")
    community = Region.objects.filter(parent=ps).first()
    assert community is not None
    first = appeal(PLANT_A, region=community)
    assert street_names()[community.pk] == "平山街道"
    subject, text = real(PLANT_B)
    found = similar_open_appeals(subject=subject, text=text, address="", region=ps, now=NOW, exclude_id=None)
    assert [f["id"] for f in found] == [first.pk]
    assert similar_open_appeals(subject=subject, text=text, address="", region=ps, now=NOW, exclude_id=first.pk) == []


def _tokens_appeal(tokens: str, *, region: Region, days_ago: float, status: str = AppealStatus.DISPATCHED) -> Appeal:
    made = Appeal.objects.create(
        number=f"TA{next(_numbers):08d}",
        channel=Channel.objects.get(code="web"),
        appeal_type="complaint",
        subject="测试",
        text="测试",
        analytics_tokens=f" {tokens} ",
        region=region,
        status=status,
        created_at=NOW - timedelta(days=days_ago),
    )
    index_appeal_words([made])
    return made


def test_when_too_many_candidates_pass_those_sharing_the_rarest_word_are_compared(monkeypatch: Any) -> None:
    ps = street("平山街道")
    new = "搅拌站 丽发新城 噪音 扰民 施工"
    rarest, second, *others = anchors(new.split())
    older = _tokens_appeal(" ".join([rarest, *others]), region=ps, days_ago=5)  # shares the rarest word
    newer = _tokens_appeal(" ".join([second, *others]), region=ps, days_ago=1)  # shares the next one, not it
    found = similar_open_appeals(subject="", text="", address="", region=ps, now=NOW, tokens=f" {new} ")
    assert {f["id"] for f in found} == {older.pk, newer.pk}
    monkeypatch.setattr(queries, "MAX_CANDIDATES", 1)
    found = similar_open_appeals(subject="", text="", address="", region=ps, now=NOW, tokens=f" {new} ")
    assert [f["id"] for f in found] == [older.pk]


def test_the_sweeper_prunes_words_the_duplicate_check_no_longer_reads() -> None:
    ps = street("平山街道")
    kept = appeal(PLANT_A, region=ps, days_ago=2)
    closed = appeal(PLANT_B, region=ps, days_ago=2)
    loop.merge(actor=User.objects.get(username="zhoupeng"), master=kept, duplicates=[closed])  # leaves the open
    assert not AppealWord.objects.filter(appeal=closed).exists()  # its words went as it left the open statuses
    old = appeal(PLANT_C, region=ps, days_ago=40)
    assert sweep_appeals().words_pruned > 0
    indexed = set(AppealWord.objects.filter(appeal__in=[kept, closed, old]).values_list("appeal_id", flat=True))
    assert indexed == {kept.pk}
    subject, text = real(PLANT_B)
    found = similar_open_appeals(subject=subject, text=text, address="", region=ps, now=NOW)
    assert [f["id"] for f in found] == [kept.pk]  # still found after the prune


def test_digests_carry_the_street_name_and_support() -> None:
    made = appeal(PLANT_A, region=street("东明街道"), support=7)
    (digest,) = appeal_digests(Appeal.objects.filter(pk=made.pk))
    assert (digest.street, digest.support, digest.created_at) == ("东明街道", 7, made.created_at)
    assert "搅拌站" in digest.tokens.split()


def test_hot_issues_in_the_actors_scope(staff: Any) -> None:
    # The demo's own appeals (filed over the last 60 days) move out of both windows: only this test's count.
    Appeal.objects.update(created_at=F("created_at") - timedelta(days=90))
    ps = street("平山街道")
    plant = [appeal(m, region=ps, days_ago=d, support=2) for m, d in ((PLANT_A, 2), (PLANT_B, 3), (PLANT_C, 4))]
    plant.append(appeal(PLANT_A, region=ps, days_ago=12))  # the previous window
    appeal(ESTATE_ROAD, region=ps, days_ago=2)
    for i, message_id in enumerate(background(300)):
        appeal(message_id, region=ps, days_ago=1 + i % 18)
    window = {"window_start": NOW - timedelta(days=10), "window_end": NOW}
    issues = hot_issues_for(Appeal.objects.all(), **window)
    issue = next(i for i in issues if plant[0].pk in i.member_ids)
    assert set(issue.member_ids) == {a.pk for a in plant[:3]}
    assert (issue.size, issue.previous_size, issue.growth, issue.support) == (3, 1, 2.0, 6)
    assert issue.streets == (("平山街道", 3),)
    assert all(
        r.excerpt and r.excerpt[:10] in " ".join(real(m)[1] for m in (PLANT_A, PLANT_B, PLANT_C))
        for r in issue.representatives
    )
    assert hot_issues_for(staff("zhoupeng"), **window)[0].member_ids == issue.member_ids  # the centre sees all
