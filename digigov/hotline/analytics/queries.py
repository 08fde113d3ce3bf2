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

from django.db.models import Q, QuerySet

from digigov.hotline.analytics.digests import AppealDigest
from digigov.hotline.analytics.hotspots import HotIssue, excerpt, find_hot_issues
from digigov.hotline.analytics.similarity import DUPLICATE_WINDOW, anchors, similar_appeals
from digigov.hotline.analytics.text import appeal_tokens
from digigov.hotline.models import OPEN_APPEAL_STATUSES, Appeal, KnowledgeEntry
from digigov.identity.models import Region, RegionLevel
from digigov.identity.models.org import SCOPE_DIGITS

if TYPE_CHECKING:
    from digigov.identity.models import User

# The Appeal column holding ``text.appeal_tokens(subject, text)``, written at intake: segmenting is the slow
# part (about 1 ms an appeal), so reports never do it again.
TOKENS_FIELD: Final = "analytics_tokens"
CHUNK_SIZE: Final = 5000
# At most this many open appeals are compared with a new one (the most recent of its street or district).
MAX_CANDIDATES: Final = 2000
KNOWLEDGE_CANDIDATES: Final = 200
KNOWLEDGE_QUERY_WORDS: Final = 10


_RegionRow = tuple[int, str, str, str]  # id, code, name, level


def _regions() -> list[_RegionRow]:
    return list(Region.objects.values_list("id", "code", "name", "level"))


def street_names(regions: Sequence[_RegionRow] | None = None) -> dict[int, str]:
    """Region id → the name analytics calls its street: a community's street, a street itself, otherwise the
    region's own name (a district, the city)."""
    regions = _regions() if regions is None else regions
    streets = {code: name for _, code, name, level in regions if level == RegionLevel.STREET}
    digits = SCOPE_DIGITS[RegionLevel.STREET]
    names = {}
    for region_id, code, name, level in regions:
        if level == RegionLevel.COMMUNITY:
            names[region_id] = streets.get(code[:digits] + "0" * (12 - digits), name)
        else:
            names[region_id] = name
    return names


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


def similar_open_appeals(
    *,
    subject: str,
    text: str,
    address: str,
    region: object,
    now: datetime,
    tokens: str | None = None,
    exclude_id: int | None = None,
    appeals: QuerySet[Appeal] | None = None,
) -> list[dict[str, Any]]:
    """Open appeals that look like the new one, best first, as JSON-ready dicts
    ``{id, number, subject, score, reasons}`` for ``Appeal.similar_appeals`` and the dispatcher.

    Candidates: open appeals (``appeals``, default all) created within ``DUPLICATE_WINDOW`` before ``now``, in
    the same street (or district, or city, by the level of ``region``, a ``Region`` or None), sharing at least
    one of the new appeal's rarest words (a database prefilter when tokens are stored), the ``MAX_CANDIDATES``
    most recent.
    Pass ``tokens`` when the caller has already computed ``appeal_tokens(subject, text)``."""
    tokens = tokens or appeal_tokens(subject, text)
    if not tokens.strip():
        return []
    region = region if isinstance(region, Region) else None
    regions = _regions()
    streets = street_names(regions)
    new = AppealDigest(
        id=exclude_id or 0,
        subject=subject,
        text=text,
        street=streets.get(region.pk, "") if region is not None else "",
        address=address,
        created_at=now,
        tokens=tokens,
    )
    candidates = (appeals if appeals is not None else Appeal.objects.all()).filter(
        status__in=OPEN_APPEAL_STATUSES, created_at__gte=now - DUPLICATE_WINDOW, created_at__lte=now
    )
    if region is not None:  # by region ids: the index on region_id finds the street's appeals
        prefix = _scope_prefix(region)
        candidates = candidates.filter(region_id__in=[pk for pk, code, _, _ in regions if code.startswith(prefix)])
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    shared = Q(pk__in=[])  # intake stores every appeal's tokens; candidates share one of the rarest words
    for word in anchors(tokens.split()):
        shared |= Q(**{f"{TOKENS_FIELD}__contains": f" {word} "})
    candidates = candidates.filter(shared)
    recent = candidates.order_by("-created_at", "-id")[:MAX_CANDIDATES]
    found = similar_appeals(new, appeal_digests(recent, streets=streets))
    shown = {
        pk: (number, subject)
        for pk, number, subject in Appeal.objects.filter(pk__in=[s.id for s in found]).values_list(
            "id", "number", "subject"
        )
    }
    return [
        {
            "id": s.id,
            "number": shown.get(s.id, ("", ""))[0],
            "subject": shown.get(s.id, ("", ""))[1],
            "score": s.score,
            "reasons": list(s.reasons),
        }
        for s in found
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
    match = Q(pk__in=[])
    for term in terms[:KNOWLEDGE_QUERY_WORDS]:
        match |= Q(search_tokens__contains=f" {term} ")
    found = (entries if entries is not None else KnowledgeEntry.objects.all()).filter(match, is_active=True)
    return list(
        found.only("id", "question", "answer", "search_tokens", "category_id").order_by("-id")[:KNOWLEDGE_CANDIDATES]
    )
