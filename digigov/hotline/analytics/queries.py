"""The database side of the hotline's analytics: read only the columns a digest needs, then call the pure
functions. Three entry points, called by intake, selectors and the console pages:

* ``similar_open_appeals(subject=, text=, address=, region=, now=)``: open appeals like a new one, for intake.
* ``hot_issues_for(actor_or_appeals, window_start=, window_end=)``: hot issues in the actor's scope.
* ``search_knowledge`` (in ``knowledge.py``) uses ``knowledge_candidates`` here.

Appeals are read with ``values_list`` of the needed columns and ``iterator(chunk_size=...)``: no model
instances, no related rows, no body text (only, for hot issues, that of the few representatives shown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from digigov.core.text_search import token_filter
from digigov.hotline.analytics.digests import AppealDigest
from digigov.hotline.analytics.hotspots import HotIssue, excerpt, find_hot_issues
from digigov.hotline.analytics.similarity import DUPLICATE_WINDOW, Prefilter, prefilter, similar_appeals
from digigov.hotline.analytics.text import appeal_tokens
from digigov.hotline.models import OPEN_APPEAL_STATUSES, Appeal, AppealWord, KnowledgeEntry
from digigov.hotline.services import location
from digigov.identity.models import Region, RegionLevel
from digigov.identity.models.org import SCOPE_DIGITS

if TYPE_CHECKING:
    from digigov.identity.models import User

# The Appeal column holding ``text.appeal_tokens(subject, text)``, written at intake: segmenting is the slow
# part (about 1 ms an appeal), so reports never do it again.
TOKENS_FIELD: Final = "analytics_tokens"
CHUNK_SIZE: Final = 5000
# At most this many open appeals are compared with a new one (of its street or district, passing the prefilter).
MAX_CANDIDATES: Final = 2000
KNOWLEDGE_CANDIDATES: Final = 200
KNOWLEDGE_QUERY_WORDS: Final = 10


def street_names() -> dict[int, str]:
    """Region id → the name analytics calls its street (``RegionIndex.street_name``)."""
    index = location.regions()
    return {pk: index.street_name(region) for pk, region in index.by_id.items()}


def appeal_digests(
    appeals: QuerySet[Appeal], *, with_text: bool = False, streets: dict[int, str] | None = None
) -> list[AppealDigest]:
    """Digests of the appeals, with the tokens intake stored; the body text only ``with_text``. Large reads go
    through a server-side cursor in chunks."""
    columns = ["id", "subject", "address", "region_id", "created_at", "support_count", TOKENS_FIELD]
    columns += ["text"] if with_text else []
    streets = street_names() if streets is None else streets
    rows = appeals.values_list(*columns)
    if not appeals.query.is_sliced:
        rows = rows.order_by()  # no sort the clustering does not need
    digests = [
        AppealDigest(
            id=row[0],
            subject=row[1],
            text=row[7] if with_text else "",
            street=streets.get(row[3], ""),
            address=row[2],
            created_at=row[4],
            support=row[5],
            tokens=row[6],
        )
        for row in (rows if appeals.query.is_sliced else rows.iterator(chunk_size=CHUNK_SIZE))
    ]
    return digests


def _scope_prefix(region: Region) -> str:
    """Candidates come from the new appeal's street (its community's street), else its district, else the city."""
    level = RegionLevel(region.level)
    if level in (RegionLevel.STREET, RegionLevel.COMMUNITY):
        return region.code[: SCOPE_DIGITS[RegionLevel.STREET]]
    return region.code[: SCOPE_DIGITS[level]]


def _candidate_ids(
    new_filter: Prefilter,
    *,
    region: Region | None,
    regions: location.RegionIndex,
    now: datetime,
    exclude_id: int | None,
) -> RawSQL:
    """The ids of the open appeals of the window (and of the region's street, district or city) that pass the
    prefilter, found in the words table: a grouped, index-driven subquery over the rows of the new appeal's
    words. When more than ``MAX_CANDIDATES`` pass, those sharing the rarest anchor word win, then the most recent.

    Plain SQL (the same on SQLite and PostgreSQL): the new appeal's words come in as a derived table of
    (word, squared weight, anchor rank), which the ORM could only say as two CASE expressions of 40 branches,
    costing more to build than the query costs to run."""
    words = [(w, x, new_filter.anchor_rank.get(w, 0)) for w, x in new_filter.squared.items()]
    # VALUES names its columns column1, column2, column3 on both databases: word, squared weight, anchor rank.
    new_words = "VALUES " + ", ".join(["(%s, CAST(%s AS DOUBLE PRECISION), CAST(%s AS INTEGER))"] * len(words))
    params: list[str | int | float | datetime] = [value for row in words for value in row]
    where = ["w.created_at >= %s", "w.created_at <= %s"]
    params += [now - DUPLICATE_WINDOW, now]
    if region is not None:  # by region ids: the words index leads with (word, region)
        ids = regions.ids_under(_scope_prefix(region))
        where.append(f"w.region_id IN ({', '.join(['%s'] * len(ids))})" if ids else "1 = 0")
        params += ids
    if exclude_id is not None:
        where.append("w.appeal_id <> %s")
        params.append(exclude_id)
    # A hair below the bound: float sums in another order must not drop a candidate the scorer would keep.
    params += [new_filter.min_squared * (1 - 1e-9), *OPEN_APPEAL_STATUSES, MAX_CANDIDATES]
    # The words are grouped first and only the appeals that pass are joined for their status: far fewer rows
    # than the words matched. Only placeholders and table names are interpolated; every value is a parameter.
    sql = f"""
        SELECT g.appeal_id FROM (
            SELECT w.appeal_id, MAX(q.column3) AS anchor, MAX(w.created_at) AS latest
            FROM {AppealWord._meta.db_table} w JOIN ({new_words}) q ON q.column1 = w.word
            WHERE {" AND ".join(where)}
            GROUP BY w.appeal_id
            HAVING MAX(q.column3) > 0 AND SUM(q.column2) >= %s
        ) g
        JOIN {Appeal._meta.db_table} a ON a.id = g.appeal_id
        WHERE a.status IN ({", ".join(["%s"] * len(OPEN_APPEAL_STATUSES))})
        ORDER BY g.anchor DESC, g.latest DESC, g.appeal_id DESC
        LIMIT %s"""  # noqa: S608
    return RawSQL(sql, params)  # noqa: S611 (placeholders and table names only, as above)


def similar_open_appeals(
    *,
    subject: str,
    text: str,
    address: str,
    region: object,
    now: datetime,
    tokens: str | None = None,
    exclude_id: int | None = None,
) -> list[dict[str, Any]]:
    """Open appeals that look like the new one, best first, as JSON-ready dicts
    ``{id, number, subject, score, reasons}`` for ``Appeal.similar_appeals`` and the dispatcher.

    Candidates: open appeals created within ``DUPLICATE_WINDOW`` before ``now``, in
    the same street (or district, or city, by the level of ``region``, a ``Region`` or None), that pass the
    new appeal's ``Prefilter`` in the words table (at most ``MAX_CANDIDATES``, rarest shared word first).
    Pass ``tokens`` when the caller has already computed ``appeal_tokens(subject, text)``."""
    tokens = tokens or appeal_tokens(subject, text)
    if not tokens.strip():
        return []
    region = region if isinstance(region, Region) else None
    index = location.regions()
    new = AppealDigest(
        id=exclude_id or 0,
        subject=subject,
        text=text,
        street=index.street_name(region) if region is not None else "",
        address=address,
        created_at=now,
        tokens=tokens,
    )
    new_filter = prefilter(tokens.split())
    ids = _candidate_ids(new_filter, region=region, regions=index, now=now, exclude_id=exclude_id)
    columns = ("id", "number", "subject", "address", "region_id", "created_at", TOKENS_FIELD)
    rows = {row[0]: row for row in Appeal.objects.filter(pk__in=ids).order_by().values_list(*columns)}
    digests = [
        AppealDigest(
            id=row[0],
            subject=row[2],
            text="",
            street=index.street_name(index.by_id[row[4]]) if row[4] in index.by_id else "",
            address=row[3],
            created_at=row[5],
            tokens=row[6],
        )
        for row in rows.values()
    ]
    return [
        {"id": s.id, "number": rows[s.id][1], "subject": rows[s.id][2], "score": s.score, "reasons": list(s.reasons)}
        for s in similar_appeals(new, digests)
    ]


def _scoped(actor_or_appeals: User | QuerySet[Appeal]) -> QuerySet[Appeal]:
    if isinstance(actor_or_appeals, QuerySet):
        return actor_or_appeals
    from digigov.hotline.selectors import visible_appeals  # late: selectors may import the analytics

    return visible_appeals(actor_or_appeals)


def hot_issues_for(
    actor_or_appeals: User | QuerySet[Appeal],
    *,
    window_start: datetime,
    window_end: datetime,
    limit: int = 20,
    min_size: int | None = None,
) -> list[HotIssue]:
    """The hot issues of [window_start, window_end) among the appeals an actor may see (or of a queryset the
    caller has scoped), hottest first. Reads the window and the previous window of the same length (growth);
    the body text only of the representatives shown."""
    appeals = _scoped(actor_or_appeals).filter(
        created_at__gte=window_start - (window_end - window_start), created_at__lt=window_end
    )
    options = {} if min_size is None else {"min_size": min_size}
    issues = find_hot_issues(
        appeal_digests(appeals), window_start=window_start, window_end=window_end, limit=limit, **options
    )
    return _with_excerpts(issues)


def _with_excerpts(issues: Sequence[HotIssue]) -> list[HotIssue]:
    """Fill in the representatives' excerpts (digests read for clustering carry no body text)."""
    wanted = {r.id for issue in issues for r in issue.representatives if not r.excerpt}
    if not wanted:
        return list(issues)
    texts = dict(Appeal.objects.filter(pk__in=wanted).values_list("id", "text"))
    return [
        replace(
            issue,
            representatives=tuple(
                r if r.excerpt else replace(r, excerpt=excerpt(texts.get(r.id, ""))) for r in issue.representatives
            ),
        )
        for issue in issues
    ]


def knowledge_candidates(terms: Sequence[str], entries: QuerySet[KnowledgeEntry] | None = None) -> list[KnowledgeEntry]:
    """Active entries sharing at least one of the first ``KNOWLEDGE_QUERY_WORDS`` terms (rarest first), at most
    ``KNOWLEDGE_CANDIDATES`` of them, newest first. Only the columns ranking and display need."""
    if not terms:
        return []
    match = token_filter("search_tokens", terms[:KNOWLEDGE_QUERY_WORDS], every=False)
    found = (entries if entries is not None else KnowledgeEntry.objects.all()).filter(match, is_active=True)
    return list(
        found.only("id", "question", "answer", "search_tokens", "category_id").order_by("-id")[:KNOWLEDGE_CANDIDATES]
    )
