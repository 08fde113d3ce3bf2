"""The agent's intake page takes photos and documents with the appeal; a bad file is told on the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from digigov.core.tests import sample_files
from digigov.core.tests.upload_counting import READ, counting_uploads
from digigov.core.uploads import MB
from digigov.hotline.models import Appeal
from digigov.hotline.services.intake import ATTACHMENT_MAX_MB

pytestmark = pytest.mark.usefixtures("hotline")

PNG = sample_files.png(width=3)


def _post(client: Any, key: str, *files: SimpleUploadedFile) -> Any:
    return client.post(
        "/console/hotline/intake/",
        {
            "channel": "phone",
            "appeal_type": "complaint",
            "subject": "路灯不亮",
            "text": "平山街道胜利路南段路灯连续一周晚上不亮，行人夜间出行不安全。",
            "address": "本溪市平山区平山街道胜利路",
            "idempotency_key": key,
            "attachments": list(files),
        },
    )


def test_intake_page_stores_the_photos(login: Any) -> None:
    agent = login("hanxue")
    response = _post(agent, "page-attach-1", SimpleUploadedFile("路灯.png", PNG, content_type="image/png"))
    assert response.status_code == 302
    appeal = Appeal.objects.get(idempotency_key="page-attach-1")
    assert [a.original_name for a in appeal.attachments.all()] == ["路灯.png"]
    page = agent.get(f"/console/hotline/appeals/{appeal.pk}/").content.decode()
    assert "路灯.png" in page and f"/attachments/{appeal.attachments.get().pk}/" in page


def test_a_disguised_file_is_refused_on_the_page(login: Any) -> None:
    response = _post(login("hanxue"), "page-attach-2", SimpleUploadedFile("照片.png", b"MZ not a png"))
    assert response.status_code == 200
    assert "文件内容与扩展名 .png 不符" in response.content.decode()
    assert not Appeal.objects.filter(idempotency_key="page-attach-2").exists()


def test_too_many_files_are_told_as_such_on_the_page(login: Any) -> None:
    photos = [SimpleUploadedFile(f"照片{i}.png", PNG, content_type="image/png") for i in range(6)]
    response = _post(login("hanxue"), "page-attach-6", *photos)
    assert response.status_code == 200 and "附件最多5个" in response.content.decode()
    assert not Appeal.objects.filter(idempotency_key="page-attach-6").exists()


def test_chosen_files_are_said_to_be_lost_when_the_form_comes_back(login: Any) -> None:
    agent = login("hanxue")
    response = agent.post(
        "/console/hotline/intake/",
        {"channel": "phone", "appeal_type": "complaint", "subject": "", "text": "短", "idempotency_key": "lost-1",
         "attachments": [SimpleUploadedFile("路灯.png", PNG, content_type="image/png")]},
    )  # fmt: skip
    assert response.status_code == 200 and "重新选择文件" in response.content.decode()


def test_an_oversize_photo_is_refused_after_reading_one_byte_over_the_limit(login: Any, settings: Any) -> None:
    counting_uploads(settings)
    big = SimpleUploadedFile("超大照片.png", PNG + b"\x00" * (ATTACHMENT_MAX_MB * MB), content_type="image/png")
    response = _post(login("hanxue"), "page-attach-big", big)
    assert response.status_code == 200 and f"不能超过 {ATTACHMENT_MAX_MB}MB" in response.content.decode()
    assert READ["超大照片.png"] <= ATTACHMENT_MAX_MB * MB + 1
    assert not Appeal.objects.filter(idempotency_key="page-attach-big").exists()
