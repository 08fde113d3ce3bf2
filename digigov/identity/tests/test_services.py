"""Identity services: registration, enterprises, agents, staff and grants — validation, audit, atomicity."""

from __future__ import annotations

from datetime import date

import pytest

from digigov.core.errors import Conflict, Forbidden, ValidationFailed
from digigov.core.models import AuditEntry
from digigov.identity.demo_city import make_id_number, make_uscc
from digigov.identity.models import (
    CitizenProfile,
    Department,
    Enterprise,
    EnterpriseAgent,
    Region,
    Role,
    RoleGrant,
    StaffProfile,
    User,
)
from digigov.identity.models.people import AgentRole
from digigov.identity.permissions import Perm
from digigov.identity.services.people import citizen_register, enterprise_register
from digigov.identity.services.staff import role_grant, staff_create, staff_update

pytestmark = pytest.mark.django_db
PASSWORD = "Qingshan#2026"
NEW_ID = make_id_number("210502", date(1991, 7, 8), 42)  # even sequence: female


def counts() -> tuple[int, int, int, int]:
    return User.objects.count(), CitizenProfile.objects.count(), Enterprise.objects.count(), AuditEntry.objects.count()


def register(**overrides: str) -> User:
    fields = {"real_name": "钱玉梅", "id_number": NEW_ID, "mobile": "13904141234", "password": PASSWORD}
    fields.update(overrides)
    return citizen_register(actor=None, **fields)


def test_citizen_register_derives_facts_and_seals_personal_data() -> None:
    user = register()
    profile = user.citizen
    assert profile.birth_date == date(1991, 7, 8)
    assert profile.birth_region_code == "210502"
    assert profile.gender == "F"
    assert profile.id_number() == NEW_ID
    assert profile.mobile() == "13904141234"
    assert profile.id_number_masked == NEW_ID[:6] + "********" + NEW_ID[-4:]
    assert profile.mobile_masked == "139****1234"
    assert NEW_ID.encode() not in bytes(profile.id_number_sealed)
    assert user.check_password(PASSWORD)
    assert user.password.startswith("argon2")
    entry = AuditEntry.objects.get(action="identity.citizen_register", object_id=str(profile.pk))
    assert "id_number" in entry.changed_fields and NEW_ID not in entry.changed_fields


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"id_number": NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1")}, "id_number"),
        ({"id_number": "21050219910230004X"}, "id_number"),
        ({"id_number": "abc"}, "id_number"),
        ({"mobile": "1234567"}, "mobile"),
        ({"mobile": "23904141234"}, "mobile"),
        ({"password": "simplepassword"}, "password"),
        ({"password": "Ab1"}, "password"),
        ({"real_name": "王"}, "real_name"),
    ],
)
def test_citizen_register_rejects_bad_input_without_writing(overrides: dict[str, str], field: str) -> None:
    before = counts()
    with pytest.raises(ValidationFailed) as caught:
        register(**overrides)
    assert field in caught.value.fields
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message), "message must be Chinese"
    assert counts() == before


def test_duplicate_id_number_and_mobile_are_conflicts() -> None:
    register()
    before = counts()
    with pytest.raises(Conflict) as caught:
        register(mobile="13904149999")
    assert "id_number" in caught.value.fields
    with pytest.raises(Conflict) as caught:
        register(id_number=make_id_number("210503", date(1990, 1, 2), 12))
    assert "mobile" in caught.value.fields
    assert counts() == before


def test_check_digit_override_needs_permission_and_reason_and_is_audited() -> None:
    bad = NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1")
    clerk = User.objects.get(username="fengxue")  # window clerk: no override permission
    with pytest.raises(Forbidden):
        register(id_number=bad, override_reason="户籍系统核实为真实号码")
    with pytest.raises(Forbidden):
        citizen_register(
            actor=clerk,
            real_name="钱玉梅",
            id_number=bad,
            mobile="13904141234",
            password=PASSWORD,
            override_reason="户籍系统核实为真实号码",
        )
    admin = User.objects.get(username="wangjianguo")  # sysadmin holds identity.override_validation
    with pytest.raises(ValidationFailed):
        citizen_register(
            actor=admin, real_name="钱玉梅", id_number=bad, mobile="13904141234", password=PASSWORD, override_reason=""
        )
    user = citizen_register(
        actor=admin,
        real_name="钱玉梅",
        id_number=bad,
        mobile="13904141234",
        password=PASSWORD,
        override_reason="户籍系统核实为真实号码",
    )
    assert user.citizen.id_override
    entry = AuditEntry.objects.get(action="identity.validation_override", object_id=str(user.citizen.pk))
    assert entry.actor_name == "wangjianguo"


def test_enterprise_register_makes_the_registrant_legal_rep_or_agent() -> None:
    user = register()
    uscc = make_uscc("91210502", 9001)
    enterprise = enterprise_register(
        actor=user,
        uscc=uscc,
        name="本溪市平山区玉梅花店",
        legal_representative="钱玉梅",
        region_code="210502001000",
        address="平山区胜利路12号",
    )
    agent = EnterpriseAgent.objects.get(enterprise=enterprise, user=user)
    assert agent.role == AgentRole.LEGAL_REP
    other = enterprise_register(
        actor=user,
        uscc=make_uscc("91210502", 9002),
        name="本溪市平山区代办服务部",
        legal_representative="孙立军",
        region_code="210502000000",
    )
    assert EnterpriseAgent.objects.get(enterprise=other, user=user).role == AgentRole.AGENT


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"uscc": "91210502MA0000000X"}, "uscc"),
        ({"uscc": "91210502MA00000O0X"}, "uscc"),
        ({"region_code": "210500000000"}, "region_code"),
        ({"region_code": "999999999999"}, "region_code"),
        ({"name": "店"}, "name"),
    ],
)
def test_enterprise_register_rejects_bad_input(fields: dict[str, str], error_field: str) -> None:
    user = User.objects.get(username="chenhaoran")
    data = {
        "uscc": make_uscc("91210502", 9100),
        "name": "本溪市平山区测试商行",
        "legal_representative": "陈浩然",
        "region_code": "210502001000",
    }
    data.update(fields)
    before = counts()
    with pytest.raises(ValidationFailed) as caught:
        enterprise_register(actor=user, **data)
    assert error_field in caught.value.fields
    assert counts() == before


def test_enterprise_register_duplicate_and_staff_without_override() -> None:
    existing = Enterprise.objects.first()
    assert existing is not None
    citizen = User.objects.get(username="chenhaoran")
    with pytest.raises(Conflict):
        enterprise_register(
            actor=citizen,
            uscc=existing.uscc,
            name="重复企业",
            legal_representative="陈浩然",
            region_code="210502001000",
        )
    with pytest.raises(Forbidden):
        enterprise_register(
            actor=User.objects.get(username="fengxue"),
            uscc=make_uscc("91210502", 9200),
            name="本溪市平山区某公司",
            legal_representative="某某",
            region_code="210502001000",
        )


def test_staff_create_within_scope_only() -> None:
    staff_admin = User.objects.get(username="xiechunmei")  # 人事管理员 of 溪湖区
    xihu = Region.objects.get(code="210503000000")
    pingshan = Region.objects.get(code="210502000000")
    xihu_office = Department.objects.get(code="xh_zfb")
    pingshan_center = Department.objects.get(code="ps_zwfwzx")
    staff = staff_create(
        actor=staff_admin,
        username="liuyang",
        display_name="刘洋",
        department=xihu_office,
        region=xihu,
        title="科员",
        password=PASSWORD,
    )
    assert staff.user.kind == "staff"
    with pytest.raises(Forbidden):
        staff_create(
            actor=staff_admin,
            username="zhanghua",
            display_name="张华",
            department=pingshan_center,
            region=pingshan,
            title="科员",
            password=PASSWORD,
        )
    with pytest.raises(Conflict):
        staff_create(
            actor=staff_admin,
            username="liuyang",
            display_name="刘洋",
            department=xihu_office,
            region=xihu,
            title="科员",
            password=PASSWORD,
        )
    with pytest.raises(ValidationFailed):
        staff_create(
            actor=staff_admin,
            username="Bad Name",
            display_name="刘洋",
            department=xihu_office,
            region=xihu,
            title="科员",
            password=PASSWORD,
        )


def test_staff_update_audits_changes_and_refuses_out_of_scope() -> None:
    city_admin = User.objects.get(username="zhouyan")
    target = StaffProfile.objects.get(user__username="sujianping")
    staff_update(actor=city_admin, staff=target, title="便民服务中心副主任")
    target.refresh_from_db()
    assert target.title == "便民服务中心副主任"
    assert AuditEntry.objects.filter(action="identity.staff_update", object_id=str(target.pk)).exists()
    street_clerk = User.objects.get(username="sujianping")
    with pytest.raises(Forbidden):
        staff_update(actor=street_clerk, staff=target, title="主任")


def test_role_grant_scope_kinds_and_no_escalation() -> None:
    sysadmin = User.objects.get(username="wangjianguo")  # every permission, city-wide
    staff_admin = User.objects.get(username="zhouyan")  # 人事管理员: staff and role management only
    district_admin = User.objects.get(username="xiechunmei")  # 人事管理员 of 溪湖区
    target = User.objects.get(username="jiangwei")  # 本溪县 clerk
    bxx = Region.objects.get(code="210521000000")
    grant = role_grant(
        actor=sysadmin, user=target, role=Role.objects.get(code="dept_head"), region=bxx, department=None
    )
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
    assert AuditEntry.objects.filter(action="identity.role_grant", object_id=str(target.pk)).exists()
    grid = role_grant(
        actor=staff_admin, user=target, role=Role.objects.get(code="grid_worker"), region=bxx, department=None
    )
    assert grid.role.code == "grid_worker"
    with pytest.raises(Forbidden, match="超出"):  # the role carries permissions the actor does not hold
        role_grant(actor=staff_admin, user=target, role=Role.objects.get(code="clerk"), region=bxx, department=None)
    with pytest.raises(Forbidden):  # outside 溪湖区
        role_grant(
            actor=district_admin, user=target, role=Role.objects.get(code="grid_worker"), region=bxx, department=None
        )
    with pytest.raises(Forbidden, match="自己"):
        role_grant(
            actor=district_admin,
            user=district_admin,
            role=Role.objects.get(code="sysadmin"),
            region=Region.objects.get(code="210503000000"),
            department=None,
        )
    with pytest.raises(ValidationFailed):
        role_grant(
            actor=sysadmin,
            user=User.objects.get(username="chenhaoran"),
            role=Role.objects.get(code="clerk"),
            region=bxx,
            department=None,
        )


def test_department_bound_grant_does_not_cover_all_departments() -> None:
    from digigov.identity.scope import in_scope

    head = User.objects.get(username="handongmei")  # dept_head of 平山区政务服务中心, bound to that department
    pingshan = Region.objects.get(code="210502000000")
    own = Department.objects.get(code="ps_zwfwzx")
    assert in_scope(head, Perm.VIEW_STAFF, region=pingshan, department_id=own.pk)
    assert not in_scope(head, Perm.VIEW_STAFF, region=pingshan, department_id=None)
    other = Department.objects.exclude(pk=own.pk).first()
    assert other is not None and not in_scope(head, Perm.VIEW_STAFF, region=pingshan, department_id=other.pk)
