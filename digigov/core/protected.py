"""Personal data at rest: SM4-GCM ciphertext plus a keyed SM3 blind index for exact-match lookups.

The purpose label (e.g. "citizen.id_number") is bound into both: as GCM associated data, so a ciphertext
copied into another column fails to decrypt, and into the index, so equal values in different columns
do not produce linkable index values.
"""

from __future__ import annotations

from django.conf import settings

from digigov.core.crypto import hmac_sm3, sm4_gcm_decrypt, sm4_gcm_encrypt


def seal(purpose: str, value: str) -> bytes:
    return sm4_gcm_encrypt(settings.PLATFORM_KEYS.data_key, value.encode(), aad=purpose.encode())


def unseal(purpose: str, blob: bytes) -> str:
    return sm4_gcm_decrypt(settings.PLATFORM_KEYS.data_key, bytes(blob), aad=purpose.encode()).decode()


def blind_index(purpose: str, value: str) -> str:
    return hmac_sm3(settings.PLATFORM_KEYS.index_key, f"{purpose}\x00{value}".encode()).hex()
