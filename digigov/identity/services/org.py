"""Reference data of the org tree: regions, departments, roles. Loaded by the system or an administrator."""

from __future__ import annotations

from django.db import transaction

from digigov.core.audit import audit_append
from digigov.core.errors import ValidationFailed
from digigov.core.policy import SystemActor, require
from digigov.core.process_cache import invalidate
from digigov.core.validators import validate_uscc
from digigov.identity import policy
from digigov.identity.models import Department, Region, RegionLevel, Role, User
from digigov.identity.permissions import Perm
from digigov.identity.policy import Action

# The names under which readers keep regions and departments per process (digigov.core.process_cache); a change
# here tells every process to reload them.
REGIONS_CACHE = "identity.regions"
DEPARTMENTS_CACHE = "identity.departments"
# The org tree is the whole city's: a city-wide MANAGE_ROLES grant, or SYSTEM (the demo loader, commands).
ORG_REFUSED = "区划、部门和角色对全市生效，需要全市范围的角色管理权限"

PARENT_LEVEL = {
    RegionLevel.DISTRICT: RegionLevel.CITY,
    RegionLevel.STREET: RegionLevel.DISTRICT,
    RegionLevel.COMMUNITY: RegionLevel.STREET,
}


def region_upsert(*, actor: User | SystemActor, code: str, name: str, level: str, parent_code: str | None) -> Region:
    require(policy.can(actor, Action.MANAGE_ORG), ORG_REFUSED)
    if len(code) != 12 or not code.isdigit():
        raise ValidationFailed("区划代码应为12位数字", fields={"code": "格式错误"})
    level = RegionLevel(level)
    parent = Region.objects.filter(code=parent_code).first() if parent_code else None
    if level != RegionLevel.CITY and (parent is None or parent.level != PARENT_LEVEL[level]):
        raise ValidationFailed("上级区划不存在或层级不符", fields={"parent_code": "无效"})
    if parent is not None and not code.startswith(parent.scope_prefix):
        raise ValidationFailed("区划代码须以上级区划代码开头", fields={"code": "与上级不符"})
    with transaction.atomic():
        region, created = Region.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent}
        )
        invalidate(REGIONS_CACHE)
        audit_append(
            actor=actor,
            action="identity.region_upsert",
            object_type="region",
            object_id=code,
            changes={"name": name, "level": level, "created": created},
        )
    return region


def department_upsert(
    *, actor: User | SystemActor, code: str, name: str, short_name: str, uscc: str, region_code: str, kind: str = ""
) -> Department:
    require(policy.can(actor, Action.MANAGE_ORG), ORG_REFUSED)
    uscc = validate_uscc(uscc)
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise ValidationFailed("部门所属区划不存在", fields={"region_code": "无效"})
    with transaction.atomic():
        department, _created = Department.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short_name, "uscc": uscc, "region": region, "kind": kind}
        )
        invalidate(DEPARTMENTS_CACHE)
        audit_append(
            actor=actor,
            action="identity.department_upsert",
            object_type="department",
            object_id=code,
            changes={"name": name, "uscc": uscc, "region": region_code},
        )
    return department


def role_upsert(
    *,
    actor: User | SystemActor,
    code: str,
    name: str,
    permissions: list[str],
    requires_mfa: bool,
    description: str = "",
) -> Role:
    require(policy.can(actor, Action.MANAGE_ORG), ORG_REFUSED)
    unknown = sorted(set(permissions) - {p.value for p in Perm})
    if unknown:
        raise ValidationFailed("未知的权限代码: " + ", ".join(unknown), fields={"permissions": "未知权限"})
    with transaction.atomic():
        role, _ = Role.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "permissions": sorted(permissions),
                "requires_mfa": requires_mfa,
                "description": description,
            },
        )
        audit_append(
            actor=actor,
            action="identity.role_upsert",
            object_type="role",
            object_id=code,
            changes={"permissions": sorted(permissions), "requires_mfa": requires_mfa},
        )
    return role
