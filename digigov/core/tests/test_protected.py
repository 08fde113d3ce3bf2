"""Personal data at rest: SM4-GCM sealed with the purpose bound in, and purpose-keyed SM3 blind indexes.

The database tests read the raw tables with a cursor, so nothing on the model can hide a plaintext column.
"""

from __future__ import annotations

import dataclasses
import os
from datetime import date
from typing import Any

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from digigov.core.crypto import CryptoError
from digigov.core.models import AuditEntry
from digigov.core.protected import blind_index, seal, unseal
from digigov.identity import demo_city
from digigov.identity.demo_loader import DEMO_PASSWORD
from digigov.identity.models import CitizenProfile, User
from digigov.identity.services.people import citizen_register

ID_PURPOSE = "citizen.id_number"
MOBILE_PURPOSE = "citizen.mobile"


@pytest.fixture
def other_keys(settings: Any) -> None:
    """Swap in freshly generated platform keys for the rest of the test."""
    settings.PLATFORM_KEYS = dataclasses.replace(
        settings.PLATFORM_KEYS, data_key=os.urandom(16), index_key=os.urandom(32)
    )


# --- seal / unseal --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["21050219900101123X", "13812345678", "本溪市平山区胜利路35号", ""])
def test_seal_unseal_round_trip(value: str) -> None:
    assert unseal(ID_PURPOSE, seal(ID_PURPOSE, value)) == value


@given(st.text(max_size=200))
def test_seal_unseal_round_trip_any_text(value: str) -> None:
    assert unseal(MOBILE_PURPOSE, seal(MOBILE_PURPOSE, value)) == value


def test_unseal_accepts_memoryview_as_the_database_returns_it() -> None:
    assert unseal(ID_PURPOSE, memoryview(seal(ID_PURPOSE, "13812345678"))) == "13812345678"  # type: ignore[arg-type]


def test_ciphertext_differs_each_time_and_hides_the_value() -> None:
    blobs = {seal(ID_PURPOSE, "21050219900101123X") for _ in range(20)}
    assert len(blobs) == 20  # a random nonce per seal: equal values are not linkable through ciphertext
    for blob in blobs:
        assert b"21050219900101123X" not in blob
        assert unseal(ID_PURPOSE, blob) == "21050219900101123X"


def test_ciphertext_sealed_for_one_purpose_does_not_unseal_under_another() -> None:
    blob = seal(ID_PURPOSE, "21050219900101123X")
    with pytest.raises(CryptoError):
        unseal(MOBILE_PURPOSE, blob)
    with pytest.raises(CryptoError):
        unseal("", blob)


def test_tampered_ciphertext_does_not_unseal() -> None:
    blob = bytearray(seal(MOBILE_PURPOSE, "13812345678"))
    blob[20] ^= 0x01
    with pytest.raises(CryptoError):
        unseal(MOBILE_PURPOSE, bytes(blob))
    with pytest.raises(CryptoError):
        unseal(MOBILE_PURPOSE, b"13812345678")  # a plaintext that slipped into the column


def test_ciphertext_does_not_unseal_under_another_data_key(settings: Any) -> None:
    blob = seal(MOBILE_PURPOSE, "13812345678")
    settings.PLATFORM_KEYS = dataclasses.replace(settings.PLATFORM_KEYS, data_key=os.urandom(16))
    with pytest.raises(CryptoError):
        unseal(MOBILE_PURPOSE, blob)


# --- blind index ----------------------------------------------------------------------------------------


def test_blind_index_is_deterministic_per_purpose() -> None:
    first = blind_index(ID_PURPOSE, "21050219900101123X")
    assert first == blind_index(ID_PURPOSE, "21050219900101123X")
    assert len(first) == 64
    assert int(first, 16) >= 0  # hex


def test_blind_index_differs_across_purposes_and_values() -> None:
    value = "13812345678"
    indexes = {blind_index(ID_PURPOSE, value), blind_index(MOBILE_PURPOSE, value), blind_index("x", value)}
    assert len(indexes) == 3
    assert blind_index(MOBILE_PURPOSE, "13812345678") != blind_index(MOBILE_PURPOSE, "13812345679")


def test_blind_index_separates_purpose_from_value() -> None:
    """The separator keeps ("a.b", "c") and ("a", ".bc") apart."""
    assert blind_index("citizen.mobile", "1") != blind_index("citizen.mobile1", "")


def test_blind_index_depends_on_the_index_key(other_keys: None) -> None:
    from django.conf import settings

    with_other_key = blind_index(ID_PURPOSE, "21050219900101123X")
    settings.PLATFORM_KEYS = dataclasses.replace(settings.PLATFORM_KEYS, index_key=bytes(32))
    assert blind_index(ID_PURPOSE, "21050219900101123X") != with_other_key


# --- what the database holds ----------------------------------------------------------------------------


def _forms(value: str) -> tuple[bytes, ...]:
    """The plaintext as it could appear in a column: text, and hex of the UTF-8 bytes."""
    return value.encode(), value.encode().hex().encode()


def _raw_row(table: str, pk: int) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} WHERE id = %s", [pk])  # noqa: S608
        row = cursor.fetchone()
        names = [column[0] for column in cursor.description]
    assert row is not None
    return dict(zip(names, row, strict=True))


def _as_bytes(value: object) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode()


def _assert_absent(row: dict[str, Any], *values: str) -> None:
    for column, stored in row.items():
        for value in values:
            for form in _forms(value):
                assert form not in _as_bytes(stored), f"{column} holds the plain value"


@pytest.mark.django_db
@pytest.mark.parametrize("seed", demo_city.CITIZENS[:5], ids=lambda seed: seed.username)
def test_demo_citizen_row_holds_no_plain_id_number_or_mobile(seed: demo_city.CitizenSeed) -> None:
    profile = CitizenProfile.objects.get(id_number_index=blind_index(CitizenProfile.ID_PURPOSE, seed.id_number))
    assert profile.mobile_index == blind_index(CitizenProfile.MOBILE_PURPOSE, seed.mobile)
    assert (profile.id_number(), profile.mobile()) == (seed.id_number, seed.mobile)  # still recoverable
    row = _raw_row(CitizenProfile._meta.db_table, profile.pk)
    assert len(row) >= 10  # every column, not a chosen few
    _assert_absent(row, seed.id_number, seed.mobile)
    _assert_absent(_raw_row(User._meta.db_table, profile.user_id), seed.id_number, seed.mobile)


@pytest.mark.django_db
def test_no_citizen_row_holds_any_plain_id_number_or_mobile() -> None:
    secrets = [value for seed in demo_city.CITIZENS for value in (seed.id_number, seed.mobile)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(CitizenProfile._meta.db_table)}")  # noqa: S608
        rows = cursor.fetchall()
    assert len(rows) >= len(demo_city.CITIZENS)
    dump = b"\x00".join(_as_bytes(value) for row in rows for value in row)
    for value in secrets:
        assert value.encode() not in dump


@pytest.mark.django_db
def test_registered_citizen_row_holds_no_plain_values_and_masks_the_number() -> None:
    id_number = demo_city.make_id_number("210502", date(1991, 6, 18), 517)
    mobile = "18840001234"
    audited_before = AuditEntry.objects.count()
    user = citizen_register(
        actor=None, real_name="测试人", id_number=id_number, mobile="+86 188-4000-1234", password=DEMO_PASSWORD
    )
    profile = CitizenProfile.objects.get(user=user)
    row = _raw_row(CitizenProfile._meta.db_table, profile.pk)
    _assert_absent(row, id_number, mobile)
    assert row["id_number_masked"] == id_number[:6] + "********" + id_number[-4:]
    assert unseal(CitizenProfile.ID_PURPOSE, row["id_number_sealed"]) == id_number
    assert unseal(CitizenProfile.MOBILE_PURPOSE, row["mobile_sealed"]) == mobile
    with pytest.raises(CryptoError):  # the two sealed columns cannot be swapped
        unseal(CitizenProfile.MOBILE_PURPOSE, row["id_number_sealed"])
    _assert_absent(_raw_row(User._meta.db_table, user.pk), id_number, mobile)
    new_entries = AuditEntry.objects.order_by("seq")[audited_before:]
    assert new_entries, "registration is audited"
    for entry in new_entries:
        _assert_absent(_raw_row(AuditEntry._meta.db_table, entry.pk), id_number, mobile)
