"""Known-answer vectors and cross-implementation checks for digigov.core.crypto (no Django needed).

The independent reference is snowland-smx (``pysmx``), a pure-Python SM2/SM3 implementation.
"""

from __future__ import annotations

import secrets

import pytest
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given, settings
from hypothesis import strategies as st
from pysmx import SM2 as ref_sm2  # type: ignore[import-untyped, unused-ignore]
from pysmx import SM3 as ref_sm3  # type: ignore[import-untyped, unused-ignore]
from tongsuopy.crypto import serialization as t_ser  # type: ignore[import-untyped, unused-ignore]
from tongsuopy.crypto.asymciphers import ec as t_ec  # type: ignore[import-untyped, unused-ignore]

from digigov.core import crypto
from digigov.core.crypto import CryptoError

KEY = bytes.fromhex("000102030405060708090a0b0c0d0e0f")
DEFAULT_UID = "1234567812345678"

# --- SM3 (GB/T 32905-2016, Appendix A) -----------------------------------------------------------------


def test_sm3_vector_abc() -> None:
    expected = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert crypto.sm3_hex(b"abc") == expected
    assert crypto.sm3_digest(b"abc") == bytes.fromhex(expected)


def test_sm3_vector_64_bytes() -> None:
    expected = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    assert crypto.sm3_hex(b"abcd" * 16) == expected


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=300))
def test_sm3_matches_pure_python_reference(data: bytes) -> None:
    assert crypto.sm3_hex(data) == ref_sm3.hexdigest(data)


# --- SM4 block cipher (GB/T 32907-2016, Appendix A), straight through cryptography's ECB ---------------

SM4_VECTOR_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")


def test_sm4_single_block_vector() -> None:
    encryptor = Cipher(algorithms.SM4(SM4_VECTOR_KEY), modes.ECB()).encryptor()  # noqa: S305 (test vector)
    assert encryptor.update(SM4_VECTOR_KEY).hex() == "681edf34d206965e86b3e94f536e4246"


def test_sm4_million_iterations_vector() -> None:
    """Encrypt the plaintext 1,000,000 times with the same key (about 0.4 s here)."""
    encryptor = Cipher(algorithms.SM4(SM4_VECTOR_KEY), modes.ECB()).encryptor()  # noqa: S305 (test vector)
    block = SM4_VECTOR_KEY
    for _ in range(1_000_000):
        block = encryptor.update(block)
    assert block.hex() == "595298c7c6fd271f0402f804c33d3f66"


# --- SM4-GCM -------------------------------------------------------------------------------------------


def test_sm4_gcm_round_trip_and_format() -> None:
    blob = crypto.sm4_gcm_encrypt(KEY, b"hello", aad=b"citizen.id_number")
    assert blob[0] == 1
    assert len(blob) == 1 + 12 + 5 + 16
    assert crypto.sm4_gcm_decrypt(KEY, blob, aad=b"citizen.id_number") == b"hello"


def test_sm4_gcm_is_standard_gcm_after_the_version_byte() -> None:
    blob = crypto.sm4_gcm_encrypt(KEY, b"interop", aad=b"a")
    nonce, body, tag = blob[1:13], blob[13:-16], blob[-16:]
    decryptor = Cipher(algorithms.SM4(KEY), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(b"a")
    assert decryptor.update(body) + decryptor.finalize() == b"interop"


def test_sm4_gcm_empty_plaintext() -> None:
    assert crypto.sm4_gcm_decrypt(KEY, crypto.sm4_gcm_encrypt(KEY, b"")) == b""


def test_sm4_gcm_nonce_is_fresh() -> None:
    blobs = {crypto.sm4_gcm_encrypt(KEY, b"same") for _ in range(50)}
    assert len(blobs) == 50


@pytest.mark.parametrize(
    "index",
    [0, 1, 12, 13, 20, -17, -16, -1],
    ids=["version", "nonce-first", "nonce-last", "ct-first", "ct-middle", "ct-last", "tag-first", "tag-last"],
)
def test_sm4_gcm_detects_tampering(index: int) -> None:
    blob = bytearray(crypto.sm4_gcm_encrypt(KEY, b"0123456789abcdefghij", aad=b"x"))
    blob[index] ^= 0x01
    with pytest.raises(CryptoError):
        crypto.sm4_gcm_decrypt(KEY, bytes(blob), aad=b"x")


def test_sm4_gcm_detects_truncation_and_extension() -> None:
    blob = crypto.sm4_gcm_encrypt(KEY, b"payload")
    for bad in (blob[:-1], blob + b"\x00", blob[:28], b"", b"\x01"):
        with pytest.raises(CryptoError):
            crypto.sm4_gcm_decrypt(KEY, bad)


def test_sm4_gcm_wrong_aad() -> None:
    blob = crypto.sm4_gcm_encrypt(KEY, b"secret", aad=b"citizen.name")
    with pytest.raises(CryptoError):
        crypto.sm4_gcm_decrypt(KEY, blob, aad=b"citizen.phone")
    with pytest.raises(CryptoError):
        crypto.sm4_gcm_decrypt(KEY, blob)


def test_sm4_gcm_wrong_key() -> None:
    blob = crypto.sm4_gcm_encrypt(KEY, b"secret")
    with pytest.raises(CryptoError):
        crypto.sm4_gcm_decrypt(bytes(16), blob)


def test_sm4_gcm_bad_version_byte() -> None:
    blob = crypto.sm4_gcm_encrypt(KEY, b"secret")
    for version in (0x00, 0x02, 0xFF):
        with pytest.raises(CryptoError):
            crypto.sm4_gcm_decrypt(KEY, bytes([version]) + blob[1:])


@pytest.mark.parametrize("length", [0, 15, 17, 24, 32])
def test_sm4_gcm_wrong_key_length(length: int) -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        crypto.sm4_gcm_encrypt(bytes(length), b"x")
    with pytest.raises(ValueError, match="16 bytes"):
        crypto.sm4_gcm_decrypt(bytes(length), crypto.sm4_gcm_encrypt(KEY, b"x"))


@settings(max_examples=200, deadline=None)
@given(
    key=st.binary(min_size=16, max_size=16),
    plaintext=st.binary(max_size=4096),
    aad=st.binary(max_size=512),
)
def test_sm4_gcm_round_trip_property(key: bytes, plaintext: bytes, aad: bytes) -> None:
    blob = crypto.sm4_gcm_encrypt(key, plaintext, aad=aad)
    assert len(blob) == 29 + len(plaintext)
    assert crypto.sm4_gcm_decrypt(key, blob, aad=aad) == plaintext


# --- HMAC-SM3, against RFC 2104 built by hand on the pure-Python SM3 -----------------------------------


def _reference_hmac_sm3(key: bytes, data: bytes) -> bytes:
    block = 64
    if len(key) > block:
        key = ref_sm3.digest(key)
    key = key.ljust(block, b"\x00")
    inner = ref_sm3.digest(bytes(b ^ 0x36 for b in key) + data)
    outer: bytes = ref_sm3.digest(bytes(b ^ 0x5C for b in key) + inner)
    return outer


@pytest.mark.parametrize("key_length", [0, 1, 16, 32, 63, 64, 65, 200])
@pytest.mark.parametrize("data", [b"", b"citizen.id_number\x00110101199003074514", bytes(range(256)) * 3])
def test_hmac_sm3_matches_rfc2104_reference(key_length: int, data: bytes) -> None:
    key = bytes((7 * i + 3) % 256 for i in range(key_length))
    mac = crypto.hmac_sm3(key, data)
    assert len(mac) == 32
    assert mac == _reference_hmac_sm3(key, data)


# --- SM2 -----------------------------------------------------------------------------------------------

# GB/T 32918.2-2016 example key on the recommended curve, and the signature of "message digest" with
# k = 59276E27...; the same values are pinned in snowland-smx's test suite against gmssl.
STD_PUBLIC_XY = (
    "09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020"
    "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13"
)
STD_MESSAGE = b"message digest"
STD_R = 0xF5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3
STD_S = 0xB1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA


def _rs_bytes(der: bytes) -> bytes:
    r, s = decode_dss_signature(der)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def _der(rs: bytes) -> bytes:
    return encode_dss_signature(int.from_bytes(rs[:32], "big"), int.from_bytes(rs[32:], "big"))


def _shared_key_pair() -> tuple[crypto.Sm2PrivateKey, str, str]:
    """A key pair drawn by pysmx, imported into our module through PKCS#8 PEM made by tongsuopy."""
    public_xy, private_d = ref_sm2.generate_keypair(64)
    tongsuo_key = t_ec.derive_private_key(int.from_bytes(private_d, "big"), t_ec.SM2())
    pem = tongsuo_key.private_bytes(t_ser.Encoding.PEM, t_ser.PrivateFormat.PKCS8, t_ser.NoEncryption())
    return crypto.sm2_private_key_from_pem(pem), public_xy.hex(), private_d.hex()


def _ref_nonce() -> str:
    return f"{secrets.randbelow(ref_sm2.sm2_N - 1) + 1:064x}"


def test_sm2_verifies_the_standard_example_signature() -> None:
    public = crypto.sm2_public_key_from_raw_hex(STD_PUBLIC_XY)
    signature = encode_dss_signature(STD_R, STD_S)
    assert crypto.sm2_verify(public, STD_MESSAGE, signature)
    assert not crypto.sm2_verify(public, b"message digesT", signature)


def test_sm2_za_uses_the_default_user_id() -> None:
    """The finding documented in crypto.py: tongsuopy signs SM3(Z_A || M) with ID 1234567812345678."""
    private, public_xy, _ = _shared_key_pair()
    rs = _rs_bytes(crypto.sm2_sign(private, STD_MESSAGE))
    assert ref_sm2.Verify(rs, STD_MESSAGE, public_xy, 64, uid=DEFAULT_UID)
    assert not ref_sm2.Verify(rs, STD_MESSAGE, public_xy, 64, uid="")
    bare_e = crypto.sm3_hex(STD_MESSAGE)
    assert not ref_sm2.Verify(rs, bare_e, public_xy, 64, Hexstr=1)


@pytest.mark.parametrize("message", [b"", b"x", STD_MESSAGE, "申请材料".encode() * 100])
def test_sm2_ours_sign_reference_verifies(message: bytes) -> None:
    private, public_xy, _ = _shared_key_pair()
    assert crypto.sm2_public_key_raw_hex(private.public_key()) == "04" + public_xy
    for _ in range(3):
        rs = _rs_bytes(crypto.sm2_sign(private, message))
        assert ref_sm2.Verify(rs, message, public_xy, 64, uid=DEFAULT_UID)


@pytest.mark.parametrize("message", [b"", b"x", STD_MESSAGE, "申请材料".encode() * 100])
def test_sm2_reference_sign_ours_verifies(message: bytes) -> None:
    private, public_xy, private_d = _shared_key_pair()
    for public in (private.public_key(), crypto.sm2_public_key_from_raw_hex(public_xy)):
        for _ in range(3):
            rs = ref_sm2.Sign(message, private_d, _ref_nonce(), 64, uid=DEFAULT_UID)
            assert crypto.sm2_verify(public, message, _der(rs))


def test_sm2_sign_verify_and_randomised() -> None:
    private = crypto.sm2_generate_private_key()
    first, second = crypto.sm2_sign(private, b"doc"), crypto.sm2_sign(private, b"doc")
    assert first != second
    assert crypto.sm2_verify(private.public_key(), b"doc", first)
    assert crypto.sm2_verify(private.public_key(), b"doc", second)


def test_sm2_tampered_message_fails() -> None:
    private = crypto.sm2_generate_private_key()
    signature = crypto.sm2_sign(private, b"approve case 42")
    assert not crypto.sm2_verify(private.public_key(), b"approve case 43", signature)
    assert not crypto.sm2_verify(private.public_key(), b"approve case 42 ", signature)


def test_sm2_tampered_signature_fails() -> None:
    private = crypto.sm2_generate_private_key()
    signature = crypto.sm2_sign(private, b"doc")
    for index in range(len(signature)):
        for flip in (0x01, 0x80):
            bad = bytearray(signature)
            bad[index] ^= flip
            assert not crypto.sm2_verify(private.public_key(), b"doc", bytes(bad)), (index, flip)


@pytest.mark.parametrize("garbage", [b"", b"junk", b"\x30\x00", b"\x30\x06\x02\x01\x00\x02\x01\x00", bytes(72)])
def test_sm2_malformed_signature_is_false_not_an_exception(garbage: bytes) -> None:
    private = crypto.sm2_generate_private_key()
    assert not crypto.sm2_verify(private.public_key(), b"doc", garbage)
    signature = crypto.sm2_sign(private, b"doc")
    assert not crypto.sm2_verify(private.public_key(), b"doc", signature + b"\x00")
    assert crypto.sm2_verify(private.public_key(), b"doc", signature)  # error queue left clean


def test_sm2_wrong_public_key_fails() -> None:
    signature = crypto.sm2_sign(crypto.sm2_generate_private_key(), b"doc")
    assert not crypto.sm2_verify(crypto.sm2_generate_private_key().public_key(), b"doc", signature)


def test_sm2_pem_round_trip() -> None:
    private = crypto.sm2_generate_private_key()
    private_pem = crypto.sm2_private_key_to_pem(private)
    public_pem = crypto.sm2_public_key_to_pem(private.public_key())
    assert private_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public_pem.startswith(b"-----BEGIN PUBLIC KEY-----")
    loaded_private = crypto.sm2_private_key_from_pem(private_pem)
    loaded_public = crypto.sm2_public_key_from_pem(public_pem)
    assert loaded_public == private.public_key() == loaded_private.public_key()
    assert crypto.sm2_verify(private.public_key(), b"doc", crypto.sm2_sign(loaded_private, b"doc"))
    assert crypto.sm2_verify(loaded_public, b"doc", crypto.sm2_sign(private, b"doc"))
    assert crypto.sm2_private_key_to_pem(loaded_private) == private_pem


def test_sm2_raw_hex_round_trip() -> None:
    public = crypto.sm2_generate_private_key().public_key()
    raw = crypto.sm2_public_key_raw_hex(public)
    assert len(raw) == 130
    assert raw.startswith("04")
    assert crypto.sm2_public_key_from_raw_hex(raw) == public
    assert crypto.sm2_public_key_from_raw_hex(raw[2:]) == public


def test_sm2_rejects_bad_key_material() -> None:
    private = crypto.sm2_generate_private_key()
    public_pem = crypto.sm2_public_key_to_pem(private.public_key())
    raw = crypto.sm2_public_key_raw_hex(private.public_key())
    off_curve = raw[:-1] + ("0" if raw[-1] != "0" else "1")
    for bad_pem in (b"", b"junk", public_pem):
        with pytest.raises(CryptoError):
            crypto.sm2_private_key_from_pem(bad_pem)
    with pytest.raises(CryptoError):
        crypto.sm2_public_key_from_pem(crypto.sm2_private_key_to_pem(private))
    for bad_hex in ("", "zz", raw[:-2], "02" + raw[2:66], off_curve):
        with pytest.raises(CryptoError):
            crypto.sm2_public_key_from_raw_hex(bad_hex)


def test_sm2_rejects_keys_on_other_curves() -> None:
    from cryptography.hazmat.primitives import serialization as c_ser
    from cryptography.hazmat.primitives.asymmetric import ec as c_ec

    p256 = c_ec.generate_private_key(c_ec.SECP256R1())
    private_pem = p256.private_bytes(c_ser.Encoding.PEM, c_ser.PrivateFormat.PKCS8, c_ser.NoEncryption())
    public_pem = p256.public_key().public_bytes(c_ser.Encoding.PEM, c_ser.PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(CryptoError):
        crypto.sm2_private_key_from_pem(private_pem)
    with pytest.raises(CryptoError):
        crypto.sm2_public_key_from_pem(public_pem)


def test_sm2_private_key_repr_shows_no_secret() -> None:
    private = crypto.sm2_generate_private_key()
    assert "Sm2PrivateKey(public=Sm2PublicKey(04" in repr(private)
