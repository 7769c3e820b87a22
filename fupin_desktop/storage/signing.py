"""Signing what leaves the laptop, in one place: an Ed25519 key per installation, and pinning senders' keys.

The private key is made on first use and kept in the ``installation`` row of the database, i.e. inside the
encrypted store (SQLCipher, once an administrator exists), never in a file beside it. The receiver pins a sender's
public key the first time it merges one of its packages (trust on first use, the fingerprint is shown) and refuses a
later package that claims the same installation but is signed with another key.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select, update

from fupin_desktop.domain.errors import FupinError
from fupin_desktop.storage import versions
from fupin_desktop.storage.models import Installation, SenderKey, utcnow

__all__ = ["SignatureError", "Signer", "signer", "verify", "fingerprint", "pin_or_check", "PinResult"]


class SignatureError(FupinError):
    """A package whose signature does not hold, or signed with another key than the one pinned (Chinese message)."""


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def fingerprint(public_key_b64: str) -> str:
    """What people compare by phone: the first 16 bytes of SHA-256 of the raw key, in groups of four hex digits."""
    digest = hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:32].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True)
class Signer:
    installation_id: str
    public_key: str  # base64 of the 32 raw bytes
    _private: Ed25519PrivateKey

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def sign(self, data: bytes) -> str:
        return _b64(self._private.sign(data))


def signer(conn_or_session) -> Signer:
    """This installation's signing key (made and stored on first use, inside the caller's transaction)."""
    info = versions.installation(conn_or_session)
    seed = conn_or_session.execute(select(Installation.signing_key).where(Installation.id == info.id)).scalar()
    if seed:
        private = Ed25519PrivateKey.from_private_bytes(base64.b64decode(seed))
    else:
        private = Ed25519PrivateKey.generate()
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        conn_or_session.execute(update(Installation).where(Installation.id == info.id).values(signing_key=_b64(raw)))
    public = _b64(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    return Signer(info.id, public, private)


def verify(public_key_b64: str, signature_b64: str, data: bytes) -> None:
    """Raises SignatureError unless ``signature`` is ``public_key``'s signature of ``data``."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64, validate=True))
        key.verify(base64.b64decode(signature_b64, validate=True), data)
    except (InvalidSignature, ValueError, TypeError):
        raise SignatureError("同步包的签名不对：文件在生成之后被改动过，或不是本程序生成的。没有合并任何数据。") from None


@dataclass(frozen=True)
class PinResult:
    fingerprint: str
    first_time: bool  # pinned now (the report shows the fingerprint for people to compare)


def pin_or_check(conn_or_session, installation_id: str, public_key_b64: str, village: str | None,
                 *, pin: bool = True) -> PinResult:
    """Pin a sender's key on first sight; refuse (SignatureError) a different key for a known installation."""
    row = conn_or_session.execute(select(SenderKey.public_key, SenderKey.fingerprint, SenderKey.village)
                                  .where(SenderKey.installation_id == installation_id)).first()
    if row is None:
        if pin:
            conn_or_session.execute(SenderKey.__table__.insert().values(
                installation_id=installation_id, public_key=public_key_b64, fingerprint=fingerprint(public_key_b64),
                village=village, pinned_at=utcnow()))
        return PinResult(fingerprint(public_key_b64), True)
    if row.public_key != public_key_b64:
        raise SignatureError(
            f"这个同步包自称来自“{row.village or village or '未知'}”的电脑，但签名用的密钥与第一次合并时记下的不同"
            f"（记下的指纹 {row.fingerprint}，这次 {fingerprint(public_key_b64)}）。可能是伪造的，没有合并任何数据。"
            "如果对方确实重装了程序，请核对新指纹后由管理员删除旧的记录再合并。")
    return PinResult(row.fingerprint, False)
