"""Turn the demo city (demo_city.py) into rows, through the same services a person would use.

Idempotent: rows that exist are left alone, so `make run` can load the demo on every start.
"""

from __future__ import annotations

from django.db import transaction

from digigov.core.policy import SYSTEM
from digigov.identity import demo_city as city
from digigov.identity.models import CitizenProfile, Department, Enterprise, Region, Role, User
from digigov.identity.models.roles import StaffProfile
from digigov.identity.services.agents import enterprise_agent_accept, enterprise_agent_grant
from digigov.identity.services.org import department_upsert, region_upsert, role_upsert
from digigov.identity.services.people import citizen_register, enterprise_register
from digigov.identity.services.staff import role_grant, staff_create

# Every demo account's password; printed in the README. Never load the demo into production.
DEMO_PASSWORD = "Benxi@2026"  # noqa: S105 (public demo password)

# Roles whose grants cover every department of their region (the others are bound to the own department).
# 综合窗口: clerks accept applications for every department ("前台综合受理、后台分类审批").
CROSS_DEPARTMENT_ROLES = {
    city.ROLE_CITY_LEADER,
    city.ROLE_SYSADMIN,
    city.ROLE_AUDITOR,
    city.ROLE_STAFF_ADMIN,
    city.ROLE_CLERK,
    city.ROLE_STREET_CLERK,
    city.ROLE_HOTLINE_AGENT,  # the hotline centre takes and dispatches appeals for every department
    city.ROLE_HOTLINE_DISPATCHER,
}


def _load_regions() -> None:
    existing = set(Region.objects.values_list("code", flat=True))
    for seed in city.REGIONS:  # parents come before children in REGIONS
        if seed.code not in existing:
            region_upsert(actor=SYSTEM, code=seed.code, name=seed.name, level=seed.level, parent_code=seed.parent_code)


def _load_departments() -> None:
    existing = set(Department.objects.values_list("code", flat=True))
    for seed in city.DEPARTMENTS:
        if seed.code not in existing:
            department_upsert(
                actor=SYSTEM,
                code=seed.code,
                name=seed.name,
                short_name=seed.short_name,
                uscc=seed.uscc,
                region_code=seed.region_code,
                kind=seed.kind,
            )


def _load_roles() -> None:
    for seed in city.ROLES:
        role_upsert(
            actor=SYSTEM,
            code=seed.code,
            name=seed.name,
            permissions=list(seed.permissions),
            requires_mfa=seed.requires_mfa,
            description=seed.description,
        )


def _load_staff() -> None:
    regions = {r.code: r for r in Region.objects.all()}
    departments = {d.code: d for d in Department.objects.all()}
    roles = {r.code: r for r in Role.objects.all()}
    existing = set(StaffProfile.objects.values_list("user__username", flat=True))
    for seed in city.STAFF:
        if seed.username in existing:
            continue
        department = departments[seed.department_code]
        with transaction.atomic():
            profile = staff_create(
                actor=SYSTEM,
                username=seed.username,
                display_name=seed.name,
                department=department,
                region=regions[seed.region_code],
                title=seed.title,
                password=DEMO_PASSWORD,
            )
            for role_code in seed.role_codes:
                role_grant(
                    actor=SYSTEM,
                    user=profile.user,
                    role=roles[role_code],
                    region=regions[seed.grant_region_code],
                    department=None if role_code in CROSS_DEPARTMENT_ROLES else department,
                )


def _load_citizens() -> None:
    existing = set(CitizenProfile.objects.values_list("user__username", flat=True))
    for seed in city.CITIZENS:
        if seed.username not in existing:
            citizen_register(
                actor=None,
                real_name=seed.name,
                id_number=seed.id_number,
                mobile=seed.mobile,
                password=DEMO_PASSWORD,
                username=seed.username,
            )


def _load_enterprises() -> None:
    mobiles = {seed.username: seed.mobile for seed in city.CITIZENS}
    existing = set(Enterprise.objects.values_list("uscc", flat=True))
    users = {u.username: u for u in User.objects.filter(kind="citizen")}
    for seed in city.ENTERPRISES:
        if seed.uscc in existing:
            continue
        # Without an account for the legal representative, the first 经办人 registers the enterprise.
        registrant = users[seed.legal_rep_username or seed.agent_usernames[0]]
        with transaction.atomic():
            enterprise = enterprise_register(
                actor=registrant,
                uscc=seed.uscc,
                name=seed.name,
                legal_representative=seed.legal_representative,
                region_code=seed.region_code,
                address=seed.address,
            )
            if seed.legal_rep_username is None:
                continue
            for username in seed.agent_usernames:
                invitation = enterprise_agent_grant(
                    actor=registrant, enterprise=enterprise, agent_mobile=mobiles[username]
                )
                enterprise_agent_accept(actor=users[username], invitation=invitation)
            for name, username in city.PENDING_AGENT_INVITATIONS:
                if name == seed.name:
                    enterprise_agent_grant(actor=registrant, enterprise=enterprise, agent_mobile=mobiles[username])


def load_demo_city() -> dict[str, int]:
    _load_regions()
    _load_departments()
    _load_roles()
    _load_staff()
    _load_citizens()
    _load_enterprises()
    return {
        "regions": Region.objects.count(),
        "departments": Department.objects.count(),
        "staff": StaffProfile.objects.count(),
        "citizens": CitizenProfile.objects.count(),
        "enterprises": Enterprise.objects.count(),
    }
