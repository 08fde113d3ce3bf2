"""Reads for the hotline's knowledge-base and settings pages: the knowledge base (search and the latest
entries), the time limits per appeal type, the channel registry, the routing model versions and the Open311
clients. This is city-wide reference data, not scoped by region: the pages' permissions decide who reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet

from digigov.core.errors import NotFound
from digigov.hotline.models import (
    AppealType,
    Category,
    CategoryLevel,
    Channel,
    DeadlinePolicy,
    KnowledgeEntry,
    Open311Client,
    RoutingModelVersion,
)
from digigov.hotline.services.deadlines import DEFAULT_LIMITS, Limits

KNOWLEDGE_SEARCH_RESULTS = 20
TITLE_MAX = 80  # a longer text before the first colon is not a subject

# --- knowledge base -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnowledgeResult:
    """An entry as the knowledge page shows it: the matched words when it was found by a search."""

    entry: KnowledgeEntry
    category: Category | None
    score: float | None = None
    matched: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """The question's subject: entries seeded from replies read "subject:the caller's message"."""
        subject, sep, _ = self.entry.question.partition(":")
        return subject if sep and 0 < len(subject) <= TITLE_MAX else self.entry.question

    @property
    def detail(self) -> str:
        """The caller's message after the subject, when the question has one."""
        title = self.title
        return self.entry.question[len(title) + 1 :].strip() if title != self.entry.question else ""


def latest_knowledge() -> QuerySet[KnowledgeEntry]:
    """Active entries, newest first (the page lists them when nothing is searched)."""
    return KnowledgeEntry.objects.filter(is_active=True).select_related("category").order_by("-id")


def knowledge_search(query: str, *, limit: int = KNOWLEDGE_SEARCH_RESULTS) -> list[KnowledgeResult]:
    """Active entries matching the query's words (jieba segmentation), ranked by the analytics module's BM25,
    best first, each with its category (one more query for all of them)."""
    from digigov.hotline.analytics.knowledge import search_knowledge  # late: jieba loads its dictionary

    matches = search_knowledge(query, limit=limit)
    # The ranking reads only a few columns; the page shows whole entries: reload them in one query.
    entries = KnowledgeEntry.objects.select_related("category").in_bulk([m.entry.pk for m in matches])
    return [
        KnowledgeResult(
            entry=entries[m.entry.pk], category=entries[m.entry.pk].category, score=m.score, matched=tuple(m.matched)
        )
        for m in matches
    ]


def knowledge_categories() -> QuerySet[Category]:
    """The categories an entry may be filed under (level 1 and 2, by code: each level-1 before its children)."""
    return Category.objects.filter(is_active=True, level__in=[CategoryLevel.L1, CategoryLevel.L2]).order_by("code")


def knowledge_category_get(category_id: int) -> Category:
    return _one(knowledge_categories().filter(pk=category_id), "分类不存在或已停用")


# --- time limits --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRow:
    appeal_type: AppealType
    limits: Limits
    configured: bool  # False: no DeadlinePolicy row yet, intake uses the defaults


def deadline_rows() -> list[DeadlineRow]:
    """One row per appeal type, in the order of AppealType: the centre's policy, or the defaults."""
    policies = {p.appeal_type: p for p in DeadlinePolicy.objects.all()}
    rows = []
    for appeal_type in AppealType:
        policy = policies.get(appeal_type.value)
        limits = (
            Limits(policy.sign_working_hours, policy.handle_working_days, policy.callback_working_days)
            if policy is not None
            else DEFAULT_LIMITS[appeal_type]
        )
        rows.append(DeadlineRow(appeal_type=appeal_type, limits=limits, configured=policy is not None))
    return rows


# --- channels -----------------------------------------------------------------------------------------------


def all_channels() -> QuerySet[Channel]:
    """Every registered channel, active or not; the agent-entered (phone) first."""
    return Channel.objects.order_by("-agent_entered", "code")


def channel_get(code: str) -> Channel:
    return _one(Channel.objects.filter(code=code), "受理渠道不存在")


# --- routing model versions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelVersionRow:
    row: RoutingModelVersion
    trained_on: list[tuple[str, int]]  # (source, examples), as recorded at training
    cv: dict[str, Any] | None  # cross-validation summary when the version was evaluated (hotline_train --evaluate)


def routing_versions() -> list[ModelVersionRow]:
    """Every published version, newest first, with its training counts and cross-validated metrics."""
    rows = []
    for version in RoutingModelVersion.objects.select_related("created_by").order_by("-version"):
        counts = [(str(k), int(v)) for k, v in (version.trained_on or {}).items() if isinstance(v, int)]
        metrics = version.metrics if isinstance(version.metrics, dict) else {}
        cv = metrics.get("cv")
        rows.append(
            ModelVersionRow(
                row=version,
                trained_on=counts,
                cv=cv if isinstance(cv, dict) else None,
            )
        )
    return rows


# --- Open311 clients ----------------------------------------------------------------------------------------


def open311_clients() -> QuerySet[Open311Client]:
    """Every client, the active ones first (a revoked one stays listed: its appeals name it in the audit)."""
    return Open311Client.objects.select_related("created_by").order_by("-is_active", "name", "id")


def open311_client_get(client_id: int) -> Open311Client:
    return _one(Open311Client.objects.filter(pk=client_id), "接入方不存在")


def _one[M: Model](rows: QuerySet[M], missing: str) -> M:
    found = rows.first()
    if found is None:
        raise NotFound(missing)
    return found
