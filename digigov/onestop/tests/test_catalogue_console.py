"""Maintaining the catalogue item by item in the console: create, edit, refused input leaves the item as it
was, scope (403 without the permission, 404 for another department's item), stale forms, and the audit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from digigov.core.models import AuditEntry
from digigov.core.policy import SYSTEM
from digigov.identity.models import Department, Region, Role, User
from digigov.identity.services.staff import role_grant
from digigov.onestop.forms_catalogue import item_initial, material_initial
from digigov.onestop.models import ServiceItem
from digigov.onestop.services import applications as svc
from digigov.onestop.services.catalogue import ItemSpec, MaterialSpec, item_update
from digigov.onestop.tests.factories import draft_with_materials

pytestmark = pytest.mark.django_db
DOCTOR = "210500-WJW-XK-0003"  # 医师执业注册, 卫健委
FOOD = "210500-SCJG-XK-0005"  # 食品经营许可, 市场监管局
URL = "/console/services/catalogue"


def user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def keeper(login: Any) -> Client:
    """何丽娟 (卫健委 head) with a catalogue grant bound to 卫健委: she maintains 卫健委's items only."""
    role = Role.objects.create(
        code="catalogue_keeper", name="事项管理员", permissions=["console.access", "services.manage_catalogue"]
    )
    wjw = Department.objects.get(code="wjw")
    role_grant(actor=SYSTEM, user=user("helijuan"), role=role, region=wjw.region, department=wjw)
    return login("helijuan")


def snapshot(code: str) -> tuple[Any, ...]:
    item = ServiceItem.objects.get(code=code)
    return (
        tuple(item_initial(item).items()),
        tuple(tuple(sorted(m.items())) for m in material_initial(item)),
        item.updated_at,
    )


def form_data(item: ServiceItem | None = None, materials: list[dict[str, Any]] | None = None, **fields: Any) -> dict:
    """What the item page posts: the item's current values (or a new item's), overridden by fields."""
    values: dict[str, Any] = (
        item_initial(item)
        if item is not None
        else {
            "code": "210500-WJW-QT-0901",
            "name": "职业健康检查机构备案",
            "department_code": "wjw",
            "item_type": "other_power",
            "legal_basis": "《职业健康检查管理办法》第四条",
            "statutory_days": 20,
            "promised_days": 5,
            "fee": "0",
            "fee_note": "",
            "online_level": "full",
            "applicant_kind": "legal",
            "handling_scope": "citywide",
            "region_codes": ["210500000000"],
            "guide": "网上提交备案材料，审核通过后公示。",
            "form_fields": '[{"name": "org_name", "label": "机构名称", "type": "text", "required": true}]',
            "auto_approval_rules": "",
        }
    )
    values.update(fields)
    rows = materials if materials is not None else (material_initial(item) if item is not None else [])
    data: dict[str, Any] = {key: value for key, value in values.items() if key != "region_codes" and value is not None}
    data["region_codes"] = values["region_codes"]
    data.update(
        {
            "materials-TOTAL_FORMS": str(len(rows)),
            "materials-INITIAL_FORMS": str(len(material_initial(item)) if item is not None else 0),
            "materials-MIN_NUM_FORMS": "0",
            "materials-MAX_NUM_FORMS": "1000",
        }
    )
    for index, row in enumerate(rows):
        for key, value in row.items():
            if key == "mandatory" and not value:
                continue
            data[f"materials-{index}-{key}"] = value
    return data


def test_a_keeper_creates_an_item_with_materials_and_it_is_audited(keeper: Client) -> None:
    page = keeper.get(f"{URL}/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "新增事项" in html and "卫生健康委员会" in html and "市场监督管理局" not in html  # own department only
    material = {"name": "备案申请表", "mandatory": True, "file_types": ["pdf", "ofd"], "max_size_mb": 5}
    license_backed = {"name": "营业执照", "mandatory": True, "file_types": ["pdf"], "max_size_mb": 10}
    license_backed["license_type"] = "营业执照"
    response = keeper.post(f"{URL}/new/", form_data(materials=[material, license_backed]))
    item = ServiceItem.objects.get(code="210500-WJW-QT-0901")
    assert response.status_code == 302 and response["Location"] == f"{URL}/{item.pk}/"
    assert item.department.code == "wjw" and (item.statutory_days, item.promised_days) == (20, 5)
    assert item.form_fields == [{"name": "org_name", "label": "机构名称", "type": "text", "required": True}]
    assert [r.code for r in item.regions.all()] == ["210500000000"]
    stored = list(item.materials.order_by("position").values_list("name", "file_types", "max_size_mb", "license_type"))
    assert stored == [("备案申请表", ["pdf", "ofd"], 5, ""), ("营业执照", ["pdf"], 10, "营业执照")]
    assert " 健康检查 " in item.search_tokens  # searchable at once
    audit = AuditEntry.objects.get(action="services.item_created", object_id=item.code)
    assert audit.actor_name == "helijuan" and "form_fields" in audit.changed_fields
    assert "已新增事项" in keeper.get(response["Location"]).content.decode()


def test_editing_changes_only_what_changed_and_audits_the_field_names(keeper: Client) -> None:
    item = ServiceItem.objects.get(code=DOCTOR)
    page = keeper.get(f"{URL}/{item.pk}/")
    assert page.status_code == 200 and "医师执业注册" in page.content.decode()
    materials = material_initial(item)
    materials[0] = {**materials[0], "max_size_mb": 20, "license_type": "居民身份证"}
    rules = '[{"fact": "applicant.on_joint_punishment_list", "op": "is_false"}]'
    data = form_data(item, materials, promised_days=3, fee="12.5", auto_approval_rules=rules)
    response = keeper.post(f"{URL}/{item.pk}/", data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.promised_days == 3 and item.fee == Decimal("12.50")
    assert item.auto_approval_rules == [{"fact": "applicant.on_joint_punishment_list", "op": "is_false"}]
    first = item.materials.order_by("position").first()
    assert first is not None and (first.max_size_mb, first.license_type) == (20, "居民身份证")
    audit = AuditEntry.objects.get(action="services.item_updated", object_id=DOCTOR)
    assert audit.changed_fields == "auto_approval_rules,fee,materials,promised_days"
    shown = keeper.get(response["Location"]).content.decode()
    assert "修改了：承诺时限、收费标准、秒批规则、申请材料" in shown

    audits = AuditEntry.objects.count()
    again = keeper.post(f"{URL}/{item.pk}/", form_data(item))  # nothing changed: nothing written
    assert again.status_code == 302 and AuditEntry.objects.count() == audits
    assert "没有修改任何内容" in keeper.get(again["Location"]).content.decode()


BAD_INPUT = [
    ({"promised_days": 99}, "承诺时限不能超过法定时限"),
    ({"form_fields": '[{"name": "x", "label": "X", "type": "text",]'}, "不是有效的 JSON"),
    ({"form_fields": "[{“name”: “x”}]"}, "请使用英文标点"),
    ({"form_fields": '{"name": "x"}'}, "应为 JSON 列表"),
    ({"form_fields": '[{"name": "X-1", "label": "", "type": "colour"}]'}, "申请表字段定义有误"),
    ({"auto_approval_rules": '[{"fact": "applicant.age", "op": "~", "value": 60}]'}, "秒批规则有误"),
    ({"auto_approval_rules": '[{"fact": "form.nothing", "op": "is_true"}]'}, "申请表中没有字段 nothing"),
    ({"fee": "十元"}, "收费标准应为金额数字"),
    ({"region_codes": []}, "请至少选择一个办理区域"),
    ({"department_code": "scjgj"}, "选择一个有效的选项"),  # not a department she may maintain
]


@pytest.mark.parametrize(("change", "message"), BAD_INPUT)
def test_refused_input_is_explained_in_chinese_and_leaves_the_item_as_it_was(
    keeper: Client, change: dict[str, Any], message: str
) -> None:
    item = ServiceItem.objects.get(code=DOCTOR)
    before, audits = snapshot(DOCTOR), AuditEntry.objects.count()
    response = keeper.post(f"{URL}/{item.pk}/", form_data(item, **change))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "未保存" in html
    assert snapshot(DOCTOR) == before and AuditEntry.objects.count() == audits


def test_material_problems_are_shown_on_their_row_and_nothing_is_written(keeper: Client) -> None:
    item = ServiceItem.objects.get(code=DOCTOR)
    before = snapshot(DOCTOR)
    rows = material_initial(item)
    no_types = [{**rows[0], "file_types": []}, *rows[1:]]
    twice = [*rows, {**rows[0]}]
    deleted = [{**rows[0], "DELETE": "on"}, *rows[1:]]
    for materials, message in (
        (no_types, "请至少选择一种文件类型"),
        (twice, "材料名称不能重复"),
    ):
        data = form_data(item, materials)
        data["materials-TOTAL_FORMS"] = str(len(materials))
        html = keeper.post(f"{URL}/{item.pk}/", data).content.decode()
        assert message in html, message
        assert snapshot(DOCTOR) == before
    # A material an application already uses cannot be removed: the whole save is refused.
    citizen = user("chenhaoran")
    svc.application_submit(actor=citizen, application=draft_with_materials(citizen, item))
    html = keeper.post(f"{URL}/{item.pk}/", form_data(item, deleted, promised_days=2)).content.decode()
    assert "已有办件使用，不能删除" in html
    assert snapshot(DOCTOR) == before


def test_a_new_code_must_be_new(keeper: Client) -> None:
    response = keeper.post(f"{URL}/new/", form_data(code=DOCTOR))
    assert "已存在" in response.content.decode()
    assert ServiceItem.objects.get(code=DOCTOR).name == "医师执业注册"


def test_a_form_opened_before_someone_elses_save_is_refused(keeper: Client) -> None:
    item = ServiceItem.objects.get(code=DOCTOR)
    stale = form_data(item, promised_days=2)
    assert keeper.post(f"{URL}/{item.pk}/", form_data(item, promised_days=4)).status_code == 302
    html = keeper.post(f"{URL}/{item.pk}/", stale).content.decode()
    assert "该事项已被他人修改" in html
    assert ServiceItem.objects.get(code=DOCTOR).promised_days == 4


def test_only_catalogue_keepers_within_their_department(keeper: Client, login: Any) -> None:
    doctor, food = ServiceItem.objects.get(code=DOCTOR), ServiceItem.objects.get(code=FOOD)
    assert keeper.get(f"{URL}/{food.pk}/").status_code == 404  # another department's item: as if missing
    before = snapshot(FOOD)
    assert keeper.post(f"{URL}/{food.pk}/", form_data(food, promised_days=1)).status_code == 404
    assert snapshot(FOOD) == before
    assert keeper.get(f"{URL}/999999/").status_code == 404
    clerk = login("fengxue")  # no catalogue permission at all
    assert clerk.get(f"{URL}/new/").status_code == 403
    assert clerk.post(f"{URL}/{doctor.pk}/", form_data(doctor, promised_days=1)).status_code == 403
    assert ServiceItem.objects.get(code=DOCTOR).promised_days == doctor.promised_days


def test_service_refuses_moving_an_item_out_of_the_keepers_scope(keeper: Client) -> None:
    from digigov.core.errors import Forbidden

    item = ServiceItem.objects.get(code=DOCTOR)
    spec = ItemSpec(
        code=item.code,
        name=item.name,
        department_code="scjgj",
        item_type=item.item_type,
        legal_basis=item.legal_basis,
        statutory_days=item.statutory_days,
        promised_days=item.promised_days,
        fee=str(item.fee),
        fee_note=item.fee_note,
        online_level=item.online_level,
        applicant_kind=item.applicant_kind,
        handling_scope=item.handling_scope,
        region_codes=tuple(r.code for r in item.regions.all()),
        form_fields=item.form_fields,
        materials=tuple(MaterialSpec(name=m.name, file_types=tuple(m.file_types)) for m in item.materials.all()),
    )
    with pytest.raises(Forbidden):
        item_update(actor=user("helijuan"), item=item, spec=spec)
    assert ServiceItem.objects.get(code=DOCTOR).department.code == "wjw"


def test_the_catalogue_the_application_and_the_guide_link_to_the_item_page(keeper: Client, login: Any) -> None:
    item = ServiceItem.objects.get(code=DOCTOR)
    edit = f"{URL}/{item.pk}/"
    listing = keeper.get(f"{URL}/?q=医师").content.decode()
    assert f'href="{edit}"' in listing and f'href="{URL}/new/"' in listing
    assert f'href="{edit}"' in keeper.get(f"/services/items/{DOCTOR}/").content.decode()
    citizen = user("chenhaoran")
    app = svc.application_submit(actor=citizen, application=draft_with_materials(citizen, item))
    assert f'href="{edit}"' in keeper.get(f"/console/services/applications/{app.pk}/").content.decode()
    clerk_view = login("fengxue").get(f"/console/services/applications/{app.pk}/").content.decode()
    assert f'href="{edit}"' not in clerk_view
    assert f'href="{edit}"' not in Client().get(f"/services/items/{DOCTOR}/").content.decode()


def test_regions_offer_the_city_districts_and_streets(keeper: Client) -> None:
    html = keeper.get(f"{URL}/new/").content.decode()
    assert 'value="210500000000"' in html and 'value="210502000000"' in html  # city, 平山区
    street = Region.objects.filter(level="street").first()
    assert street is not None and f'value="{street.code}"' in html
