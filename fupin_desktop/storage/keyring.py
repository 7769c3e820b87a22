"""The database key and the per-user wrappings that open it (encryption at rest with SQLCipher).

A random 256-bit data key encrypts the database. It is never stored in clear: for each user it is wrapped with a
key-encryption key derived from that user's password by scrypt (memory-hard, stdlib), and once more with a
recovery key printed at set-up for the township to keep. The wrappings live in ``keys.json`` next to the database
(they cannot live inside it: the database cannot be read before it is opened).

Wrapping is ``data_key XOR scrypt(password, fresh salt)`` plus an HMAC check value: each pad is pseudo-random and
used for exactly one 32-byte secret, so this is a one-time pad; the check tells a wrong password from a right one
without revealing anything. Failed attempts and lock-out times are kept here too, because they must work before
the database is open.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from fupin_desktop.domain.errors import FupinError
from fupin_desktop.fileio import write_text_atomic

KEYRING_FILE = "keys.json"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 15, 8, 1  # ~32 MiB and ~0.1 s per attempt on this machine
LOCKOUT_AFTER = 5
LOCKOUT_BASE_SECONDS = 30
LOCKOUT_MAX_SECONDS = 15 * 60
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: it is typed from paper


class KeyringError(FupinError):
    """Wrong password, unknown user, or lock-out (message in Chinese)."""


@dataclass(frozen=True)
class Wrapped:
    salt: str
    wrapped: str
    check: str
    n: int = SCRYPT_N


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _unb64(s: str) -> bytes:
    return base64.b64decode(s.encode("ascii"))


def _kek(secret: str, salt: bytes, n: int) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, dklen=64,
                          maxmem=128 * 1024 * 1024)


def wrap(data_key: bytes, secret: str, n: int = SCRYPT_N) -> Wrapped:
    salt = secrets.token_bytes(16)
    k = _kek(secret, salt, n)
    pad, mac_key = k[:32], k[32:]
    wrapped = bytes(a ^ b for a, b in zip(data_key, pad))
    check = hmac.new(mac_key, b"fupin-check" + wrapped, hashlib.sha256).digest()
    return Wrapped(_b64(salt), _b64(wrapped), _b64(check), n)


def unwrap(w: Wrapped, secret: str) -> bytes | None:
    k = _kek(secret, _unb64(w.salt), w.n)
    pad, mac_key = k[:32], k[32:]
    wrapped = _unb64(w.wrapped)
    expected = hmac.new(mac_key, b"fupin-check" + wrapped, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, _unb64(w.check)):
        return None
    return bytes(a ^ b for a, b in zip(wrapped, pad))


def new_data_key() -> bytes:
    return secrets.token_bytes(32)


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(24))
    return "-".join(raw[i:i + 4] for i in range(0, 24, 4))


def normalise_recovery_code(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


class Keyring:
    """``keys.json``: {"users": {username: {...wrapping, failed, locked_until}}, "recovery": {...}}."""

    def __init__(self, folder: Path, clock=time.time):
        self.path = Path(folder) / KEYRING_FILE
        self.clock = clock

    @property
    def data(self) -> dict:
        # Read afresh each time: several objects (login screen, user admin) share the file, and it is tiny.
        if not hasattr(self, "_cache") or self._cache_mtime != self._mtime():
            self._cache = (json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists()
                           else {"version": 1, "users": {}, "recovery": None})
            self._cache_mtime = self._mtime()
        return self._cache

    def _mtime(self) -> int | None:
        try:
            return self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return None

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def save(self) -> None:
        write_text_atomic(self.path, json.dumps(self.data, ensure_ascii=False, indent=1))
        self._cache_mtime = self._mtime()

    def usernames(self) -> list[str]:
        return sorted(self.data["users"])

    def set_user(self, username: str, data_key: bytes, password: str, n: int = SCRYPT_N) -> None:
        w = wrap(data_key, password, n)
        self.data["users"][username] = {**w.__dict__, "failed": 0, "locked_until": 0}
        self.save()

    def remove_user(self, username: str) -> None:
        self.data["users"].pop(username, None)
        self.save()

    def set_recovery(self, data_key: bytes, code: str, n: int = SCRYPT_N) -> None:
        self.data["recovery"] = wrap(data_key, normalise_recovery_code(code), n).__dict__
        self.save()

    def locked_for(self, username: str) -> int:
        """Seconds until ``username`` may try again (0 = now)."""
        entry = self.data["users"].get(username)
        if not entry:
            return 0
        return max(0, int(entry.get("locked_until", 0) - self.clock() + 0.999))

    def open(self, username: str, password: str) -> bytes:
        """The data key for a correct password. Raises KeyringError (Chinese) otherwise; repeated failures lock the
        user out for a growing delay."""
        entry = self.data["users"].get(username)
        if entry is None:
            raise KeyringError("用户名或密码不对")
        wait = self.locked_for(username)
        if wait:
            raise KeyringError(f"密码错误次数太多，请 {wait} 秒后再试")
        w = Wrapped(entry["salt"], entry["wrapped"], entry["check"], entry.get("n", SCRYPT_N))
        key = unwrap(w, password)
        if key is None:
            entry["failed"] = entry.get("failed", 0) + 1
            # kept here until the next successful login writes them into the (then open) audit trail
            entry["failed_log"] = (entry.get("failed_log", []) + [self.clock()])[-50:]
            if entry["failed"] >= LOCKOUT_AFTER:
                delay = min(LOCKOUT_MAX_SECONDS, LOCKOUT_BASE_SECONDS * 2 ** (entry["failed"] - LOCKOUT_AFTER))
                entry["locked_until"] = self.clock() + delay
            self.save()
            left = LOCKOUT_AFTER - entry["failed"]
            raise KeyringError("用户名或密码不对" + (f"（再错 {left} 次将暂时锁定）" if left > 0 else ""))
        if entry.get("failed"):
            entry["failed"], entry["locked_until"] = 0, 0
            self.save()
        return key

    def open_with_recovery(self, code: str) -> bytes:
        rec = self.data.get("recovery")
        if not rec:
            raise KeyringError("没有设置恢复密钥")
        key = unwrap(Wrapped(rec["salt"], rec["wrapped"], rec["check"], rec.get("n", SCRYPT_N)),
                     normalise_recovery_code(code))
        if key is None:
            raise KeyringError("恢复密钥不对")
        return key


    def take_failed_log(self, username: str) -> list[float]:
        """Times of failed attempts not yet written to the audit trail (cleared by this call)."""
        entry = self.data["users"].get(username) or {}
        log = entry.pop("failed_log", [])
        if log:
            self.save()
        return log
