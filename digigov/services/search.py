"""Chinese search over the catalogue: jieba segments item names and guides into tokens stored on the item;
a query is segmented the same way and matched token by token (so 餐饮 finds 餐饮服务, but 饮服 does not)."""

from __future__ import annotations

import logging
import re
from functools import cache

import jieba
from django.db.models import Q, QuerySet

from digigov.services.models import ServiceItem

jieba.setLogLevel(logging.WARNING)  # jieba prints its dictionary loading to the log otherwise
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")


@cache
def _ready() -> None:
    jieba.initialize()  # loads the dictionary once per process (about a second)


def tokens(text: str) -> list[str]:
    _ready()
    words = {w.strip().lower() for w in jieba.cut_for_search(text)}
    return sorted(w for w in words if _WORD.fullmatch(w) and (len(w) > 1 or not w.isascii()))


def search_tokens_for(*parts: str) -> str:
    """The stored form: tokens wrapped in spaces, so a token match is a substring match on " token "."""
    return " " + " ".join(tokens(" ".join(parts))) + " "


def query_tokens(query: str) -> list[str]:
    _ready()
    words = [w.strip().lower() for w in jieba.cut(query)]
    return [w for w in dict.fromkeys(words) if _WORD.fullmatch(w)]


def filter_by_query(items: QuerySet[ServiceItem], query: str) -> QuerySet[ServiceItem]:
    """Items whose tokens contain every word of the query."""
    words = query_tokens(query[:100])
    if not words:
        return items
    condition = Q()
    for word in words:
        condition &= Q(search_tokens__contains=f" {word} ")
    return items.filter(condition)
