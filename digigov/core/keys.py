"""Where the platform's secrets come from.

Production takes every key from the environment and refuses to start without them. Development generates
keys on first run into ``var/dev-keys.json`` (outside git, mode 0600) so ``make run`` works on a fresh
machine without a secret ever entering the repository.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path


class MissingKeyError(RuntimeError):
    """A production key is not set in the environment."""


@dataclass(frozen=True)
class PlatformKeys:
    django_secret: str
    data_key: bytes  # SM4 key (16 bytes) for personal data at rest
    index_key: bytes  # HMAC-SM3 key (32 bytes) for blind indexes of encrypted values


ENV_NAMES = {
    "django_secret": "DIGIGOV_SECRET_KEY",
    "data_key": "DIGIGOV_DATA_KEY",
    "index_key": "DIGIGOV_INDEX_KEY",
}
KEY_BYTES = {"data_key": 16, "index_key": 32}


def _generate() -> dict[str, str]:
    return {
        "django_secret": secrets.token_urlsafe(50),
        "data_key": secrets.token_hex(KEY_BYTES["data_key"]),
        "index_key": secrets.token_hex(KEY_BYTES["index_key"]),
    }


def _dev_keys(path: Path) -> dict[str, str]:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(_generate(), handle)
    loaded: dict[str, str] = json.loads(path.read_text())
    return loaded


def _decode(name: str, value: str) -> bytes:
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raw = b""
    if len(raw) != KEY_BYTES[name]:
        raise MissingKeyError(f"{ENV_NAMES[name]} must be {KEY_BYTES[name]} bytes of hex")
    return raw


def load_keys(*, production: bool, dev_key_file: Path) -> PlatformKeys:
    """Keys from the environment; in development, missing ones come from the generated key file."""
    values = {name: os.environ.get(env, "") for name, env in ENV_NAMES.items()}
    missing = [ENV_NAMES[name] for name, value in values.items() if not value]
    if missing and production:
        raise MissingKeyError("production needs these environment variables: " + ", ".join(missing))
    if missing:
        generated = _dev_keys(dev_key_file)
        values = {name: value or generated[name] for name, value in values.items()}
    return PlatformKeys(
        django_secret=values["django_secret"],
        data_key=_decode("data_key", values["data_key"]),
        index_key=_decode("index_key", values["index_key"]),
    )
