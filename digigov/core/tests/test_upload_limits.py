"""No upload is kept or read past its limit (issue 9 point 7): Django's parser keeps at most
settings.UPLOAD_MAX_BYTES + 1 bytes of any file, and read_upload hands the platform at most limit + 1 bytes."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from digigov.core.errors import ValidationFailed
from digigov.core.tests import sample_files
from digigov.core.tests.upload_counting import KEPT, READ, counting_uploads
from digigov.core.uploads import MB, check_upload, read_upload


def test_the_parser_keeps_no_more_of_a_file_than_the_cap(settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    huge = sample_files.pdf(b"x" * (3 * MB))
    request = RequestFactory().post("/anywhere/", {"f": SimpleUploadedFile("巨大.pdf", huge)})  # the project's handlers
    upload = request.FILES["f"]
    assert upload.size == 64 * 1024 + 1
    assert len(upload.read()) == 64 * 1024 + 1


def test_the_cap_holds_whichever_handler_stores_the_file(settings: Any) -> None:
    counting_uploads(settings)
    settings.UPLOAD_MAX_BYTES = 100 * 1024
    request = RequestFactory().post("/anywhere/", {"f": SimpleUploadedFile("巨大.pdf", b"%PDF-" + b"0" * (2 * MB))})
    assert request.FILES["f"].size == 100 * 1024 + 1
    assert KEPT == {"巨大.pdf": 100 * 1024 + 1}


def test_read_upload_reads_one_byte_over_the_limit_and_check_upload_refuses_by_size(settings: Any) -> None:
    counting_uploads(settings)
    request = RequestFactory().post(
        "/anywhere/", {"f": SimpleUploadedFile("扫描件.pdf", sample_files.pdf(b"y" * 3 * MB))}
    )
    content = read_upload(request.FILES["f"], 1 * MB)
    assert len(content) == READ["扫描件.pdf"] == MB + 1
    with pytest.raises(ValidationFailed, match="不能超过 1MB"):
        check_upload("申请表", "扫描件.pdf", content, file_types=["pdf"], max_size_mb=1)
