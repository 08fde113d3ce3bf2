"""Uploading an application's materials: type checked by content (not only the name), size capped, SM3 kept.

Files and rows: a file is written to storage before its row, inside the transaction. Should that transaction
roll back, the file would be left behind with nothing pointing at it, so every write runs inside
`files_discarded_on_error()`: files saved in the block are deleted again when the block raises (a bundle
submission wraps its whole transaction in one, so a failure after some children's uploads removes them all).
A file replaced by a newer upload is deleted once the replacement commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

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
log = logging.getLogger(__name__)

# The files saved inside the innermost files_discarded_on_error() block: (storage, name).
_saved_files: ContextVar[list[tuple[Any, str | None]] | None] = ContextVar("services_saved_files", default=None)


def _delete_files(files: list[tuple[Any, str | None]]) -> None:
    for storage, name in files:
        if not name:
            continue
        try:
            storage.delete(name)
        except OSError:
            log.exception("could not delete the stored file %s", name)


@contextmanager
def files_discarded_on_error() -> Iterator[None]:
    """Delete the files saved inside the block if it raises (its transaction rolled back). Nested blocks hand
    their files to the enclosing one when they succeed, so the outermost block decides."""
    outer = _saved_files.get()
    mine: list[tuple[Any, str | None]] = []
    token = _saved_files.set(mine)
    try:
        yield
    except BaseException:
        _delete_files(mine)
        raise
    finally:
        _saved_files.reset(token)
    if outer is not None:
        outer.extend(mine)


def _saved(storage: Any, name: str | None) -> None:
    files = _saved_files.get()
    assert files is not None, "save files inside files_discarded_on_error()"
    files.append((storage, name))


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
        _saved(stored.file.storage, stored.file.name)
        stored.save()
        if replaced:  # the replaced file has no row any more: remove it once the replacement is committed
            transaction.on_commit(lambda: _delete_files(replaced))
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
