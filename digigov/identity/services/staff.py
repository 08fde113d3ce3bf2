"""Staff accounts, their placement in the org tree, and role grants."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from digigov.core.audit import audit_append
from digigov.core.errors import Conflict, Forbidden, ValidationFailed
from digigov.core.policy import SystemActor, require
from digigov.identity import policy
from digigov.identity.models import Department, Region, Role, RoleGrant, StaffProfile, User, UserKind
from digigov.identity.policy import Action, Placement
from digigov.identity.scope import forget_scopes
from digigov.identity.services.people import validated_password

USERNAME_RE = re.compile(r"^[a-z][a-z0-9_.]{2,39}$")


def _require_staff_scope(
    actor: User | SystemActor, action: Action, region: Region, department: Department | None
) -> None:
    require(policy.can(actor, action, Placement(region, department)), "该部门或区域不在您的管理范围内")


def staff_create(
    *,
    actor: User | SystemActor,
    username: str,
    display_name: str,
    department: Department,
    region: Region,
    title: str,
    password: str,
) -> StaffProfile:
    """Create a staff account placed in a department and region. actor SYSTEM: the demo loader."""
    _require_staff_scope(actor, Action.MANAGE_STAFF, region, department)
    if not USERNAME_RE.fullmatch(username):
        message = "登录名应为3至40位小写字母、数字、点或下划线，以字母开头"
        raise ValidationFailed(message, fields={"username": "格式错误"})
    if not department.region.contains(region) and not region.contains(department.region):
        raise ValidationFailed("工作人员所在区域须与部门所属区域一致", fields={"region": "与部门不符"})
    user = User(username=username, kind=UserKind.STAFF, display_name=display_name.strip()[:60])
    validated_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            staff = StaffProfile.objects.create(
                user=user, department=department, region=region, title=title.strip()[:60]
            )
            audit_append(
                actor=actor,
                action="identity.staff_create",
                object_type="staff",
                object_id=staff.pk,
                changes={"username": username, "department": department.code, "region": region.code},
            )
    except IntegrityError as exc:
        raise Conflict("该登录名已被使用", fields={"username": "已被使用"}) from exc
    return staff


def staff_update(
    *, actor: User, staff: StaffProfile, title: str | None = None, display_name: str | None = None
) -> StaffProfile:
    """Change a staff member's title or name. Callers fetch staff through staff_get_for_actor first."""
    _require_staff_scope(actor, Action.MANAGE_STAFF, staff.region, staff.department)
    changes: dict[str, object] = {}
    with transaction.atomic():
        if title is not None and title.strip() != staff.title:
            staff.title = title.strip()[:60]
            staff.save(update_fields=["title"])
            changes["title"] = staff.title
        if display_name is not None and display_name.strip() != staff.user.display_name:
            if not 2 <= len(display_name.strip()) <= 30:
                raise ValidationFailed("姓名应为2至30个字符", fields={"display_name": "长度不正确"})
            staff.user.display_name = display_name.strip()
            staff.user.save(update_fields=["display_name"])
            changes["display_name"] = staff.user.display_name
        if changes:
            audit_append(
                actor=actor, action="identity.staff_update", object_type="staff", object_id=staff.pk, changes=changes
            )
    return staff


def role_grant(
    *, actor: User | SystemActor, user: User, role: Role, region: Region, department: Department | None
) -> RoleGrant:
    """Bind a role to a user for a department and region subtree. actor SYSTEM: the demo loader.

    No escalation: the actor must hold every permission of the role over the same scope, and may not grant
    to themselves (三员分立: whoever assigns roles is not whoever uses them)."""
    _require_staff_scope(actor, Action.GRANT_ROLE, region, department)
    if isinstance(actor, User):
        if actor.pk == user.pk:
            raise Forbidden("不能给自己分配角色")
        if policy.grants_exceeding(actor, role.permissions, Placement(region, department)):
            raise Forbidden("不能授予超出您自身权限或范围的角色")
    if user.kind != UserKind.STAFF:
        raise ValidationFailed("只能给工作人员分配角色")
    with transaction.atomic():
        grant, created = RoleGrant.objects.get_or_create(user=user, role=role, region=region, department=department)
        if created:
            audit_append(
                actor=actor,
                action="identity.role_grant",
                object_type="user",
                object_id=user.pk,
                changes={"role": role.code, "region": region.code, "department": department.code if department else ""},
            )
    forget_scopes(user)
    return grant


def user_set_elder_mode(*, actor: User, enabled: bool) -> None:
    """适老化 mode: large type, high contrast, simplified layout; remembered on the account."""
    with transaction.atomic():
        User.objects.filter(pk=actor.pk).update(elder_mode=enabled)
        actor.elder_mode = enabled
        audit_append(
            actor=actor,
            action="identity.elder_mode_set",
            object_type="user",
            object_id=actor.pk,
            changes={"elder_mode": enabled},
        )
