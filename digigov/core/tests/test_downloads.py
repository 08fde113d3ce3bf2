"""Every download is an attachment with nosniff (issue 9 point 7). The test finds the download views itself
(every view that serves a file goes through core.downloads.attachment_response, and nothing else in the code
builds a file response or a Content-Disposition), fetches each one for real and checks the headers."""

from __future__ import annotations

import inspect
import io
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver
from openpyxl import load_workbook

from digigov.core.downloads import content_disposition, safe_download_name
from digigov.core.tests import sample_files
from digigov.hotline.services.intake import submit_appeal
from digigov.hotline.tests.conftest import appeal_input
from digigov.identity.models import User
from digigov.identity.tests.factories import verified_admin_client
from digigov.identity.tests.test_policies import _walk
from digigov.onestop.models import ServiceItem
from digigov.onestop.services import applications as svc
from digigov.onestop.tests.factories import draft_with_materials

pytestmark = pytest.mark.django_db


# --- finding the downloads ------------------------------------------------------------------------------


def download_views() -> set[str]:
    """URL names of the views whose code serves a file through attachment_response."""
    found = set()
    for _route, name, pattern in _walk(get_resolver().url_patterns):
        callback = inspect.unwrap(pattern.callback)
        try:
            source = inspect.getsource(callback)
        except (OSError, TypeError):
            continue
        if "attachment_response(" in source:
            found.add(name)
    return found


def test_no_code_builds_a_file_response_outside_core_downloads() -> None:
    offenders = []
    for path in Path(settings.BASE_DIR, "digigov").rglob("*.py"):
        if "tests" in path.parts or path.name == "downloads.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"FileResponse\(|Content-Disposition|as_attachment", text):
            offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert not offenders, f"serve files through digigov.core.downloads.attachment_response: {offenders}"


# --- each download, for real ----------------------------------------------------------------------------


def material_url(client: Client) -> tuple[str, bytes]:
    citizen = User.objects.get(username="chenhaoran")
    app = draft_with_materials(citizen, ServiceItem.objects.get(code="210500-WJW-XK-0003"))
    app = svc.application_submit(actor=citizen, application=app)
    stored = app.materials.first()
    assert stored is not None
    return f"/console/services/applications/{app.pk}/materials/{stored.pk}/", stored.file.open("rb").read()


def attachment_url(client: Client) -> tuple[str, bytes]:
    photo = sample_files.png(width=5)
    appeal = submit_appeal(
        actor=User.objects.get(username="hanxue"), data=appeal_input(attachments=(('现场照片 "1".png', photo),))
    )
    return f"/console/hotline/appeals/{appeal.pk}/attachments/{appeal.attachments.get().pk}/", photo


def export_url(client: Client) -> tuple[str, bytes]:
    return "/console/services/catalogue/export/", b"PK"


def import_report_url(client: Client) -> tuple[str, bytes]:
    workbook = load_workbook(io.BytesIO(client.get("/console/services/catalogue/export/").content))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=headers.index("事项类型") + 1, value="不存在的类型")
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("目录.xlsx", buffer.getvalue())
    assert client.post("/console/services/catalogue/import/", {"workbook": upload}).status_code == 200
    return "/console/services/catalogue/import/report/", b"PK"


DOWNLOADS: dict[str, Callable[[Client], tuple[str, bytes]]] = {
    "services:console_material": material_url,
    "hotline_console:attachment_download": attachment_url,
    "services:console_catalogue_export": export_url,
    "services:console_catalogue_import_report": import_report_url,
}


def test_the_list_below_is_every_download_of_the_site() -> None:
    assert download_views() == set(DOWNLOADS)


@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_every_download_is_an_attachment_with_nosniff(name: str) -> None:
    client = verified_admin_client()
    url, starts_with = DOWNLOADS[name](client)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(starts_with)
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="'), disposition
    assert disposition.isascii() and "\n" not in disposition and "\r" not in disposition
    assert re.fullmatch(r'attachment; filename="[^"\\]+"; filename\*=UTF-8\'\'[A-Za-z0-9%._~!$&+^`|\-]+', disposition)
    assert response["Content-Type"] != "text/html" and not response["Content-Type"].startswith("text/")
    assert "no-store" in response["Cache-Control"]


def test_chinese_and_hostile_names_become_safe_headers() -> None:
    header = content_disposition("现场照片.png")
    assert (
        header
        == "attachment; filename=\"download.png\"; filename*=UTF-8''" + "%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png"
    )
    hostile = content_disposition('../../etc/passwd"\r\nSet-Cookie: x=1;.pdf')
    assert "\r" not in hostile and "\n" not in hostile and "/" not in unquote(hostile.split("''")[1])
    assert hostile.count('"') == 2
    assert (
        safe_download_name("a" * 300 + ".pdf").endswith(".pdf") and len(safe_download_name("a" * 300 + ".pdf")) == 120
    )
    assert safe_download_name("") == "download"
