"""Citizen registration (实名) and enterprises (法人); their agents (经办人) are in services/agents.py."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from digigov.core.audit import audit_append
from digigov.core.errors import Conflict, Forbidden, ValidationFailed
from digigov.core.masking import mask_id_number
from digigov.core.protected import blind_index, seal
from digigov.core.ratelimit import rate_limit
from digigov.core.request_context import current_request_context
from digigov.core.validators import validate_id_number, validate_mobile, validate_uscc
from digigov.identity import policy
from digigov.identity.models import (
    CitizenProfile,
    Enterprise,
    EnterpriseAgent,
    Region,
    RegionLevel,
    User,
    UserKind,
)
from digigov.identity.models.people import AgentRole, AgentState
from digigov.identity.policy import Action


def _check_override(actor: User | None, override_reason: str) -> None:
    if actor is None or not policy.can(actor, Action.OVERRIDE_VALIDATION):
        raise Forbidden("只有具备人工核验权限的工作人员可以跳过校验位检查")
    if len(override_reason.strip()) < 4:
        raise ValidationFailed("人工核验必须填写理由", fields={"override_reason": "请填写理由"})


def _throttle_self_registration(actor: User | None) -> None:
    """Anonymous registration answers "already registered", so it is rate-limited per source address."""
    source_ip = current_request_context().source_ip
    if actor is None and source_ip:
        rate_limit(scope="citizen_register", key=source_ip, limit=settings.REGISTRATIONS_PER_HOUR, window_seconds=3600)


def validated_password(password: str, user: User | None = None) -> str:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), fields={"password": "密码强度不足"}) from exc
    return password


def citizen_register(
    *,
    actor: User | None,
    real_name: str,
    id_number: str,
    mobile: str,
    password: str,
    override_reason: str = "",
    username: str | None = None,
) -> User:
    """Create a citizen account with real-name data. actor is None for self-registration; without a
    chosen username one is generated (citizens log in with their 身份证号 or mobile number)."""
    _throttle_self_registration(actor)
    if actor is not None and not policy.can(actor, Action.REGISTER_CITIZEN):  # None: registering oneself
        raise Forbidden("只有窗口或街道工作人员可以代办实名注册")
    real_name = real_name.strip()
    if not 2 <= len(real_name) <= 30:
        raise ValidationFailed("姓名应为2至30个字符", fields={"real_name": "长度不正确"})
    override = bool(override_reason)
    if override:
        _check_override(actor, override_reason)
    facts = validate_id_number(id_number, skip_check_digit=override)
    mobile = validate_mobile(mobile)
    id_index = blind_index(CitizenProfile.ID_PURPOSE, facts.number)
    mobile_index = blind_index(CitizenProfile.MOBILE_PURPOSE, mobile)
    if CitizenProfile.objects.filter(id_number_index=id_index).exists():
        raise Conflict("该身份证号已注册，请直接登录或找回密码", fields={"id_number": "已注册"})
    if CitizenProfile.objects.filter(mobile_index=mobile_index).exists():
        raise Conflict("该手机号码已被其他账号使用", fields={"mobile": "已被使用"})
    if username is not None and User.objects.filter(username=username).exists():
        raise Conflict("该用户名已被使用", fields={"username": "已被使用"})
    user = User(username=username or "c" + secrets.token_hex(6), kind=UserKind.CITIZEN, display_name=real_name)
    validated_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            profile = CitizenProfile.objects.create(
                user=user,
                real_name=real_name,
                id_number_sealed=seal(CitizenProfile.ID_PURPOSE, facts.number),
                id_number_index=id_index,
                id_number_masked=mask_id_number(facts.number),
                id_override=override,
                birth_date=facts.birth_date,
                gender=facts.gender,
                birth_region_code=facts.region_code,
                mobile_sealed=seal(CitizenProfile.MOBILE_PURPOSE, mobile),
                mobile_index=mobile_index,
            )
            audit_append(
                actor=actor or user,
                action="identity.citizen_register",
                object_type="citizen",
                object_id=profile.pk,
                changes={"real_name": real_name, "id_number": facts.number, "mobile": mobile},
            )
            if override:
                audit_append(
                    actor=actor,
                    action="identity.validation_override",
                    object_type="citizen",
                    object_id=profile.pk,
                    changes={"field": "id_number", "reason": override_reason},
                )
    except IntegrityError as exc:  # a concurrent registration of the same number won the race
        raise Conflict("该身份证号或手机号码已注册") from exc
    return user


def _region_for_enterprise(region_code: str) -> Region:
    region = Region.objects.filter(code=region_code).first()
    if region is None or region.level == RegionLevel.CITY:
        raise ValidationFailed("请选择企业所在的区县、街道或社区", fields={"region_code": "无效的行政区划"})
    return region


def enterprise_register(
    *,
    actor: User,
    uscc: str,
    name: str,
    legal_representative: str,
    region_code: str,
    address: str = "",
    override_reason: str = "",
) -> Enterprise:
    """A citizen registers an enterprise and becomes its agent: as 法定代表人 when their real name is the
    legal representative's, otherwise as 经办人."""
    if actor.kind != UserKind.CITIZEN and not override_reason:
        raise Forbidden("请以企业法定代表人或经办人的个人账号办理")
    override = bool(override_reason)
    if override:
        _check_override(actor, override_reason)
    code = validate_uscc(uscc, skip_check_digit=override)
    name, legal_representative = name.strip(), legal_representative.strip()
    if not 2 <= len(name) <= 120:
        raise ValidationFailed("企业名称应为2至120个字符", fields={"name": "长度不正确"})
    if not 2 <= len(legal_representative) <= 30:
        raise ValidationFailed("法定代表人姓名应为2至30个字符", fields={"legal_representative": "长度不正确"})
    region = _region_for_enterprise(region_code)
    if Enterprise.objects.filter(uscc=code).exists():
        raise Conflict("该统一社会信用代码已登记", fields={"uscc": "已登记"})
    try:
        with transaction.atomic():
            enterprise = Enterprise.objects.create(
                uscc=code,
                uscc_override=override,
                name=name,
                legal_representative=legal_representative,
                region=region,
                address=address.strip()[:200],
            )
            if actor.kind == UserKind.CITIZEN:
                is_legal_rep = actor.citizen.real_name == legal_representative
                role = AgentRole.LEGAL_REP if is_legal_rep else AgentRole.AGENT
                EnterpriseAgent.objects.create(
                    enterprise=enterprise,
                    user=actor,
                    role=role,
                    state=AgentState.ACCEPTED,  # they registered it themselves
                    granted_by=actor,
                    accepted_at=timezone.now(),
                )
            audit_append(
                actor=actor,
                action="identity.enterprise_register",
                object_type="enterprise",
                object_id=enterprise.pk,
                changes={"uscc": code, "name": name, "region": region.code},
            )
            if override:
                audit_append(
                    actor=actor,
                    action="identity.validation_override",
                    object_type="enterprise",
                    object_id=enterprise.pk,
                    changes={"field": "uscc", "reason": override_reason},
                )
    except IntegrityError as exc:
        raise Conflict("该统一社会信用代码已登记") from exc
    return enterprise
