"""Helpers that fill an item's form and materials with valid values, for tests and benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from digigov.core.form_schema import validate_form_schema
from digigov.core.tests.sample_files import JPG, PDF, PNG  # real files: uploads are parsed through
from digigov.identity.models import Region, User
from digigov.onestop.models import Application, ServiceItem
from digigov.onestop.services.applications import application_save_draft
from digigov.onestop.services.materials import application_attach_material

SAMPLES = {"pdf": PDF, "png": PNG, "jpg": JPG, "jpeg": JPG}

_VALUES: dict[str, Any] = {
    "text": "本溪市平山区",
    "textarea": "申请事项说明。",
    "address": "本溪市平山区胜利路35号",
    "date": "2026-11-20",
    "bool": True,
    "id_number": "210502198809301533",
    "mobile": "13904140001",
    "uscc": "91210502MAQW141D2R",
}


def media_files() -> list[Path]:
    """Every file under MEDIA_ROOT (a per-test folder, see conftest)."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def valid_form_data(item: ServiceItem) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for spec in validate_form_schema(item.form_fields):
        if spec.type == "choice":
            data[spec.name] = spec.options[0]
        elif spec.type == "number":
            data[spec.name] = spec.min_value if spec.min_value is not None else 1
        elif spec.type == "bool":
            data[spec.name] = True
        else:
            data[spec.name] = _VALUES[spec.type][: spec.max_length or None]
    return data


def attach_all(actor: User, app: Application, *, mandatory_only: bool = True) -> None:
    for material in app.item.materials.all():
        if mandatory_only and not material.mandatory:
            continue
        kind = next(t for t in material.file_types if t in SAMPLES)
        application_attach_material(
            actor=actor, application=app, material=material, name=f"材料.{kind}", content=SAMPLES[kind]
        )


def draft_with_materials(actor: User, item: ServiceItem, region_code: str = "210502000000") -> Application:
    app = application_save_draft(
        actor=actor, item=item, region=Region.objects.get(code=region_code), form_data=valid_form_data(item)
    )
    attach_all(actor, app)
    return app
