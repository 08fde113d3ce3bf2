"""Uploading an application's materials: checked by digigov.core.uploads (type by content, size), SM3 kept.

A bundle submission wraps its whole transaction in one files_discarded_on_error() block, so a failure after
some children's uploads removes them all. A file replaced by a newer upload is deleted once the replacement
commits.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from digigov.core.audit import audit_append
from digigov.core.crypto import sm3_hex
from digigov.core.errors import Conflict, NotFound, ValidationFailed
from digigov.core.uploads import (
    check_upload,
    delete_files,
    files_discarded_on_error,
    remember_saved_file,
    safe_file_name,
)
from digigov.identity.models import User
from digigov.onestop import policy
from digigov.onestop.models import Application, ApplicationMaterial, ApplicationStatus, RequiredMaterial

EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.CORRECTION)


def check_file_content(material: RequiredMaterial, name: str, content: bytes) -> str:
    return check_upload(material.name, name, content, file_types=material.file_types, max_size_mb=material.max_size_mb)


def application_attach_material(
    *, actor: User, application: Application, material: RequiredMaterial, name: str, content: bytes
) -> ApplicationMaterial:
    """Add or replace the file for one required material, while the application is a draft or in 补正."""
    if not policy.can(actor, policy.Action.ACT_AS_APPLICANT, application):
        raise NotFound()
    if material.item_id != application.item_id:
        raise ValidationFailed("该材料不属于本事项", fields={"material": "无效"})
    if application.status not in EDITABLE:
        raise Conflict("办件已提交，只有草稿或待补正的办件可以上传材料")
    extension = check_file_content(material, name, content)
    digest = sm3_hex(content)
    safe_name = safe_file_name(name)
    with files_discarded_on_error(), transaction.atomic():
        replaced = [
            (old.file.storage, old.file.name)
            for old in ApplicationMaterial.objects.filter(application=application, material=material)
            if old.file
        ]
        ApplicationMaterial.objects.filter(application=application, material=material).delete()
        stored = ApplicationMaterial(
            application=application, material=material, original_name=safe_name, size=len(content), sm3=digest
        )
        stored.file.save(f"{digest[:32]}.{extension}", ContentFile(content), save=False)
        remember_saved_file(stored.file.storage, stored.file.name)
        stored.save()
        if replaced:  # the replaced file has no row any more: remove it once the replacement is committed
            transaction.on_commit(lambda: delete_files(replaced))
        audit_append(
            actor=actor,
            action="services.material_attach",
            object_type="application",
            object_id=application.pk,
            changes={"material": material.name, "sm3": digest},
        )
    return stored


def material_download_record(*, actor: User, stored: ApplicationMaterial) -> None:
    """A staff member opened an applicant's material: personal data read, so it goes on the audit trail. Only
    someone who may see the application; anyone else gets NotFound, as from the selectors."""
    if not policy.can(actor, policy.Action.VIEW_APPLICATION, stored.application):
        raise NotFound()
    with transaction.atomic():
        audit_append(
            actor=actor,
            action="services.material_download",
            object_type="application",
            object_id=stored.application_id,
            changes={"material": stored.material_id, "sm3": stored.sm3},
        )
