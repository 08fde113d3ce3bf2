"""Where the keys come from: the environment in production (or refuse to start), a generated file in development."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from digigov.core.keys import ENV_NAMES, MissingKeyError, PlatformKeys, load_keys

DATA_KEY = "00112233445566778899aabbccddeeff"  # 16 bytes
INDEX_KEY = "ff" * 32  # 32 bytes
SECRET = "a-django-secret-from-the-environment"


@pytest.fixture(autouse=True)
def no_key_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_NAMES.values():
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def key_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGIGOV_SECRET_KEY", SECRET)
    monkeypatch.setenv("DIGIGOV_DATA_KEY", DATA_KEY)
    monkeypatch.setenv("DIGIGOV_INDEX_KEY", INDEX_KEY)


def test_production_without_env_vars_refuses_and_names_them(tmp_path: Path) -> None:
    key_file = tmp_path / "dev-keys.json"
    with pytest.raises(MissingKeyError) as info:
        load_keys(production=True, dev_key_file=key_file)
    for name in ("DIGIGOV_SECRET_KEY", "DIGIGOV_DATA_KEY", "DIGIGOV_INDEX_KEY"):
        assert name in str(info.value)
    assert not key_file.exists()  # production never falls back to generated keys


@pytest.mark.parametrize("missing", sorted(ENV_NAMES.values()))
def test_production_names_exactly_the_missing_variable(
    missing: str, key_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(missing)
    with pytest.raises(MissingKeyError) as info:
        load_keys(production=True, dev_key_file=tmp_path / "dev-keys.json")
    named = {name for name in ENV_NAMES.values() if name in str(info.value)}
    assert named == {missing}


def test_production_treats_an_empty_variable_as_missing(
    key_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DIGIGOV_DATA_KEY", "")
    with pytest.raises(MissingKeyError, match="DIGIGOV_DATA_KEY"):
        load_keys(production=True, dev_key_file=tmp_path / "dev-keys.json")


def test_production_with_env_vars_uses_them(key_env: None, tmp_path: Path) -> None:
    key_file = tmp_path / "dev-keys.json"
    keys = load_keys(production=True, dev_key_file=key_file)
    assert keys == PlatformKeys(
        django_secret=SECRET, data_key=bytes.fromhex(DATA_KEY), index_key=bytes.fromhex(INDEX_KEY)
    )
    assert not key_file.exists()


def test_development_generates_a_private_key_file_once_and_reuses_it(tmp_path: Path) -> None:
    key_file = tmp_path / "var" / "dev-keys.json"  # the folder does not exist yet
    first = load_keys(production=False, dev_key_file=key_file)
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    content = key_file.read_bytes()
    second = load_keys(production=False, dev_key_file=key_file)
    assert second == first
    assert key_file.read_bytes() == content  # not rewritten
    assert (len(first.data_key), len(first.index_key)) == (16, 32)
    assert len(first.django_secret) >= 50


def test_development_keys_differ_between_machines(tmp_path: Path) -> None:
    one = load_keys(production=False, dev_key_file=tmp_path / "a.json")
    two = load_keys(production=False, dev_key_file=tmp_path / "b.json")
    assert one.data_key != two.data_key
    assert one.index_key != two.index_key
    assert one.django_secret != two.django_secret


def test_development_key_file_is_private_even_with_a_permissive_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        load_keys(production=False, dev_key_file=tmp_path / "dev-keys.json")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "dev-keys.json").stat().st_mode) == 0o600


def test_development_prefers_env_vars_over_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    key_file = tmp_path / "dev-keys.json"
    generated = load_keys(production=False, dev_key_file=key_file)
    monkeypatch.setenv("DIGIGOV_DATA_KEY", DATA_KEY)
    mixed = load_keys(production=False, dev_key_file=key_file)
    assert mixed.data_key == bytes.fromhex(DATA_KEY)
    assert (mixed.index_key, mixed.django_secret) == (generated.index_key, generated.django_secret)


def test_development_with_every_env_var_writes_no_file(key_env: None, tmp_path: Path) -> None:
    key_file = tmp_path / "dev-keys.json"
    assert load_keys(production=False, dev_key_file=key_file).data_key == bytes.fromhex(DATA_KEY)
    assert not key_file.exists()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DIGIGOV_DATA_KEY", "00" * 15),
        ("DIGIGOV_DATA_KEY", "00" * 32),
        ("DIGIGOV_INDEX_KEY", "00" * 16),
        ("DIGIGOV_INDEX_KEY", "00" * 33),
    ],
)
@pytest.mark.parametrize("production", [True, False])
def test_wrong_key_length_is_rejected(
    name: str, value: str, production: bool, key_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(MissingKeyError, match=name):
        load_keys(production=production, dev_key_file=tmp_path / "dev-keys.json")


def test_wrong_key_length_in_the_dev_file_is_rejected(tmp_path: Path) -> None:
    key_file = tmp_path / "dev-keys.json"
    load_keys(production=False, dev_key_file=key_file)
    content = json.loads(key_file.read_text())
    key_file.write_text(json.dumps(content | {"data_key": "00" * 8}))
    with pytest.raises(MissingKeyError, match="DIGIGOV_DATA_KEY"):
        load_keys(production=False, dev_key_file=key_file)


@pytest.mark.parametrize("production", [True, False])
def test_key_that_is_not_hex_is_rejected_naming_the_variable(
    production: bool, key_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DIGIGOV_INDEX_KEY", "z" * 64)
    with pytest.raises(MissingKeyError, match="DIGIGOV_INDEX_KEY"):
        load_keys(production=production, dev_key_file=tmp_path / "dev-keys.json")
