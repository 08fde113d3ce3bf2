"""Uploading an application's materials: type checked by content (not only the name), size capped, SM3 kept."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from digigov.core.audit import audit_append
from digigov.core.crypto import sm3_hex
from digigov.core.errors import Conflict, NotFound, ValidationFailed
from digigov.identity.models import User
from digigov.services.models import Application, ApplicationMaterial, ApplicationStatus, RequiredMaterial

# What a file of each accepted type starts with. Office and OFD files are ZIP (or old OLE) containers.
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0",)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "ofd": _ZIP,
    "zip": _ZIP,
    "docx": _ZIP,
    "xlsx": _ZIP,
    "doc": _OLE,
    "xls": _OLE,
}
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.CORRECTION)


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_file_content(material: RequiredMaterial, name: str, content: bytes) -> str:
    extension = _extension(name)
    allowed = "、".join(material.file_types)
    if extension not in material.file_types:
        raise ValidationFailed(f"「{material.name}」只接受以下格式：{allowed}", fields={"file": "格式不符"})
    if not content:
        raise ValidationFailed(f"「{material.name}」上传的文件是空的", fields={"file": "空文件"})
    if len(content) > material.max_size_mb * 1024 * 1024:
        raise ValidationFailed(f"「{material.name}」不能超过 {material.max_size_mb}MB", fields={"file": "文件过大"})
    if not content.startswith(SIGNATURES.get(extension, (b"",))):
        raise ValidationFailed(
            f"文件内容与扩展名 .{extension} 不符，请上传真实的{extension.upper()}文件",
            fields={"file": "内容与格式不符"},
        )
    return extension


def application_attach_material(
    *, actor: User, application: Application, material: RequiredMaterial, name: str, content: bytes
) -> ApplicationMaterial:
    """Add or replace the file for one required material, while the application is a draft or in 补正."""
    if application.applicant_id != actor.pk:
        raise NotFound()
    if material.item_id != application.item_id:
        raise ValidationFailed("该材料不属于本事项", fields={"material": "无效"})
    if application.status not in EDITABLE:
        raise Conflict("办件已提交，只有草稿或待补正的办件可以上传材料")
    extension = check_file_content(material, name, content)
    digest = sm3_hex(content)
    safe_name = name.replace("/", "_").replace("\\", "_")[-150:]
    with transaction.atomic():
        ApplicationMaterial.objects.filter(application=application, material=material).delete()
        stored = ApplicationMaterial(
            application=application, material=material, original_name=safe_name, size=len(content), sm3=digest
        )
        stored.file.save(f"{digest[:32]}.{extension}", ContentFile(content), save=False)
        stored.save()
        audit_append(
            actor=actor,
            action="services.material_attach",
            object_type="application",
            object_id=application.pk,
            changes={"material": material.name, "sm3": digest},
        )
    return stored


def material_download_record(*, actor: User, stored: ApplicationMaterial) -> None:
    """A staff member opened an applicant's material: personal data read, so it goes on the audit trail."""
    with transaction.atomic():
        audit_append(
            actor=actor,
            action="services.material_download",
            object_type="application",
            object_id=stored.application_id,
            changes={"material": stored.material_id, "sm3": stored.sm3},
        )
