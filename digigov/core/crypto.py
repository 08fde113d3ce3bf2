"""National (GM/T) cryptography behind one small interface: SM3 hashing, HMAC-SM3, SM4-GCM, SM2 signatures.

Why these libraries:

* SM3 and SM4 come from OpenSSL through ``cryptography`` (``hashes.SM3``, ``algorithms.SM4``): the same
  audited native code that backs the rest of the stack, with SM4-GCM as a standard AEAD.
* SM2 comes from ``tongsuopy`` (Python bindings for Tongsuo, the OpenSSL fork with native SM2):
  ``cryptography`` does not expose the SM2 curve, and the pure-Python implementations are two orders of
  magnitude slower. Its signing nonce comes from Tongsuo's CSPRNG.
* Never ``gmssl`` for signing: its SM2 nonce comes from Python's ``random`` module (Mersenne Twister,
  predictable), and a predictable nonce gives away the private key. ``snowland-smx`` (``pysmx``) is used
  only by the tests, as an independent pure-Python reference.

Z_A finding (tongsuopy 1.0.1, bundling Tongsuo/BabaSSL 8.3.2): ``key.sign(data, ECDSA(SM3()))`` on an SM2
key signs e = SM3(Z_A || M), Z_A being the GB/T 32918.2 user digest computed with the default user ID
"1234567812345678". Signatures verify in snowland-smx's Z_A mode with that ID, and fail both with an
empty ID and as a bare SM3(M) (see ``test_crypto.py``). So no manual prehashing is needed, and none is
possible: tongsuopy 1.0.1 rejects ``Prehashed`` for signing, and exposes no way to set another user ID,
so only the default ID is supported.

SM4-GCM blob format: 0x01 (version) || 12-byte random nonce || ciphertext || 16-byte tag. The part after
the version byte is plain SM4-GCM with the caller's associated data, so other SM4-GCM implementations
can read it. Random 96-bit nonces: rotate a key well before 2**32 encryptions.
"""

from __future__ import annotations

import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes as c_hashes
from cryptography.hazmat.primitives import hmac as c_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from tongsuopy.crypto import hashes as t_hashes  # type: ignore[import-untyped, unused-ignore]
from tongsuopy.crypto import serialization as t_ser  # type: ignore[import-untyped, unused-ignore]
from tongsuopy.crypto.asymciphers import ec  # type: ignore[import-untyped, unused-ignore]
from tongsuopy.crypto.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    InternalError,
    InvalidSignature,
    UnsupportedAlgorithm,
)

__all__ = [
    "SM2_DEFAULT_USER_ID",
    "SM4_KEY_BYTES",
    "CryptoError",
    "Sm2PrivateKey",
    "Sm2PublicKey",
    "hmac_sm3",
    "sm2_generate_private_key",
    "sm2_private_key_from_pem",
    "sm2_private_key_to_pem",
    "sm2_public_key_from_pem",
    "sm2_public_key_from_raw_hex",
    "sm2_public_key_raw_hex",
    "sm2_public_key_to_pem",
    "sm2_sign",
    "sm2_verify",
    "sm3_digest",
    "sm3_hex",
    "sm4_gcm_decrypt",
    "sm4_gcm_encrypt",
]

SM4_KEY_BYTES = 16
SM2_DEFAULT_USER_ID = b"1234567812345678"  # what Tongsuo puts into Z_A; informational, not configurable

_GCM_VERSION = b"\x01"
_GCM_NONCE_BYTES = 12
_GCM_TAG_BYTES = 16
_GCM_MIN_BLOB = len(_GCM_VERSION) + _GCM_NONCE_BYTES + _GCM_TAG_BYTES
_SM2_SIGNATURE = ec.ECDSA(t_hashes.SM3())  # SM2 signature with SM3 over Z_A || M (see module docstring)


class CryptoError(Exception):
    """Ciphertext or key material failed to authenticate or parse."""


# --- SM3 -----------------------------------------------------------------------------------------------


def sm3_digest(data: bytes) -> bytes:
    """SM3 (GB/T 32905) digest, 32 bytes."""
    digest = c_hashes.Hash(c_hashes.SM3())
    digest.update(data)
    return digest.finalize()


def sm3_hex(data: bytes) -> str:
    """SM3 digest as 64 lowercase hex characters."""
    return sm3_digest(data).hex()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    """HMAC (RFC 2104) over SM3, 32 bytes. Compare tags with ``hmac.compare_digest``."""
    mac = c_hmac.HMAC(key, c_hashes.SM3())
    mac.update(data)
    return mac.finalize()


# --- SM4-GCM -------------------------------------------------------------------------------------------


def _check_sm4_key(key: bytes) -> None:
    if len(key) != SM4_KEY_BYTES:
        raise ValueError(f"SM4 key must be {SM4_KEY_BYTES} bytes, got {len(key)}")


def sm4_gcm_encrypt(key: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    """Encrypt and authenticate: 0x01 || nonce(12) || ciphertext || tag(16). ``aad`` is bound, not stored."""
    _check_sm4_key(key)
    nonce = os.urandom(_GCM_NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    return _GCM_VERSION + nonce + ciphertext + encryptor.tag


def sm4_gcm_decrypt(key: bytes, blob: bytes, aad: bytes = b"") -> bytes:
    """Inverse of ``sm4_gcm_encrypt``. Raises CryptoError on tampering, wrong key or aad, or bad format."""
    _check_sm4_key(key)
    if len(blob) < _GCM_MIN_BLOB or blob[:1] != _GCM_VERSION:
        raise CryptoError("not an SM4-GCM blob of a supported version")
    nonce = blob[1 : 1 + _GCM_NONCE_BYTES]
    ciphertext, tag = blob[1 + _GCM_NONCE_BYTES : -_GCM_TAG_BYTES], blob[-_GCM_TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    try:
        return decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag as exc:
        raise CryptoError("SM4-GCM authentication failed") from exc


# --- SM2 -----------------------------------------------------------------------------------------------


class Sm2PublicKey:
    """An SM2 public key (opaque; wraps a tongsuopy key). Equal when the curve points are equal."""

    __slots__ = ("_key",)

    def __init__(self, key: Any) -> None:
        self._key = key

    def raw(self) -> bytes:
        """Uncompressed point 04 || x || y (65 bytes)."""
        encoded: bytes = self._key.public_bytes(t_ser.Encoding.X962, t_ser.PublicFormat.UncompressedPoint)
        return bytes(encoded)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sm2PublicKey) and self.raw() == other.raw()

    def __hash__(self) -> int:
        return hash(self.raw())

    def __repr__(self) -> str:
        return f"Sm2PublicKey({self.raw().hex()[:18]}…)"


class Sm2PrivateKey:
    """An SM2 private key (opaque; wraps a tongsuopy key)."""

    __slots__ = ("_key",)

    def __init__(self, key: Any) -> None:
        self._key = key

    def public_key(self) -> Sm2PublicKey:
        return Sm2PublicKey(self._key.public_key())

    def __repr__(self) -> str:
        return f"Sm2PrivateKey(public={self.public_key()!r})"


def sm2_generate_private_key() -> Sm2PrivateKey:
    return Sm2PrivateKey(ec.generate_private_key(ec.SM2()))


def _require_sm2(key: Any, kind: Any) -> None:
    if not isinstance(key, kind) or key.curve.name != ec.SM2.name:
        raise CryptoError("not an SM2 key")


def sm2_private_key_to_pem(key: Sm2PrivateKey) -> bytes:
    """Unencrypted PKCS#8 PEM (protect it at rest, e.g. with ``sm4_gcm_encrypt``)."""
    pem: bytes = key._key.private_bytes(t_ser.Encoding.PEM, t_ser.PrivateFormat.PKCS8, t_ser.NoEncryption())
    return bytes(pem)


def sm2_private_key_from_pem(pem: bytes) -> Sm2PrivateKey:
    """Load an unencrypted PKCS#8 or SEC1 PEM SM2 private key; CryptoError if it is anything else."""
    try:
        key = t_ser.load_pem_private_key(pem, None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise CryptoError("not an unencrypted SM2 private key PEM") from exc
    _require_sm2(key, ec.EllipticCurvePrivateKey)
    return Sm2PrivateKey(key)


def sm2_public_key_to_pem(key: Sm2PublicKey) -> bytes:
    """SubjectPublicKeyInfo PEM."""
    pem: bytes = key._key.public_bytes(t_ser.Encoding.PEM, t_ser.PublicFormat.SubjectPublicKeyInfo)
    return bytes(pem)


def sm2_public_key_from_pem(pem: bytes) -> Sm2PublicKey:
    """Load a SubjectPublicKeyInfo PEM SM2 public key; CryptoError if it is anything else."""
    try:
        key = t_ser.load_pem_public_key(pem)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise CryptoError("not an SM2 public key PEM") from exc
    _require_sm2(key, ec.EllipticCurvePublicKey)
    return Sm2PublicKey(key)


def sm2_public_key_raw_hex(key: Sm2PublicKey) -> str:
    """Uncompressed point as hex: "04" + x + y, 130 lowercase hex characters."""
    return key.raw().hex()


def sm2_public_key_from_raw_hex(raw_hex: str) -> Sm2PublicKey:
    """Inverse of ``sm2_public_key_raw_hex``; also takes the bare x || y (128 hex) used by gmssl/pysmx."""
    try:
        raw = bytes.fromhex(raw_hex)
        if len(raw) == 64:
            raw = b"\x04" + raw
        if len(raw) != 65 or raw[0] != 4:
            raise ValueError("expected an uncompressed point")
        return Sm2PublicKey(ec.EllipticCurvePublicKey.from_encoded_point(ec.SM2(), raw))
    except ValueError as exc:  # includes points that are not on the curve
        raise CryptoError("not an SM2 public key point") from exc


def sm2_sign(private_key: Sm2PrivateKey, data: bytes) -> bytes:
    """SM2 signature (DER SEQUENCE of r, s) over SM3(Z_A || data), default user ID. Randomised."""
    signature: bytes = private_key._key.sign(data, _SM2_SIGNATURE)
    return bytes(signature)


def sm2_verify(public_key: Sm2PublicKey, data: bytes, signature: bytes) -> bool:
    """True only for a valid signature; False (never an exception) for a wrong or malformed one."""
    try:
        public_key._key.verify(signature, data, _SM2_SIGNATURE)
    except InvalidSignature:
        return False
    except InternalError:  # Tongsuo's answer to a signature that is not well-formed DER
        return False
    return True
