"""The whole catalogue to and from Excel (.xlsx): government users maintain it in a spreadsheet.

* `catalogue_export_xlsx()` writes every active item (by code) to a workbook: 「事项」 one row per item,
  「申请材料」 one row per material, 「说明」 what each column means and which values it takes (and a hidden
  「选项」 sheet the drop-down lists point at).
* `catalogue_import(actor=..., workbook_bytes=...)` reads such a workbook, checks EVERY row (the item checks are
  `validate_item_spec`'s, plus cross-row checks and the actor's scope) and collects the errors as
  (sheet, row, column, message). Only when there is none does it write all items with `item_upsert` inside one
  transaction; otherwise nothing is written and the report says what to fix.
* `catalogue_import_report_xlsx(report)` gives that report back as a workbook the clerk can download.

Items in the database that the sheet does not list are left alone. An item the sheet lists gets exactly the
materials the 「申请材料」 sheet gives it. Formulas are never evaluated (only cached values are read).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import Prefetch
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from digigov.core.audit import audit_append
from digigov.core.errors import DomainError, ValidationFailed
from digigov.core.policy import SystemActor
from digigov.identity.models import Department, Region, User
from digigov.onestop import policy
from digigov.onestop.models import ApplicantKind, HandlingScope, ItemType, OnlineLevel, RequiredMaterial, ServiceItem
from digigov.onestop.services.catalogue import (
    ALLOWED_FILE_TYPES,
    ItemSpec,
    MaterialSpec,
    item_upsert,
    parse_json_list,
    validate_item_spec,
    validate_material_spec,
)

ITEMS_SHEET = "事项"
MATERIALS_SHEET = "申请材料"
HELP_SHEET = "说明"
OPTIONS_SHEET = "选项"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # a 5 MB zip may not inflate into a memory bomb
MAX_ITEM_ROWS = 5_000
MAX_MATERIAL_ROWS = 30_000
EXCEL_CELL_MAX = 32_767
LIST_SEPARATORS = re.compile(r"[、,，;；/\s]+")
YES, NO = "是", "否"
DEFAULT_MAX_SIZE_MB = 10
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    attr: str  # the ItemSpec / MaterialSpec attribute it fills (maps a ValidationFailed's fields to a column)
    width: int
    help: str
    choices: type[models.TextChoices] | None = None


def _allowed(choices: type[models.TextChoices]) -> str:
    return "；".join(str(c.label) for c in choices)


ITEM_COLUMNS: tuple[Column, ...] = (
    Column("事项编码", "code", 24, "必填，唯一，不超过40个字符；与库中已有编码相同时更新该事项，否则新增"),
    Column("事项名称", "name", 30, "必填，2至120个字符"),
    Column("实施部门编码", "department_code", 16, "必填，部门编码见本表下方「实施部门」"),
    Column("事项类型", "item_type", 14, "必填，可选：" + _allowed(ItemType), ItemType),
    Column("设定依据", "legal_basis", 40, "必填，法律法规名称及条款"),
    Column("法定时限(工作日)", "statutory_days", 12, "必填，0至365的整数；0 表示当场办结"),
    Column("承诺时限(工作日)", "promised_days", 12, "必填，0至365的整数，不得超过法定时限；0 表示即办"),
    Column("收费标准(元)", "fee", 12, "金额数字，不收费填 0 或留空"),
    Column("收费说明", "fee_note", 20, "选填，不超过200个字符"),
    Column("网办深度", "online_level", 18, "必填，可选：" + _allowed(OnlineLevel), OnlineLevel),
    Column("服务对象", "applicant_kind", 14, "必填，可选：" + _allowed(ApplicantKind), ApplicantKind),
    Column("通办范围", "handling_scope", 12, "必填，可选：" + _allowed(HandlingScope), HandlingScope),
    Column("办理区域", "region_codes", 30, "必填，12位行政区划代码，多个用「、」或「,」分隔；全市通办填市级代码"),
    Column("办事指南", "guide", 40, "选填，办理流程、条件、地点等"),
    Column(
        "申请表字段",
        "form_fields",
        40,
        'JSON 列表，每个字段如 {"name": "birth_date", "label": "出生日期", "type": "date", "required": true}；'
        "type 可选 text、textarea、number、date、choice、bool、id_number、mobile、uscc、address",
    ),
    Column(
        "秒批规则",
        "auto_approval_rules",
        30,
        'JSON 列表，全部条件成立时自动审批，如 [{"fact": "applicant.age", "op": ">=", "value": 60}]；不设秒批留空',
    ),
)
MATERIAL_COLUMNS: tuple[Column, ...] = (
    Column("事项编码", "item_code", 24, "必填，须是「事项」表中列出的事项编码"),
    Column("材料名称", "name", 30, "必填，同一事项内不得重复，不超过120个字符"),
    Column("是否必须", "mandatory", 10, f"必填，填「{YES}」或「{NO}」"),
    Column(
        "文件类型",
        "file_types",
        18,
        "必填，多个用「、」分隔，可选：" + "、".join(sorted(ALLOWED_FILE_TYPES)),
    ),
    Column("大小上限(MB)", "max_size_mb", 12, f"1至100的整数，留空为{DEFAULT_MAX_SIZE_MB}"),
    Column("可由电子证照替代", "license_type", 20, "选填，可替代该材料的电子证照类型名称，不超过60个字符"),
)
_ITEM_HEADERS = {c.attr: c.header for c in ITEM_COLUMNS}
_MATERIAL_HEADERS = {c.attr: c.header for c in MATERIAL_COLUMNS}


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # the Excel row number (the header is row 1)
    column: str  # the column header, "" when the whole row is concerned
    message: str


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    items: int = 0  # item rows read
    materials: int = 0  # material rows read
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"导入失败：共 {len(self.errors)} 处错误，未写入任何数据，请修改后重新导入"
        counts = f"共 {self.items} 个事项、{self.materials} 项申请材料"
        return f"导入完成：{counts}，新增 {self.created} 个，更新 {self.updated} 个"


# --- export -----------------------------------------------------------------------------------------------


def catalogue_export_xlsx(items: Iterable[ServiceItem] | None = None) -> bytes:
    """The whole active catalogue (or the given items) as an .xlsx workbook that `catalogue_import` reads back."""
    if items is None:
        items = (
            ServiceItem.objects.filter(is_active=True)
            .select_related("department")
            .prefetch_related(
                Prefetch("regions", queryset=Region.objects.order_by("code")),
                Prefetch("materials", queryset=RequiredMaterial.objects.order_by("position", "pk")),
            )
            .order_by("code")
        )
    workbook = Workbook()
    items_ws = workbook.active
    assert items_ws is not None
    items_ws.title = ITEMS_SHEET
    materials_ws = workbook.create_sheet(MATERIALS_SHEET)
    _write_header(items_ws, ITEM_COLUMNS)
    _write_header(materials_ws, MATERIAL_COLUMNS)
    for item in items:
        _write_row(items_ws, item.code, ITEM_COLUMNS, _item_cells(item))
        for material in item.materials.all():
            _write_row(materials_ws, item.code, MATERIAL_COLUMNS, _material_cells(item, material))
    _write_help(workbook.create_sheet(HELP_SHEET))
    _add_drop_downs(workbook, items_ws, materials_ws)
    return _save(workbook)


def _item_cells(item: ServiceItem) -> list[Any]:
    return [
        item.code,
        item.name,
        item.department.code,
        ItemType(item.item_type).label,
        item.legal_basis,
        item.statutory_days,
        item.promised_days,
        item.fee,
        item.fee_note,
        OnlineLevel(item.online_level).label,
        ApplicantKind(item.applicant_kind).label,
        HandlingScope(item.handling_scope).label,
        "、".join(region.code for region in item.regions.all()),
        item.guide,
        _json_cell(item.form_fields),
        _json_cell(item.auto_approval_rules),
    ]


def _material_cells(item: ServiceItem, material: RequiredMaterial) -> list[Any]:
    return [
        item.code,
        material.name,
        YES if material.mandatory else NO,
        "、".join(material.file_types),
        material.max_size_mb,
        material.license_type,
    ]


def _json_cell(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if value else ""


def _write_header(ws: Worksheet, columns: Sequence[Column]) -> None:
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"


def _write_row(ws: Worksheet, code: str, columns: Sequence[Column], values: list[Any]) -> None:
    row = ws.max_row + 1
    for index, value in enumerate(values, start=1):
        if isinstance(value, str) and len(value) > EXCEL_CELL_MAX:
            raise ValidationFailed(
                f"事项「{code}」的「{columns[index - 1].header}」超过 Excel 单元格上限"
                f"（{EXCEL_CELL_MAX}个字符），无法导出"
            )
        cell = ws.cell(row=row, column=index)
        _put(cell, value)
        if isinstance(value, Decimal):
            cell.number_format = "0.00"


def _put(cell: Cell, value: Any) -> None:
    """Text stays text: a value starting with "=" is never written as a formula, control characters are dropped."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if cell.data_type == "f":
        cell.data_type = "s"


def _letter(columns: Sequence[Column], attr: str) -> str:
    return get_column_letter(next(i for i, c in enumerate(columns, start=1) if c.attr == attr))


def _write_help(ws: Worksheet) -> None:
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 90
    lines: list[tuple[str, str, str]] = [
        ("填写说明", "", ""),
        (
            "",
            "",
            "「事项」表每行一个事项，「申请材料」表每行一项材料（以事项编码关联）。第1行为表头，请勿修改或删除。"
            "导入时逐行检查，任何一行有误则整个文件都不写入，并给出错误报告（工作表、行号、列、错误说明）。"
            "表中列出的事项按编码新增或更新，其申请材料以「申请材料」表为准；表中未列出的事项保持不变。",
        ),
        ("", "", ""),
        ("工作表", "列", "填写要求"),
    ]
    lines += [(ITEMS_SHEET, c.header, c.help) for c in ITEM_COLUMNS]
    lines += [(MATERIALS_SHEET, c.header, c.help) for c in MATERIAL_COLUMNS]
    lines += [("", "", ""), ("实施部门", "部门编码", "部门名称")]
    lines += [("", d.code, d.name) for d in Department.objects.order_by("code")]
    for row, values in enumerate(lines, start=1):
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=column)
            _put(cell, value)
            cell.alignment = wrap
            if values[0] in ("填写说明", "工作表", "实施部门"):
                cell.font = bold
    ws.freeze_panes = "A2"


def _add_drop_downs(workbook: Workbook, items_ws: Worksheet, materials_ws: Worksheet) -> None:
    """Drop-down lists for the enumerated columns; the values sit on a hidden sheet (labels may hold commas)."""
    options = workbook.create_sheet(OPTIONS_SHEET)
    options.sheet_state = "hidden"
    lists: list[tuple[Worksheet, Sequence[Column], str, list[str]]] = [
        (items_ws, ITEM_COLUMNS, c.attr, [str(choice.label) for choice in c.choices])
        for c in ITEM_COLUMNS
        if c.choices is not None
    ]
    lists.append((materials_ws, MATERIAL_COLUMNS, "mandatory", [YES, NO]))
    for index, (ws, columns, attr, values) in enumerate(lists, start=1):
        letter = get_column_letter(index)
        header = next(c.header for c in columns if c.attr == attr)
        options.cell(row=1, column=index, value=header)
        for row, value in enumerate(values, start=2):
            options.cell(row=row, column=index, value=value)
        validation = DataValidation(
            type="list",
            formula1=f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="取值无效",
            error=f"「{header}」请从下拉列表中选择",
        )
        cap = MAX_ITEM_ROWS if ws.title == ITEMS_SHEET else MAX_MATERIAL_ROWS
        column_letter = _letter(columns, attr)
        validation.add(f"{column_letter}2:{column_letter}{cap + 1}")
        ws.add_data_validation(validation)


def _save(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- import: reading cells --------------------------------------------------------------------------------


class _CellError(Exception):
    def __init__(self, attr: str, message: str) -> None:
        super().__init__(message)
        self.attr = attr
        self.message = message


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _integer(value: Any, attr: str, header: str, *, default: int | None = None) -> int:
    if isinstance(value, bool):
        raise _CellError(attr, f"「{header}」应为整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    if not text and default is not None:
        return default
    if not re.fullmatch(r"[+-]?\d{1,6}", text):
        raise _CellError(attr, f"「{header}」应为整数" + ("，不能为空" if not text else f"，不能是「{text[:20]}」"))
    return int(text)


def _fee(value: Any) -> str:
    if isinstance(value, float | int | Decimal) and not isinstance(value, bool):
        return str(value)
    return _text(value)


def _choice(value: Any, choices: type[models.TextChoices]) -> str:
    """A label (or the code itself) to the code; anything else passes through for validate_item_spec to refuse."""
    text = _text(value)
    by_label = {str(c.label): str(c.value) for c in choices}
    return by_label.get(text, text)


def _list(value: Any) -> tuple[str, ...]:
    return tuple(part for part in LIST_SEPARATORS.split(_text(value)) if part)


def _json_list(value: Any, attr: str, header: str) -> list[Any]:
    try:
        return parse_json_list(_text(value), field_name=attr, label=header)
    except ValidationFailed as exc:
        raise _CellError(attr, exc.message) from exc


def _mandatory(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value)
    if text not in (YES, NO):
        raise _CellError("mandatory", f"「{_MATERIAL_HEADERS['mandatory']}」应填写「{YES}」或「{NO}」")
    return text == YES


def _file_types(value: Any) -> tuple[str, ...]:
    types = [part.lower().lstrip(".") for part in _list(value)]
    return tuple(dict.fromkeys(t for t in types if t))


# --- import: reading the workbook -------------------------------------------------------------------------


@dataclass
class _ItemRow:
    row: int
    code: str
    values: dict[str, Any]  # attr -> parsed value (ItemSpec keyword arguments, without materials)
    broken: bool  # a cell could not be read: the item is not validated further
    materials: list[tuple[int, MaterialSpec]] = field(default_factory=list)


def _open_workbook(workbook_bytes: bytes) -> Any:
    if len(workbook_bytes) > MAX_UPLOAD_BYTES:
        raise ValidationFailed(f"文件过大：上限为 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", fields={"file": "文件过大"})
    not_xlsx = ValidationFailed("只能导入 Excel 工作簿（.xlsx）文件", fields={"file": "格式不正确"})
    buffer = io.BytesIO(workbook_bytes)
    if not workbook_bytes.startswith(b"PK") or not zipfile.is_zipfile(buffer):
        raise not_xlsx
    try:
        with zipfile.ZipFile(buffer) as archive:
            names = set(archive.namelist())
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise not_xlsx from exc
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise not_xlsx
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ValidationFailed("文件解压后过大，请删除多余的空行、图片或格式后再导入", fields={"file": "文件过大"})
    try:
        return load_workbook(buffer, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise not_xlsx from exc


def _rows(workbook: Any, sheet: str, columns: Sequence[Column], cap: int) -> Iterator[tuple[int, dict[str, Any]]]:
    """(Excel row number, attr -> raw cell value) for every non-empty data row, found by header name."""
    if sheet not in workbook.sheetnames:
        raise ValidationFailed(f"工作簿缺少「{sheet}」工作表", fields={"file": "缺少工作表"})
    rows = workbook[sheet].iter_rows(values_only=True)
    header = [_text(value) for value in next(rows, ())]
    positions = {c.attr: header.index(c.header) for c in columns if c.header in header}
    missing = [c.header for c in columns if c.attr not in positions]
    if missing:
        raise ValidationFailed(
            f"「{sheet}」工作表缺少列：{'、'.join(missing)}（第1行须为表头）", fields={"file": "缺少列"}
        )
    count = 0
    for number, values in enumerate(rows, start=2):
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in values):
            continue
        count += 1
        if count > cap:
            raise ValidationFailed(f"「{sheet}」工作表最多 {cap} 行，请分批导入", fields={"file": "行数过多"})
        yield number, {attr: values[i] if i < len(values) else None for attr, i in positions.items()}


def _read_items(workbook: Any, errors: list[RowError]) -> list[_ItemRow]:
    parsed: list[_ItemRow] = []
    for number, raw in _rows(workbook, ITEMS_SHEET, ITEM_COLUMNS, MAX_ITEM_ROWS):
        values: dict[str, Any] = {}
        cell_errors: list[_CellError] = []
        readers: dict[str, Any] = {
            "statutory_days": lambda v: _integer(v, "statutory_days", _ITEM_HEADERS["statutory_days"]),
            "promised_days": lambda v: _integer(v, "promised_days", _ITEM_HEADERS["promised_days"]),
            "fee": _fee,
            "region_codes": _list,
            "form_fields": lambda v: _json_list(v, "form_fields", _ITEM_HEADERS["form_fields"]),
            "auto_approval_rules": lambda v: _json_list(v, "auto_approval_rules", _ITEM_HEADERS["auto_approval_rules"]),
        }
        for column in ITEM_COLUMNS:
            try:
                if column.choices is not None:
                    values[column.attr] = _choice(raw[column.attr], column.choices)
                else:
                    values[column.attr] = readers.get(column.attr, _text)(raw[column.attr])
            except _CellError as exc:
                cell_errors.append(exc)
        errors.extend(RowError(ITEMS_SHEET, number, _ITEM_HEADERS[e.attr], e.message) for e in cell_errors)
        parsed.append(_ItemRow(number, values.get("code", ""), values, broken=bool(cell_errors)))
    return parsed


def _read_materials(workbook: Any, items: dict[str, _ItemRow], errors: list[RowError]) -> int:
    """Attach each valid material row to its item; returns the number of material rows read."""
    seen: dict[tuple[str, str], int] = {}
    count = 0
    for number, raw in _rows(workbook, MATERIALS_SHEET, MATERIAL_COLUMNS, MAX_MATERIAL_ROWS):
        count += 1

        def error(attr: str, message: str, row: int = number) -> None:
            errors.append(RowError(MATERIALS_SHEET, row, _MATERIAL_HEADERS[attr], message))

        code, name = _text(raw["item_code"]), _text(raw["name"])
        material = _material(raw, name, error)
        item = items.get(code)
        if item is None:
            message = "事项编码不能为空" if not code else f"事项编码「{code}」不在「{ITEMS_SHEET}」表中"
            error("item_code", message)
            continue
        if name and (code, name) in seen:
            error("name", f"事项「{code}」的材料「{name}」与第{seen[code, name]}行重复")
            continue
        seen[code, name] = number
        if material is not None:
            item.materials.append((number, material))
    return count


def _material(raw: dict[str, Any], name: str, error: Callable[[str, str], None]) -> MaterialSpec | None:
    try:
        material = MaterialSpec(
            name=name,
            mandatory=_mandatory(raw["mandatory"]),
            file_types=_file_types(raw["file_types"]),
            max_size_mb=_integer(
                raw["max_size_mb"], "max_size_mb", _MATERIAL_HEADERS["max_size_mb"], default=DEFAULT_MAX_SIZE_MB
            ),
            license_type=_text(raw["license_type"]),
        )
        validate_material_spec(material)
    except _CellError as exc:
        error(exc.attr, exc.message)
        return None
    except ValidationFailed as exc:
        attr = next(iter(exc.fields), "name")
        error(attr if attr in _MATERIAL_HEADERS else "name", exc.message)
        return None
    return material


# --- import: checking and writing -------------------------------------------------------------------------


def catalogue_import(*, actor: User | SystemActor, workbook_bytes: bytes) -> ImportReport:
    """Check every row of the workbook; write all of it in one transaction, or nothing when any row is wrong.

    actor SYSTEM: the management command. File-level problems (not an .xlsx, too large, a sheet
    or column missing, too many rows) raise ValidationFailed; row problems go into the report.
    Who may: decided per row by the policy (MAINTAIN_CATALOGUE on the row's department): a row the actor may
    not maintain is reported, and nothing is written when any row is reported.
    """
    workbook = _open_workbook(workbook_bytes)
    report = ImportReport()
    try:
        rows = _read_items(workbook, report.errors)
        by_code: dict[str, _ItemRow] = {}
        for item in rows:
            if not item.code:
                continue  # validate_item_spec reports the empty code
            if item.code in by_code:
                first = by_code[item.code].row
                report.errors.append(
                    RowError(ITEMS_SHEET, item.row, _ITEM_HEADERS["code"], f"事项编码「{item.code}」与第{first}行重复")
                )
                item.broken = True
            else:
                by_code[item.code] = item
        report.items = len(rows)
        report.materials = _read_materials(workbook, by_code, report.errors)
    finally:
        workbook.close()
    specs = _checked_specs(actor, rows, report.errors)
    if report.errors:
        report.errors.sort(key=_error_order)
        return report
    _write(actor, specs, report)
    return report


def _checked_specs(
    actor: User | SystemActor, rows: list[_ItemRow], errors: list[RowError]
) -> list[tuple[int, ItemSpec]]:
    existing = dict(ServiceItem.objects.filter(code__in=[r.code for r in rows]).values_list("code", "department_id"))
    departments = {d.pk: d for d in Department.objects.filter(pk__in=set(existing.values())).select_related("region")}
    specs: list[tuple[int, ItemSpec]] = []
    for item in rows:
        if item.broken:
            continue
        spec = ItemSpec(**item.values, materials=tuple(m for _, m in item.materials))
        try:
            department, _, _ = validate_item_spec(spec)
        except ValidationFailed as exc:
            attr = next(iter(exc.fields), "code")
            errors.append(RowError(ITEMS_SHEET, item.row, _ITEM_HEADERS.get(attr, _ITEM_HEADERS["code"]), exc.message))
            continue
        current = departments.get(existing.get(item.code, -1))
        if not policy.can(actor, policy.Action.MAINTAIN_CATALOGUE, department):
            errors.append(
                RowError(
                    ITEMS_SHEET,
                    item.row,
                    _ITEM_HEADERS["department_code"],
                    f"超出您的权限范围：您无权维护「{department.name}」的事项",
                )
            )
        elif current is not None and not policy.can(actor, policy.Action.MAINTAIN_CATALOGUE, current):
            errors.append(
                RowError(
                    ITEMS_SHEET,
                    item.row,
                    _ITEM_HEADERS["code"],
                    f"超出您的权限范围：事项「{item.code}」现属「{current.name}」，您无权维护",
                )
            )
        else:
            specs.append((item.row, spec))
    return specs


def _write(actor: User | SystemActor, specs: list[tuple[int, ItemSpec]], report: ImportReport) -> None:
    existing = set(ServiceItem.objects.filter(code__in=[s.code for _, s in specs]).values_list("code", flat=True))
    current = 0
    try:
        with transaction.atomic():
            for row, spec in specs:
                current = row
                item_upsert(actor=actor, spec=spec)
            report.created = sum(1 for _, s in specs if s.code not in existing)
            report.updated = len(specs) - report.created
            audit_append(
                actor=actor,
                action="services.catalogue_import",
                object_type="service_catalogue",
                object_id="excel",
                changes={"items": len(specs), "created": report.created, "updated": report.updated},
            )
    except DomainError as exc:  # e.g. a material that applications use would be dropped: all rolled back
        report.created = report.updated = 0
        report.errors.append(RowError(ITEMS_SHEET, current, _ITEM_HEADERS["code"], exc.message))


def _error_order(error: RowError) -> tuple[int, int, int]:
    sheet = 0 if error.sheet == ITEMS_SHEET else 1
    headers = [c.header for c in (ITEM_COLUMNS if sheet == 0 else MATERIAL_COLUMNS)]
    return sheet, error.row, headers.index(error.column) if error.column in headers else len(headers)


# --- the error report -------------------------------------------------------------------------------------


def catalogue_import_report_xlsx(report: ImportReport) -> bytes:
    """The import's errors as a workbook (工作表, 行号, 列, 错误说明) the clerk downloads to fix the file."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "错误报告"
    columns = (
        Column("工作表", "sheet", 12, ""),
        Column("行号", "row", 8, ""),
        Column("列", "column", 18, ""),
        Column("错误说明", "message", 90, ""),
    )
    _write_header(ws, columns)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, error in enumerate(report.errors, start=2):
        for index, value in enumerate((error.sheet, error.row, error.column, error.message), start=1):
            cell = ws.cell(row=number, column=index)
            _put(cell, value)
            cell.alignment = wrap
    if not report.errors:
        _put(ws.cell(row=2, column=4), report.summary())
    return _save(workbook)
