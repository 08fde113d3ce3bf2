"""The catalogue to and from Excel: round trip, all-or-nothing import with a row-by-row report, scope, limits."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from digigov.core.errors import ValidationFailed
from digigov.core.models import AuditEntry
from digigov.core.policy import SYSTEM
from digigov.identity.models import Department, User
from digigov.identity.services import staff
from digigov.identity.tests.factories import role
from digigov.onestop.models import RequiredMaterial, ServiceItem
from digigov.onestop.services.catalogue_excel import (
    HELP_SHEET,
    ITEM_COLUMNS,
    ITEMS_SHEET,
    MATERIAL_COLUMNS,
    MATERIALS_SHEET,
    ImportReport,
    RowError,
    catalogue_export_xlsx,
    catalogue_import,
    catalogue_import_report_xlsx,
)
from digigov.onestop.tests.test_applications import submitted

pytestmark = pytest.mark.django_db
ITEM_HEADERS = [c.header for c in ITEM_COLUMNS]
MATERIAL_HEADERS = [c.header for c in MATERIAL_COLUMNS]
ELDER_CARD = "210500-MZJ-GG-0004"  # 老年人优待证, with a 秒批 rule
DOCTOR = "210500-WJW-XK-0003"


def user(username: str) -> User:
    return User.objects.get(username=username)


def snapshot() -> dict[str, Any]:
    """Everything an item is, by code: the round trip must leave it exactly so."""
    out: dict[str, Any] = {}
    items = ServiceItem.objects.select_related("department").prefetch_related("regions", "materials")
    for item in items:
        out[item.code] = {
            "name": item.name,
            "department": item.department.code,
            "item_type": item.item_type,
            "legal_basis": item.legal_basis,
            "days": (item.statutory_days, item.promised_days),
            "fee": (item.fee, item.fee_note),
            "kinds": (item.online_level, item.applicant_kind, item.handling_scope),
            "regions": sorted(r.code for r in item.regions.all()),
            "guide": item.guide,
            "form_fields": item.form_fields,
            "rules": item.auto_approval_rules,
            "active": item.is_active,
            "materials": [
                (m.pk, m.position, m.name, m.mandatory, m.file_types, m.max_size_mb, m.license_type)
                for m in sorted(item.materials.all(), key=lambda m: m.position)
            ],
        }
    return out


def counts() -> tuple[int, int, int]:
    return ServiceItem.objects.count(), RequiredMaterial.objects.count(), AuditEntry.objects.count()


def open_export() -> Any:
    return load_workbook(io.BytesIO(catalogue_export_xlsx()))


def to_bytes(workbook: Any) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def column(ws: Worksheet, header: str) -> int:
    return [cell.value for cell in ws[1]].index(header) + 1


def row_of(ws: Worksheet, code: str) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == code)


def set_cell(ws: Worksheet, code: str, header: str, value: Any) -> int:
    row = row_of(ws, code)
    ws.cell(row=row, column=column(ws, header), value=value)
    return row


def errors_at(report: ImportReport, sheet: str, row: int, header: str) -> list[RowError]:
    return [e for e in report.errors if (e.sheet, e.row, e.column) == (sheet, row, header)]


# --- export and round trip --------------------------------------------------------------------------------


def test_export_layout_headers_frozen_drop_downs_and_help() -> None:
    workbook = open_export()
    assert workbook.sheetnames[:3] == [ITEMS_SHEET, MATERIALS_SHEET, HELP_SHEET]
    items, materials = workbook[ITEMS_SHEET], workbook[MATERIALS_SHEET]
    assert [c.value for c in items[1]] == ITEM_HEADERS
    assert [c.value for c in materials[1]] == MATERIAL_HEADERS
    assert items.freeze_panes == "A2" and materials.freeze_panes == "A2"
    active = ServiceItem.objects.filter(is_active=True)
    codes = [items.cell(row=r, column=1).value for r in range(2, items.max_row + 1)]
    assert codes == sorted(active.values_list("code", flat=True))
    assert materials.max_row - 1 == RequiredMaterial.objects.filter(item__is_active=True).count()
    assert items.column_dimensions["B"].width == 30
    validated = {str(v.sqref).split(":")[0] for v in items.data_validations.dataValidation}
    assert validated == {f"{col}2" for col in ("D", "J", "K", "L")}  # 事项类型 网办深度 服务对象 通办范围
    assert [str(v.sqref) for v in materials.data_validations.dataValidation] == ["C2:C30001"]
    row = row_of(items, ELDER_CARD)
    assert items.cell(row=row, column=column(items, "事项类型")).value == "公共服务"
    assert json.loads(items.cell(row=row, column=column(items, "秒批规则")).value)[0]["fact"] == "applicant.age"
    help_text = " ".join(str(c.value) for r in workbook[HELP_SHEET].iter_rows() for c in r if c.value)
    assert "行政许可" in help_text and "网上预审, 窗口办结" in help_text and "本溪市卫生健康委员会" in help_text


def test_round_trip_changes_nothing_and_reports_every_item_updated() -> None:
    before, total = snapshot(), ServiceItem.objects.filter(is_active=True).count()
    assert total >= 60
    report = catalogue_import(actor=user("wangjianguo"), workbook_bytes=catalogue_export_xlsx())
    assert report.ok, report.errors
    assert (report.created, report.updated, report.items) == (0, total, total)
    assert snapshot() == before
    assert "更新 " + str(total) in report.summary()


def test_text_starting_with_equals_is_exported_as_text_and_survives() -> None:
    spec_item = ServiceItem.objects.get(code=DOCTOR)
    workbook = open_export()
    items = workbook[ITEMS_SHEET]
    cell = items.cell(row=row_of(items, DOCTOR), column=column(items, "办事指南"))
    cell.value, cell.data_type = '=HYPERLINK("http://evil","点我")', "s"  # text typed as '=..., not a formula
    assert catalogue_import(actor=SYSTEM, workbook_bytes=to_bytes(workbook)).ok
    spec_item.refresh_from_db()
    assert spec_item.guide.startswith("=HYPERLINK")
    exported = open_export()[ITEMS_SHEET]
    cell = exported.cell(row=row_of(exported, DOCTOR), column=column(exported, "办事指南"))
    assert cell.data_type == "s" and cell.value == spec_item.guide


def test_new_item_in_the_sheet_is_created_with_its_materials() -> None:
    workbook = open_export()
    items, materials = workbook[ITEMS_SHEET], workbook[MATERIALS_SHEET]
    template = [c.value for c in items[row_of(items, DOCTOR)]]
    new = dict(zip(ITEM_HEADERS, template, strict=True))
    new.update({"事项编码": "210500-WJW-XK-9001", "事项名称": "测试新增事项", "秒批规则": None})
    items.append([new[h] for h in ITEM_HEADERS])
    materials.append(["210500-WJW-XK-9001", "营业执照", "否", "pdf、png", 5, "营业执照"])
    materials.append(["210500-WJW-XK-9001", "申请书", True, "PDF", None, ""])
    report = catalogue_import(actor=user("wangjianguo"), workbook_bytes=to_bytes(workbook))
    assert report.ok, report.errors
    assert report.created == 1 and report.updated == ServiceItem.objects.count() - 1
    item = ServiceItem.objects.get(code="210500-WJW-XK-9001")
    assert item.name == "测试新增事项" and item.department.code == new["实施部门编码"]
    assert list(item.materials.values_list("name", "mandatory", "file_types", "max_size_mb", "license_type")) == [
        ("营业执照", False, ["pdf", "png"], 5, "营业执照"),
        ("申请书", True, ["pdf"], 10, ""),
    ]
    assert AuditEntry.objects.filter(action="services.catalogue_import").exists()


# --- one bad row: nothing written, the report says where --------------------------------------------------


def _break(case: str, workbook: Any) -> tuple[str, int, str, str]:
    """Break one row; return (sheet, row, column, a fragment of the expected message)."""
    items, materials = workbook[ITEMS_SHEET], workbook[MATERIALS_SHEET]
    if case == "enum_label":
        return ITEMS_SHEET, set_cell(items, DOCTOR, "事项类型", "行政审批"), "事项类型", "事项类型无效"
    if case == "statutory_below_promised":
        set_cell(items, DOCTOR, "法定时限(工作日)", 3)
        return ITEMS_SHEET, set_cell(items, DOCTOR, "承诺时限(工作日)", 5), "承诺时限(工作日)", "不能超过法定时限"
    if case == "unknown_department":
        return ITEMS_SHEET, set_cell(items, DOCTOR, "实施部门编码", "nosuch"), "实施部门编码", "「nosuch」不存在"
    if case == "bad_json":
        return ITEMS_SHEET, set_cell(items, DOCTOR, "申请表字段", '[{"name": "x",'), "申请表字段", "不是有效的 JSON"
    if case == "json_not_a_list":
        return ITEMS_SHEET, set_cell(items, DOCTOR, "秒批规则", '{"fact": 1}'), "秒批规则", "应为 JSON 列表"
    if case == "bad_rule":
        rule = json.dumps([{"fact": "applicant.no_such_fact", "op": ">=", "value": 1}])
        return ITEMS_SHEET, set_cell(items, DOCTOR, "秒批规则", rule), "秒批规则", "秒批规则有误"
    if case == "bad_form_field":
        fields = json.dumps([{"name": "Bad Name", "label": "x", "type": "text"}])
        return ITEMS_SHEET, set_cell(items, DOCTOR, "申请表字段", fields), "申请表字段", "申请表字段定义有误"
    if case == "not_an_integer":
        return ITEMS_SHEET, set_cell(items, DOCTOR, "法定时限(工作日)", "二十"), "法定时限(工作日)", "应为整数"
    if case == "formula_not_evaluated":
        return ITEMS_SHEET, set_cell(items, DOCTOR, "法定时限(工作日)", "=10+10"), "法定时限(工作日)", "应为整数"
    if case == "unknown_region":
        return (
            ITEMS_SHEET,
            set_cell(items, DOCTOR, "办理区域", "210500000000、999999999999"),
            "办理区域",
            "办理区域无效",
        )
    if case == "duplicate_code":
        second = items.cell(row=3, column=1).value
        assert second != DOCTOR
        first_row = row_of(items, DOCTOR)
        items.cell(row=3, column=1, value=DOCTOR)
        # the material rows of the item that lost its code now point at nothing; keep the case to one error
        for r in range(materials.max_row, 1, -1):
            if materials.cell(row=r, column=1).value == second:
                materials.delete_rows(r)
        earlier, later = sorted((3, first_row))  # the later of the two rows is the duplicate
        return ITEMS_SHEET, later, "事项编码", f"与第{earlier}行重复"
    if case == "material_for_unknown_item":
        materials.append(["210500-NOPE-XK-0001", "身份证明", "是", "pdf", 10, ""])
        return MATERIALS_SHEET, materials.max_row, "事项编码", "不在「事项」表中"
    if case == "duplicate_material":
        first = [c.value for c in materials[2]]
        materials.append(first)
        return MATERIALS_SHEET, materials.max_row, "材料名称", "与第2行重复"
    if case == "bad_file_type":
        row = next(r for r in range(2, materials.max_row + 1) if materials.cell(row=r, column=1).value == DOCTOR)
        materials.cell(row=row, column=MATERIAL_HEADERS.index("文件类型") + 1, value="pdf、exe")
        return MATERIALS_SHEET, row, "文件类型", "文件类型无效：exe"
    if case == "bad_mandatory":
        materials.cell(row=2, column=3, value="必须")
        return MATERIALS_SHEET, 2, "是否必须", "应填写「是」或「否」"
    if case == "oversized_material":
        materials.cell(row=2, column=5, value=500)
        return MATERIALS_SHEET, 2, "大小上限(MB)", "1至100MB"
    raise AssertionError(case)


BAD_CASES = [
    "enum_label",
    "statutory_below_promised",
    "unknown_department",
    "bad_json",
    "json_not_a_list",
    "bad_rule",
    "bad_form_field",
    "not_an_integer",
    "formula_not_evaluated",
    "unknown_region",
    "duplicate_code",
    "material_for_unknown_item",
    "duplicate_material",
    "bad_file_type",
    "bad_mandatory",
    "oversized_material",
]


@pytest.mark.parametrize("case", BAD_CASES)
def test_one_bad_row_among_good_ones_writes_nothing(case: str) -> None:
    workbook = open_export()
    items = workbook[ITEMS_SHEET]
    renamed = items.cell(row=items.max_row, column=1).value  # a good row that WOULD change something
    set_cell(items, renamed, "事项名称", "改了名字的事项")
    sheet, row, header, fragment = _break(case, workbook)
    before, numbers = snapshot(), counts()

    report = catalogue_import(actor=user("wangjianguo"), workbook_bytes=to_bytes(workbook))

    assert not report.ok and (report.created, report.updated) == (0, 0)
    assert snapshot() == before and counts() == numbers
    assert ServiceItem.objects.get(code=renamed).name != "改了名字的事项"
    assert len(report.errors) == 1, report.errors
    [error] = errors_at(report, sheet, row, header)
    assert fragment in error.message, error.message
    assert "未写入任何数据" in report.summary()


def test_every_bad_row_is_reported_at_once_in_sheet_order() -> None:
    workbook = open_export()
    items, materials = workbook[ITEMS_SHEET], workbook[MATERIALS_SHEET]
    materials.cell(row=2, column=4, value="exe")
    set_cell(items, ELDER_CARD, "通办范围", "全国通办")
    set_cell(items, DOCTOR, "服务对象", "外国人")
    report = catalogue_import(actor=user("wangjianguo"), workbook_bytes=to_bytes(workbook))
    item_errors = sorted([(row_of(items, DOCTOR), "服务对象"), (row_of(items, ELDER_CARD), "通办范围")])
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [
        *((ITEMS_SHEET, row, header) for row, header in item_errors),
        (MATERIALS_SHEET, 2, "文件类型"),
    ]
    assert all(e.message for e in report.errors)


def test_dropping_a_material_applications_use_rolls_back_the_whole_import() -> None:
    app = submitted()  # a 医师执业注册 application with its mandatory materials attached
    used = app.materials.first()
    assert used is not None
    workbook = open_export()
    items, materials = workbook[ITEMS_SHEET], workbook[MATERIALS_SHEET]
    renamed = items.cell(row=2, column=1).value
    set_cell(items, renamed, "事项名称", "改了名字的事项")
    for r in range(materials.max_row, 1, -1):
        if materials.cell(row=r, column=1).value == DOCTOR:
            materials.delete_rows(r)
    before, numbers = snapshot(), counts()
    report = catalogue_import(actor=user("wangjianguo"), workbook_bytes=to_bytes(workbook))
    assert not report.ok and (report.created, report.updated) == (0, 0)
    [error] = report.errors
    assert (error.sheet, error.row) == (ITEMS_SHEET, row_of(items, DOCTOR)) and "已有办件使用" in error.message
    assert snapshot() == before and counts() == numbers


# --- the actor's scope ------------------------------------------------------------------------------------


def test_clerk_without_manage_catalogue_gets_every_row_reported_out_of_scope() -> None:
    before, numbers = snapshot(), counts()
    report = catalogue_import(actor=user("fengxue"), workbook_bytes=catalogue_export_xlsx())
    total = ServiceItem.objects.filter(is_active=True).count()
    assert len(report.errors) == total
    assert {(e.sheet, e.column) for e in report.errors} == {(ITEMS_SHEET, "实施部门编码")}
    assert sorted(e.row for e in report.errors) == list(range(2, total + 2))
    assert all("超出您的权限范围" in e.message for e in report.errors)
    assert snapshot() == before and counts() == numbers


def test_department_scoped_keeper_is_refused_only_the_other_departments_rows() -> None:
    health = Department.objects.get(service_items__code=DOCTOR)
    keeper = user("helijuan")
    staff.role_grant(
        actor=SYSTEM,
        user=keeper,
        role=role(code="catalogue_keeper", permissions=["services.manage_catalogue"]),
        region=health.region,
        department=health,
    )
    keeper = user("helijuan")  # fresh object: no cached scopes
    workbook = open_export()
    items = workbook[ITEMS_SHEET]
    report = catalogue_import(actor=keeper, workbook_bytes=to_bytes(workbook))
    others = ServiceItem.objects.filter(is_active=True).exclude(department=health)
    assert {e.row for e in report.errors} == {row_of(items, code) for code in others.values_list("code", flat=True)}
    # moving a 卫健委 item to a department outside the keeper's scope is refused too
    only_health = load_workbook(io.BytesIO(catalogue_export_xlsx(ServiceItem.objects.filter(department=health))))
    outsider = Department.objects.exclude(pk=health.pk).filter(service_items__isnull=False).first()
    assert outsider is not None
    set_cell(only_health[ITEMS_SHEET], DOCTOR, "实施部门编码", outsider.code)
    report = catalogue_import(actor=keeper, workbook_bytes=to_bytes(only_health))
    assert [(e.row, e.column) for e in report.errors] == [(row_of(only_health[ITEMS_SHEET], DOCTOR), "实施部门编码")]
    # within the department, the same sheet goes through
    set_cell(only_health[ITEMS_SHEET], DOCTOR, "实施部门编码", health.code)
    assert catalogue_import(actor=keeper, workbook_bytes=to_bytes(only_health)).ok


def test_existing_item_of_another_department_cannot_be_taken_over() -> None:
    health = Department.objects.get(service_items__code=DOCTOR)
    police = Department.objects.get(code="gaj")
    keeper = user("lizhigang")
    staff.role_grant(
        actor=SYSTEM,
        user=keeper,
        role=role(code="catalogue_keeper", permissions=["services.manage_catalogue"]),
        region=police.region,
        department=police,
    )
    keeper = user("lizhigang")
    workbook = load_workbook(io.BytesIO(catalogue_export_xlsx(ServiceItem.objects.filter(code=DOCTOR))))
    set_cell(workbook[ITEMS_SHEET], DOCTOR, "实施部门编码", police.code)
    report = catalogue_import(actor=keeper, workbook_bytes=to_bytes(workbook))
    [error] = report.errors
    assert error.column == "事项编码" and health.name in error.message
    assert ServiceItem.objects.get(code=DOCTOR).department == health


# --- files that are refused -------------------------------------------------------------------------------


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        b"code,name\n210500-X,y\n",  # a CSV
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,  # an old .xls (OLE)
        _zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}),  # a .docx-like zip
        _zip({"xl/workbook.xml": b"garbage", "[Content_Types].xml": b"garbage"}),  # a damaged workbook
        b"",
    ],
    ids=["csv", "xls", "docx", "damaged", "empty"],
)
def test_non_xlsx_upload_is_refused(content: bytes) -> None:
    numbers = counts()
    with pytest.raises(ValidationFailed, match=r"只能导入 Excel 工作簿（\.xlsx）文件"):
        catalogue_import(actor=user("wangjianguo"), workbook_bytes=content)
    assert counts() == numbers


def test_oversized_upload_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="文件过大"):
        catalogue_import(actor=user("wangjianguo"), workbook_bytes=b"PK" + b"\x00" * (5 * 1024 * 1024))


def test_zip_bomb_is_refused_before_parsing() -> None:
    bomb = _zip({"xl/workbook.xml": b"", "[Content_Types].xml": b"", "xl/worksheets/sheet1.xml": b" " * 101 * 2**20})
    assert len(bomb) < 5 * 1024 * 1024
    with pytest.raises(ValidationFailed, match="解压后过大"):
        catalogue_import(actor=SYSTEM, workbook_bytes=bomb)


def test_missing_sheet_or_column_and_too_many_rows_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    workbook = open_export()
    del workbook[MATERIALS_SHEET]
    with pytest.raises(ValidationFailed, match="缺少「申请材料」工作表"):
        catalogue_import(actor=SYSTEM, workbook_bytes=to_bytes(workbook))
    workbook = open_export()
    workbook[ITEMS_SHEET].delete_cols(column(workbook[ITEMS_SHEET], "设定依据"))
    with pytest.raises(ValidationFailed, match="缺少列：设定依据"):
        catalogue_import(actor=SYSTEM, workbook_bytes=to_bytes(workbook))
    monkeypatch.setattr("digigov.onestop.services.catalogue_excel.MAX_ITEM_ROWS", 10)
    with pytest.raises(ValidationFailed, match="最多 10 行"):
        catalogue_import(actor=SYSTEM, workbook_bytes=catalogue_export_xlsx())


def test_columns_may_come_in_any_order_and_blank_rows_are_skipped() -> None:
    source = open_export()
    workbook = Workbook()
    items = workbook.active
    assert items is not None
    items.title = ITEMS_SHEET
    reordered = list(reversed(ITEM_HEADERS))
    items.append(reordered)
    src = source[ITEMS_SHEET]
    row = dict(zip(ITEM_HEADERS, [c.value for c in src[row_of(src, DOCTOR)]], strict=True))
    items.append([])
    items.append([row[h] for h in reordered])
    materials = workbook.create_sheet(MATERIALS_SHEET)
    materials.append(MATERIAL_HEADERS)
    mats = source[MATERIALS_SHEET]
    for r in range(2, mats.max_row + 1):
        if mats.cell(row=r, column=1).value == DOCTOR:
            materials.append([c.value for c in mats[r]])
    before = snapshot()
    report = catalogue_import(actor=SYSTEM, workbook_bytes=to_bytes(workbook))
    assert report.ok and (report.items, report.updated) == (1, 1)
    assert snapshot() == before


# --- the downloadable error report and the commands -------------------------------------------------------


def test_error_report_workbook_lists_sheet_row_column_and_message() -> None:
    workbook = open_export()
    row = set_cell(workbook[ITEMS_SHEET], DOCTOR, "事项类型", "行政审批")
    report = catalogue_import(actor=SYSTEM, workbook_bytes=to_bytes(workbook))
    sheet = load_workbook(io.BytesIO(catalogue_import_report_xlsx(report))).active
    assert sheet is not None
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0] == ["工作表", "行号", "列", "错误说明"]
    assert values[1][:3] == [ITEMS_SHEET, row, "事项类型"] and "事项类型无效" in values[1][3]
    assert sheet.freeze_panes == "A2"
    clean = load_workbook(io.BytesIO(catalogue_import_report_xlsx(ImportReport(items=2, updated=2)))).active
    assert clean is not None and "导入完成" in str(clean.cell(row=2, column=4).value)


def test_commands_export_then_import_and_fail_with_exit_1_on_errors(tmp_path: Path) -> None:
    out = io.StringIO()
    path = tmp_path / "catalogue.xlsx"
    call_command("catalogue_export", str(path), stdout=out)
    assert "已导出" in out.getvalue() and path.stat().st_size > 0
    before = snapshot()
    out = io.StringIO()
    call_command("catalogue_import", str(path), stdout=out)
    assert "导入完成" in out.getvalue() and snapshot() == before

    workbook = load_workbook(path)
    set_cell(workbook[ITEMS_SHEET], DOCTOR, "网办深度", "半程网办")
    workbook.save(path)
    errors, report_path = io.StringIO(), tmp_path / "errors.xlsx"
    with pytest.raises(CommandError, match="导入失败") as raised:
        call_command("catalogue_import", str(path), "--report", str(report_path), stdout=io.StringIO(), stderr=errors)
    assert raised.value.returncode == 1
    assert "「事项」第" in errors.getvalue() and "「网办深度」" in errors.getvalue()
    assert report_path.exists() and snapshot() == before
    path.write_text("not a workbook")
    with pytest.raises(CommandError, match="只能导入 Excel"):
        call_command("catalogue_import", str(path), stdout=io.StringIO())


def test_system_import_is_audited_per_item_and_once_for_the_file() -> None:
    spec_count = ServiceItem.objects.filter(is_active=True).count()
    audits = AuditEntry.objects.count()
    assert catalogue_import(actor=SYSTEM, workbook_bytes=catalogue_export_xlsx()).ok
    assert AuditEntry.objects.count() == audits + spec_count + 1
    assert AuditEntry.objects.filter(action="services.item_upsert").count() >= spec_count
