"""一件事一次办: one form and one set of uploads for several items; submitting creates a child application per
item, at each item's department, in one transaction.

* The form is the items' forms merged (core.form_schema.merge_bundle_fields): each shared field is asked once and
  each child receives the cleaned values of its own fields.
* Materials come keyed by NAME: one upload satisfies every item that asks for a material of that name, and it
  must pass each of those items' checks (file type, size, content).
* All or nothing: every problem (form fields, uploads, missing mandatory materials, region) is listed in one
  ValidationFailed before anything is written, and the writes happen in one transaction.
* Each child is submitted like a single application, so 秒批 runs per child.
* Idempotency: core.idempotency, under the applicant's submission keys (the operation single submissions use,
  so one key never serves both); a retried request returns the first bundle application, the same key with a
  different request is a Conflict.

When the bundle is done: a child ends in 办结 (COMPLETED, also after 不予许可), 不予受理 (NOT_ACCEPTED) or 撤回
(WITHDRAWN). When every child has ended, the bundle application is closed (completed_at is set); its status
reads 已办结 when every child is 办结 and 未全部办结 otherwise (see bundle_application_status).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from digigov.core.audit import audit_append
from digigov.core.crypto import sm3_hex
from digigov.core.errors import ValidationFailed
from digigov.core.form_schema import FieldSpec, clean_form_data, merge_bundle_fields, validate_form_schema
from digigov.core.idempotency import Answer, Outcome, run_idempotent, user_client
from digigov.core.policy import person
from digigov.core.workflow import Move
from digigov.identity.models import Enterprise, Region, User
from digigov.onestop.models import (
    Application,
    ApplicationStatus,
    Bundle,
    BundleApplication,
    RequiredMaterial,
    ServiceItem,
)
from digigov.onestop.services.applications import (
    KEY_CONFLICT,
    SUBMISSION_OPERATION,
    application_save_draft,
    application_submit,
    check_applicant,
)
from digigov.onestop.services.materials import application_attach_material, check_file_content
from digigov.onestop.workflow import application_workflow

BUNDLE_ERROR = "一件事申请填写有误"
# The statuses a child ends in. COMPLETED is 办结; the two others end a child without a result.
CHILD_ENDED = (ApplicationStatus.COMPLETED, ApplicationStatus.NOT_ACCEPTED, ApplicationStatus.WITHDRAWN)
STATUS_OPEN = "办理中"
STATUS_COMPLETED = "已办结"
STATUS_PARTLY = "未全部办结"


@dataclass(frozen=True)
class BundleMaterial:
    """One material of a bundle, asked once. A file must suit every item that needs it: the accepted types
    are the ones all those items accept, the size limit the smallest."""

    name: str
    mandatory: bool
    file_types: tuple[str, ...]
    max_size_mb: int
    materials: tuple[RequiredMaterial, ...]  # the items' RequiredMaterial rows of this name

    @property
    def item_ids(self) -> tuple[int, ...]:
        return tuple(m.item_id for m in self.materials)


def bundle_item_list(bundle: Bundle) -> list[ServiceItem]:
    """The bundle's items in bundle order."""
    return [bi.item for bi in bundle.bundle_items.select_related("item", "item__department").order_by("position")]


def merged_fields(items: Iterable[ServiceItem]) -> list[FieldSpec]:
    return merge_bundle_fields([validate_form_schema(item.form_fields) for item in items])


def merged_materials(items: Iterable[ServiceItem]) -> list[BundleMaterial]:
    by_name: dict[str, list[RequiredMaterial]] = {}
    item_ids = [item.pk for item in items]
    rows = RequiredMaterial.objects.filter(item_id__in=item_ids)
    order = {pk: i for i, pk in enumerate(item_ids)}
    for material in sorted(rows, key=lambda m: (order[m.item_id], m.position)):
        by_name.setdefault(material.name, []).append(material)
    merged: list[BundleMaterial] = []
    for name, materials in by_name.items():
        types = [t for t in materials[0].file_types if all(t in m.file_types for m in materials[1:])]
        if not types:
            raise ValidationFailed(
                f"一件事中的事项对材料「{name}」接受的文件类型没有交集，请统一事项目录",
                fields={"materials": f"「{name}」文件类型冲突"},
            )
        merged.append(
            BundleMaterial(
                name=name,
                mandatory=any(m.mandatory for m in materials),
                file_types=tuple(types),
                max_size_mb=min(m.max_size_mb for m in materials),
                materials=tuple(materials),
            )
        )
    return merged


# --- submission -----------------------------------------------------------------------------------------


def _request_body(
    bundle: Bundle,
    region: Region,
    enterprise: Enterprise | None,
    form_data: Mapping[str, Any],
    files: Mapping[str, tuple[str, bytes]],
) -> dict[str, object]:
    return {
        "bundle": bundle.pk,
        "region": region.pk,
        "enterprise": enterprise.pk if enterprise else None,
        "form": form_data,
        "files": {name: _upload_digest(upload) for name, upload in files.items()},
    }


def _upload_digest(upload: object) -> object:
    if isinstance(upload, tuple | list) and len(upload) == 2 and isinstance(upload[1], bytes):
        return [str(upload[0]), sm3_hex(upload[1])]
    return repr(upload)[:200]


def _file_problems(
    materials: list[BundleMaterial], files: Mapping[str, tuple[str, bytes]]
) -> tuple[dict[str, str], list[str]]:
    """Per material name, the first problem of its upload; and the names of missing mandatory materials."""
    by_name = {m.name: m for m in materials}
    errors: dict[str, str] = {}
    for name, upload in files.items():
        merged = by_name.get(name)
        if merged is None:
            errors[str(name)[:120]] = "不是本一件事所需的材料"
            continue
        if not (isinstance(upload, tuple | list) and len(upload) == 2 and isinstance(upload[1], bytes)):
            errors[name] = "上传的文件格式不正确"
            continue
        filename, content = upload
        for material in merged.materials:
            try:
                check_file_content(material, str(filename), content)
            except ValidationFailed as exc:
                errors[name] = exc.message
                break
    missing = [m.name for m in materials if m.mandatory and m.name not in files]
    return errors, missing


def _region_problems(items: list[ServiceItem], region: Region) -> list[str]:
    return [item.name for item in items if not any(allowed.contains(region) for allowed in item.regions.all())]


def _validate(
    *,
    actor: User,
    bundle: Bundle,
    items: list[ServiceItem],
    region: Region,
    form_data: dict[str, Any],
    enterprise: Enterprise | None,
    files: Mapping[str, tuple[str, bytes]],
) -> tuple[dict[str, object], list[BundleMaterial]]:
    """Everything that can be checked before writing; raises one ValidationFailed listing every problem."""
    if not bundle.is_active or not items:
        raise ValidationFailed("该一件事已停止办理", fields={"bundle": "已停用"})
    for item in items:
        try:
            check_applicant(actor, item, enterprise)  # Forbidden / NotFound as for one item
        except ValidationFailed as exc:
            raise ValidationFailed(f"「{item.name}」：{exc.message}", fields=exc.fields) from exc
    specs = merged_fields(items)
    materials = merged_materials(items)
    fields: dict[str, str] = {}
    summary: list[str] = []
    cleaned: dict[str, object] = {}
    try:
        cleaned = clean_form_data(specs, form_data)
    except ValidationFailed as exc:
        fields.update(exc.fields)
        summary.append("申请表：" + "；".join(f"{k} {v}" for k, v in exc.fields.items()))
    file_errors, missing = _file_problems(materials, files)
    if file_errors:
        fields.update(file_errors)
        summary.extend(f"「{name}」{reason}" for name, reason in file_errors.items())
    if missing:
        fields["materials"] = "、".join(missing)
        summary.append("以下材料尚未上传：" + "、".join(missing))
    wrong_region = _region_problems(items, region)
    if wrong_region:
        fields["region"] = "不在办理范围内"
        summary.append("以下事项不能在所选区域办理：" + "、".join(wrong_region))
    if fields:
        raise ValidationFailed(f"{BUNDLE_ERROR}：" + "；".join(summary), fields=fields)
    return cleaned, materials


def bundle_application_submit_once(
    *,
    actor: User,
    bundle: Bundle,
    region: Region,
    form_data: dict[str, Any],
    enterprise: Enterprise | None = None,
    files: dict[str, tuple[str, bytes]] | None = None,
    idempotency_key: str = "",
    answer: Callable[[BundleApplication], Answer] | None = None,
) -> Outcome[BundleApplication]:
    """Submit a 一件事: one child application per item, each submitted (秒批 runs per child), all or nothing.

    `files` maps a material NAME to (file name, content); one upload is attached to every child that needs
    that material. Problems raise ValidationFailed(fields=...) with form field names, material names, and
    "materials" (the missing mandatory ones) / "region" as keys; nothing is written then. Create-or-replay
    through core.idempotency under the applicant's submission keys (shared with single submissions).
    """
    files = dict(files or {})

    def prepare() -> Callable[[], BundleApplication]:  # every check, before the transaction opens
        items = bundle_item_list(bundle)
        cleaned, materials = _validate(
            actor=actor,
            bundle=bundle,
            items=items,
            region=region,
            form_data=form_data,
            enterprise=enterprise,
            files=files,
        )
        return lambda: _create(
            actor=actor,
            bundle=bundle,
            items=items,
            region=region,
            enterprise=enterprise,
            cleaned=cleaned,
            materials=materials,
            files=files,
        )

    return run_idempotent(
        client=user_client(actor.pk),
        operation=SUBMISSION_OPERATION,
        key=idempotency_key,
        request=_request_body(bundle, region, enterprise, form_data, files),
        prepare=prepare,  # core.idempotency discards the saved uploads if the transaction rolls back
        load=lambda pk: BundleApplication.objects.get(pk=pk, applicant=actor),
        answer=answer,
        conflict_message=KEY_CONFLICT,
    )


def bundle_application_submit(
    *,
    actor: User,
    bundle: Bundle,
    region: Region,
    form_data: dict[str, Any],
    enterprise: Enterprise | None = None,
    files: dict[str, tuple[str, bytes]] | None = None,
    idempotency_key: str = "",
) -> BundleApplication:
    """bundle_application_submit_once for callers that need no stored answer: the (first) bundle application."""
    return bundle_application_submit_once(
        actor=actor,
        bundle=bundle,
        region=region,
        form_data=form_data,
        enterprise=enterprise,
        files=files,
        idempotency_key=idempotency_key,
    ).value


def _create(
    *,
    actor: User,
    bundle: Bundle,
    items: list[ServiceItem],
    region: Region,
    enterprise: Enterprise | None,
    cleaned: dict[str, object],
    materials: list[BundleMaterial],
    files: Mapping[str, tuple[str, bytes]],
) -> BundleApplication:
    bundle_app = BundleApplication.objects.create(
        bundle=bundle, applicant=actor, number=f"tmp{uuid.uuid4().hex[:20]}", form_data=cleaned
    )
    bundle_app.number = f"YJS{timezone.localdate():%Y%m%d}{bundle_app.pk:08d}"
    BundleApplication.objects.filter(pk=bundle_app.pk).update(number=bundle_app.number)
    children: list[Application] = []
    for item in items:
        own = {spec.name for spec in validate_form_schema(item.form_fields)}
        child = application_save_draft(
            actor=actor,
            item=item,
            region=region,
            enterprise=enterprise,
            form_data={name: value for name, value in cleaned.items() if name in own},
        )
        Application.objects.filter(pk=child.pk).update(bundle_application=bundle_app)
        child.bundle_application = bundle_app
        for merged in materials:
            if merged.name not in files:
                continue
            filename, content = files[merged.name]
            for material in merged.materials:
                if material.item_id == item.pk:
                    application_attach_material(
                        actor=actor, application=child, material=material, name=filename, content=content
                    )
        children.append(child)
    audit_append(
        actor=actor,
        action="services.bundle_application_submit",
        object_type="bundle_application",
        object_id=bundle_app.pk,
        changes={
            "bundle": bundle.code,
            "number": bundle_app.number,
            "children": [c.pk for c in children],
            "fields": sorted(cleaned),
            "materials": sorted(files),
        },
    )
    for child in children:
        application_submit(actor=actor, application=child)
    return bundle_app


# --- completion -----------------------------------------------------------------------------------------


def bundle_application_status(statuses: Iterable[str]) -> str:
    """办理中 while a child is open; 已办结 when every child is 办结; 未全部办结 when all ended otherwise."""
    statuses = list(statuses)
    if not statuses or any(s not in CHILD_ENDED for s in statuses):
        return STATUS_OPEN
    if all(s == ApplicationStatus.COMPLETED for s in statuses):
        return STATUS_COMPLETED
    return STATUS_PARTLY


@application_workflow.on()
def _bundle_child_moved(move: Move) -> None:
    if move.obj.bundle_application_id is not None:
        bundle_child_transitioned(actor=person(move.actor), child=move.obj)


def bundle_child_transitioned(*, actor: User | None, child: Application) -> bool:
    """After each step of a bundle child, inside its transaction (a workflow hook, registered when the app
    loads): when the child has ended, closes the bundle application if every child has ended."""
    if child.bundle_application_id is None or child.status not in CHILD_ENDED:
        return False
    return bundle_application_close_if_done(actor=actor, bundle_application_id=child.bundle_application_id)


def bundle_application_close_if_done(*, actor: User | None, bundle_application_id: int) -> bool:
    """Close the bundle application when every child has ended. Locks the bundle
    application row first, so two children ending at the same moment cannot both miss the last one.
    Returns True when this call closed the bundle application."""
    with transaction.atomic():
        bundle_app = BundleApplication.objects.select_for_update().filter(pk=bundle_application_id).first()
        if bundle_app is None or bundle_app.completed_at is not None:
            return False
        statuses = list(Application.objects.filter(bundle_application=bundle_app).values_list("status", flat=True))
        label = bundle_application_status(statuses)
        if label == STATUS_OPEN:
            return False
        bundle_app.completed_at = timezone.now()
        BundleApplication.objects.filter(pk=bundle_app.pk).update(completed_at=bundle_app.completed_at)
        audit_append(
            actor=actor,
            action="services.bundle_application_close",
            object_type="bundle_application",
            object_id=bundle_app.pk,
            changes={"status": label, "children": statuses},
        )
    return True
