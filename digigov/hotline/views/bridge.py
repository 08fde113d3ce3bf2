"""The console's view of the hotline's text analytics (digigov.hotline.analytics): knowledge-base search,
similar open appeals and hot issues. The pages call these three functions only, so the analytics module can
change shape without touching a template; when a piece is not installed the pages say so instead of failing."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q

from digigov.hotline.models import KnowledgeEntry
from digigov.identity.models import Region, User

KNOWLEDGE_RESULTS = 5
QUERY_WORDS = 10  # the rarest words of what the agent typed


def _analytics(module: str, name: str) -> Callable[..., Any] | None:
    try:
        found = importlib.import_module(f"digigov.hotline.analytics.{module}")
    except ImportError:
        return None
    function = getattr(found, name, None)
    return function if callable(function) else None


@dataclass(frozen=True)
class KnowledgeHit:
    entry: KnowledgeEntry
    score: float


def knowledge_search(text: str, limit: int = KNOWLEDGE_RESULTS) -> list[KnowledgeHit]:
    """Knowledge-base answers for what the agent is typing, best first. Uses the analytics module's ranking
    when it has one (``knowledge.search_knowledge``); otherwise a token search over the stored search tokens,
    weighted by how rare each shared word is."""
    ranked = _analytics("knowledge", "search_knowledge")
    if ranked is not None:
        hits = []
        for found in ranked(text, limit=limit):
            entry = getattr(found, "entry", found)
            if isinstance(entry, KnowledgeEntry):
                hits.append(KnowledgeHit(entry, float(getattr(found, "score", 0.0))))
        return hits
    return _token_search(text, limit)


def _token_search(text: str, limit: int) -> list[KnowledgeHit]:
    from digigov.hotline.analytics.text import idf, search_words  # late: jieba loads its dictionary

    query = sorted(set(search_words(text)), key=lambda w: -idf(w))[:QUERY_WORDS]
    if not query:
        return []
    match = Q(pk__in=[])
    for word in query:
        match |= Q(search_tokens__contains=f" {word} ")
    candidates = KnowledgeEntry.objects.filter(match, is_active=True).only("id", "question", "answer", "search_tokens")
    hits = []
    for entry in candidates[:200]:
        tokens = entry.search_tokens
        score = sum(idf(w) for w in query if f" {w} " in tokens)
        hits.append(KnowledgeHit(entry, score))
    hits.sort(key=lambda h: (-h.score, -h.entry.pk))
    return hits[:limit]


def similar_open(*, subject: str, text: str, address: str, region: Region, now: datetime) -> list[dict[str, Any]]:
    """Open appeals that look like the one being typed ([{id, number, score}, ...]), as intake will flag them."""
    similar = _analytics("queries", "similar_open_appeals")
    if similar is None:
        return []
    return list(similar(subject=subject, text=text, address=address, region=region, now=now))


def hot_issues_available() -> bool:
    return _analytics("queries", "hot_issues_for") is not None


def hot_issues(actor: User, *, start: datetime, end: datetime, limit: int = 20) -> list[Any] | None:
    """The hot issues of [start, end) in the actor's scope (analytics.hotspots.HotIssue), hottest first; None
    while the analytics module has no query for them."""
    query = _analytics("queries", "hot_issues_for")
    if query is None:
        return None
    return list(query(actor, window_start=start, window_end=end, limit=limit))
