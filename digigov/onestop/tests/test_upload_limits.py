"""一网通办 reads no upload past its material's limit (issue 9 point 7): an oversize file sent to the apply page,
the 一件事 page and the API is refused by its size after at most limit + 1 bytes were read from it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from digigov.core.tests import sample_files
from digigov.core.tests.upload_counting import READ, counting_uploads
from digigov.core.uploads import MB
from digigov.identity.tests.factories import bearer_client
from digigov.onestop import selectors
from digigov.onestop.models import ApplicationMaterial, RequiredMaterial
from digigov.onestop.tests.test_api import API, DOCTOR, draft_body, post_json
from digigov.onestop.tests.test_portal_views import CHEN, DRAIN, PINGSHAN, full_post, item, post_values, uploads

pytestmark = pytest.mark.django_db
BIG = sample_files.pdf(b"z" * (3 * MB))  # a real PDF, three times the limit set below


def one_mb_limit(material: RequiredMaterial) -> None:
    RequiredMaterial.objects.filter(pk=material.pk).update(max_size_mb=1)


def test_apply_page_refuses_an_oversize_material_after_reading_one_byte_over(login: Any, settings: Any) -> None:
    counting_uploads(settings)
    material = next(m for m in item(DRAIN).materials.all() if "pdf" in m.file_types and m.mandatory)
    one_mb_limit(material)
    index = list(item(DRAIN).materials.all()).index(material)
    data = full_post(DRAIN, **{f"m_{index}": SimpleUploadedFile("太大的申请表.pdf", BIG)})
    page = login(CHEN).post(f"/services/items/{DRAIN}/apply/", data).content.decode()
    assert f"「{material.name}」不能超过 1MB" in page
    assert READ["太大的申请表.pdf"] <= MB + 1
    assert not ApplicationMaterial.objects.filter(original_name="太大的申请表.pdf").exists()


def test_bundle_page_refuses_an_oversize_material_after_reading_one_byte_over(login: Any, settings: Any) -> None:
    counting_uploads(settings)
    bundle = selectors.bundle_get("kaiban-canyindian")
    materials = list(selectors.bundle_materials(bundle))
    index, target = next((i, m) for i, m in enumerate(materials) if m.mandatory and "pdf" in m.file_types)
    for row in target.materials:
        one_mb_limit(row)
    materials = list(selectors.bundle_materials(bundle))
    data: dict[str, Any] = {"region": PINGSHAN, "idempotency_key": "big-1"}
    data.update(post_values(selectors.bundle_form_fields(bundle)))
    data.update(uploads(materials))
    data[f"m_{index}"] = SimpleUploadedFile("太大的材料.pdf", BIG)
    page = login(CHEN).post("/services/bundles/kaiban-canyindian/apply/", data).content.decode()
    assert "不能超过 1MB" in page
    assert READ["太大的材料.pdf"] <= MB + 1


def test_api_upload_refuses_an_oversize_material_without_reading_it(settings: Any) -> None:
    counting_uploads(settings)
    citizen = bearer_client("chenhaoran")
    app_id = post_json(citizen, f"{API}/applications", draft_body(DOCTOR)).json()["id"]
    material = next(m for m in item(DOCTOR).materials.all() if "pdf" in m.file_types)
    one_mb_limit(material)
    url = f"{API}/applications/{app_id}/materials"
    refused = citizen.post(url, {"material_id": material.pk, "file": SimpleUploadedFile("太大的证明.pdf", BIG)})
    assert refused.status_code == 422 and refused.json()["fields"] == {"file": "文件过大"}
    assert READ.get("太大的证明.pdf", 0) <= MB + 1
