"""The hotline settings pages (系统管理员 王建国, signed in with TOTP): a time limit changed on the page governs the
next intake; a disabled channel is refused at intake; activating an older routing model version is the version
the next appeal records; an Open311 key is shown once, then only its hint, and revoking it stops it. Each
change is audited; bad input is told on the field; who may not change the settings is refused."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from digigov.core.calendar import work_calendar
from digigov.core.errors import ValidationFailed
from digigov.core.models import AuditEntry
from digigov.core.policy import SYSTEM
from digigov.hotline.models import Channel, DeadlinePolicy, Open311Client
from digigov.hotline.routing.files import clear_cache, model_dir
from digigov.hotline.routing.store import active_router, active_version
from digigov.hotline.services.clock import add_working_hours
from digigov.hotline.services.intake import submit_appeal
from digigov.hotline.services.open311_clients import HINT_LENGTH, open311_client_authenticate
from digigov.hotline.services.routing_models import publish_version
from digigov.hotline.tests.conftest import HOUSING, appeal_input, category
from digigov.identity.demo_loader import DEMO_PASSWORD
from digigov.identity.models import Region, RegionLevel, Role, RoleGrant, User

pytestmark = pytest.mark.usefixtures("hotline")

URL = "/console/hotline/settings/"
# A Tuesday morning: 签收 hours run from here in working hours (09:00–12:00, 13:30–17:30).
MORNING = datetime(2026, 11, 24, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def user(username: str) -> User:
    return User.objects.get(username=username)


def verified_admin() -> Client:
    """王建国 (系统管理员, every permission city-wide) through password and TOTP, as the role requires."""
    device = TOTPDevice.objects.create(user=user("wangjianguo"), name="手机", confirmed=True)
    client = Client()
    assert client.post("/login/", {"identifier": "wangjianguo", "password": DEMO_PASSWORD}).status_code == 302
    assert client.post("/login/totp/", {"token": f"{totp(device.bin_key):06d}"}).status_code == 302
    return client


@pytest.fixture
def admin() -> Client:
    return verified_admin()


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def audited(action: str, object_id: object) -> bool:
    return AuditEntry.objects.filter(action=action, object_id=str(object_id), actor_name="wangjianguo").exists()


def field_html(html: str, name: str) -> str:
    at = html.index(f'for="{name}"')
    start = max(html.rfind('<div class="field"', 0, at), html.rfind('<div class="field ', 0, at))
    following = [i for i in (html.find('<div class="field"', at), html.find('<div class="field ', at)) if i > 0]
    return html[start : min(following) if following else None]


def housing_appeal(key: str, **overrides: Any) -> Any:
    """An appeal with the caller's category: dispatched at intake, so its 签收 clock starts at once."""
    data = appeal_input(category_code=category(HOUSING).code, idempotency_key=key, **overrides)
    return submit_appeal(actor=user("hanxue"), data=data, now=MORNING)


# --- time limits ------------------------------------------------------------------------------------------


def test_a_changed_time_limit_governs_the_next_intake(admin: Client) -> None:
    limits = {"complaint-sign_working_hours": "8", "complaint-handle_working_days": "7"}
    before = housing_appeal("settings-deadline-1")
    assert before.sign_due_at == add_working_hours(MORNING, 2, work_calendar())  # the demo's 2 working hours
    html = page(admin, URL)
    assert 'data-testid="deadline-complaint"' in html and 'value="2"' in html
    response = admin.post(f"{URL}deadlines/complaint/", {**limits, "complaint-callback_working_days": "3"})
    assert response.status_code == 302
    policy = DeadlinePolicy.objects.get(appeal_type="complaint")
    assert (policy.sign_working_hours, policy.handle_working_days, policy.callback_working_days) == (8, 7, 3)
    assert audited("hotline.deadline_policy_set", policy.pk)
    entry = AuditEntry.objects.filter(action="hotline.deadline_policy_set", object_id=str(policy.pk)).last()
    assert entry is not None and "callback_d" in entry.changed_fields  # every limit the page sets

    after = housing_appeal("settings-deadline-2")
    assert after.sign_due_at != before.sign_due_at
    assert after.sign_due_at == add_working_hours(MORNING, 8, work_calendar())
    before.refresh_from_db()
    assert before.sign_due_at == add_working_hours(MORNING, 2, work_calendar())  # appeals in hand keep theirs


def test_a_time_limit_out_of_range_is_told_on_its_field(admin: Client) -> None:
    policy = DeadlinePolicy.objects.get(appeal_type="help")
    response = admin.post(
        f"{URL}deadlines/help/",
        {"help-sign_working_hours": "0", "help-handle_working_days": "5", "help-callback_working_days": "2"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    sign = field_html(html, "id_help-sign_working_hours")
    assert "field-invalid" in sign and "签收时限应为1至48个工作小时" in sign
    assert "field-invalid" not in field_html(html, "id_help-handle_working_days")
    assert "field-invalid" not in field_html(html, "id_complaint-sign_working_hours")  # only the posted type
    assert DeadlinePolicy.objects.get(pk=policy.pk).sign_working_hours == policy.sign_working_hours
    assert admin.post(f"{URL}deadlines/no-such-type/", {}).status_code == 404


# --- channels ---------------------------------------------------------------------------------------------


def test_a_disabled_channel_is_refused_at_intake(admin: Client, login: Any) -> None:
    assert 'data-testid="disable-web"' in page(admin, f"{URL}channels/")
    assert admin.post(f"{URL}channels/web/", {"is_active": "0"}).status_code == 302
    assert not Channel.objects.get(code="web").is_active
    assert audited("hotline.channel_updated", Channel.objects.get(code="web").pk)
    with pytest.raises(ValidationFailed) as refused:
        submit_appeal(actor=SYSTEM, data=appeal_input(channel="web", idempotency_key="settings-web-1"))
    assert "channel" in refused.value.fields
    assert 'data-testid="enable-web"' in page(admin, f"{URL}channels/")
    intake = page(login("hanxue"), "/console/hotline/intake/")
    assert 'value="phone"' in intake and 'value="web"' not in intake

    assert admin.post(f"{URL}channels/web/", {"is_active": "1"}).status_code == 302
    assert submit_appeal(actor=SYSTEM, data=appeal_input(channel="web", idempotency_key="settings-web-2")).pk
    assert admin.post(f"{URL}channels/no-such-channel/", {"is_active": "0"}).status_code == 404


# --- routing model versions -------------------------------------------------------------------------------


def test_activating_an_older_model_version_is_recorded_on_the_next_routed_appeal(
    admin: Client, settings: Any, tmp_path: Path
) -> None:
    demo = active_version()
    router = active_router()
    assert demo is not None and router is not None, "the demo loader trains and activates a routing model"
    shutil.copy(model_dir() / demo.file_name, tmp_path / demo.file_name)
    settings.HOTLINE_MODEL_DIR = tmp_path  # the newer file is written here, not into var/
    newer = publish_version(router.model, actor=SYSTEM, metrics={"cv": {"macro_f1": 0.8517, "accuracy": 0.8593}})
    assert housing_appeal("settings-model-1").routing_model_version == newer.version

    html = page(admin, f"{URL}routing/")
    assert f'data-testid="model-v{demo.version}"' in html and f'data-testid="model-v{newer.version}"' in html
    assert "0.8517" in html and "0.8593" in html and "标注留言" in html
    assert f'data-testid="activate-v{demo.version}"' in html
    assert f'data-testid="activate-v{newer.version}"' not in html  # the active one has no button

    response = admin.post(f"{URL}routing/activate/", {"version": demo.version})
    assert response.status_code == 302
    current = active_version()
    assert current is not None and current.version == demo.version
    assert audited("hotline.routing_model_activated", demo.version)
    assert housing_appeal("settings-model-2").routing_model_version == demo.version
    assert admin.post(f"{URL}routing/activate/", {"version": 999999}).status_code == 404


def test_a_model_version_whose_file_is_gone_is_not_activated(admin: Client, settings: Any, tmp_path: Path) -> None:
    demo = active_version()
    router = active_router()
    assert demo is not None and router is not None
    settings.HOTLINE_MODEL_DIR = tmp_path
    orphan = publish_version(router.model, actor=SYSTEM, activate=False)
    (tmp_path / orphan.file_name).unlink()
    clear_cache()  # as in a worker that has not loaded this version yet
    response = admin.post(f"{URL}routing/activate/", {"version": orphan.version}, follow=True)
    assert "文件缺失或与登记的 SM3 摘要不符" in response.content.decode()
    current = active_version()
    assert current is not None and current.version == demo.version


# --- Open311 clients --------------------------------------------------------------------------------------


def test_an_open311_key_is_shown_once_then_only_its_hint(admin: Client) -> None:
    response = admin.post(f"{URL}open311/new/", {"name": "市数字城管平台"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    found = re.search(r'data-testid="api-key">(o311_[^<]+)<', html)
    assert found, "the new key is shown"
    key = found.group(1)
    client = Open311Client.objects.get(name="市数字城管平台")
    assert open311_client_authenticate(key) == client
    assert audited("hotline.open311_client_created", client.pk)

    listing = page(admin, f"{URL}open311/")
    assert key not in listing and key[:HINT_LENGTH] in listing
    assert 'data-testid="new-key"' not in listing

    duplicate = admin.post(f"{URL}open311/new/", {"name": "市数字城管平台"}).content.decode()
    assert "已有同名的有效接入方" in field_html(duplicate, "id_name") and 'data-testid="api-key"' not in duplicate
    assert "请填写接入方名称" in field_html(admin.post(f"{URL}open311/new/", {"name": ""}).content.decode(), "id_name")

    assert admin.post(f"{URL}open311/{client.pk}/revoke/").status_code == 302
    assert open311_client_authenticate(key) is None
    assert audited("hotline.open311_client_revoked", client.pk)
    assert "已吊销" in page(admin, f"{URL}open311/")
    again = admin.post(f"{URL}open311/{client.pk}/revoke/", follow=True).content.decode()
    assert "该接入方的密钥已吊销" in again


# --- who may ----------------------------------------------------------------------------------------------

PAGES = ("", "channels/", "routing/", "open311/")


@pytest.mark.parametrize("username", ["liguoqiang", "zhoupeng", "hanxue"])
def test_staff_without_hotline_manage_are_refused(login: Any, username: str) -> None:
    client = login(username)  # a department liaison, the dispatcher, an agent
    for tab in PAGES:
        assert client.get(f"{URL}{tab}").status_code == 403, tab
    assert client.post(f"{URL}channels/web/", {"is_active": "0"}).status_code == 403
    assert client.post(f"{URL}open311/new/", {"name": "越权接入"}).status_code == 403
    assert Channel.objects.get(code="web").is_active
    assert not Open311Client.objects.filter(name="越权接入").exists()
    assert 'href="/console/hotline/settings/"' not in page(client, "/console/hotline/")


def test_a_district_grant_of_hotline_manage_does_not_change_city_settings(login: Any) -> None:
    """The settings apply to the whole city: a HOTLINE_MANAGE grant on one district is not enough."""
    role = Role.objects.create(
        code="hotline_district_admin", name="区热线管理员", permissions=["console.access", "hotline.manage"]
    )
    district = Region.objects.filter(level=RegionLevel.DISTRICT, code__startswith="210502").get()
    RoleGrant.objects.create(user=user("liguoqiang"), role=role, region=district)
    client = login("liguoqiang")
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}channels/web/", {"is_active": "0"}).status_code == 403
    assert Channel.objects.get(code="web").is_active


def test_the_settings_tab_is_shown_to_the_admin(admin: Client) -> None:
    hub = page(admin, "/console/hotline/")
    assert 'href="/console/hotline/settings/"' in hub and 'href="/console/hotline/knowledge/"' in hub
    html = page(admin, URL)
    assert '<a href="/console/hotline/settings/" aria-current="page">热线配置</a>' in html
