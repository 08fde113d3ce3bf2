"""Maintaining the catalogue: items with their form and materials, and 一件事 bundles. Validated, audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from digigov.core.audit import audit_append
from digigov.core.errors import Forbidden, ValidationFailed
from digigov.identity.models import Department, Region, User
from digigov.identity.permissions import Perm
from digigov.identity.scope import has_perm, in_scope
from digigov.services.form_schema import validate_form_schema
from digigov.services.models import (
    ApplicantKind,
    Bundle,
    BundleItem,
    HandlingScope,
    ItemType,
    OnlineLevel,
    RequiredMaterial,
    ServiceItem,
)
from digigov.services.rules import validate_rules
from digigov.services.search import refresh_search_tokens

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


def catalogue_scope_covers(actor: User | None, department: Department) -> bool:
    """Whether actor may maintain the items of department (None: the system, which may)."""
    return actor is None or in_scope(
        actor, Perm.MANAGE_CATALOGUE, region=department.region, department_id=department.pk
    )


def _require_catalogue_scope(actor: User | None, department: Department) -> None:
    if not catalogue_scope_covers(actor, department):
        raise Forbidden("您无权维护该部门的事项")


def item_upsert(*, actor: User | None, spec: ItemSpec) -> ServiceItem:
    """Create or replace an item (by code) with its materials. actor None: the system (demo loader)."""
    department, regions, fee = validate_item_spec(spec)
    _require_catalogue_scope(actor, department)
    current = ServiceItem.objects.filter(code=spec.code.strip()).select_related("department").first()
    if current is not None:
        _require_catalogue_scope(actor, current.department)  # nobody takes over another department's item
    with transaction.atomic():
        item, created = ServiceItem.objects.update_or_create(
            code=spec.code.strip(),
            defaults={
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
                "is_active": True,
            },
        )
        item.regions.set(regions)
        _replace_materials(item, spec.materials)
        refresh_search_tokens([item])
        audit_append(
            actor=actor,
            action="services.item_upsert",
            object_type="service_item",
            object_id=item.code,
            changes={"created": created, "name": item.name, "department": department.code},
        )
    return item


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


def bundle_upsert(*, actor: User | None, code: str, name: str, description: str, item_codes: tuple[str, ...]) -> Bundle:
    items = {i.code: i for i in ServiceItem.objects.filter(code__in=item_codes)}
    missing = [c for c in item_codes if c not in items]
    if missing or len(item_codes) < 2:
        raise ValidationFailed("一件事至少包含两个有效事项：" + "、".join(missing), fields={"item_codes": "无效"})
    if actor is not None and not has_perm(actor, Perm.MANAGE_CATALOGUE):
        raise Forbidden("您无权维护一件事")
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
