"""The one shape every analytics function reads: an appeal reduced to what text analytics needs.

``AppealDigest`` is built by ``queries.py`` from database rows (only these columns are read) and, for demos,
tests and benchmarks, from the public message files (``digests_from_csv``). Nothing here touches Django.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from digigov.core.text_search import normalise
from digigov.hotline.analytics.text import admin_codes, appeal_tokens


@dataclass(frozen=True, slots=True)
class AppealDigest:
    """An appeal as analytics sees it.

    ``street``: the name of the street/township (or the district when no street is known), may be "".
    ``created_at``: aware. ``support``: public support (点赞/votes), 0 when unknown.
    ``tokens``: the stored ``appeal_tokens(subject, text)`` of the appeal; "" means "compute it when needed"
    (fine for a handful of appeals, far too slow for a hot-issue report over 100,000: store it at intake).
    """

    id: int
    subject: str
    text: str
    street: str
    address: str
    created_at: datetime
    support: int = 0
    tokens: str = ""

    def analytics_tokens(self) -> list[str]:
        return (self.tokens or appeal_tokens(self.subject, self.text)).split()


# --- The public message files (demo, tests, benchmarks) ----------------------------------------------------

# The files' times are Beijing time with no zone; two formats occur (2019/2/28 11:25:05, 2019-08-01 00:00:00).
DATA_TIME_ZONE: Final = ZoneInfo("Asia/Shanghai")
_TIME_FORMATS: Final = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M")

_PLACE_SUFFIX: Final = (
    "小区|花园|花苑|家园|新城|新村|公寓|大厦|广场|社区|街道|大道|南路|北路|东路|西路|路|街|巷|村|镇|乡|"
    "小学|中学|学校|幼儿园|医院|市场|公园|工地|城|苑|府|湾|园"
)
# Places are looked for between these: punctuation, verbs of complaint, prepositions, the anonymised codes.
_PLACE_BOUNDARY = re.compile(
    r"[，。、！？；：,.!?;:\s“”\"'（）()《》【】]|关于|反映|投诉|举报|建议|咨询|请问|请求|恳请|希望|要求|附近|旁边|周边|"
    r"对面|门口|内的|里的|的|在|位于|座落|坐落|和|与|及|对|请|我们|我|本|该|这个|[A-Z]\d{0,2}[市区县]"
)
_PLACE = re.compile(rf"[\u4e00-\u9fffA-Za-z0-9·]{{1,10}}?(?:{_PLACE_SUFFIX})(?![市乡管])")  # not 城市, 城乡, 城管
_GENERIC_PLACES: Final = frozenset(
    ("小区", "社区", "街道", "学校", "小学", "中学", "医院", "市场", "公园", "工地", "居民区", "农村", "城市", "市城")
)


def parse_data_time(value: str) -> datetime:
    value = value.strip()
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=DATA_TIME_ZONE)
        except ValueError:
            continue
    raise ValueError(f"unrecognised time {value!r}")


def guess_places(text: str, *, limit: int = 3) -> list[str]:
    """Named places in a text by suffix (丽发新城, 蟠龙路, 黄兴镇), first found first; a heuristic for the public
    data, whose messages have no address field. Real appeals carry the address the caller gave."""
    found: list[str] = []
    for clause in _PLACE_BOUNDARY.split(normalise(text)):
        for match in _PLACE.finditer(clause):
            place = match.group(0).lstrip("市区县省")
            if len(place) >= 3 and place not in _GENERIC_PLACES and not place.endswith("政府") and place not in found:
                found.append(place)
                if len(found) >= limit:
                    return found
    return found


def guess_address(subject: str, text: str) -> str:
    """The first named place of the subject, else a short one of the body's first 200 characters, else ""."""
    places = guess_places(subject, limit=1) or [
        place for place in guess_places(text[:200]) if len(place) <= 8 and not place[0].isdigit()
    ]
    return places[0] if places else ""


def guess_district(subject: str, text: str) -> str:
    """The first district/county code below the city (A2区, K7县), else the city (A市), else ""."""
    codes = admin_codes(subject) + admin_codes(text[:300])
    below_city = [code for code in codes if not code.endswith("市")]
    return (below_city or codes or [""])[0]


def read_messages(path: Path) -> Iterator[dict[str, str]]:
    """The rows of one of the public message files, as dicts keyed by the Chinese column names."""
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def digest_from_message(row: dict[str, str], *, with_tokens: bool = True) -> AppealDigest:
    """A message row as a digest: whitespace squeezed (punctuation kept as published), district code as the
    street, a guessed place as the address, 点赞数 as support (0 in files without votes)."""
    subject = " ".join(row["留言主题"].split())
    text = " ".join(row["留言详情"].split())
    return AppealDigest(
        id=int(row["留言编号"]),
        subject=subject,
        text=text,
        street=guess_district(subject, text),
        address=guess_address(subject, text),
        created_at=parse_data_time(row["留言时间"]),
        support=int(row.get("点赞数") or 0),
        tokens=appeal_tokens(subject, text) if with_tokens else "",
    )


def digests_from_csv(path: Path, *, with_tokens: bool = True) -> list[AppealDigest]:
    return [digest_from_message(row, with_tokens=with_tokens) for row in read_messages(path)]
