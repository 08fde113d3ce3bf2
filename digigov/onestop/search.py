"""Chinese search over the catalogue: jieba segments item names and guides into tokens stored on the item;
a query is segmented the same way and matched token by token (so 餐饮 finds 餐饮服务, but 饮服 does not)."""

from __future__ import annotations

import logging
import re
from functools import cache

import jieba
from django.db.models import Q, QuerySet

from digigov.onestop.models import ServiceItem

jieba.setLogLevel(logging.WARNING)  # jieba prints its dictionary loading to the log otherwise
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")


@cache
def _ready() -> None:
    jieba.initialize()  # loads the dictionary once per process (about a second)


def _is_word(word: str) -> bool:
    """Two characters or more: single characters are mostly function words (的, 由, 可) that match everything."""
    return len(word) > 1 and bool(_WORD.fullmatch(word))


def tokens(text: str) -> list[str]:
    _ready()
    return sorted({w for w in (w.strip().lower() for w in jieba.cut_for_search(text)) if _is_word(w)})


def search_tokens_for(*parts: str) -> str:
    """The stored form: tokens wrapped in spaces, so a token match is a substring match on " token "."""
    return " " + " ".join(tokens(" ".join(parts))) + " "


def query_tokens(query: str) -> list[str]:
    _ready()
    words = [w.strip().lower() for w in jieba.cut(query)]
    return [w for w in dict.fromkeys(words) if _is_word(w)]


def item_search_text(item: ServiceItem) -> str:
    """What a citizen may type to find an item: its name, guide, department, materials, form labels and
    options, and the 一件事 bundles it belongs to (so 餐饮 finds 食品经营许可 through 开办餐饮店)."""
    parts = [item.name, item.guide, item.department.name]
    parts += [m.name for m in item.materials.all()]
    for field in item.form_fields:
        parts.append(str(field.get("label", "")))
        parts += [str(option) for option in field.get("options", [])]
    parts += [bundle.name for bundle in item.bundles.all()]
    return " ".join(parts)


def refresh_search_tokens(items: list[ServiceItem]) -> None:
    for item in items:
        item.search_tokens = search_tokens_for(item_search_text(item))
    ServiceItem.objects.bulk_update(items, ["search_tokens"])


def filter_by_query(items: QuerySet[ServiceItem], query: str) -> QuerySet[ServiceItem]:
    """Items whose tokens contain every word of the query; a query of single characters matches names."""
    query = query.strip()[:100]
    words = query_tokens(query)
    if not words:
        return items.filter(name__contains=query) if query else items
    condition = Q()
    for word in words:
        condition &= Q(search_tokens__contains=f" {word} ")
    return items.filter(condition)
