"""The citizen portal of 一网通办 through the test client: search, guide, apply, drafts, uploads, progress,
withdrawal, 补正, rating, 秒批, 一件事, and that nobody sees another citizen's application."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from digigov.core.form_schema import FieldSpec, validate_form_schema
from digigov.identity.models import User
from digigov.onestop import selectors
from digigov.onestop.forms_portal import BoolWidget
from digigov.onestop.models import (
    Application,
    ApplicationMaterial,
    ApplicationStatus,
    BundleApplication,
    Rating,
    ServiceItem,
)
from digigov.onestop.services import applications as svc
from digigov.onestop.tests.factories import PDF, PNG, draft_with_materials

pytestmark = pytest.mark.django_db

DRAIN = "210500-ZJJ-XK-0004"  # 城镇污水排入排水管网许可: found by 餐饮, citywide, 自然人/法人
DOCTOR = "210500-WJW-XK-0003"  # 医师执业注册: 卫健委 decides (helijuan), 综合窗口 accepts (fengxue)
ELDER_CARD = "210500-MZJ-GG-0004"  # 老年人优待证: 秒批 when the applicant is 60 or older
CHEN, LI, WANG = "18900006438", "13800001352", "13900004916"  # chenhaoran, lixiulan (born 1952), wangdefu
PINGSHAN = "210502000000"

_VALUES: dict[str, str] = {
    "text": "本溪市平山区",
    "textarea": "申请事项说明。",
    "address": "本溪市平山区胜利路35号",
    "date": "2026-11-20",
    "id_number": "210502198809301533",
    "mobile": "13904140001",
    "uscc": "91210502MAQW141D2R",
}


def staff(username: str) -> User:
    return User.objects.get(username=username)


def post_values(specs: list[FieldSpec]) -> dict[str, str]:
    """Valid values for every field, as a browser posts them (prefixed f_)."""
    data: dict[str, str] = {}
    for spec in specs:
        if spec.type == "choice":
            value = spec.options[0]
        elif spec.type == "number":
            value = str(spec.min_value if spec.min_value is not None and spec.min_value >= 1 else 1)
        elif spec.type == "bool":
            value = "true"
        else:
            value = _VALUES[spec.type][: spec.max_length or None]
        data[f"f_{spec.name}"] = value
    return data


def uploads(materials: list[Any], *, mandatory_only: bool = True) -> dict[str, SimpleUploadedFile]:
    files = {}
    for index, material in enumerate(materials):
        if mandatory_only and not material.mandatory:
            continue
        kind = "pdf" if "pdf" in material.file_types else "png"
        files[f"m_{index}"] = SimpleUploadedFile(f"材料{index}.{kind}", PDF if kind == "pdf" else PNG)
    return files


def item(code: str) -> ServiceItem:
    return ServiceItem.objects.get(code=code)


def full_post(code: str, action: str = "submit", **overrides: Any) -> dict[str, Any]:
    it = item(code)
    data: dict[str, Any] = {"region": PINGSHAN, "action": action, **post_values(validate_form_schema(it.form_fields))}
    data.update(uploads(list(it.materials.all())))
    data.update(overrides)
    return data


def apply(client: Client, code: str, **overrides: Any) -> Any:
    return client.post(f"/services/items/{code}/apply/", full_post(code, **overrides))


def mine(username: str) -> Any:
    return Application.objects.filter(applicant__username=username)


# --- catalogue ------------------------------------------------------------------------------------------


def test_search_finds_items_by_a_chinese_word_not_by_a_substring() -> None:
    client = Client()
    page = client.get("/services/", {"q": "餐饮"}).content.decode()
    assert "城镇污水排入排水管网许可" in page and "住房和城乡建设局" in page
    assert "开办餐饮店一件事" in page  # the bundle matches too
    assert "承诺时限" in page
    miss = client.get("/services/", {"q": "饮服"}).content.decode()
    assert "城镇污水排入排水管网许可" not in miss and "没有找到" in miss
    fast = client.get("/services/", {"q": "优待证"}).content.decode()
    assert "老年人优待证办理" in fast and "秒批" in fast and "全程网办" in fast


def test_empty_search_groups_items_by_department_and_filters_by_department() -> None:
    page = Client().get("/services/").content.decode()
    assert "按部门浏览" in page and "一件事一次办" in page and "开办餐饮店一件事" in page
    department = item(DOCTOR).department
    filtered = Client().get("/services/", {"dept": department.code}).content.decode()
    assert "医师执业注册" in filtered and "城镇污水排入排水管网许可" not in filtered


def test_guide_is_public_and_applying_needs_a_login() -> None:
    client = Client()
    response = client.get(f"/services/items/{DRAIN}/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("行政许可", "设定依据", "法定时限", "承诺时限", "3 个工作日", "不收费", "自然人、法人", "全市通办"):
        assert text in page, text
    assert "排水许可申请表" in page and "必须" in page and "可选" in page and "不超过 10MB" in page
    assert f'href="/services/items/{DRAIN}/apply/"' in page and "在线申请" in page
    assert client.get("/services/items/no-such-item/").status_code == 404
    login_redirect = client.get(f"/services/items/{DRAIN}/apply/")
    assert login_redirect.status_code == 302
    assert login_redirect.headers["Location"].startswith("/login/?next=/services/items/")


def test_staff_cannot_apply_and_anonymous_cannot_see_my_applications(login: Any) -> None:
    assert login("fengxue").get(f"/services/items/{DRAIN}/apply/").status_code == 403
    assert Client().get("/services/my/").status_code == 302


def test_apply_form_renders_each_field_type_with_a_suitable_widget(login: Any) -> None:
    page = login(CHEN).get(f"/services/items/{DRAIN}/apply/").content.decode()
    assert '<select name="f_drainage_category"' in page and 'inputmode="decimal"' in page
    assert 'autocomplete="tel"' in page and 'accept=".pdf"' in page and 'accept=".pdf,.jpg,.png"' in page
    assert "保存草稿" in page and "提交申请" in page and 'name="region"' in page
    assert "本溪数智云科技有限公司（企业代办）" in page  # 法人 allowed and chenhaoran is its agent
    assert "桓仁" in page and "社区" not in page  # districts and streets, not communities


def test_bool_widget_posts_false_when_unchecked() -> None:
    widget = BoolWidget()
    from django.http import QueryDict

    assert widget.value_from_datadict(QueryDict("x=false"), {}, "x") == "false"
    assert widget.value_from_datadict(QueryDict("x=false&x=true"), {}, "x") == "true"
    html = widget.render("x", "true")
    assert 'type="hidden" name="x" value="false"' in html and "checked" in html


# --- applying -----------------------------------------------------------------------------------------------


def test_invalid_values_show_chinese_errors_and_nothing_is_written(login: Any) -> None:
    client = login(CHEN)
    before = Application.objects.count()
    response = apply(client, DRAIN, f_legal_rep_phone="12345", f_daily_discharge_m3="很多")
    assert response.status_code == 200
    page = response.content.decode()
    assert "申请表填写有误" in page and "应填写数字" in page and "手机" in page
    assert "您选择的文件尚未保存" in page
    assert Application.objects.count() == before and not ApplicationMaterial.objects.exists()


def test_submitting_an_incomplete_form_keeps_a_draft_with_its_uploads(login: Any) -> None:
    client = login(CHEN)
    it = item(DRAIN)
    first = it.materials.order_by("position").first()
    response = client.post(
        f"/services/items/{DRAIN}/apply/",
        {"region": PINGSHAN, "action": "submit", "m_0": SimpleUploadedFile("申请表.pdf", PDF)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "请填写经营主体名称" in page and "请上传「排水管网及预处理设施平面图」" in page
    draft = mine("chenhaoran").get()
    assert draft.status == ApplicationStatus.DRAFT and draft.number is None
    assert draft.materials.get().material == first
    assert f'action="/services/applications/{draft.pk}/edit/"' in page and "已上传" in page and "申请表.pdf" in page
    # the citizen completes the form without choosing the first file again
    data = full_post(DRAIN)
    del data["m_0"]
    done = client.post(f"/services/applications/{draft.pk}/edit/", data)
    assert done.status_code == 302 and done.headers["Location"] == f"/services/my/{draft.pk}/"
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED and draft.number


def test_save_draft_and_continue_later(login: Any) -> None:
    client = login(CHEN)
    response = client.post(
        f"/services/items/{DRAIN}/apply/",
        {"region": PINGSHAN, "action": "draft", "f_business_name": "浩然小吃店", "f_drainage_category": "餐饮"},
    )
    draft = mine("chenhaoran").get()
    assert response.status_code == 302 and response.headers["Location"] == f"/services/applications/{draft.pk}/edit/"
    assert draft.status == ApplicationStatus.DRAFT and draft.form_data["business_name"] == "浩然小吃店"
    page = client.get(response.headers["Location"]).content.decode()
    assert 'value="浩然小吃店"' in page and '<option value="餐饮" selected>' in page
    listing = client.get("/services/my/").content.decode()
    assert "草稿" in listing and "继续填写" in listing and "城镇污水排入排水管网许可" in listing


def test_upload_of_the_wrong_type_is_refused_in_chinese(login: Any) -> None:
    client = login(CHEN)
    data = full_post(DRAIN, m_0=SimpleUploadedFile("申请表.exe", b"MZ\x90\x00"))
    page = client.post(f"/services/items/{DRAIN}/apply/", data).content.decode()
    assert "只接受以下格式：pdf" in page
    fake = full_post(DRAIN, m_0=SimpleUploadedFile("申请表.pdf", b"not really a pdf"))
    page = client.post(f"/services/items/{DRAIN}/apply/", fake).content.decode()
    assert "文件内容与扩展名 .pdf 不符" in page
    assert not mine("chenhaoran").exclude(status=ApplicationStatus.DRAFT).exists()
    assert not ApplicationMaterial.objects.filter(original_name="申请表.pdf").exists()


def test_submit_and_track_the_progress(login: Any) -> None:
    client = login(CHEN)
    response = apply(client, DRAIN)
    app = mine("chenhaoran").get()
    assert response.status_code == 302 and response.headers["Location"] == f"/services/my/{app.pk}/"
    assert app.status == ApplicationStatus.SUBMITTED and app.number
    detail = client.get(f"/services/my/{app.pk}/").content.decode()
    assert app.number in detail and "已申请" in detail and "综合窗口" in detail and "受理后 3 个工作日内" in detail
    assert "提交申请" in detail and "撤回申请" in detail and "排水许可申请表" in detail
    svc.application_accept(actor=staff("fengxue"), application=app)
    detail = client.get(f"/services/my/{app.pk}/").content.decode()
    assert "已受理" in detail and "本溪市住房和城乡建设局 · 审查" in detail and "撤回申请" not in detail
    assert app.due_date is not None and app.due_date.isoformat() in detail
    listing = client.get("/services/my/").content.decode()
    assert app.number in listing and app.due_date.isoformat() in listing


def test_withdraw_before_acceptance_with_a_confirmation_step(login: Any) -> None:
    client = login(CHEN)
    apply(client, DRAIN)
    app = mine("chenhaoran").get()
    confirm = client.get(f"/services/my/{app.pk}/withdraw/").content.decode()
    assert "确认撤回申请" in confirm and "确认撤回" in confirm
    response = client.post(f"/services/my/{app.pk}/withdraw/", {"reason": "信息填错，重新申请"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.WITHDRAWN
    assert client.get(f"/services/my/{app.pk}/withdraw/").status_code == 404
    assert "已撤回" in client.get(f"/services/my/{app.pk}/").content.decode()


def test_correction_is_shown_and_resubmitted_with_a_new_upload(login: Any) -> None:
    client = login(CHEN)
    apply(client, DRAIN)
    app = mine("chenhaoran").get()
    svc.application_request_correction(actor=staff("fengxue"), application=app, reason="平面图不清晰，请重新上传")
    detail = client.get(f"/services/my/{app.pk}/").content.decode()
    assert "补正告知" in detail and "平面图不清晰" in detail and "补正后重新提交" in detail
    form = client.get(f"/services/my/{app.pk}/correct/").content.decode()
    assert "已上传" in form and 'name="region"' not in form
    data = {k: v for k, v in full_post(DRAIN).items() if k.startswith("f_")}
    data["m_2"] = SimpleUploadedFile("平面图.png", PNG)
    response = client.post(f"/services/my/{app.pk}/correct/", data)
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED
    assert app.materials.filter(original_name="平面图.png").exists()


def test_rate_after_completion(login: Any) -> None:
    client = login(CHEN)
    apply(client, DOCTOR)
    app = mine("chenhaoran").get()
    assert "评价本次服务" not in client.get(f"/services/my/{app.pk}/").content.decode()
    svc.application_accept(actor=staff("fengxue"), application=app)
    svc.application_start_review(actor=staff("helijuan"), application=app)
    svc.application_approve(actor=staff("helijuan"), application=app)
    svc.application_complete(actor=staff("helijuan"), application=app)
    detail = client.get(f"/services/my/{app.pk}/").content.decode()
    assert "评价本次服务" in detail and "非常不满意" in detail and "非常满意" in detail
    assert detail.count("<legend>") >= 4 and "办事指南精确度" in detail
    partial = client.post(f"/services/my/{app.pk}/rate/", {"efficiency": "5"}).content.decode()
    assert "请为「办事便捷度」打分" in partial and not Rating.objects.filter(application=app).exists()
    scores = {"efficiency": "5", "guide_accuracy": "4", "convenience": "5", "usability": "4", "comment": "很快"}
    response = client.post(f"/services/my/{app.pk}/rate/", scores)
    assert response.status_code == 302
    rating = Rating.objects.get(application=app)
    assert (rating.efficiency, rating.overall, rating.comment) == (5, 4, "很快")
    after = client.get(f"/services/my/{app.pk}/").content.decode()
    assert "我的评价" in after and "评价本次服务" not in after
    again = client.post(f"/services/my/{app.pk}/rate/", scores).content.decode()
    assert "不能重复评价" in again


def test_elder_card_for_lixiulan_is_completed_at_once(login: Any) -> None:
    client = login(LI)
    response = apply(client, ELDER_CARD)
    app = mine("lixiulan").get()
    assert response.status_code == 302
    assert app.status == ApplicationStatus.COMPLETED and app.auto_approved
    detail = client.get(response.headers["Location"]).content.decode()
    assert "已办结" in detail and "秒批" in detail and "系统自动审批（秒批）" in detail
    assert "评价本次服务" in detail


def test_bundle_apply_with_one_form_and_one_progress_view(login: Any) -> None:
    client = login(CHEN)
    bundle = selectors.bundle_get("kaiban-canyindian")
    page = client.get("/services/bundles/kaiban-canyindian/apply/").content.decode()
    assert page.count('name="f_business_name"') == 1 and page.count("居民身份证") == 1
    materials = selectors.bundle_materials(bundle)
    data: dict[str, Any] = {"region": PINGSHAN, "idempotency_key": "k-1"}
    data.update(post_values(selectors.bundle_form_fields(bundle)))
    missing = client.post("/services/bundles/kaiban-canyindian/apply/", data).content.decode()
    assert "请上传「个体工商户登记(备案)申请书」" in missing and not BundleApplication.objects.exists()
    data.update(uploads(materials))
    data["idempotency_key"] = "k-2"
    response = client.post("/services/bundles/kaiban-canyindian/apply/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    bundle_app = BundleApplication.objects.get()
    assert response.headers["Location"] == f"/services/my/bundles/{bundle_app.pk}/"
    progress = client.get(response.headers["Location"]).content.decode()
    assert bundle_app.number in progress and "各事项办理情况" in progress
    for name in ("个体工商户设立登记", "食品经营许可", "门头招牌设置备案", "城镇污水排入排水管网许可"):
        assert name in progress
    assert "一件事" in client.get("/services/my/").content.decode()
    assert login(LI).get(response.headers["Location"]).status_code == 404


def test_another_citizens_application_is_not_found(login: Any) -> None:
    app = draft_with_materials(staff("lixiulan"), item(DOCTOR))
    svc.application_submit(actor=staff("lixiulan"), application=app)
    other = login(CHEN)
    for url in (
        f"/services/my/{app.pk}/",
        f"/services/my/{app.pk}/withdraw/",
        f"/services/my/{app.pk}/correct/",
        f"/services/applications/{app.pk}/edit/",
    ):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/services/my/{app.pk}/rate/", {"efficiency": "1"}).status_code == 404
    assert login(LI).get(f"/services/my/{app.pk}/").status_code == 200
