"""Every public service that takes an ``actor`` refuses an actor without the permission (issue 10, ADR 0011).

The services are discovered, not listed: every public function defined in ``digigov/<domain>/services/*.py``
(core included) whose signature has an ``actor`` parameter. Each one is called by two signed-in actors who hold
no relevant grant:

* a citizen who owns nothing (a fresh registration), and
* a staff member whose only role carries ``console.access`` (a window clerk with no other permission),

with objects that belong to somebody else (an application of another citizen, an appeal filed by the system,
another enterprise's agents, another user's token, ...). The call must raise ``Forbidden``, or ``NotFound``
for an object the actor may not even see (the selectors' rule: missing and not visible look the same).

A service missing from ``ARGS`` fails the test: a new service with an ``actor`` parameter needs a line here,
and then it must refuse. The exceptions are explicit and commented:

* ``SELF_SERVICE``: operations any signed-in user (of one kind) does on their own data; for those that take an
  object, ``FOREIGN`` calls them again with someone else's object, which must be refused;
* ``NOT_A_DECISION``: hooks and engine functions that run inside an operation already checked;
* ``ACTOR_NONE_ALLOWED``: the only services whose ``actor`` may be ``None`` (anything else must refuse
  ``None``, so a request path cannot skip a check by passing nothing; system work passes
  ``digigov.core.policy.SYSTEM``).
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from digigov.core.errors import Forbidden, NotFound
from digigov.core.policy import SYSTEM
from digigov.core.tests.sample_files import PNG
from digigov.hotline.models import (
    Appeal,
    CallbackTask,
    ExtensionRequest,
    KnowledgeEntry,
    Open311Client,
)
from digigov.hotline.services.intake import AppealInput, submit_appeal
from digigov.hotline.services.open311_clients import open311_client_create
from digigov.identity.models import (
    Department,
    Enterprise,
    EnterpriseAgent,
    Region,
    Role,
    StaffProfile,
    User,
)
from digigov.identity.services.agents import enterprise_agent_grant
from digigov.identity.services.tokens import api_token_create
from digigov.identity.tests import factories
from digigov.onestop.models import (
    Application,
    ApplicationMaterial,
    Bundle,
    Rating,
    RectificationTask,
    ServiceItem,
)
from digigov.onestop.services.applications import application_submit
from digigov.onestop.services.catalogue import ItemSpec
from digigov.onestop.services.catalogue_excel import catalogue_export_xlsx
from digigov.onestop.tests.factories import draft_with_materials, valid_form_data

ROOT = Path(__file__).resolve().parents[1]  # the digigov package
SERVICE_FILES = ("*/services/*.py", "*/services/*/*.py", "*/services.py")
REFUSED = (Forbidden, NotFound)

ITEM_CODE = "210500-WJW-XK-0003"  # a 自然人 item handled in 平山区 (the demo catalogue)
PINGSHAN = "210502000000"


def discovered_services() -> dict[str, Callable[..., Any]]:
    """ "module.function" → function, for every public function with an actor parameter."""
    found: dict[str, Callable[..., Any]] = {}
    for pattern in SERVICE_FILES:
        for path in sorted(ROOT.glob(pattern)):
            if path.name.startswith("_") or "tests" in path.parts:
                continue
            module_name = "digigov." + ".".join(path.relative_to(ROOT).with_suffix("").parts)
            module = importlib.import_module(module_name)
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if name.startswith("_") or function.__module__ != module_name:
                    continue
                if "actor" in inspect.signature(function).parameters:
                    found[f"{module_name.removeprefix('digigov.')}.{name}"] = function
    return found


class World:
    """Objects that belong to someone else, made on first use (each test builds only what its service needs)."""

    @cached_property
    def owner(self) -> User:
        return factories.citizen(real_name="张其他")

    @cached_property
    def item(self) -> ServiceItem:
        return ServiceItem.objects.get(code=ITEM_CODE)

    @cached_property
    def region(self) -> Region:
        return Region.objects.get(code=PINGSHAN)

    @cached_property
    def city(self) -> Region:
        return Region.objects.get(code="210500000000")

    @cached_property
    def department(self) -> Department:
        return self.item.department

    @cached_property
    def draft(self) -> Application:
        return draft_with_materials(self.owner, self.item)

    @cached_property
    def application(self) -> Application:
        """Submitted by owner (a fresh draft, so draft and application are two objects)."""
        app = draft_with_materials(self.owner, self.item)
        return application_submit(actor=self.owner, application=app)

    @cached_property
    def stored_material(self) -> ApplicationMaterial:
        stored = self.application.materials.first()
        assert stored is not None
        return stored

    @cached_property
    def rectification(self) -> RectificationTask:
        rating = Rating.objects.create(
            application=self.application, efficiency=1, guide_accuracy=1, convenience=1, usability=1, overall=1
        )
        return RectificationTask.objects.create(
            rating=rating, department=self.department, due_date=timezone.localdate() + timedelta(days=10)
        )

    @cached_property
    def enterprise(self) -> Enterprise:
        return factories.enterprise(owner=self.owner)

    @cached_property
    def invitation(self) -> EnterpriseAgent:
        """owner's enterprise invites a third citizen (not the actor)."""
        number = factories.mobile()
        factories.citizen(mobile=number)
        return enterprise_agent_grant(actor=self.owner, enterprise=self.enterprise, agent_mobile=number)

    @cached_property
    def bundle(self) -> Bundle:
        bundle = Bundle.objects.filter(is_active=True).first()
        assert bundle is not None, "the demo catalogue has no 一件事"
        return bundle

    @cached_property
    def spec(self) -> ItemSpec:
        return ItemSpec(
            code=self.item.code,
            name=self.item.name,
            department_code=self.department.code,
            item_type=self.item.item_type,
            legal_basis=self.item.legal_basis,
            statutory_days=self.item.statutory_days,
            promised_days=self.item.promised_days,
            fee=str(self.item.fee),
            fee_note=self.item.fee_note,
            online_level=self.item.online_level,
            applicant_kind=self.item.applicant_kind,
            handling_scope=self.item.handling_scope,
            region_codes=(PINGSHAN,),
            form_fields=self.item.form_fields,
        )

    @cached_property
    def other_staff(self) -> StaffProfile:
        return factories.staff_of("fengxue")

    @cached_property
    def role(self) -> Role:
        return Role.objects.get(code="clerk")

    @cached_property
    def token(self) -> Any:
        return api_token_create(actor=self.owner, name="别人的令牌")[0]

    def appeal_input(self, **overrides: Any) -> AppealInput:
        fields: dict[str, Any] = {
            "channel": "phone",
            "appeal_type": "complaint",
            "subject": "小区电梯频繁故障无人维修",
            "text": "平山街道胜利路35号小区3号楼电梯近一个月内停运四次，物业公司一直推诿不修。",
            "address": "本溪市平山区平山街道胜利路35号",
            "caller_name": "刘淑珍",
            "caller_phone": "13841412786",
            **overrides,
        }
        return AppealInput(**fields)

    @cached_property
    def appeal(self) -> Appeal:
        return submit_appeal(actor=SYSTEM, data=self.appeal_input(attachments=(("photo.png", PNG),)))

    @cached_property
    def other_appeal(self) -> Appeal:
        return submit_appeal(actor=SYSTEM, data=self.appeal_input(subject="另一件诉求：路灯不亮"))

    @cached_property
    def callback_task(self) -> CallbackTask:
        return CallbackTask.objects.create(appeal=self.appeal, department=self.department, due_at=timezone.now())

    @cached_property
    def extension(self) -> ExtensionRequest:
        return ExtensionRequest.objects.create(
            appeal=self.appeal,
            working_days=3,
            reason="需要现场勘查",
            requested_by=self.owner,
            requested_at=timezone.now(),
        )

    @cached_property
    def knowledge_entry(self) -> KnowledgeEntry:
        entry = KnowledgeEntry.objects.filter(is_active=True).first()
        assert entry is not None, "the demo hotline has no knowledge entry"
        return entry

    @cached_property
    def open311_client(self) -> Open311Client:
        return open311_client_create(actor=SYSTEM, name="别人的接入方")[0]


Args = Callable[[World], dict[str, Any]]

# The arguments each service is called with (besides actor): someone else's objects, valid values otherwise.
ARGS: dict[str, Args] = {
    # --- core ------------------------------------------------------------------------------------------
    "core.services.calendar.calendar_day_set": lambda w: {
        "day": date(2026, 12, 7),
        "is_working_day": False,
        "name": "调休",
    },
    "core.services.calendar.calendar_year_publish": lambda w: {"year": 2030, "days": []},
    "core.services.calendar.calendar_seed_from_chinesecalendar": lambda w: {"years": [2026]},
    # --- credit ----------------------------------------------------------------------------------------
    "credit.services.joint_punishment.joint_punishment_list": lambda w: {
        "name": "张某",
        "measure": "限制高消费",
        "authority": "本溪市中级人民法院",
        "basis": "（2026）辽05执1号",
        "listed_on": date(2026, 1, 5),
        "id_number": factories.id_number(),
    },
    "credit.services.joint_punishment.joint_punishment_lift": lambda w: {
        "entry": _punishment_entry(),
        "lifted_on": date(2026, 6, 1),
    },
    # --- hotline ---------------------------------------------------------------------------------------
    "hotline.services.caller.attachment_download_record": lambda w: {"attachment": w.appeal.attachments.get()},
    "hotline.services.caller.caller_contact_reveal": lambda w: {"task": w.callback_task},
    "hotline.services.intake.submit_appeal": lambda w: {"data": w.appeal_input()},
    "hotline.services.intake.appeal_intake": lambda w: {"data": w.appeal_input()},
    "hotline.services.loop.close_from_knowledge": lambda w: {"appeal": w.appeal, "entry": w.knowledge_entry},
    "hotline.services.loop.decide_extension": lambda w: {"request": w.extension, "approve": True},
    "hotline.services.loop.dispatch": lambda w: {"appeal": w.appeal, "department": w.department},
    "hotline.services.loop.escalate": lambda w: {"appeal": w.appeal, "note": "请加快办理"},
    "hotline.services.loop.merge": lambda w: {"master": w.appeal, "duplicates": [w.other_appeal]},
    "hotline.services.loop.record_callback": lambda w: {"task": w.callback_task, "result": "satisfied"},
    "hotline.services.inbox.appeal_inbox_sync": lambda w: {"appeal": w.appeal, "how": "signed"},
    "hotline.services.inbox.callback_inbox_sync": lambda w: {"task": w.callback_task, "how": "record"},
    "hotline.services.loop.reply": lambda w: {"appeal": w.appeal, "text": "已协调物业维修电梯。"},
    "hotline.services.loop.request_extension": lambda w: {"appeal": w.appeal, "working_days": 3, "reason": "需勘查"},
    "hotline.services.loop.return_to_centre": lambda w: {"appeal": w.appeal, "reason": "不属于本部门职责"},
    "hotline.services.loop.sign": lambda w: {"appeal": w.appeal},
    "hotline.services.open311_clients.open311_client_create": lambda w: {"name": "网格化平台"},
    "hotline.services.open311_clients.open311_client_revoke": lambda w: {"client": w.open311_client},
    "hotline.services.routing_models.activate_version": lambda w: {"version": 1},
    "hotline.services.routing_models.publish_version": lambda w: {"trained": _active_model()},
    "hotline.services.reference.channel_upsert": lambda w: {"code": "wechat", "name": "微信", "agent_entered": False},
    "hotline.services.reference.deadline_policy_set": lambda w: {
        "appeal_type": "complaint",
        "sign_working_hours": 2,
        "handle_working_days": 10,
        "callback_working_days": 3,
    },
    "hotline.services.reference.knowledge_entry_deactivate": lambda w: {"entry": w.knowledge_entry},
    "hotline.services.reference.knowledge_entry_save": lambda w: {"question": "怎么办居住证？", "answer": "到派出所。"},
    "hotline.services.reference.taxonomy_load": lambda w: {"rows": [("城乡建设", "物业", "电梯")], "departments": {}},
    # --- identity --------------------------------------------------------------------------------------
    "identity.services.account_admin.staff_password_reset": lambda w: {"staff": w.other_staff, "reason": "忘记密码"},
    "identity.services.account_admin.staff_totp_reset": lambda w: {"staff": w.other_staff, "reason": "手机丢失"},
    "identity.services.account_admin.staff_unlock": lambda w: {"staff": w.other_staff, "reason": "多次输错"},
    "identity.services.agents.enterprise_agent_accept": lambda w: {"invitation": w.invitation},
    "identity.services.agents.enterprise_agent_decline": lambda w: {"invitation": w.invitation},
    "identity.services.agents.enterprise_agent_grant": lambda w: {
        "enterprise": w.enterprise,
        "agent_mobile": factories.mobile(),
    },
    "identity.services.agents.enterprise_agent_withdraw": lambda w: {"agent": w.invitation},
    "identity.services.auth.totp_device_add": lambda w: {"current_token": "", "new_token": "123456"},
    "identity.services.notices.notices_mark_read": lambda w: {},
    "identity.services.org.department_upsert": lambda w: {
        "code": "test_dept",
        "name": "测试局",
        "short_name": "测试局",
        "uscc": factories.uscc(),
        "region_code": "210500000000",
    },
    "identity.services.org.region_upsert": lambda w: {
        "code": "210502009000",
        "name": "测试街道",
        "level": "street",
        "parent_code": PINGSHAN,
    },
    "identity.services.org.role_upsert": lambda w: {
        "code": "everything",
        "name": "全部权限",
        "permissions": ["hotline.manage"],
        "requires_mfa": False,
    },
    "identity.services.people.citizen_register": lambda w: {
        "real_name": "李代办",
        "id_number": factories.id_number(),
        "mobile": factories.mobile(),
        "password": "Benxi@2026-policy",
    },
    "identity.services.people.enterprise_register": lambda w: {
        "uscc": factories.uscc(),
        "name": "本溪测试企业有限公司",
        "legal_representative": "张其他",
        "region_code": factories.PINGSHAN_STREET,
    },
    "identity.services.staff.role_grant": lambda w: {
        "user": w.other_staff.user,
        "role": w.role,
        "region": w.city,
        "department": None,
    },
    "identity.services.staff.staff_create": lambda w: {
        "username": "newclerk",
        "display_name": "新人",
        "department": w.other_staff.department,
        "region": w.other_staff.region,
        "title": "科员",
        "password": "Benxi@2026-policy",
    },
    "identity.services.staff.staff_update": lambda w: {"staff": w.other_staff, "title": "科长"},
    "identity.services.staff.user_set_elder_mode": lambda w: {"enabled": True},
    "identity.services.tokens.api_token_create": lambda w: {"name": "我的令牌"},
    "identity.services.tokens.api_token_revoke": lambda w: {"token": w.token},
    # --- onestop ---------------------------------------------------------------------------------------
    "onestop.services.applications.application_accept": lambda w: {"application": w.application},
    "onestop.services.applications.application_approve": lambda w: {"application": w.application},
    "onestop.services.applications.application_complete": lambda w: {"application": w.application},
    "onestop.services.applications.application_refuse": lambda w: {
        "application": w.application,
        "reason": "不符合法定条件",
    },
    "onestop.services.applications.application_reject": lambda w: {
        "application": w.application,
        "reason": "不属于本机关职权范围",
    },
    "onestop.services.applications.application_request_correction": lambda w: {
        "application": w.application,
        "reason": "请补充身份证复印件",
    },
    "onestop.services.applications.application_resubmit": lambda w: {"application": w.application, "form_data": {}},
    "onestop.services.applications.application_save_draft": lambda w: {
        "item": w.item,
        "region": w.region,
        "form_data": valid_form_data(w.item),
    },
    "onestop.services.applications.application_start_review": lambda w: {"application": w.application},
    "onestop.services.applications.application_submit": lambda w: {"application": w.draft},
    "onestop.services.applications.application_submit_new": lambda w: {
        "item": w.item,
        "region": w.region,
        "form_data": valid_form_data(w.item),
    },
    "onestop.services.applications.application_submit_once": lambda w: {
        "item": w.item,
        "region": w.region,
        "form_data": valid_form_data(w.item),
    },
    "onestop.services.applications.application_withdraw": lambda w: {"application": w.application},
    "onestop.services.applications.check_applicant": lambda w: {"item": w.item, "enterprise": None},
    "onestop.services.bundles.bundle_application_close_if_done": lambda w: {"bundle_application_id": 0},
    "onestop.services.bundles.bundle_application_submit": lambda w: {
        "bundle": w.bundle,
        "region": w.region,
        "form_data": {},
    },
    "onestop.services.bundles.bundle_application_submit_once": lambda w: {
        "bundle": w.bundle,
        "region": w.region,
        "form_data": {},
    },
    "onestop.services.bundles.bundle_child_transitioned": lambda w: {"child": w.application},
    "onestop.services.catalogue.bundle_upsert": lambda w: {
        "code": w.bundle.code,
        "name": "改名",
        "description": "",
        "item_codes": tuple(w.bundle.bundle_items.values_list("item__code", flat=True)),
    },
    "onestop.services.catalogue.item_create": lambda w: {"spec": replace(w.spec, code="210500-TEST-0001")},
    "onestop.services.catalogue.item_update": lambda w: {"item": w.item, "spec": w.spec},
    "onestop.services.catalogue.item_upsert": lambda w: {"spec": w.spec},
    "onestop.services.catalogue_excel.catalogue_import": lambda w: {"workbook_bytes": catalogue_export_xlsx([w.item])},
    "onestop.services.materials.application_attach_material": lambda w: {
        "application": w.draft,
        "material": w.item.materials.first(),
        "name": "材料.png",
        "content": PNG,
    },
    "onestop.services.materials.material_download_record": lambda w: {"stored": w.stored_material},
    "onestop.services.ratings.application_rate": lambda w: {
        "application": w.application,
        "efficiency": 5,
        "guide_accuracy": 5,
        "convenience": 5,
        "usability": 5,
    },
    "onestop.services.ratings.rectification_answer": lambda w: {"task": w.rectification, "answer": "已整改完毕。"},
    "onestop.services.inbox.application_inbox_sync": lambda w: {"app": w.application, "how": "accept"},
    "onestop.services.inbox.rectification_inbox_sync": lambda w: {"task": w.rectification, "how": "answer"},
    "onestop.services.ratings.rectification_close": lambda w: {"task": w.rectification},
}


def _active_model() -> Any:
    from digigov.hotline.services.routing_models import ensure_active_router

    return ensure_active_router().model


def _punishment_entry() -> Any:
    from digigov.credit.services.joint_punishment import joint_punishment_list

    return joint_punishment_list(
        actor=SYSTEM,
        name="王某",
        measure="限制高消费",
        authority="本溪市中级人民法院",
        basis="（2026）辽05执2号",
        listed_on=date(2026, 1, 5),
        id_number=factories.id_number(),
    )


# Operations a signed-in user of this kind does on their own data: allowed, by design. Each reason says why.
SELF_SERVICE: dict[str, tuple[str, str]] = {
    "hotline.services.intake.submit_appeal": ("citizen", "a citizen files their own appeal (web, mobile, API)"),
    "hotline.services.intake.appeal_intake": ("citizen", "submit_appeal with its create-or-replay outcome"),
    "identity.services.auth.totp_device_add": ("any", "adds a second authenticator to the actor's own account"),
    "identity.services.notices.notices_mark_read": ("any", "marks the actor's own security notices read"),
    "identity.services.people.enterprise_register": ("citizen", "registers an enterprise and becomes its agent"),
    "identity.services.staff.user_set_elder_mode": ("any", "the actor's own display preference (长者模式)"),
    "identity.services.tokens.api_token_create": ("any", "an API token for the actor's own account"),
    "onestop.services.applications.application_save_draft": ("citizen", "a citizen starts their own draft"),
    "onestop.services.applications.application_submit_new": ("citizen", "a citizen submits their own application"),
    "onestop.services.applications.application_submit_once": ("citizen", "application_submit_new with its outcome"),
    "onestop.services.applications.check_applicant": ("citizen", "a check that the citizen may apply themselves"),
    "onestop.services.bundles.bundle_application_submit": ("citizen", "a citizen submits their own 一件事"),
    "onestop.services.bundles.bundle_application_submit_once": ("citizen", "the same, with its outcome"),
}

# For self-service operations that take an object: the same call with someone else's object must be refused.
FOREIGN: dict[str, Args] = {
    "onestop.services.applications.application_save_draft": lambda w: {
        "item": w.item,
        "region": w.region,
        "form_data": valid_form_data(w.item),
        "application": w.draft,
    },
    "onestop.services.applications.check_applicant": lambda w: {
        "item": ServiceItem.objects.filter(applicant_kind="legal", is_active=True).first(),
        "enterprise": w.enterprise,
    },
}

# Not decisions: they run inside an operation that was already checked (workflow hooks), or refuse row by row.
# They must not be reachable from a page or the API on their own.
NOT_A_DECISION: dict[str, str] = {
    "onestop.services.bundles.bundle_child_transitioned": (
        "workflow hook after a child application's step (checked by the kernel); actor only names the audit"
    ),
    "onestop.services.bundles.bundle_application_close_if_done": (
        "closes a bundle application once every child has ended: derived state; actor only names the audit"
    ),
    "onestop.services.inbox.application_inbox_sync": "workflow hook: the 待办 an application needs after a step",
    "onestop.services.inbox.rectification_inbox_sync": "called by ratings' checked writes; actor names the 已办",
    "hotline.services.inbox.appeal_inbox_sync": "workflow hook: the 待办 an appeal needs after a step",
    "hotline.services.inbox.callback_inbox_sync": "called by loop's checked reply and callback; actor names the 已办",
    "onestop.services.catalogue_excel.catalogue_import": (
        "refuses row by row (the policy's MAINTAIN_CATALOGUE per department): checked below, nothing is written"
    ),
}

# The only services whose actor may be None. Everywhere else None is refused (system work passes SYSTEM).
ACTOR_NONE_ALLOWED: dict[str, str] = {
    "identity.services.people.citizen_register": "None is the anonymous person registering themselves",
    "onestop.services.bundles.bundle_child_transitioned": "hook: the kernel passes the move's actor (秒批: None)",
    "onestop.services.bundles.bundle_application_close_if_done": "hook: as bundle_child_transitioned",
}

SERVICES = discovered_services()

# Declared (not only reached through the actor fixtures, which are looked up by name at run time), so pytest-django
# orders these tests with the other database tests, before any transactional test empties the demo city.
pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(db: None) -> User:
    return factories.citizen(real_name="赵无权")


@pytest.fixture
def clerk(db: None) -> User:
    role = factories.role(code="console_only", permissions=["console.access"])
    profile = factories.staff_member(department_code="ps_zwfwzx", region_code=PINGSHAN)
    from digigov.identity.services.staff import role_grant

    role_grant(actor=SYSTEM, user=profile.user, role=role, region=profile.region, department=None)
    return profile.user


def _call(name: str, actor: Any, args: Args, world: World) -> Any:
    function = SERVICES[name]
    kwargs = args(world)
    parameters = inspect.signature(function).parameters
    with transaction.atomic():  # a service that wrongly succeeds writes nothing the next call would see
        if parameters["actor"].kind == inspect.Parameter.POSITIONAL_OR_KEYWORD:
            return function(actor, **kwargs)
        return function(actor=actor, **kwargs)


def test_every_discovered_service_has_arguments_here() -> None:
    """A new service with an actor parameter must be added to ARGS (and then refuse, or be listed above)."""
    missing = sorted(set(SERVICES) - set(ARGS))
    assert not missing, f"services with an actor parameter not covered by this test: {missing}"
    stale = sorted(set(ARGS) - set(SERVICES))
    assert not stale, f"ARGS names services that no longer exist: {stale}"
    assert len(SERVICES) > 60  # the discovery itself works


def test_only_listed_services_accept_actor_none() -> None:
    admitting = sorted(
        name for name, function in SERVICES.items() if "None" in str(inspect.signature(function).parameters["actor"])
    )
    assert admitting == sorted(ACTOR_NONE_ALLOWED), "an actor that may be None must be SYSTEM instead"


@pytest.mark.parametrize("kind", ["citizen", "clerk"])
@pytest.mark.parametrize("name", sorted(ARGS))
def test_the_service_refuses_an_actor_without_the_permission(
    name: str, kind: str, request: pytest.FixtureRequest
) -> None:
    if name not in SERVICES:
        pytest.fail(f"{name} is not a discovered service")
    actor: User = request.getfixturevalue(kind)
    world = World()
    if name in NOT_A_DECISION:
        if name == "onestop.services.catalogue_excel.catalogue_import":
            report = _call(name, actor, ARGS[name], world)
            assert not report.ok and report.errors, "an actor without a catalogue grant imported rows"
        return
    allowed_for = SELF_SERVICE.get(name, ("", ""))[0]
    if allowed_for in ("any", kind):
        if name in FOREIGN:
            with pytest.raises(REFUSED):
                _call(name, actor, FOREIGN[name], world)
        return
    with pytest.raises(REFUSED):
        _call(name, actor, ARGS[name], world)


@pytest.mark.parametrize("name", sorted(set(ARGS) - set(ACTOR_NONE_ALLOWED) - set(NOT_A_DECISION)))
def test_the_service_refuses_actor_none(name: str, db: None) -> None:
    """None never stands for the system: a caller that passes nothing is refused (or fails before writing)."""
    if "Actor" not in str(inspect.signature(SERVICES[name]).parameters["actor"]):
        pytest.skip("typed User only: None is a type error (mypy), and no system caller exists")
    with pytest.raises(REFUSED):
        _call(name, None, ARGS[name], World())


def test_system_work_is_explicit() -> None:
    """SYSTEM is the one object that skips the policies; it is never built from a request."""
    from digigov.core.policy import SystemActor, is_system

    assert is_system(SYSTEM) and isinstance(SYSTEM, SystemActor)
    assert not is_system(None)
