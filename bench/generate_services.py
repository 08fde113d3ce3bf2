"""Generate a city for the 一网通办 benchmarks: `python bench/generate_services.py [--database-url URL]
[--items 500] [--applications 100000] [--citizens 3000] [--seed 20261122]`.

Creates the PostgreSQL database if missing (its name must contain "bench"), migrates it, loads the demo city
(digigov.demo.loader.load_demo: regions, departments, staff, demo citizens, 90 items, 10 bundles), then tops
the database up to the requested counts:

* items: the demo items plus variants of them (code `<demo code>-V<nnn>`, same department, form and rules),
  written through the real catalogue service item_upsert (validated by validate_item_spec, audited). Every
  fifth variant has all its materials optional ("relaxed"), so the submission benchmark can submit to it
  without uploads; demo items without mandatory materials are used as they are.
* staff: 20 benchmark staff accounts (password: the demo password), created through staff_create/role_grant:
  10 综合窗口 clerks (accept, city-wide), 2 street clerks, 8 department heads (decide, own department).
* citizens: `bc00001`… with valid 身份证号 and mobile numbers, sealed and blind-indexed exactly as
  citizen_register stores them, but bulk-inserted: this BYPASSES REGISTRATION (no per-row validation, one
  shared pre-computed argon2 hash of the demo password, one audit entry per batch instead of one per person).
* applications: spread over items, districts/streets within each item's regions, applicants and channels,
  with a realistic status mix (most 已办结; open ones accepted with due dates so the worklist shows green,
  yellow and red cards), the matching transition history rows, and ratings (with 差评 rectification tasks)
  for about half of the completed ones. Bulk-inserted in batches of --batch with explicit ids, so the rows
  BYPASS the services and their per-row audit entries: this is benchmark fixture data only; one audit entry
  per batch (action "bench.generate_applications") records what was inserted, so the chain stays intact.

Running it again only adds what is missing. Finally the tables are ANALYZEd (PostgreSQL).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_common import cpu_model, create_postgres_database

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(ROOT))
from digigov.core.policy import SYSTEM  # noqa: E402 - after the path is set

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/digigov_bench_services"
VARIANT_MARK = "-V"
RELAXED_EVERY = 5  # every fifth variant: all materials optional (submission benchmark)
CITIZEN_PREFIX = "bc"
STAFF_PREFIX = "bench_"
QUALIFIERS = ("新办", "变更", "延续", "补证", "注销", "迁入", "迁出", "换发", "备案", "年度")

# (status, share) of generated applications; open ones get a running clock.
STATUS_MIX: tuple[tuple[str, float], ...] = (
    ("completed", 0.68),
    ("not_accepted", 0.03),
    ("withdrawn", 0.03),
    ("draft", 0.01),
    ("submitted", 0.07),
    ("accepted", 0.07),
    ("under_review", 0.07),
    ("correction", 0.02),
    ("approved", 0.015),
    ("refused", 0.005),
)
CHANNELS = (("web", 0.7), ("mobile", 0.2), ("window", 0.08), ("api", 0.02))
SCORES = (5, 5, 5, 5, 5, 4, 4, 4, 3)  # a 好评 or 中评; a 差评 (about 4%) has one score of 1 or 2
BAD_RATING_SHARE = 0.04
CARDS = (("green", 0.75), ("yellow", 0.15), ("red", 0.10))  # open applications with a running clock


# --- environment (shared by the services benchmarks) ----------------------------------------------------


def configure(database_url: str) -> None:
    """Point config.settings at the benchmark database (before Django is set up); create it if missing."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.pop("DIGIGOV_ENV", None)  # development keys: benchmark data is never real
    os.environ["DATABASE_URL"] = database_url
    if database_url.startswith("postgres"):
        create_postgres_database(database_url)


def django_setup() -> None:
    import django

    django.setup()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far (Linux /proc; 0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_label() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            backend = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            backend = f"{connection.vendor}"
    return f"{backend}; {os.cpu_count()} CPUs: {cpu_model()}; Python {platform.python_version()}"


def data_counts() -> dict[str, int]:
    from digigov.identity.models import CitizenProfile, StaffProfile
    from digigov.onestop.models import Application, ApplicationTransition, Rating, ServiceItem

    return {
        "items": ServiceItem.objects.count(),
        "applications": Application.objects.count(),
        "transitions": ApplicationTransition.objects.count(),
        "ratings": Rating.objects.count(),
        "citizens": CitizenProfile.objects.count(),
        "staff": StaffProfile.objects.count(),
    }


def _timed(label: str, step: Any) -> Any:
    started = time.perf_counter()
    value = step()
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return value


# --- catalogue ------------------------------------------------------------------------------------------


def generate_items(total: int) -> int:
    """Variants of the demo items through item_upsert until `total` items exist. Returns how many were added."""
    from dataclasses import replace

    from digigov.onestop import demo_catalogue
    from digigov.onestop.demo_loader import _item_spec
    from digigov.onestop.models import ServiceItem
    from digigov.onestop.services.catalogue import item_upsert

    existing = set(ServiceItem.objects.values_list("code", flat=True))
    seeds = demo_catalogue.ITEMS
    added, n = 0, 0
    while len(existing) < total:
        n += 1
        seed = seeds[(n - 1) % len(seeds)]
        code = f"{seed.code}{VARIANT_MARK}{n:03d}"
        if code in existing:
            continue
        spec = _item_spec(seed)
        qualifier = QUALIFIERS[((n - 1) // len(seeds)) % len(QUALIFIERS)]
        materials = spec.materials
        if n % RELAXED_EVERY == 0:
            materials = tuple(replace(m, mandatory=False) for m in materials)
        spec = replace(spec, code=code, name=f"{seed.name}（{qualifier}）"[:120], materials=materials)
        item_upsert(actor=SYSTEM, spec=spec)
        existing.add(code)
        added += 1
    return added


# --- staff ----------------------------------------------------------------------------------------------


def bench_staff_usernames() -> list[str]:
    return (
        [f"{STAFF_PREFIX}clerk{i:02d}" for i in range(1, 11)]
        + [f"{STAFF_PREFIX}street{i:02d}" for i in range(1, 3)]
        + [f"{STAFF_PREFIX}head{i:02d}" for i in range(1, 9)]
    )


def generate_staff() -> int:
    """20 staff accounts through the real services: 10 city clerks, 2 street clerks, 8 department heads of the
    departments that own the most items."""
    from django.db import transaction
    from django.db.models import Count

    from digigov.identity import demo_city as city
    from digigov.identity.demo_loader import DEMO_PASSWORD
    from digigov.identity.models import Department, Region, RegionLevel, Role, User
    from digigov.identity.services.staff import role_grant, staff_create

    existing = set(User.objects.filter(username__startswith=STAFF_PREFIX).values_list("username", flat=True))
    city_region = Region.objects.get(code=city.CITY_CODE)
    center = Department.objects.get(code="zwfwzx")
    roles = {r.code: r for r in Role.objects.all()}
    streets = list(Region.objects.filter(level=RegionLevel.STREET, code__startswith="210502").order_by("code")[:2])
    heads = list(
        Department.objects.filter(service_items__isnull=False)
        .annotate(n=Count("service_items"))
        .order_by("-n", "code")[:8]
    )
    plan: list[tuple[str, Department, Region, str, Department | None]] = []
    for i in range(1, 11):
        plan.append((f"{STAFF_PREFIX}clerk{i:02d}", center, city_region, city.ROLE_CLERK, None))
    for i, street in enumerate(streets, start=1):
        plan.append((f"{STAFF_PREFIX}street{i:02d}", center, street, city.ROLE_STREET_CLERK, None))
    for i, head_department in enumerate(heads, start=1):
        head: Department = head_department
        plan.append((f"{STAFF_PREFIX}head{i:02d}", head, head.region, city.ROLE_DEPT_HEAD, head))
    added = 0
    for username, department, region, role_code, grant_department in plan:
        if username in existing:
            continue
        with transaction.atomic():
            profile = staff_create(
                actor=SYSTEM,
                username=username,
                display_name=f"压测{username.removeprefix(STAFF_PREFIX)}",
                department=department,
                region=region,
                title="压测账号",
                password=DEMO_PASSWORD,
            )
            role_grant(
                actor=SYSTEM, user=profile.user, role=roles[role_code], region=region, department=grant_department
            )
        added += 1
    return added


# --- citizens -------------------------------------------------------------------------------------------


def _id_number(rng: random.Random, county6: str, n: int) -> str:
    from stdnum.cn import ric

    birth = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
    body = f"{county6}{birth:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body)


def generate_citizens(total: int, rng: random.Random, batch: int = 1000) -> int:
    """Bulk-insert citizens until `total` benchmark citizens exist (bypasses citizen_register; see the module
    docstring). One audit entry per batch."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from digigov.core.audit import audit_append
    from digigov.core.masking import mask_id_number
    from digigov.core.protected import blind_index, seal
    from digigov.identity.demo_loader import DEMO_PASSWORD
    from digigov.identity.models import CitizenProfile, Region, RegionLevel, User, UserKind

    have = User.objects.filter(username__startswith=CITIZEN_PREFIX, kind=UserKind.CITIZEN).count()
    if have >= total:
        return 0
    password = make_password(DEMO_PASSWORD)  # one hash for all: cheap, and they can still log in
    id_indexes = set(CitizenProfile.objects.values_list("id_number_index", flat=True))
    mobile_indexes = set(CitizenProfile.objects.values_list("mobile_index", flat=True))
    streets = list(Region.objects.filter(level=RegionLevel.STREET))
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥建国海燕志强春梅文博子涵浩然雨欣"
    added, n = 0, have
    while have + added < total:
        users: list[User] = []
        profiles: list[CitizenProfile] = []
        while len(users) < min(batch, total - have - added):
            n += 1
            street = rng.choice(streets)
            number = _id_number(rng, street.code[:6], n)
            mobile = f"177{n:08d}"
            id_index = blind_index(CitizenProfile.ID_PURPOSE, number)
            mobile_index = blind_index(CitizenProfile.MOBILE_PURPOSE, mobile)
            if id_index in id_indexes or mobile_index in mobile_indexes:
                continue
            id_indexes.add(id_index)
            mobile_indexes.add(mobile_index)
            name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2))))
            user = User(username=f"{CITIZEN_PREFIX}{n:05d}", kind=UserKind.CITIZEN, display_name=name)
            user.password = password
            users.append(user)
            profiles.append(
                CitizenProfile(
                    real_name=name,
                    id_number_sealed=seal(CitizenProfile.ID_PURPOSE, number),
                    id_number_index=id_index,
                    id_number_masked=mask_id_number(number),
                    birth_date=date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                    gender="M" if int(number[16]) % 2 else "F",
                    birth_region_code=number[:6],
                    mobile_sealed=seal(CitizenProfile.MOBILE_PURPOSE, mobile),
                    mobile_index=mobile_index,
                    residence=street,
                )
            )
        with transaction.atomic():
            User.objects.bulk_create(users)
            for user, profile in zip(users, profiles, strict=True):
                profile.user = user
            CitizenProfile.objects.bulk_create(profiles)
            audit_append(
                actor=None,
                action="bench.generate_citizens",
                object_type="bench",
                object_id=f"{users[0].username}..{users[-1].username}",
                changes={"count": len(users), "first_user_id": users[0].pk, "last_user_id": users[-1].pk},
            )
        added += len(users)
    return added


# --- applications ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def historical_timestamps() -> Iterator[None]:
    """bulk_create would overwrite auto_now_add columns with now(); generated rows carry their own times."""
    from digigov.onestop.models import Application, ApplicationTransition, Rating

    fields = [
        Application._meta.get_field("created_at"),
        ApplicationTransition._meta.get_field("at"),
        Rating._meta.get_field("created_at"),
    ]
    saved = [f.auto_now_add for f in fields]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in zip(fields, saved, strict=True):
            f.auto_now_add = value


def _weighted(rng: random.Random, choices: Sequence[tuple[str, float]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


class AppFactory:
    """Builds one application with its history, clock and rating, consistent with the state machine."""

    def __init__(self, rng: random.Random, today: date) -> None:
        from digigov.core.calendar import work_calendar
        from digigov.identity.models import CitizenProfile, Enterprise, Region, RegionLevel, User
        from digigov.identity.permissions import Perm
        from digigov.identity.scope import has_perm
        from digigov.onestop.models import ServiceItem
        from digigov.onestop.tests.factories import valid_form_data

        self.rng, self.today, self.calendar = rng, today, work_calendar()
        self.tz = datetime.now().astimezone().tzinfo or UTC
        self.items = list(ServiceItem.objects.prefetch_related("regions").select_related("department"))
        self.forms = {item.pk: valid_form_data(item) for item in self.items}
        placeable = list(Region.objects.filter(level__in=[RegionLevel.DISTRICT, RegionLevel.STREET]))
        self.regions: dict[int, list[Region]] = {}
        for item in self.items:
            allowed = [r for r in placeable if any(a.contains(r) for a in item.regions.all())]
            self.regions[item.pk] = allowed or list(item.regions.all())
        self.citizens = list(CitizenProfile.objects.values_list("user_id", flat=True))
        self.enterprises = list(Enterprise.objects.all())
        staff = list(User.objects.filter(kind="staff"))
        self.clerks = [u for u in staff if has_perm(u, Perm.ACCEPT_APPLICATION)]
        self.deciders = [u for u in staff if has_perm(u, Perm.DECIDE_APPLICATION)]

    def at(self, day: date, minutes: int | None = None) -> datetime:
        minutes = self.rng.randrange(8 * 60, 17 * 60) if minutes is None else minutes
        return datetime.combine(day, datetime.min.time(), tzinfo=self.tz) + timedelta(minutes=minutes)

    def build(self, pk: int) -> tuple[Any, list[Any], Any | None, bool]:
        """(application, transitions, rating or None, rating is 差评)."""
        from digigov.onestop.models import Application, ApplicationTransition, Rating
        from digigov.onestop.services import clock

        rng = self.rng
        item = rng.choice(self.items)
        status = _weighted(rng, STATUS_MIX)
        if item.promised_days == 0 and status in ("accepted", "under_review", "correction", "approved", "refused"):
            status = "completed"  # 即办 items do not wait
        open_clock = status in ("accepted", "under_review", "correction", "approved", "refused")
        accepted_day: date | None = None
        if status in ("draft", "submitted"):
            submitted = self.today - timedelta(days=rng.randrange(0, 4))
        elif open_clock:
            accepted_day = self._accepted_for_card(item.promised_days)
            submitted = accepted_day - timedelta(days=rng.randrange(0, 2))
        else:
            submitted = self.today - timedelta(days=rng.randrange(5, 365))
        enterprise = rng.choice(self.enterprises) if item.applicant_kind == "legal" and self.enterprises else None
        submitted_at = self.at(submitted)
        app = Application(
            pk=pk,
            number=None if status == "draft" else f"BX{submitted:%Y%m%d}{pk:08d}",
            item=item,
            applicant_id=rng.choice(self.citizens),
            enterprise=enterprise,
            region=rng.choice(self.regions[item.pk]),
            department_id=item.department_id,
            form_data=self.forms[item.pk],
            status=status,
            channel=_weighted(rng, CHANNELS),
            created_at=submitted_at - timedelta(minutes=rng.randrange(1, 30)),
            submitted_at=None if status == "draft" else submitted_at,
        )
        history: list[tuple[str, str, Any, datetime, str]] = []
        if status == "draft":
            return app, [], None, False
        history.append(("draft", "submitted", app.applicant_id, submitted_at, ""))
        clerk = rng.choice(self.clerks)
        if status == "withdrawn":
            history.append(("submitted", "withdrawn", app.applicant_id, submitted_at + timedelta(hours=2), "不需要了"))
        elif status == "not_accepted":
            reason = "申请材料与事项要求不符，请核对后重新申请"
            app.result_reason, app.completed_at, app.handler = reason, submitted_at + timedelta(days=1), clerk
            history.append(("submitted", "not_accepted", clerk.pk, app.completed_at, reason))
        elif status == "correction" and rng.random() < 0.5:  # 补正 before acceptance: no clock yet
            app.result_reason, app.handler = "请补充申请表签字页", clerk
            history.append(("submitted", "correction", clerk.pk, submitted_at + timedelta(hours=3), app.result_reason))
        elif status != "submitted":
            self._accepted_path(app, item, status, accepted_day or submitted, clerk, history)
        deadlines = clock.application_deadlines(app)
        app.yellow_at, app.due_at = deadlines.yellow_at, deadlines.due_at
        transitions = [
            ApplicationTransition(
                application_id=pk, from_status=src, to_status=dst, actor_id=actor, at=when, comment=comment
            )
            for src, dst, actor, when, comment in history
        ]
        rating = None
        bad = False
        if status == "completed" and app.completed_at is not None and rng.random() < 0.5:
            scores = [rng.choice(SCORES) for _ in range(4)]
            bad = rng.random() < BAD_RATING_SHARE
            if bad:
                scores[rng.randrange(4)] = rng.choice((1, 2))
            rating = Rating(
                application_id=pk,
                efficiency=scores[0],
                guide_accuracy=scores[1],
                convenience=scores[2],
                usability=scores[3],
                overall=min(scores),
                comment="办理很快，点赞" if not bad else "等待时间太长",
                created_at=app.completed_at + timedelta(hours=rng.randrange(1, 72)),
            )
        return app, transitions, rating, bad

    def _accepted_for_card(self, promised: int) -> date:
        """An acceptance day that gives the open application a green, yellow or red card today."""
        card = _weighted(self.rng, CARDS)
        if card == "green":
            elapsed = self.rng.randint(0, max(int(promised * 0.8) - 1, 0))
        elif card == "yellow":
            elapsed = self.rng.randint(int(promised * 0.8) + 1, promised)
        else:
            elapsed = promised + self.rng.randint(1, 10)
        day = self.today
        while self.calendar.working_days_between(day, self.today) < elapsed:
            day -= timedelta(days=1)
        return day

    def _accepted_path(self, app: Any, item: Any, status: str, submitted: date, clerk: Any, history: list[Any]) -> None:
        """accepted → … ; `submitted` is the acceptance day already chosen for open applications."""
        self._accept_and_decide(app, item, status, submitted, clerk, history)

    def _accept_and_decide(
        self, app: Any, item: Any, status: str, submitted: date, clerk: Any, history: list[Any]
    ) -> None:
        rng, cal = self.rng, self.calendar
        if status == "completed":
            accepted_on = min(submitted + timedelta(days=rng.randrange(0, 2)), self.today)
        else:  # open: the acceptance day was chosen for its card (see build)
            accepted_on = submitted
        app.accepted_on = accepted_on
        app.due_date = cal.add_working_days(accepted_on, item.promised_days)
        app.handler = clerk
        decider = rng.choice(self.deciders) if self.deciders else clerk
        t = self.at(accepted_on)
        history.append(("submitted", "accepted", clerk.pk, t, ""))
        if status == "accepted":
            return
        elapsed = max(cal.working_days_between(accepted_on, self.today), 0)
        if status == "completed":
            used = rng.randint(0, item.promised_days + (3 if rng.random() < 0.05 else 0))
            done = cal.add_working_days(accepted_on, used)
        else:
            done = self.today
        review_day = min(accepted_on + timedelta(days=1), done)
        history.append(("accepted", "under_review", decider.pk, self.at(review_day), ""))
        app.handler = decider
        if status == "under_review":
            return
        if status == "correction":
            paused = accepted_on + timedelta(days=rng.randrange(0, max(elapsed, 0) + 1))
            app.clock_paused_on = min(paused, self.today)
            app.result_reason = "请补充营业场所产权证明"
            history.append(("under_review", "correction", decider.pk, self.at(app.clock_paused_on), app.result_reason))
            return
        refused = status == "refused" or (status == "completed" and rng.random() < 0.05)
        decided = self.at(done, 17 * 60 - 30)
        if refused:
            app.result_reason = "不符合法定条件，不予许可"
            history.append(("under_review", "refused", decider.pk, decided, app.result_reason))
        else:
            history.append(("under_review", "approved", decider.pk, decided, "同意"))
        if status == "completed":
            app.completed_at = decided + timedelta(minutes=20)
            app.handling_working_days = used  # what services.transitions stores at 办结
            history.append(("refused" if refused else "approved", "completed", decider.pk, app.completed_at, ""))


def generate_applications(total: int, rng: random.Random, batch: int) -> int:
    """Bulk-insert applications until `total` exist. Returns how many were added."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from digigov.core.audit import audit_append
    from digigov.onestop.models import Application, ApplicationTransition, Rating, RectificationTask

    have = Application.objects.count()
    if have >= total:
        return 0
    factory = AppFactory(rng, timezone.localdate())
    next_pk = (Application.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    todo = total - have
    added = 0
    with historical_timestamps():
        while added < todo:
            size = min(batch, todo - added)
            apps, transitions, ratings, bad = [], [], [], []
            for pk in range(next_pk, next_pk + size):
                app, history, rating, is_bad = factory.build(pk)
                apps.append(app)
                transitions.extend(history)
                if rating is not None:
                    ratings.append(rating)
                    bad.append(is_bad)
            with transaction.atomic():
                Application.objects.bulk_create(apps, batch_size=2000)
                ApplicationTransition.objects.bulk_create(transitions, batch_size=5000)
                Rating.objects.bulk_create(ratings, batch_size=2000)
                tasks = []
                for rating, is_bad in zip(ratings, bad, strict=True):
                    if not is_bad:
                        continue
                    app_by_pk = apps[rating.application_id - next_pk]
                    rated_on = timezone.localtime(rating.created_at).date()
                    due = factory.calendar.add_working_days(rated_on, 5)
                    closed = due < factory.today
                    tasks.append(
                        RectificationTask(
                            rating=rating,
                            department_id=app_by_pk.department_id,
                            due_date=due,
                            status="closed" if closed else "open",
                            answer="已约谈窗口人员并优化流程" if closed else "",
                            answered_at=rating.created_at + timedelta(days=2) if closed else None,
                            closed_at=rating.created_at + timedelta(days=3) if closed else None,
                        )
                    )
                RectificationTask.objects.bulk_create(tasks, batch_size=2000)
                audit_append(
                    actor=None,
                    action="bench.generate_applications",
                    object_type="bench",
                    object_id=f"{next_pk}..{next_pk + size - 1}",
                    changes={
                        "applications": size,
                        "transitions": len(transitions),
                        "ratings": len(ratings),
                        "rectifications": len(tasks),
                    },
                )
            next_pk += size
            added += size
            print(f"    {have + added:,} applications", flush=True)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Application]):
            cursor.execute(statement)
    return added


def analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"benchmark database ({DEFAULT_URL})")
    parser.add_argument("--items", type=int, default=500, help="items in total, demo ones included (500)")
    parser.add_argument("--applications", type=int, default=100_000, help="applications in total (100000)")
    parser.add_argument("--citizens", type=int, default=3000, help="generated citizens (3000)")
    parser.add_argument("--batch", type=int, default=5000, help="applications per transaction (5000)")
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args(argv)

    configure(args.database_url)
    django_setup()
    from django.core.management import call_command

    from digigov.demo.loader import load_demo

    rng = random.Random(args.seed)
    started = time.perf_counter()
    print(machine_label(), flush=True)
    _timed("migrate", lambda: call_command("migrate", verbosity=0, interactive=False))
    _timed("demo city", load_demo)
    added = _timed("items", lambda: generate_items(args.items))
    print(f"    +{added} items")
    added = _timed("staff", generate_staff)
    print(f"    +{added} staff")
    added = _timed("citizens", lambda: generate_citizens(args.citizens, rng))
    print(f"    +{added} citizens")
    _timed("applications", lambda: generate_applications(args.applications, rng, args.batch))
    _timed("analyze", analyze)
    print(f"done in {time.perf_counter() - started:.0f} s: {data_counts()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
