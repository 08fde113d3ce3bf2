"""Model files under ``settings.HOTLINE_MODEL_DIR``: written once, read only if their SM3 digest matches.

A model file is a joblib pickle, and unpickling runs code: the digest recorded in the database when the
version was published is checked on the raw bytes *before* anything is unpickled, so a file swapped or
altered on disk is refused instead of executed. Loaded routers are cached in this process per version.
"""

from __future__ import annotations

import io
import os
import tempfile
import threading
from pathlib import Path

import joblib
from django.conf import settings

from digigov.core.crypto import sm3_hex
from digigov.hotline.routing.model import FORMAT_VERSION, Router, RoutingModel


class ModelFileError(Exception):
    """A model file that is missing, altered (digest mismatch) or not a routing model."""


CACHED_VERSIONS = 3
_cache: dict[int, tuple[str, Router]] = {}
_cache_lock = threading.Lock()


def model_dir() -> Path:
    return Path(settings.HOTLINE_MODEL_DIR)


def model_bytes(model: RoutingModel) -> bytes:
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    return buffer.getvalue()


def write_model_file(data: bytes, file_name: str) -> Path:
    """Write atomically (temporary file, then rename): a reader never sees half a model."""
    if Path(file_name).name != file_name or file_name.startswith("."):
        raise ModelFileError(f"invalid model file name: {file_name!r}")
    directory = model_dir()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / file_name
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".joblib")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def read_model_file(file_name: str, digest: str) -> RoutingModel:
    """The model in ``file_name``, refused unless its bytes hash to ``digest`` (SM3, hex)."""
    path = model_dir() / Path(file_name).name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelFileError(f"model file unreadable: {path}") from exc
    if sm3_hex(data) != digest.lower():
        raise ModelFileError(f"model file {path.name} does not match its recorded SM3 digest: refused")
    model = joblib.load(io.BytesIO(data))  # trusted: the bytes are the ones recorded at publication
    if not isinstance(model, RoutingModel) or getattr(model, "format_version", None) != FORMAT_VERSION:
        raise ModelFileError(f"model file {path.name} is not a routing model of format {FORMAT_VERSION}")
    return model


def load_router(version: int, file_name: str, digest: str) -> Router:
    """The router of a model version, loaded once per process (cache keyed by version, checked by digest)."""
    with _cache_lock:
        cached = _cache.get(version)
        if cached is not None and cached[0] == digest:
            return cached[1]
    router = Router(read_model_file(file_name, digest), version=version)
    with _cache_lock:
        # A long-running process keeps the few loaded last (by load order, so a rolled-back older version stays).
        _cache.pop(version, None)
        _cache[version] = (digest, router)
        while len(_cache) > CACHED_VERSIONS:
            del _cache[next(iter(_cache))]
    return router


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
