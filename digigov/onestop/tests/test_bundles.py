"""一件事一次办: merged form and materials, all-or-nothing submission, idempotency, scope, progress, completion."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from digigov.core.calendar import work_calendar
from digigov.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from digigov.core.form_schema import FieldSpec
from digigov.core.models import AuditEntry
from digigov.core.tests import sample_files
from digigov.identity.models import Department, Enterprise, Region, Role, RoleGrant, User
from digigov.onestop import selectors
from digigov.onestop.models import (
    Application,
    ApplicationMaterial,
    ApplicationStatus,
    Bundle,
    BundleApplication,
    IdempotencyKey,
    ServiceItem,
)
from digigov.onestop.services import applications as svc
from digigov.onestop.services import bundles
from digigov.onestop.services.bundles import bundle_application_submit
from digigov.onestop.tests.factories import _VALUES, JPG, PDF, PNG, SAMPLES, draft_with_materials, media_files

pytestmark = pytest.mark.django_db
PINGSHAN = "210502000000"
CITY = "210500000000"
# 退休一件事: 职工退休申请 (人社局), 医保退休待遇核定 (医保局), 公积金提取 (公积金中心, 秒批 for 租赁住房 ≤ 12000 元)
TUIXIU = "tuixiu"
PENSION, MEDICAL, FUND = "210500-RSJ-JF-0003", "210500-YBJ-QR-0006", "210500-GJJ-GG-0001"
# 新生儿出生一件事: 出生医学证明 (卫健委), 出生登记 (公安局), 医保参保 (秒批 for 新生儿), 社保卡 (人社局)
NEWBORN = "xinshenger-chusheng"


# --- helpers ----------------------------------------------------------------------------------------------


def user(username: str) -> User:
    return User.objects.get(username=username)


def region(code: str = PINGSHAN) -> Region:
    return Region.objects.get(code=code)


def bundle(code: str) -> Bundle:
    return Bundle.objects.get(code=code)


def value_for(spec: FieldSpec) -> Any:
    if spec.type == "choice":
        return spec.options[0]
    if spec.type == "number":
        return spec.min_value if spec.min_value is not None else 1
    if spec.type == "bool":
        return True
    return _VALUES[spec.type][: spec.max_length or None]


def form_for(b: Bundle) -> dict[str, Any]:
    return {spec.name: value_for(spec) for spec in selectors.bundle_form_fields(b)}


def files_for(b: Bundle, *, mandatory_only: bool = True) -> dict[str, tuple[str, bytes]]:
    files: dict[str, tuple[str, bytes]] = {}
    for material in selectors.bundle_materials(b):
        if mandatory_only and not material.mandatory:
            continue
        kind = next(t for t in material.file_types if t in SAMPLES)
        files[material.name] = (f"{material.name}.{kind}", SAMPLES[kind])
    return files


def submit(code: str = TUIXIU, username: str = "chenhaoran", *, key: str = "", **overrides: Any) -> BundleApplication:
    b = bundle(code)
    kwargs: dict[str, Any] = {
        "actor": user(username),
        "bundle": b,
        "region": region(),
        "form_data": form_for(b),
        "files": files_for(b),
        "idempotency_key": key,
    }
    kwargs.update(overrides)
    return bundle_application_submit(**kwargs)


def children(bundle_app: BundleApplication) -> dict[str, Application]:
    return {a.item.code: a for a in bundle_app.children.select_related("item")}


def counts() -> tuple[int, ...]:
    return (
        Application.objects.count(),
        BundleApplication.objects.count(),
        ApplicationMaterial.objects.count(),
        IdempotencyKey.objects.count(),
        AuditEntry.objects.count(),
    )


def grant_head(username: str, department_code: str) -> User:
    """Give a staff member the 部门负责人 role for another department (the demo has no head at 医保局)."""
    RoleGrant.objects.create(
        user=user(username),
        role=Role.objects.get(code="dept_head"),
        department=Department.objects.get(code=department_code),
        region=region(CITY),
    )
    return user(username)  # a fresh object: the grant cache is per user object


def decide(app: Application, head: User, *, accept: bool = True) -> None:
    if accept:
        svc.application_accept(actor=user("fengxue"), application=app)
    svc.application_start_review(actor=head, application=app)
    svc.application_approve(actor=head, application=app)
    svc.application_complete(actor=head, application=app)


# --- the merged form and materials --------------------------------------------------------------------------


def test_the_bundle_form_asks_each_shared_field_and_material_once() -> None:
    b = bundle(TUIXIU)
    names = [spec.name for spec in selectors.bundle_form_fields(b)]
    assert len(names) == len(set(names))
    for shared in ("retirement_date", "bank_name", "bank_account"):
        assert names.count(shared) == 1
    items = [bi.item for bi in b.bundle_items.all()]
    every_field = {f["name"] for item in items for f in item.form_fields}
    assert set(names) == every_field
    materials = selectors.bundle_materials(bundle(NEWBORN))
    by_name = {m.name: m for m in materials}
    assert len(by_name) == len(materials)
    # 户口簿: mandatory for 出生登记 and 医保参保, optional for 社保卡 — asked once, mandatory.
    assert by_name["户口簿"].mandatory and len(by_name["户口簿"].materials) == 3
    assert by_name["结婚证"].mandatory is False
    assert set(by_name["近期免冠证件照片"].file_types) == {"jpg", "png"}


def test_a_material_takes_the_file_types_every_item_accepts() -> None:
    items = [ServiceItem.objects.get(code=PENSION), ServiceItem.objects.get(code=FUND)]
    fund = items[1].materials.get(name="住房公积金提取承诺书")
    fund.name = "居民身份证"  # now both items ask for it: the pension item accepts pdf/jpg/png, this one pdf
    fund.save()
    merged = {m.name: m for m in bundles.merged_materials(items)}
    assert merged["居民身份证"].file_types == ("pdf",)
    assert merged["居民身份证"].item_ids == (items[0].pk, items[1].pk)


def test_active_bundles_and_bundle_get() -> None:
    codes = set(selectors.active_bundles().values_list("code", flat=True))
    assert {TUIXIU, NEWBORN} <= codes and len(codes) >= 5
    assert selectors.bundle_get(TUIXIU).name == "退休一件事"
    with pytest.raises(NotFound):
        selectors.bundle_get("no-such-bundle")
    Bundle.objects.filter(code=TUIXIU).update(is_active=False)
    with pytest.raises(NotFound):
        selectors.bundle_get(TUIXIU)
    Bundle.objects.filter(code=TUIXIU).update(is_active=True)
    ServiceItem.objects.filter(code=MEDICAL).update(is_active=False)  # one stopped item stops the bundle
    with pytest.raises(NotFound):
        selectors.bundle_get(TUIXIU)


# --- submission -------------------------------------------------------------------------------------------


def test_submission_creates_one_linked_child_per_item_with_its_own_fields() -> None:
    b = bundle(TUIXIU)
    bundle_app = submit()
    assert re.fullmatch(rf"YJS{timezone.localdate():%Y%m%d}\d{{8}}", bundle_app.number)
    assert bundle_app.number.endswith(f"{bundle_app.pk:08d}")
    kids = children(bundle_app)
    assert set(kids) == {PENSION, MEDICAL, FUND}
    form = form_for(b)
    for code, child in kids.items():
        item = child.item
        own = {f["name"] for f in item.form_fields}
        assert set(child.form_data) <= own
        assert child.form_data == {k: v for k, v in form.items() if k in own}
        assert child.department_id == item.department_id and child.region.code == PINGSHAN
        assert child.applicant.username == "chenhaoran" and child.number, code
    assert kids[PENSION].form_data["retirement_date"] == kids[MEDICAL].form_data["retirement_date"]
    # 秒批 ran per child: 公积金提取 for 租赁住房 within the limit is approved and completed at once.
    assert kids[FUND].status == ApplicationStatus.COMPLETED and kids[FUND].auto_approved
    assert kids[PENSION].status == ApplicationStatus.SUBMITTED
    assert kids[MEDICAL].status == ApplicationStatus.SUBMITTED
    assert bundle_app.completed_at is None
    assert AuditEntry.objects.filter(action="services.bundle_application_submit", object_id=str(bundle_app.pk)).exists()


def test_one_upload_satisfies_every_child_that_needs_it() -> None:
    bundle_app = submit(NEWBORN)
    kids = children(bundle_app)
    attached = {code: set(child.materials.values_list("material__name", flat=True)) for code, child in kids.items()}
    # 户口簿 was uploaded once and is attached to each item asking for it (optional for 社保卡 too).
    assert {code for code, names in attached.items() if "户口簿" in names} == {
        "210500-GAJ-QR-0002",
        "210500-YBJ-GG-0004",
        "210500-RSJ-GG-0005",
    }
    assert {code for code, names in attached.items() if "父母双方居民身份证" in names} == {
        "210500-WJW-GG-0005",
        "210500-GAJ-QR-0002",
    }
    hukou = ApplicationMaterial.objects.filter(application__bundle_application=bundle_app, material__name="户口簿")
    assert len({m.sm3 for m in hukou}) == 1
    assert kids["210500-YBJ-GG-0004"].status == ApplicationStatus.COMPLETED  # 新生儿参保: 秒批


def test_every_problem_is_listed_and_nothing_is_written() -> None:
    b = bundle(TUIXIU)
    form = form_for(b)
    del form["bank_name"]  # required by two items, asked once
    form["withdrawal_amount"] = "很多"
    form["unknown_field"] = "x"
    files = files_for(b)
    del files["职工人事档案"]  # mandatory
    files["居民身份证"] = ("身份证.pdf", PNG)  # a PNG that claims to be a PDF
    files["不存在的材料"] = ("x.pdf", PDF)
    before = counts()
    with pytest.raises(ValidationFailed) as caught:
        submit(form_data=form, files=files, key="k-invalid")
    assert counts() == before
    error = caught.value
    assert {"bank_name", "withdrawal_amount", "unknown_field", "居民身份证", "不存在的材料"} <= set(error.fields)
    assert "职工人事档案" in error.fields["materials"]
    assert error.message.startswith("一件事申请填写有误")
    assert "请填写开户银行" in error.fields["bank_name"]
    assert "内容与扩展名" in error.fields["居民身份证"]


def test_file_type_and_size_are_checked_against_each_item() -> None:
    b = bundle(NEWBORN)
    files = files_for(b)
    files["近期免冠证件照片"] = ("照片.pdf", PDF)  # 社保卡 takes jpg/png only
    with pytest.raises(ValidationFailed) as caught:
        submit(NEWBORN, files=files)
    assert "只接受" in caught.value.fields["近期免冠证件照片"]
    files["近期免冠证件照片"] = ("照片.jpg", JPG + b"\x00" * (11 * 1024 * 1024))
    with pytest.raises(ValidationFailed) as caught:
        submit(NEWBORN, files=files)
    assert "不能超过" in caught.value.fields["近期免冠证件照片"]
    files["近期免冠证件照片"] = ("照片.jpg", b"")
    with pytest.raises(ValidationFailed):
        submit(NEWBORN, files=files)
    files["近期免冠证件照片"] = "not a file"  # type: ignore[assignment]
    with pytest.raises(ValidationFailed):
        submit(NEWBORN, files=files)


def test_a_failure_while_writing_rolls_back_every_child(monkeypatch: pytest.MonkeyPatch) -> None:
    real_submit = bundles.application_submit
    calls: list[int] = []

    def fail_on_second(*, actor: User, application: Application) -> Application:
        calls.append(application.pk)
        if len(calls) == 2:
            raise Conflict("模拟第二个办件提交失败")
        return real_submit(actor=actor, application=application)

    monkeypatch.setattr(bundles, "application_submit", fail_on_second)
    before = counts()
    with pytest.raises(Conflict):
        submit(key="k-rollback")
    assert counts() == before
    assert len(calls) == 2


def test_a_failed_submission_leaves_no_uploaded_file_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    """The children's uploads were written before the failure; the rollback removes their rows and the files."""
    real_attach = bundles.application_attach_material
    written: list[str] = []

    def attach_and_note(**kwargs: Any) -> ApplicationMaterial:
        stored = real_attach(**kwargs)
        written.append(stored.file.name)
        return stored

    def fail(*, actor: User, application: Application) -> Application:
        raise Conflict("模拟提交失败")

    monkeypatch.setattr(bundles, "application_attach_material", attach_and_note)
    monkeypatch.setattr(bundles, "application_submit", fail)
    assert media_files() == []
    with pytest.raises(Conflict):
        submit(key="k-files")
    assert len(written) >= 3  # several children's files were on disk before the failure
    assert media_files() == []

    monkeypatch.setattr(bundles, "application_submit", svc.application_submit)
    bundle_app = submit(key="k-files")  # the same request succeeds: its files stay
    stored = ApplicationMaterial.objects.filter(application__bundle_application=bundle_app)
    assert len(media_files()) == stored.count() >= 3


def test_regions_are_checked_for_every_item() -> None:
    # 食品经营许可 and 门头招牌备案 are handled by the districts (属地办理), not at city level.
    with pytest.raises(ValidationFailed) as caught:
        submit("kaiban-canyindian", region=region(CITY))
    assert caught.value.fields["region"] == "不在办理范围内"
    assert "食品经营许可" in caught.value.message and "门头招牌设置备案" in caught.value.message
    assert "个体工商户设立登记" not in caught.value.message.split("以下事项不能在所选区域办理")[1]


def test_applicant_checks_are_those_of_single_applications() -> None:
    before = counts()
    with pytest.raises(Forbidden):
        submit(username="fengxue")  # staff do not apply
    company = Enterprise.objects.get(name="本溪数智云科技有限公司")
    with pytest.raises(ValidationFailed, match="自然人"):
        submit(enterprise=company)  # 退休 items are for persons only
    with pytest.raises(ValidationFailed, match="法人"):
        submit("gongcheng-kaigong")  # items for legal persons need the enterprise
    with pytest.raises(NotFound):
        submit("gongcheng-kaigong", username="zhaoyu", enterprise=company)  # not his company
    assert counts() == before
    bundle_app = submit("gongcheng-kaigong", enterprise=company)
    assert {c.enterprise_id for c in bundle_app.children.all()} == {company.pk}


# --- idempotency ------------------------------------------------------------------------------------------


def test_a_retried_submission_returns_the_first_bundle_application() -> None:
    first = submit(key="retry-1")
    before = counts()
    again = submit(key="retry-1")
    assert again.pk == first.pk and counts() == before
    key = IdempotencyKey.objects.get(user=user("chenhaoran"), key="retry-1")
    assert key.application is not None and key.application.bundle_application_id == first.pk
    b = bundle(TUIXIU)
    other_form = {**form_for(b), "bank_name": "中国工商银行本溪分行"}
    with pytest.raises(Conflict):
        submit(key="retry-1", form_data=other_form)
    other_files = {**files_for(b), "居民身份证": ("另一份.pdf", sample_files.pdf(b"changed"))}
    with pytest.raises(Conflict):
        submit(key="retry-1", files=other_files)
    assert counts() == before
    # Another applicant may use the same key for their own request.
    assert submit(key="retry-1", username="yangting").pk != first.pk


def test_a_key_used_for_a_single_application_is_not_reused_for_a_bundle() -> None:
    single = draft_with_materials(user("chenhaoran"), ServiceItem.objects.get(code="210500-WJW-XK-0003"))
    svc.application_submit(actor=user("chenhaoran"), application=single)
    IdempotencyKey.objects.create(user=user("chenhaoran"), key="k-x", request_digest="single", application=single)
    with pytest.raises(Conflict):
        submit(key="k-x")


# --- scope --------------------------------------------------------------------------------------------------


def test_citizens_see_their_own_and_staff_those_with_a_child_in_scope() -> None:
    retirement = submit()
    newborn = submit(NEWBORN)
    owner = user("chenhaoran")
    assert set(selectors.visible_bundle_applications(owner)) == {retirement, newborn}
    assert selectors.bundle_application_get_for_actor(owner, retirement.pk) == retirement
    with pytest.raises(NotFound):
        selectors.bundle_application_get_for_actor(user("yangting"), retirement.pk)
    assert not selectors.visible_bundle_applications(user("yangting")).exists()
    # 卫健委 decides 出生医学证明 (in the newborn bundle), nothing in the retirement bundle.
    health = user("helijuan")
    assert selectors.bundle_application_get_for_actor(health, newborn.pk) == newborn
    with pytest.raises(NotFound):
        selectors.bundle_application_get_for_actor(health, retirement.pk)
    # The 综合窗口 accepts for every department city-wide.
    assert {retirement, newborn} <= set(selectors.visible_bundle_applications(user("fengxue")))
    with pytest.raises(NotFound):
        selectors.bundle_application_get_for_actor(owner, 10**9)
    assert not selectors.visible_bundle_applications(user("zhangjianguo")).exists()  # 市长: statistics only


# --- progress and completion --------------------------------------------------------------------------------


def test_the_progress_view_shows_each_child_with_department_deadline_and_holder() -> None:
    bundle_app = submit()
    kids = children(bundle_app)
    svc.application_accept(actor=user("fengxue"), application=kids[PENSION])
    svc.application_start_review(actor=user("huchunyan"), application=kids[PENSION])
    rows = selectors.bundle_progress(bundle_app)
    assert [r.item.code for r in rows] == [PENSION, MEDICAL, FUND]  # bundle order
    pension, medical, fund = rows
    assert pension.status == ApplicationStatus.UNDER_REVIEW and pension.status_label == "审查中"
    assert pension.department.short_name == "市人力社保局"
    assert pension.due_date == work_calendar().add_working_days(timezone.localdate(), 10)
    assert pension.department.name in pension.holder and "胡春燕" in pension.holder
    assert medical.status_label == "已申请" and medical.due_date is None and "综合窗口" in medical.holder
    assert fund.status_label == "已办结" and fund.holder == ""
    assert selectors.bundle_application_status_label(bundle_app) == "办理中"


def test_the_bundle_completes_when_every_child_is_completed() -> None:
    bundle_app = submit()
    kids = children(bundle_app)
    decide(kids[PENSION], user("huchunyan"))
    bundle_app.refresh_from_db()
    assert bundle_app.completed_at is None  # 医保 is still open
    decide(kids[MEDICAL], grant_head("huchunyan", "ybj"))
    bundle_app.refresh_from_db()
    assert bundle_app.completed_at is not None
    assert selectors.bundle_application_status_label(bundle_app) == "已办结"
    closing = AuditEntry.objects.filter(action="services.bundle_application_close", object_id=str(bundle_app.pk))
    assert closing.count() == 1


def test_a_bundle_with_a_child_not_accepted_closes_as_not_all_completed() -> None:
    bundle_app = submit()
    kids = children(bundle_app)
    svc.application_reject(actor=user("fengxue"), application=kids[MEDICAL], reason="缴费年限材料不属于本单位受理范围")
    bundle_app.refresh_from_db()
    assert bundle_app.completed_at is None
    decide(kids[PENSION], user("huchunyan"))
    bundle_app.refresh_from_db()
    assert bundle_app.completed_at is not None
    assert selectors.bundle_application_status_label(bundle_app) == "未全部办结"


def test_a_withdrawn_last_child_closes_the_bundle_too() -> None:
    bundle_app = submit()
    kids = children(bundle_app)
    decide(kids[PENSION], user("huchunyan"))
    svc.application_withdraw(actor=user("chenhaoran"), application=kids[MEDICAL], reason="不再申请")
    bundle_app.refresh_from_db()
    assert bundle_app.completed_at is not None
    assert selectors.bundle_application_status_label(bundle_app) == "未全部办结"


def test_status_of_a_bundle_from_its_children() -> None:
    done, refused_out, withdrawn = (
        ApplicationStatus.COMPLETED,
        ApplicationStatus.NOT_ACCEPTED,
        ApplicationStatus.WITHDRAWN,
    )
    assert bundles.bundle_application_status([done, done]) == "已办结"
    assert bundles.bundle_application_status([done, refused_out]) == "未全部办结"
    assert bundles.bundle_application_status([withdrawn, done]) == "未全部办结"
    assert bundles.bundle_application_status([done, ApplicationStatus.APPROVED]) == "办理中"
    assert bundles.bundle_application_status([]) == "办理中"


def test_a_single_application_is_not_touched_by_the_bundle_hook() -> None:
    app = draft_with_materials(user("chenhaoran"), ServiceItem.objects.get(code="210500-WJW-XK-0003"))
    svc.application_submit(actor=user("chenhaoran"), application=app)
    decide(app, user("helijuan"))
    assert app.status == ApplicationStatus.COMPLETED
    assert not AuditEntry.objects.filter(action="services.bundle_application_close", object_id=str(app.pk)).exists()


# --- concurrency ------------------------------------------------------------------------------------------


def _run_at_once(*actions: Callable[[], object]) -> list[str]:
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action: Callable[[], object]) -> None:
        try:
            barrier.wait()
            action()
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_the_same_key_submitted_twice_at_once_gives_one_bundle_application(demo_city: None) -> None:
    outcomes = _run_at_once(lambda: submit(key="race"), lambda: submit(key="race"))
    assert outcomes == ["ok", "ok"]
    assert BundleApplication.objects.filter(applicant__username="chenhaoran").count() == 1
    assert Application.objects.filter(applicant__username="chenhaoran").count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_last_two_children_completed_at_once_close_the_bundle_once(demo_city: None) -> None:
    bundle_app = submit()
    kids = children(bundle_app)
    pension_head, medical_head = user("huchunyan"), grant_head("wujunfeng", "ybj")
    for app, head in ((kids[PENSION], pension_head), (kids[MEDICAL], medical_head)):
        svc.application_accept(actor=user("fengxue"), application=app)
        svc.application_start_review(actor=head, application=app)
        svc.application_approve(actor=head, application=app)

    def complete(code: str, head: User) -> Callable[[], object]:
        return lambda: svc.application_complete(actor=head, application=Application.objects.get(pk=kids[code].pk))

    assert _run_at_once(complete(PENSION, pension_head), complete(MEDICAL, medical_head)) == ["ok", "ok"]
    bundle_app.refresh_from_db()
    assert bundle_app.completed_at is not None
    closing = AuditEntry.objects.filter(action="services.bundle_application_close", object_id=str(bundle_app.pk))
    assert closing.count() == 1
