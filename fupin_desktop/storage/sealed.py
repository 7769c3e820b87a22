"""Sealing bytes with a code people can type (the 交接码 of a handover package): scrypt → AES-256-GCM.

Layout of a sealed blob: ``MAGIC`` (8 bytes) · scrypt ``n`` as 4 bytes big-endian · salt (16) · nonce (12) ·
ciphertext with the GCM tag. The header (magic, n, salt, nonce) is the associated data, so a changed header fails
like a wrong code. A wrong code and a damaged file cannot be told apart: both raise :class:`SealError`.
"""
from __future__ import annotations

import hashlib
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from fupin_desktop.storage.keyring import RECOVERY_ALPHABET, SCRYPT_P, SCRYPT_R, normalise_recovery_code

__all__ = ["seal", "unseal", "new_code", "normalise_code", "SealError", "MAGIC"]

MAGIC = b"FUPINHO1"
SCRYPT_N = 2 ** 15
_HEAD = len(MAGIC) + 4 + 16 + 12
CODE_CHARS = 20


class SealError(ValueError):
    """Wrong code, or not a sealed file / damaged."""


def new_code() -> str:
    """A one-time code: 20 characters of the recovery-key alphabet (no 0/O, 1/I/L) in groups of four."""
    return normalise_code("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(CODE_CHARS)))


def normalise_code(code: str) -> str:
    """Upper case, separators and spaces ignored, groups of four (what was typed → what was printed)."""
    return normalise_recovery_code(code or "")


def _key(code: str, salt: bytes, n: int) -> bytes:
    return hashlib.scrypt(normalise_code(code).encode("ascii", "ignore"), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P,
                          dklen=32, maxmem=128 * 1024 * 1024)


def seal(data: bytes, code: str, n: int = SCRYPT_N) -> bytes:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    head = MAGIC + n.to_bytes(4, "big") + salt + nonce
    return head + AESGCM(_key(code, salt, n)).encrypt(nonce, data, head)


def unseal(blob: bytes, code: str) -> bytes:
    if len(blob) < _HEAD + 16 or not blob.startswith(MAGIC):
        raise SealError("not a sealed file")
    n = int.from_bytes(blob[len(MAGIC):len(MAGIC) + 4], "big")
    if n < 2 ** 10 or n > 2 ** 20 or n & (n - 1):
        raise SealError("bad parameters")
    salt = blob[len(MAGIC) + 4:len(MAGIC) + 20]
    nonce = blob[len(MAGIC) + 20:_HEAD]
    try:
        return AESGCM(_key(code, salt, n)).decrypt(nonce, blob[_HEAD:], blob[:_HEAD])
    except InvalidTag:
        raise SealError("wrong code or damaged") from None
