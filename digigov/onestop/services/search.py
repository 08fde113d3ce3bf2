"""The catalogue's search tokens (the write): jieba segments what a citizen may type to find an item into
tokens stored on the item (``ServiceItem.search_tokens``, the form of ``digigov.core.text_search``); the read that
matches a query against them is ``selectors.filter_by_query``."""

from __future__ import annotations

from digigov.core.text_search import search_tokens_for
from digigov.onestop.models import ServiceItem


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
    """Called inside the catalogue services' transactions (item and bundle writes), which audit the change."""
    for item in items:
        item.search_tokens = search_tokens_for(item_search_text(item))
    ServiceItem.objects.bulk_update(items, ["search_tokens"])
