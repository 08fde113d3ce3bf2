"""Maintaining the catalogue: items with their form and materials, and 一件事 bundles. Validated, audited."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from digigov.core.audit import audit_append
from digigov.core.errors import Conflict, ValidationFailed
from digigov.core.form_schema import validate_form_schema
from digigov.core.policy import SystemActor, require
from digigov.identity.models import Department, Region, User
from digigov.onestop import policy
from digigov.onestop.models import (
    ApplicantKind,
    Bundle,
    BundleItem,
    HandlingScope,
    ItemType,
    OnlineLevel,
    RequiredMaterial,
    ServiceItem,
)
from digigov.onestop.rules import validate_rules
from digigov.onestop.services.search import refresh_search_tokens

ALLOWED_FILE_TYPES = {"pdf", "jpg", "jpeg", "png", "ofd", "doc", "docx", "xls", "xlsx", "zip"}


@dataclass(frozen=True)
class MaterialSpec:
    name: str
    mandatory: bool = True
    file_types: tuple[str, ...] = ("pdf", "jpg", "png")
    max_size_mb: int = 10
    license_type: str = ""


@dataclass(frozen=True)
class ItemSpec:
    """Everything an item is, as plain values (from the console form, the Excel sheet or the demo data)."""

    code: str
    name: str
    department_code: str
    item_type: str
    legal_basis: str
    statutory_days: int
    promised_days: int
    fee: str
    fee_note: str
    online_level: str
    applicant_kind: str
    handling_scope: str
    region_codes: tuple[str, ...]
    guide: str = ""
    form_fields: list[dict[str, Any]] = field(default_factory=list)
    materials: tuple[MaterialSpec, ...] = ()
    auto_approval_rules: list[dict[str, Any]] = field(default_factory=list)


# json.JSONDecodeError.msg → what a clerk reads; the position is added by parse_json_list.
_JSON_REASONS = {
    "Expecting value": "此处缺少值",
    "Expecting property name enclosed in double quotes": "属性名须用英文双引号括起，且最后一项后不能有逗号",
    "Expecting ':' delimiter": "属性名后缺少冒号 :",
    "Expecting ',' delimiter": "缺少逗号 ,",
    "Unterminated string starting at": "字符串缺少结束的双引号",
    "Invalid control character at": "字符串中有不允许的控制字符（如换行）",
    "Invalid \\escape": "无效的转义符 \\",
    "Extra data": "列表结束后还有多余的内容",
}
_CHINESE_PUNCTUATION = "“”‘’，：［］｛｝"


def parse_json_list(text: str, *, field_name: str, label: str) -> list[Any]:
    """A JSON list typed by a clerk (console textarea or Excel cell); "" is []. Refused with a Chinese message
    that says where and what is wrong, on fields={field_name: ...}."""
    text = text.strip()
    if not text:
        return []
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = _JSON_REASONS.get(exc.msg, exc.msg)
        if any(mark in text for mark in _CHINESE_PUNCTUATION):
            reason += "；请使用英文标点（双引号、逗号、冒号、括号），不要用中文标点"
        message = f"「{label}」不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{reason}）"
        raise ValidationFailed(message, fields={field_name: message}) from exc
    if not isinstance(parsed, list):
        message = f"「{label}」应为 JSON 列表（以 [ 开头，以 ] 结尾）"
        raise ValidationFailed(message, fields={field_name: message})
    return parsed


def _choice(value: str, choices: type, field_name: str, label: str) -> str:
    if value not in choices.values:  # type: ignore[attr-defined]
        allowed = "、".join(str(c.label) for c in choices)  # type: ignore[attr-defined]
        raise ValidationFailed(f"{label}无效，应为：{allowed}", fields={field_name: "无效"})
    return value


def _validated_fee(fee: str) -> Decimal:
    try:
        amount = Decimal(str(fee).strip() or "0")
    except InvalidOperation as exc:
        raise ValidationFailed("收费标准应为金额数字，不收费填 0", fields={"fee": "格式错误"}) from exc
    if amount < 0 or amount > Decimal("99999999"):
        raise ValidationFailed("收费标准超出范围", fields={"fee": "超出范围"})
    return amount.quantize(Decimal("0.01"))


def validate_material_spec(material: MaterialSpec) -> None:
    """One material's own checks; `fields` names the attribute at fault (the Excel import reports it per row)."""
    if not 1 <= len(material.name.strip()) <= 120:
        raise ValidationFailed("材料名称不能为空，且不超过120个字符", fields={"name": "长度不正确"})
    unknown = set(material.file_types) - ALLOWED_FILE_TYPES
    if unknown or not material.file_types:
        raise ValidationFailed(
            f"材料「{material.name}」的文件类型无效：{'、'.join(sorted(unknown)) or '未填写'}",
            fields={"file_types": "文件类型无效"},
        )
    if not 1 <= material.max_size_mb <= 100:
        raise ValidationFailed(f"材料「{material.name}」的大小上限应为1至100MB", fields={"max_size_mb": "大小无效"})
    if len(material.license_type.strip()) > 60:
        raise ValidationFailed(f"材料「{material.name}」的电子证照类型不超过60个字符", fields={"license_type": "过长"})


def _validated_materials(materials: tuple[MaterialSpec, ...]) -> None:
    names = [m.name.strip() for m in materials]
    if any(not n for n in names) or len(set(names)) != len(names):
        raise ValidationFailed("材料名称不能为空且不能重复", fields={"materials": "名称重复或为空"})
    for material in materials:
        try:
            validate_material_spec(material)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, fields={"materials": "；".join(exc.fields.values())}) from exc


def validate_item_spec(spec: ItemSpec) -> tuple[Department, list[Region], Decimal]:
    """Every check an item must pass before anything is written (shared by the console and the Excel import)."""
    if not spec.code.strip() or len(spec.code) > 40:
        raise ValidationFailed("事项编码不能为空，且不超过40个字符", fields={"code": "无效"})
    if not 2 <= len(spec.name.strip()) <= 120:
        raise ValidationFailed("事项名称应为2至120个字符", fields={"name": "长度不正确"})
    department = Department.objects.filter(code=spec.department_code).first()
    if department is None:
        raise ValidationFailed(f"实施部门「{spec.department_code}」不存在", fields={"department_code": "不存在"})
    _choice(spec.item_type, ItemType, "item_type", "事项类型")
    _choice(spec.online_level, OnlineLevel, "online_level", "网办深度")
    _choice(spec.applicant_kind, ApplicantKind, "applicant_kind", "服务对象")
    _choice(spec.handling_scope, HandlingScope, "handling_scope", "通办范围")
    if not spec.legal_basis.strip():
        raise ValidationFailed("设定依据不能为空", fields={"legal_basis": "必填"})
    if not 0 <= spec.promised_days <= spec.statutory_days <= 365:
        raise ValidationFailed(
            "承诺时限不能超过法定时限（工作日，0 表示即办）", fields={"promised_days": "超过法定时限"}
        )
    regions = list(Region.objects.filter(code__in=spec.region_codes))
    if not spec.region_codes or len(regions) != len(set(spec.region_codes)):
        raise ValidationFailed("办理区域无效或未填写", fields={"region_codes": "无效"})
    specs = validate_form_schema(spec.form_fields)
    validate_rules(spec.auto_approval_rules, specs)
    _validated_materials(spec.materials)
    return department, regions, _validated_fee(spec.fee)


CATALOGUE_REFUSED = "您无权维护该部门的事项"


def _require_catalogue_scope(actor: User | SystemActor, department: Department) -> None:
    require(policy.can(actor, policy.Action.MAINTAIN_CATALOGUE, department), CATALOGUE_REFUSED)


def _stored_values(spec: ItemSpec, department: Department, fee: Decimal) -> dict[str, Any]:
    """The ServiceItem columns a valid spec stores (normalised as written)."""
    return {
        "name": spec.name.strip(),
        "department": department,
        "item_type": spec.item_type,
        "legal_basis": spec.legal_basis.strip(),
        "statutory_days": spec.statutory_days,
        "promised_days": spec.promised_days,
        "fee": fee,
        "fee_note": spec.fee_note.strip()[:200],
        "online_level": spec.online_level,
        "applicant_kind": spec.applicant_kind,
        "handling_scope": spec.handling_scope,
        "guide": spec.guide.strip(),
        "form_fields": spec.form_fields,
        "auto_approval_rules": spec.auto_approval_rules,
    }


def _material_rows(materials: Any) -> list[tuple[str, bool, list[str], int, str]]:
    return [(m.name.strip(), m.mandatory, list(m.file_types), m.max_size_mb, m.license_type.strip()) for m in materials]


def _changed_fields(item: ServiceItem, spec: ItemSpec, values: dict[str, Any], regions: list[Region]) -> list[str]:
    """Names of what a write of spec would change on item (regions and materials included)."""
    changed = [
        name
        for name, value in values.items()
        if (item.department_id != value.pk if name == "department" else getattr(item, name) != value)
    ]
    if sorted(r.code for r in item.regions.all()) != sorted(r.code for r in regions):
        changed.append("regions")
    if _material_rows(item.materials.order_by("position", "pk")) != _material_rows(spec.materials):
        changed.append("materials")
    return changed


def _write_item(item: ServiceItem, values: dict[str, Any], regions: list[Region], spec: ItemSpec) -> None:
    """Store values, regions and materials on item (saved or not). Call inside the service's transaction."""
    for name, value in values.items():
        setattr(item, name, value)
    item.is_active = True
    item.save()
    item.regions.set(regions)
    _replace_materials(item, spec.materials)
    refresh_search_tokens([item])


def item_upsert(*, actor: User | SystemActor, spec: ItemSpec) -> ServiceItem:
    """Create or replace an item (by code) with its materials: the Excel import and the demo loader.
    actor SYSTEM: the demo loader. The console uses item_create / item_update."""
    require(policy.can(actor, policy.Action.MAINTAIN_CATALOGUE), CATALOGUE_REFUSED)
    department, regions, fee = validate_item_spec(spec)
    _require_catalogue_scope(actor, department)
    current = ServiceItem.objects.filter(code=spec.code.strip()).select_related("department").first()
    if current is not None:
        _require_catalogue_scope(actor, current.department)  # nobody takes over another department's item
    with transaction.atomic():
        item = current or ServiceItem(code=spec.code.strip())
        _write_item(item, _stored_values(spec, department, fee), regions, spec)
        audit_append(
            actor=actor,
            action="services.item_upsert",
            object_type="service_item",
            object_id=item.code,
            changes={"created": current is None, "name": item.name, "department": department.code},
        )
    return item


def item_create(*, actor: User, spec: ItemSpec) -> ServiceItem:
    """A new item from the console: validated like an Excel row; the code must be new."""
    require(policy.can(actor, policy.Action.MAINTAIN_CATALOGUE), CATALOGUE_REFUSED)
    department, regions, fee = validate_item_spec(spec)
    _require_catalogue_scope(actor, department)
    code = spec.code.strip()
    if ServiceItem.objects.filter(code=code).exists():
        raise ValidationFailed(f"事项编码「{code}」已存在，请换一个编码或编辑该事项", fields={"code": "编码已存在"})
    values = _stored_values(spec, department, fee)
    with transaction.atomic():
        item = ServiceItem(code=code)
        _write_item(item, values, regions, spec)
        audit_append(
            actor=actor,
            action="services.item_created",
            object_type="service_item",
            object_id=item.code,
            changes={**values, "department": department.code, "regions": [r.code for r in regions]},
        )
    return item


def item_version(item: ServiceItem) -> str:
    """What the edit form carries back, so a save over someone else's newer save is refused."""
    return item.updated_at.isoformat() if item.updated_at else ""


def item_update(*, actor: User, item: ServiceItem, spec: ItemSpec, version: str = "") -> list[str]:
    """Change an item from the console (its code stays). Returns the names of the changed fields ([]: nothing
    to save, nothing written). version: item_version() when the form was opened; a different current version
    is a Conflict. The actor's grant must cover the item's current and its new department."""
    _require_catalogue_scope(actor, item.department)
    if spec.code.strip() != item.code:
        raise ValidationFailed("事项编码不能修改", fields={"code": "不能修改"})
    department, regions, fee = validate_item_spec(spec)
    _require_catalogue_scope(actor, department)
    values = _stored_values(spec, department, fee)
    with transaction.atomic():
        current = ServiceItem.objects.select_for_update().select_related("department").get(pk=item.pk)
        if version and item_version(current) != version:
            raise Conflict("该事项已被他人修改，请重新打开后再编辑", fields={"version": "已过期"})
        _require_catalogue_scope(actor, current.department)  # moved meanwhile by someone else
        changed = _changed_fields(current, spec, values, regions)
        if not changed:
            return []
        _write_item(current, values, regions, spec)
        audit_append(
            actor=actor,
            action="services.item_updated",
            object_type="service_item",
            object_id=current.code,
            changes={name: _audited(name, values, regions, spec) for name in changed},
        )
    return changed


def _audited(name: str, values: dict[str, Any], regions: list[Region], spec: ItemSpec) -> object:
    if name == "regions":
        return sorted(r.code for r in regions)
    if name == "materials":
        return _material_rows(spec.materials)
    if name == "department":
        return values["department"].code
    return values[name]


def _replace_materials(item: ServiceItem, materials: tuple[MaterialSpec, ...]) -> None:
    """Keep rows whose name stays (applications point at them); drop the rest if nothing refers to them."""
    keep = {m.name.strip() for m in materials}
    for stale in item.materials.exclude(name__in=keep):
        if stale.applicationmaterial_set.exists():
            raise ValidationFailed(f"材料「{stale.name}」已有办件使用，不能删除", fields={"materials": "已被使用"})
        stale.delete()
    for position, material in enumerate(materials):
        RequiredMaterial.objects.update_or_create(
            item=item,
            name=material.name.strip(),
            defaults={
                "position": position,
                "mandatory": material.mandatory,
                "file_types": list(material.file_types),
                "max_size_mb": material.max_size_mb,
                "license_type": material.license_type.strip(),
            },
        )


def bundle_upsert(
    *, actor: User | SystemActor, code: str, name: str, description: str, item_codes: tuple[str, ...]
) -> Bundle:
    require(policy.can(actor, policy.Action.MANAGE_BUNDLES), "您无权维护一件事")
    items = {i.code: i for i in ServiceItem.objects.filter(code__in=item_codes)}
    missing = [c for c in item_codes if c not in items]
    if missing or len(item_codes) < 2:
        raise ValidationFailed("一件事至少包含两个有效事项：" + "、".join(missing), fields={"item_codes": "无效"})
    with transaction.atomic():
        bundle, _ = Bundle.objects.update_or_create(code=code, defaults={"name": name, "description": description})
        stale = list(ServiceItem.objects.filter(bundleitem__bundle=bundle))
        BundleItem.objects.filter(bundle=bundle).delete()
        BundleItem.objects.bulk_create(
            BundleItem(bundle=bundle, item=items[c], position=i) for i, c in enumerate(item_codes)
        )
        refresh_search_tokens(list({i.pk: i for i in [*stale, *items.values()]}.values()))
        audit_append(
            actor=actor,
            action="services.bundle_upsert",
            object_type="bundle",
            object_id=code,
            changes={"name": name, "items": list(item_codes)},
        )
    return bundle
