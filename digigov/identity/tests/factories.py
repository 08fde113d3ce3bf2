"""Test data for the identity domain, made through the same services a person would use.

Numbers are generated valid (GB 11643 身份证号, GB 32100 统一社会信用代码) and unique within a test session,
well away from the demo city's own serials.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from digigov.core.policy import SYSTEM
from digigov.identity import demo_city
from digigov.identity.demo_loader import DEMO_PASSWORD
from digigov.identity.models import Department, Enterprise, Region, Role, StaffProfile, User
from digigov.identity.services import org, people, staff, tokens

_serial = itertools.count(1)

PINGSHAN_DISTRICT = "210502000000"  # 平山区
PINGSHAN_STREET = "210502001000"  # 平山区 平山街道
DONGMING_STREET = "210502002000"  # 平山区 东明街道
XIHU_DISTRICT = "210503000000"  # 溪湖区


def next_serial() -> int:
    return next(_serial)


def id_number(serial: int | None = None) -> str:
    """A valid 身份证号 born in 平山区 (code in use since 1983), unique per serial."""
    serial = next_serial() if serial is None else serial
    birth = date(1990, 1, 1) + timedelta(days=serial % 5000)
    return demo_city.make_id_number("210502", birth, 500 + serial // 5000)


def mobile(serial: int | None = None) -> str:
    serial = next_serial() if serial is None else serial
    return f"177{serial:08d}"


def uscc(region6: str = "210502", serial: int | None = None) -> str:
    serial = next_serial() if serial is None else serial
    return demo_city.make_uscc("91" + region6, 50_000 + serial)


def citizen(*, real_name: str = "测试用户", password: str = DEMO_PASSWORD, **kwargs: Any) -> User:
    serial = next_serial()
    return people.citizen_register(
        actor=None,
        real_name=real_name,
        id_number=kwargs.pop("id_number", id_number(serial)),
        mobile=kwargs.pop("mobile", mobile(serial)),
        password=password,
        username=kwargs.pop("username", f"tc{serial:06d}"),
    )


def enterprise(*, owner: User, region_code: str = PINGSHAN_STREET, name: str | None = None) -> Enterprise:
    """An enterprise registered by owner (a citizen), who becomes its legal representative."""
    serial = next_serial()
    return people.enterprise_register(
        actor=owner,
        uscc=uscc(region_code[:6], serial),
        name=name or f"本溪测试商贸有限公司{serial}",
        legal_representative=owner.citizen.real_name,
        region_code=region_code,
    )


def staff_member(
    *, department_code: str, region_code: str, roles: tuple[tuple[str, str | None], ...] = (), title: str = "科员"
) -> StaffProfile:
    """A staff account; roles: (role code, grant region code or None for the own region), own department only
    for department-bound roles as the demo does it."""
    serial = next_serial()
    department = Department.objects.get(code=department_code)
    region = Region.objects.get(code=region_code)
    profile = staff.staff_create(
        actor=SYSTEM,
        username=f"ts{serial:06d}",
        display_name=f"测试{serial}",
        department=department,
        region=region,
        title=title,
        password=DEMO_PASSWORD,
    )
    for role_code, grant_region in roles:
        staff.role_grant(
            actor=SYSTEM,
            user=profile.user,
            role=Role.objects.get(code=role_code),
            region=Region.objects.get(code=grant_region or region_code),
            department=None,
        )
    return profile


def role(*, code: str, permissions: list[str], requires_mfa: bool = False) -> Role:
    return org.role_upsert(actor=SYSTEM, code=code, name=code, permissions=permissions, requires_mfa=requires_mfa)


def bearer(user: User | str, *, name: str = "测试令牌") -> dict[str, str]:
    """Request headers carrying a fresh API token of user (created through the service)."""
    if isinstance(user, str):
        user = User.objects.get(username=user)
    _token, secret = tokens.api_token_create(actor=user, name=name)
    return {"Authorization": f"Bearer {secret}"}


def bearer_client(user: User | str) -> Client:
    """A client that sends user's bearer token on every request (no session, no cookies)."""
    return Client(headers=bearer(user))


def staff_of(username: str) -> StaffProfile:
    return StaffProfile.objects.select_related("user", "region", "department").get(user__username=username)


def verified_admin_client(username: str = "wangjianguo") -> Client:
    """王建国 (系统管理员: every permission city-wide) signed in through password and TOTP, as the role requires."""
    device = TOTPDevice.objects.create(user=User.objects.get(username=username), name="手机", confirmed=True)
    client = Client()
    assert client.post("/login/", {"identifier": username, "password": DEMO_PASSWORD}).status_code == 302
    assert client.post("/login/totp/", {"token": f"{totp(device.bin_key):06d}"}).status_code == 302
    return client
