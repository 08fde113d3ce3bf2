"""12345 hot issues and duplicate checks at scale: `python bench/bench_hotline_hotspots.py [--database-url URL]
[--appeals 100000] [--days 90] [--runs 5] [--intakes 300] [--max-seconds 10] [--workers 2]`.

Generates (tops up to) --appeals appeals in its own PostgreSQL database, spread over the --days days before
now, then times the two analytics entry points through their real database path
(``digigov.hotline.analytics.queries``):

* hot issues: ``appeal_digests`` (the columns analytics needs, streamed from PostgreSQL) + ``find_hot_issues``
  (vectors, links, clusters, ranking, labels) + the representatives' excerpts, for a window holding every
  generated appeal (the target: under --max-seconds for 100,000 appeals) and for the last 30 days (whose
  previous 30 days are read too, for growth). --runs runs each; the first run of the process is reported apart
  (it loads jieba's dictionary, about a second, once per server process).
* duplicates at intake: ``similar_open_appeals`` for --intakes new appeals (a variant of a real message, in a
  street of the demo city), against the open appeals of that street of the last 30 days, p50/p95/max.

Data: the real messages of ../shared/data/hotline (messages_votes, _unlabeled, _replies, _train: about 10,900
distinct) with their anonymised places mapped to the demo city (``demo_data.localise``). Each appeal is a
variant of one message (its subject, a random three quarters of its sentences), so repeated complaints about
one matter look like real repeated complaints, not like copies. Most variants of a message fall within about
a week of that message's own moment in the --days (matters come and go), the rest anywhere. Streets: a street
of the district named in the text, otherwise any street of the city. Support (点赞): a share of the message's
votes in messages_votes.csv. Status: open for most of the last 30 days' appeals, closed for most older ones.
**Appeals are bulk-inserted, bypassing intake** (no routing, no events, one audit entry per generation run,
action ``bench.generate_hotline_appeals``), then ``ANALYZE``d; the tokens intake would store are computed with
``appeal_tokens`` in --workers processes and stored in ``Appeal.analytics_tokens``.

Exits 1 when the window over all the generated appeals (100,000 or more) takes longer than --max-seconds.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))

from bench_common import load_average  # noqa: E402 (after the path is set)
from generate_services import configure, django_setup, machine_label  # noqa: E402 (after the path is set)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/digigov_bench_hotline"
NUMBER_PREFIX = "BH"
RECENT_DAYS = 30
_SENTENCE = re.compile(r"(?<=[。！？!?；;])")


@dataclass(frozen=True)
class Source:
    """One real message, localised to the demo city."""

    subject: str
    sentences: tuple[str, ...]
    votes: int
    district: str  # a demo district name found in the text, or ""
    place: str


def prepare() -> None:
    from django.conf import settings
    from django.core.management import call_command

    from digigov.hotline.demo_loader import load_reference
    from digigov.identity.demo_loader import load_demo_city

    call_command("migrate", verbosity=0)
    load_demo_city()
    if not load_reference(Path(settings.HOTLINE_DATA_DIR)):
        raise SystemExit(f"the hotline data folder is missing: {settings.HOTLINE_DATA_DIR}")


def sources() -> list[Source]:
    from django.conf import settings

    from digigov.hotline.analytics.digests import guess_address, read_messages
    from digigov.hotline.demo_data import localise
    from digigov.identity.models import Region, RegionLevel

    districts = [name for name in Region.objects.filter(level=RegionLevel.DISTRICT).values_list("name", flat=True)]
    found: dict[str, Source] = {}
    for name in ("messages_votes.csv", "messages_unlabeled.csv", "messages_replies.csv", "messages_train.csv"):
        for row in read_messages(Path(settings.HOTLINE_DATA_DIR) / name):
            original_subject, original_text = " ".join(row["留言主题"].split()), " ".join(row["留言详情"].split())
            subject, text = localise(original_subject)[:100], localise(original_text)[:5000]
            if len(text) < 5 or row["留言编号"] in found:
                continue
            found[row["留言编号"]] = Source(
                subject=subject,
                sentences=tuple(s for s in _SENTENCE.split(text) if s.strip()),
                votes=int(row.get("点赞数") or 0),
                district=next((d for d in districts if d in subject + text[:300]), ""),
                place=localise(guess_address(original_subject, original_text)),
            )
    return list(found.values())


def variant(source: Source, rng: random.Random) -> tuple[str, str]:
    """The subject and a random three quarters of the sentences, in order (at least one)."""
    kept = [s for s in source.sentences if rng.random() < 0.75] or list(source.sentences[:1])
    return source.subject, "".join(kept)


def _tokens_batch(pairs: Sequence[tuple[str, str]]) -> list[str]:
    from digigov.hotline.analytics.text import appeal_tokens

    return [appeal_tokens(subject, text) for subject, text in pairs]


def compute_tokens(pairs: Sequence[tuple[str, str]], workers: int) -> list[str]:
    if workers <= 1 or len(pairs) < 2000:
        return _tokens_batch(pairs)
    size = -(-len(pairs) // (workers * 4))
    chunks = [pairs[i : i + size] for i in range(0, len(pairs), size)]
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        return [tokens for chunk in pool.map(_tokens_batch, chunks) for tokens in chunk]


def streets_by_district() -> dict[str, list[Any]]:
    from digigov.identity.models import Region, RegionLevel

    districts = {r.code[:6]: r.name for r in Region.objects.filter(level=RegionLevel.DISTRICT)}
    streets: dict[str, list[Any]] = defaultdict(list)
    for street in Region.objects.filter(level=RegionLevel.STREET).order_by("code"):
        streets[districts.get(street.code[:6], "")].append(street)
    return dict(streets)


def street_for(index: int, source: Source, streets: dict[str, list[Any]], rng: random.Random) -> Any:
    """A matter happens somewhere: nine appeals in ten about a message come from its own street (fixed per
    message), the rest from another street of its district."""
    choices = streets.get(source.district) or [s for group in streets.values() for s in group]
    if rng.random() < 0.9:
        return random.Random(index).choice(choices)
    return rng.choice(choices)


def generate(total: int, days: int, rng: random.Random, *, now: datetime, workers: int, batch: int = 5000) -> int:
    """Top up the generated appeals to ``total``; returns how many were added."""
    from django.db import connection, transaction

    from digigov.core.audit import audit_append
    from digigov.hotline.demo_data import guess_type
    from digigov.hotline.models import OPEN_APPEAL_STATUSES, Appeal, AppealStatus, Channel
    from digigov.hotline.services.appeal_words import index_appeal_words

    existing = Appeal.objects.filter(number__startswith=NUMBER_PREFIX).count()
    missing = total - existing
    if missing <= 0:
        return 0
    messages = sources()
    streets = streets_by_district()
    channels = list(Channel.objects.all())
    moments = {i: now - timedelta(days=rng.uniform(0, days)) for i in range(len(messages))}
    open_statuses = [str(s) for s in OPEN_APPEAL_STATUSES]
    added = 0
    while added < missing:
        count = min(batch, missing - added)
        picks = [rng.randrange(len(messages)) for _ in range(count)]
        pairs = [variant(messages[i], rng) for i in picks]
        tokens = compute_tokens(pairs, workers)
        rows = []
        for n, (i, (subject, text), analytics_tokens) in enumerate(zip(picks, pairs, tokens, strict=True)):
            source = messages[i]
            if rng.random() < 0.7:  # around the matter's own moment
                created = moments[i] + timedelta(days=rng.gauss(0, 4))
            else:
                created = now - timedelta(days=rng.uniform(0, days))
            created = min(now - timedelta(minutes=1), max(now - timedelta(days=days), created))
            recent = now - created < timedelta(days=RECENT_DAYS)
            is_open = rng.random() < (0.7 if recent else 0.15)
            street = street_for(i, source, streets, rng)
            appeal = Appeal(
                number=f"{NUMBER_PREFIX}{existing + added + n + 1:012d}",
                channel=rng.choice(channels),
                appeal_type=guess_type(subject, text),
                subject=subject,
                text=text,
                address=f"{street.name}{source.place}" if source.place else street.name,
                region=street,
                status=rng.choice(open_statuses) if is_open else AppealStatus.CLOSED,
                created_at=created,
                support_count=int(source.votes * rng.random() * 0.3) + rng.choice((0, 0, 0, 1, 2)),
                analytics_tokens=analytics_tokens,
            )
            rows.append(appeal)
        with transaction.atomic():
            Appeal.objects.bulk_create(rows, batch_size=1000)
            index_appeal_words(rows)  # the words table the duplicate check reads, as intake writes it
        added += count
        print(f"  generated {existing + added:,} / {total:,} appeals", flush=True)
    with connection.cursor() as cursor:  # what autovacuum would do after a bulk load (it is off on the bench VM)
        cursor.execute("ANALYZE hotline_appeal")
        cursor.execute("ANALYZE hotline_appealword")
    with transaction.atomic():
        audit_append(
            actor=None,
            action="bench.generate_hotline_appeals",
            object_type="appeal",
            object_id=NUMBER_PREFIX,
            changes={"added": added, "total": total, "days": days},
        )
    return added


@dataclass(frozen=True)
class HotRun:
    appeals_read: int
    read_s: float
    cluster_s: float
    excerpts_s: float
    issues: list[Any]

    @property
    def total_s(self) -> float:
        return self.read_s + self.cluster_s + self.excerpts_s


def hot_issues_run(start: datetime, end: datetime, *, limit: int = 20) -> HotRun:
    """What ``queries.hot_issues_for`` does, with its three parts timed apart."""
    from digigov.hotline.analytics.hotspots import find_hot_issues
    from digigov.hotline.analytics.queries import _with_excerpts, appeal_digests
    from digigov.hotline.models import Appeal

    t0 = time.perf_counter()
    appeals = Appeal.objects.filter(created_at__gte=start - (end - start), created_at__lt=end)
    digests = list(appeal_digests(appeals))
    t1 = time.perf_counter()
    issues = find_hot_issues(digests, window_start=start, window_end=end, limit=limit)
    t2 = time.perf_counter()
    issues = _with_excerpts(issues)
    t3 = time.perf_counter()
    return HotRun(len(digests), t1 - t0, t2 - t1, t3 - t2, issues)


@dataclass(frozen=True)
class DuplicateCheck:
    seconds: float
    pool: int  # open appeals of the street in the last 30 days (before the word prefilter)
    flagged: int


def duplicate_checks(count: int, rng: random.Random, *, now: datetime) -> list[DuplicateCheck]:
    from digigov.hotline.analytics.queries import similar_open_appeals
    from digigov.hotline.analytics.similarity import DUPLICATE_WINDOW
    from digigov.hotline.models import OPEN_APPEAL_STATUSES, Appeal

    messages = sources()
    streets = streets_by_district()
    checks = []
    for _ in range(count):
        index = rng.randrange(len(messages))
        source = messages[index]
        subject, text = variant(source, rng)
        street = street_for(index, source, streets, rng)
        address = f"{street.name}{source.place}"
        started = time.perf_counter()
        found = similar_open_appeals(subject=subject, text=text, address=address, region=street, now=now)
        seconds = time.perf_counter() - started
        pool = Appeal.objects.filter(
            status__in=OPEN_APPEAL_STATUSES,
            created_at__gte=now - DUPLICATE_WINDOW,
            region__code__startswith=street.code[:9],
        ).count()
        checks.append(DuplicateCheck(seconds, pool, len(found)))
    return checks


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def describe(run: HotRun) -> str:
    return (
        f"{run.appeals_read:,} read: total {run.total_s:.2f} s = read {run.read_s:.2f} + cluster "
        f"{run.cluster_s:.2f} + excerpts {run.excerpts_s:.2f}; {len(run.issues)} issues"
    )


def show_issues(issues: Sequence[Any], top: int) -> None:
    for n, issue in enumerate(issues[:top], 1):
        growth = "新" if issue.growth is None else f"{issue.growth:+.0%}"
        places = "、".join(f"{p}({c})" for p, c in issue.places)
        size = f"{issue.size} 件 (前期 {issue.previous_size}, {growth}), 点赞 {issue.support}"
        print(f"  {n:2}. [{issue.heat}] {issue.label} — {size}")
        print(f"      地点: {places}")
        for r in issue.representatives[:2]:
            print(f"      · {r.subject}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--appeals", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--intakes", type=int, default=300)
    parser.add_argument("--max-seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2, help="processes computing tokens while generating")
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--show", type=int, default=10, help="hot issues printed")
    args = parser.parse_args(argv)

    configure(args.database_url)
    django_setup()
    from django.utils import timezone

    from digigov.hotline.models import Appeal

    prepare()
    rng = random.Random(args.seed)
    now = timezone.now().replace(microsecond=0)
    started = time.perf_counter()
    added = generate(args.appeals, args.days, rng, now=now, workers=args.workers)
    if added:
        print(f"generated {added:,} appeals in {time.perf_counter() - started:.0f} s")
    total = Appeal.objects.count()
    print(f"{machine_label()}; load average {load_average()}")
    print(f"appeals in the database: {total:,}")

    oldest = Appeal.objects.order_by("created_at").values_list("created_at", flat=True).first()
    assert oldest is not None
    everything = (oldest, now + timedelta(seconds=1))
    recent = (now - timedelta(days=RECENT_DAYS), now + timedelta(seconds=1))
    results: dict[str, list[HotRun]] = {}
    for name, (start, end) in (("all", everything), (f"last {RECENT_DAYS} days", recent)):
        runs = [hot_issues_run(start, end) for _ in range(args.runs + 1)]
        print(f"hot issues, window {name}: first run of the process {describe(runs[0])}")
        for run in runs[1:]:
            print(f"    {describe(run)}")
        totals = [r.total_s for r in runs[1:]]
        print(f"  p50 {statistics.median(totals):.2f} s, max {max(totals):.2f} s over {len(totals)} runs")
        results[name] = runs
    print(f"top hot issues of the last {RECENT_DAYS} days:")
    show_issues(results[f"last {RECENT_DAYS} days"][-1].issues, args.show)

    checks = duplicate_checks(args.intakes + 5, rng, now=now)[5:]  # 5 warm-up calls
    seconds = [c.seconds * 1000 for c in checks]
    pools = [c.pool for c in checks]
    print(
        f"duplicate check at intake, {len(checks)} new appeals: p50 {statistics.median(seconds):.1f} ms, "
        f"p95 {percentile(seconds, 0.95):.1f} ms, max {max(seconds):.1f} ms; open appeals of the street in "
        f"30 days p50 {statistics.median(pools):.0f} / max {max(pools)}; flagged per appeal "
        f"{dict(sorted(Counter(min(c.flagged, 5) for c in checks).items()))} (5 = 5 or more)"
    )
    worst = max(r.total_s for r in results["all"][1:])
    window_size = results["all"][-1].appeals_read
    verdict = "ok" if worst <= args.max_seconds or window_size < 100_000 else "FAIL"
    print(f"target: hot issues over {window_size:,} appeals in under {args.max_seconds:.0f} s: {verdict}")
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
