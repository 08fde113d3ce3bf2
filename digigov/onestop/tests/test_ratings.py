"""好差评: who may rate and when, score validation, 差评 → rectification, answer/close rules, scope, rollups."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digigov.core.calendar import work_calendar
from digigov.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from digigov.core.models import AuditEntry
from digigov.identity.models import User
from digigov.onestop import selectors
from digigov.onestop.models import (
    Application,
    ApplicationStatus,
    Rating,
    RectificationStatus,
    RectificationTask,
    ServiceItem,
)
from digigov.onestop.selectors import RatingRollup
from digigov.onestop.services import applications as svc
from digigov.onestop.services.ratings import application_rate, rectification_answer, rectification_close
from digigov.onestop.tests.factories import draft_with_materials

pytestmark = pytest.mark.django_db
DOCTOR = "210500-WJW-XK-0003"  # 医师执业注册, 卫健委 (head: helijuan)
BIRTH = "210500-GAJ-QR-0002"  # 出生登记, 公安局 (head: lizhigang)
HEADS = {DOCTOR: "helijuan", BIRTH: "lizhigang"}
ANSWER = "已约谈窗口人员并优化办事指南，承诺时限内办结。"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def user(username: str) -> User:
    return User.objects.get(username=username)


def completed(code: str = DOCTOR, username: str = "chenhaoran") -> Application:
    app = draft_with_materials(user(username), ServiceItem.objects.get(code=code))
    svc.application_submit(actor=user(username), application=app)
    head = user(HEADS[code])
    svc.application_accept(actor=user("fengxue"), application=app)
    svc.application_start_review(actor=head, application=app)
    svc.application_approve(actor=head, application=app)
    svc.application_complete(actor=head, application=app)
    return app


def rate(
    app: Application, scores: tuple[int, int, int, int] = (5, 5, 5, 5), *, actor: User | None = None, comment: str = ""
) -> Rating:
    efficiency, guide, convenience, usability = scores
    return application_rate(
        actor=actor or app.applicant,
        application=app,
        efficiency=efficiency,
        guide_accuracy=guide,
        convenience=convenience,
        usability=usability,
        comment=comment,
    )


def bad_rating() -> RectificationTask:
    return rate(completed(), (2, 4, 4, 5), comment="等了很久").rectification


# --- rating -------------------------------------------------------------------------------------------------


def test_the_applicant_rates_a_completed_application_once() -> None:
    app = completed()
    rating = rate(app, (5, 4, 5, 3), comment="  窗口服务热情  ")
    assert (rating.efficiency, rating.guide_accuracy, rating.convenience, rating.usability) == (5, 4, 5, 3)
    assert rating.overall == 3 and rating.comment == "窗口服务热情"
    assert not RectificationTask.objects.filter(rating=rating).exists()  # 3 is not a 差评
    assert AuditEntry.objects.filter(action="services.application_rate", object_id=str(app.pk)).count() == 1
    with pytest.raises(Conflict, match="已经评价"):
        rate(app, (1, 1, 1, 1))
    assert Rating.objects.filter(application=app).count() == 1 and not RectificationTask.objects.exists()


def test_only_the_applicant_and_only_after_completion() -> None:
    app = completed()
    with pytest.raises(NotFound):
        rate(app, actor=user("yangting"))
    with pytest.raises(NotFound):
        rate(app, actor=user("helijuan"))
    pending = draft_with_materials(user("chenhaoran"), ServiceItem.objects.get(code=DOCTOR))
    svc.application_submit(actor=user("chenhaoran"), application=pending)
    with pytest.raises(Conflict, match="办结后"):
        rate(pending)
    svc.application_reject(actor=user("fengxue"), application=pending, reason="不属于本机关职权范围")
    assert pending.status == ApplicationStatus.NOT_ACCEPTED
    with pytest.raises(Conflict):
        rate(pending)  # 不予受理 is not 办结
    assert not Rating.objects.exists()


@pytest.mark.parametrize("bad", [0, 6, -1, "5", 3.5, True, None])
def test_scores_must_be_whole_numbers_from_one_to_five(bad: object) -> None:
    app = completed()
    with pytest.raises(ValidationFailed, match="1至5") as caught:
        rate(app, (5, bad, 5, 5))  # type: ignore[arg-type]
    assert caught.value.fields == {"guide_accuracy": "办事指南精确度请选择1至5分"}
    assert not Rating.objects.filter(application=app).exists()


def test_the_comment_is_at_most_500_characters() -> None:
    app = completed()
    with pytest.raises(ValidationFailed, match="500"):
        rate(app, comment="慢" * 501)
    assert rate(app, comment="好" * 500).comment == "好" * 500


def test_a_bad_score_opens_a_rectification_task_with_a_working_day_deadline(settings: object) -> None:
    task = bad_rating()
    assert task.status == RectificationStatus.OPEN
    assert task.rating.overall == 2
    assert task.department.code == "wjw"
    assert task.due_date == work_calendar().add_working_days(timezone.localdate(), 5)
    assert AuditEntry.objects.filter(action="services.rectification_open", object_id=str(task.pk)).exists()
    settings.RECTIFICATION_WORKING_DAYS = 3  # type: ignore[attr-defined]
    other = rate(completed(), (5, 5, 1, 5)).rectification
    assert other.due_date == work_calendar().add_working_days(timezone.localdate(), 3)


# --- rectification -------------------------------------------------------------------------------------------


def test_answer_then_close() -> None:
    task = bad_rating()
    head = user("helijuan")
    with pytest.raises(Conflict, match="先答复"):
        rectification_close(actor=head, task=task)
    with pytest.raises(ValidationFailed, match="至少10个字"):
        rectification_answer(actor=head, task=task, answer="  已整改  ")
    rectification_answer(actor=head, task=task, answer=f"  {ANSWER}  ")
    task.refresh_from_db()
    assert task.status == RectificationStatus.ANSWERED and task.answer == ANSWER
    assert task.answered_by == head and task.answered_at is not None
    with pytest.raises(Conflict, match="已答复"):
        rectification_answer(actor=head, task=task, answer=ANSWER + "补充")
    rectification_close(actor=head, task=task)
    task.refresh_from_db()
    assert task.status == RectificationStatus.CLOSED and task.closed_at is not None
    with pytest.raises(Conflict, match="已办结"):
        rectification_close(actor=head, task=task)
    actions = list(
        AuditEntry.objects.filter(object_type="rectification_task", object_id=str(task.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["services.rectification_open", "services.rectification_answer", "services.rectification_close"]


def test_only_staff_answering_for_the_department_and_region_may_answer() -> None:
    task = bad_rating()
    for outsider in ("lizhigang", "fengxue", "zhangjianguo", "yangting"):  # other dept, clerk, 市长, other citizen
        with pytest.raises(NotFound):
            rectification_answer(actor=user(outsider), task=task, answer=ANSWER)
        with pytest.raises(NotFound):
            rectification_close(actor=user(outsider), task=task)
    with pytest.raises(Forbidden):
        rectification_answer(actor=user("chenhaoran"), task=task, answer=ANSWER)  # the applicant reads it only
    task.refresh_from_db()
    assert task.status == RectificationStatus.OPEN


def test_visible_rectifications() -> None:
    task = bad_rating()
    assert list(selectors.visible_rectifications(user("helijuan"))) == [task]
    assert selectors.rectification_get_for_actor(user("helijuan"), task.pk) == task
    assert selectors.rectification_get_for_actor(user("chenhaoran"), task.pk) == task  # the rater follows it
    for outsider in ("lizhigang", "fengxue", "yangting"):
        assert not selectors.visible_rectifications(user(outsider)).exists()
        with pytest.raises(NotFound):
            selectors.rectification_get_for_actor(user(outsider), task.pk)
    with pytest.raises(NotFound):
        selectors.rectification_get_for_actor(user("helijuan"), 10**9)


# --- rollups -----------------------------------------------------------------------------------------------------


def _rated_on(app: Application, scores: tuple[int, int, int, int], day: date) -> Rating:
    rating = rate(app, scores)
    # Local midnight + 30 min: in UTC this is the evening before, so months must be counted in local time.
    at = datetime(day.year, day.month, day.day, 0, 30, tzinfo=SHANGHAI)
    Rating.objects.filter(pk=rating.pk).update(created_at=at)
    return rating


@pytest.fixture
def small_set() -> None:
    """Hand-computed: 医师执业注册 (5,5,4,4)→4 and (2,3,4,5)→2 差评; 出生登记 (3,3,3,3)→3."""
    _rated_on(completed(DOCTOR), (5, 5, 4, 4), date(2025, 1, 1))
    _rated_on(completed(DOCTOR, "yangting"), (2, 3, 4, 5), date(2025, 2, 10))
    _rated_on(completed(BIRTH), (3, 3, 3, 3), date(2025, 2, 28))


def _one(rows: list[RatingRollup], key: str) -> RatingRollup:
    return next(r for r in rows if r.key == key)


def _means(r: RatingRollup) -> tuple[float, ...]:
    return (r.efficiency, r.guide_accuracy, r.convenience, r.usability, r.overall)


SPAN = {"date_from": date(2025, 1, 1), "date_to": date(2025, 2, 28)}


def test_rollup_by_item(small_set: None) -> None:
    rows = selectors.ratings_by_item(user("zhangjianguo"), **SPAN)
    assert [r.key for r in rows] == [DOCTOR, BIRTH]  # most ratings first
    doctor = _one(rows, DOCTOR)
    assert doctor.label == "医师执业注册" and doctor.count == 2 and doctor.bad_count == 1
    assert _means(doctor) == pytest.approx((3.5, 4.0, 4.0, 4.5, 3.0))
    birth = _one(rows, BIRTH)
    assert (birth.count, birth.bad_count) == (1, 0) and _means(birth) == pytest.approx((3, 3, 3, 3, 3))


def test_rollup_by_department_is_scoped(small_set: None) -> None:
    city = selectors.ratings_by_department(user("zhangjianguo"), **SPAN)
    assert {r.key for r in city} == {"wjw", "gaj"}
    assert _one(city, "wjw").count == 2 and _one(city, "gaj").count == 1
    health = selectors.ratings_by_department(user("helijuan"), **SPAN)
    assert [(r.key, r.count, r.bad_count) for r in health] == [("wjw", 2, 1)]
    assert _one(health, "wjw").label == "本溪市卫生健康委员会"
    assert selectors.ratings_by_department(user("fengxue"), **SPAN) == []  # a clerk: no rating scope
    own = selectors.ratings_by_department(user("yangting"), **SPAN)
    assert [(r.key, r.count, r.overall) for r in own] == [("wjw", 1, 2.0)]  # a citizen: their own


def test_rollup_by_month_in_local_time(small_set: None) -> None:
    rows = selectors.ratings_by_month(user("zhangjianguo"), **SPAN)
    assert [(r.key, r.label, r.count, r.bad_count) for r in rows] == [
        ("2025-01", "2025年01月", 1, 0),
        ("2025-02", "2025年02月", 2, 1),
    ]
    assert _means(rows[1]) == pytest.approx((2.5, 3.0, 3.5, 4.0, 2.5))
    only_january = selectors.ratings_by_month(
        user("zhangjianguo"), date_from=date(2025, 1, 1), date_to=date(2025, 1, 31)
    )
    assert [r.key for r in only_january] == ["2025-01"]


def test_rollups_are_aggregate_queries(small_set: None) -> None:
    mayor = user("zhangjianguo")
    selectors.ratings_by_item(mayor, **SPAN)  # loads the grant cache
    with CaptureQueriesContext(connection) as queries:
        selectors.ratings_by_item(mayor, **SPAN)
        selectors.ratings_by_department(mayor, **SPAN)
        selectors.ratings_by_month(mayor, **SPAN)
    assert len(queries) == 3  # one GROUP BY query each, however many ratings
