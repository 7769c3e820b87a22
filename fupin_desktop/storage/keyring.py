"""The database key and the per-user wrappings that open it (encryption at rest with SQLCipher).

A random 256-bit data key encrypts the database. It is never stored in clear: for each user it is wrapped with a
key-encryption key derived from that user's password by scrypt (memory-hard, stdlib), and once more with a
recovery key printed at set-up for the township to keep. The wrappings live in ``keys.json`` next to the database
(they cannot live inside it: the database cannot be read before it is opened). Every backup carries a copy
(``<backup>.keys.json``), so the recovery key still opens a backup when ``keys.json`` is lost or damaged.

Wrapping is ``data_key XOR scrypt(password, fresh salt)`` plus an HMAC check value: each pad is pseudo-random and
used for exactly one 32-byte secret, so this is a one-time pad; the check tells a wrong password from a right one
without revealing anything. Failed attempts and lock-out times are kept here too, because they must work before
the database is open.

Several processes (the window and the command line) and threads share the file: every change is a
read-modify-write under an exclusive file lock (``keys.json.lock``), written temp + fsync + rename + folder fsync.
When the disk refuses the write (read-only, full), failures are still counted in this process's memory, so the
lock-out holds. Unknown user names are counted like known ones and get the same message, so a failure does not
tell whether a name exists.
"""
from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from fupin_desktop.domain.errors import FupinError
from fupin_desktop.fileio import write_text_atomic

KEYRING_FILE = "keys.json"
COPY_SUFFIX = ".keys.json"  # beside every backup: fupin-….sqlite3.keys.json
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 15, 8, 1  # ~32 MiB and ~0.1 s per attempt on this machine
LOCKOUT_AFTER = 5
LOCKOUT_BASE_SECONDS = 30
LOCKOUT_MAX_SECONDS = 15 * 60
MAX_STRANGERS = 200  # unknown names counted (bounded: the names are chosen by whoever types)
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: it is typed from paper
WRONG = "用户名或密码不对"
RECOVERY_PATH = ("请在登录窗口点“忘记密码…”，输入设置时打印的恢复密钥（程序会从备份文件夹里的钥匙副本找回钥匙）；"
                 "也可以从备份恢复：备份文件旁的 .keys.json 就是钥匙副本。")


class KeyringError(FupinError):
    """Wrong password, unknown user, lock-out, or a damaged/missing keys.json (message in Chinese).

    ``reason``: "wrong", "locked", "damaged", "missing", "recovery"; ``left``: tries before a lock-out;
    ``wait``: seconds until the next try is allowed."""

    def __init__(self, message: str, reason: str = "wrong", left: int | None = None, wait: int = 0):
        super().__init__(message, reason, left, wait)
        self.reason, self.left, self.wait = reason, left, wait


class KeyringDamagedError(KeyringError):
    """keys.json cannot be read (truncated, not JSON, wrong shape)."""


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


def _wrapped_of(entry: dict) -> Wrapped:
    return Wrapped(entry["salt"], entry["wrapped"], entry["check"], entry.get("n", SCRYPT_N))


def new_data_key() -> bytes:
    return secrets.token_bytes(32)


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(24))
    return "-".join(raw[i:i + 4] for i in range(0, 24, 4))


def normalise_recovery_code(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def parse_keyring(text: str, where: str = KEYRING_FILE) -> dict:
    """The content of a keys.json (or a backup's copy); KeyringDamagedError when it is not one."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("users", {}), dict):
            raise ValueError("wrong shape")
        for entry in data.get("users", {}).values():
            _wrapped_of(entry)
        if data.get("recovery"):
            _wrapped_of(data["recovery"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise KeyringDamagedError(f"钥匙文件 {where} 已损坏（可能是写到一半时断电），不能用密码打开数据。{RECOVERY_PATH}",
                                  "damaged") from None
    data.setdefault("users", {})
    data.setdefault("recovery", None)
    return data


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock between processes and threads (a sidecar lock file). On a folder that cannot be written
    the lock cannot be taken: the block runs unlocked (nothing can be written there anyway)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield
        return
    try:
        if os.name == "nt":
            import msvcrt

            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                    break
                except OSError:  # LK_LOCK gives up after ~10 s; keep waiting
                    continue
            try:
                yield
            finally:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# Failures the disk refused to keep, per (keys.json path, user name): counted here so the lock-out still holds.
_MEMORY: dict[tuple[str, str], dict] = {}
_MEMORY_LOCK = threading.Lock()
_DUMMY = Wrapped(_b64(b"fupin-no-such-us"), _b64(bytes(32)), _b64(bytes(32)))


class Keyring:
    """``keys.json``: {"version", "users": {username: {...wrapping, failed, locked_until, failed_log}},
    "recovery": {...}, "strangers": {name: {failed, locked_until}}, "anchors": {...} (storage.audit)}."""

    def __init__(self, folder: Path, clock=time.time):
        self.path = Path(folder) / KEYRING_FILE
        self.lock_path = Path(folder) / (KEYRING_FILE + ".lock")
        self.clock = clock
        self._thread_lock = threading.RLock()

    # --- reading and writing --------------------------------------------------------------------------------
    def _read(self) -> dict:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {"version": 2, "users": {}, "recovery": None}
        except UnicodeDecodeError:
            text = ""
        return parse_keyring(text)

    @property
    def data(self) -> dict:
        # Read afresh when the file changed: several objects and processes share it, and it is tiny.
        if not hasattr(self, "_cache") or self._cache_mtime != self._mtime():
            self._cache = self._read()
            self._cache_mtime = self._mtime()
        return self._cache

    def _mtime(self) -> int | None:
        try:
            st = self.path.stat()
            return st.st_mtime_ns ^ st.st_size << 1 ^ st.st_ino
        except FileNotFoundError:
            return None

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def is_damaged(self) -> bool:
        try:
            self.data
        except KeyringDamagedError:
            return True
        return False

    @contextlib.contextmanager
    def editing(self) -> Iterator[dict]:
        """Read-modify-write under the file lock: yields the current content (read fresh from disk); written
        atomically when the block ends without error. Raises OSError when the disk refuses the write."""
        with self._thread_lock, _file_lock(self.lock_path):
            data = self._read()
            yield data
            data["version"] = max(2, int(data.get("version", 1)))
            write_text_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1))
            self._cache, self._cache_mtime = data, self._mtime()

    def save(self) -> None:
        """Write the cached content as it is (kept for callers that changed ``data`` themselves)."""
        snapshot = self.data
        with self.editing() as data:
            data.clear()
            data.update(snapshot)

    def replace_with(self, content: dict) -> None:
        """Overwrite keys.json with ``content`` (rebuilding it from a backup's copy)."""
        with self._thread_lock, _file_lock(self.lock_path):
            write_text_atomic(self.path, json.dumps(content, ensure_ascii=False, indent=1))
            self._cache, self._cache_mtime = content, self._mtime()

    def text(self) -> str | None:
        """The file's bytes as text (for the copy beside a backup); None when there is none."""
        try:
            return self.path.read_text(encoding="utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            return None

    # --- users ---------------------------------------------------------------------------------------------
    def usernames(self) -> list[str]:
        return sorted(self.data["users"])

    def set_user(self, username: str, data_key: bytes, password: str, n: int = SCRYPT_N) -> None:
        w = wrap(data_key, password, n)
        with self.editing() as data:
            data["users"][username] = {**w.__dict__, "failed": 0, "locked_until": 0}
            data.get("strangers", {}).pop(username, None)
        self._forget_memory(username)

    def remove_user(self, username: str) -> None:
        with self.editing() as data:
            data["users"].pop(username, None)

    def set_recovery(self, data_key: bytes, code: str, n: int = SCRYPT_N) -> None:
        w = wrap(data_key, normalise_recovery_code(code), n).__dict__
        with self.editing() as data:
            data["recovery"] = w

    # --- lock-out ------------------------------------------------------------------------------------------
    def _entry(self, data: dict, username: str) -> dict:
        return data["users"].get(username) or data.get("strangers", {}).get(username) or {}

    def _memory(self, username: str) -> dict:
        return _MEMORY.get((str(self.path), username), {})

    def _forget_memory(self, username: str) -> None:
        with _MEMORY_LOCK:
            _MEMORY.pop((str(self.path), username), None)

    def failures(self, username: str) -> int:
        """Failed attempts since the last success (on disk plus those the disk refused)."""
        return int(self._entry(self.data, username).get("failed", 0)) + int(self._memory(username).get("failed", 0))

    def locked_for(self, username: str) -> int:
        """Seconds until ``username`` may try again (0 = now)."""
        until = max(float(self._entry(self.data, username).get("locked_until", 0)),
                    float(self._memory(username).get("locked_until", 0)))
        return max(0, int(until - self.clock() + 0.999))

    def _delay(self, failed: int) -> float:
        if failed < LOCKOUT_AFTER:
            return 0
        return min(LOCKOUT_MAX_SECONDS, LOCKOUT_BASE_SECONDS * 2 ** (failed - LOCKOUT_AFTER))

    def _count_failure(self, username: str) -> int:
        """One more failure for ``username`` (known or not), atomically across processes; returns the total."""
        now = self.clock()
        try:
            with self.editing() as data:
                known = username in data["users"]
                if known:
                    entry = data["users"][username]
                else:
                    strangers = data.setdefault("strangers", {})
                    entry = strangers.setdefault(username, {"failed": 0, "locked_until": 0})
                    while len(strangers) > MAX_STRANGERS:
                        strangers.pop(next(iter(strangers)))
                entry["failed"] = int(entry.get("failed", 0)) + 1
                # kept here until the next successful login writes them into the (then open) audit trail
                entry["failed_log"] = (entry.get("failed_log", []) + [now])[-100:]
                total = entry["failed"] + int(self._memory(username).get("failed", 0))
                if total >= LOCKOUT_AFTER:
                    entry["locked_until"] = now + self._delay(total)
            return total
        except OSError:
            # Read-only or full disk: counted in memory; the lock-out holds for as long as this process runs.
            with _MEMORY_LOCK:
                mem = _MEMORY.setdefault((str(self.path), username), {"failed": 0, "locked_until": 0,
                                                                      "failed_log": []})
                mem["failed"] += 1
                mem["failed_log"].append(now)
                total = mem["failed"] + int(self._entry(self.data, username).get("failed", 0))
                if total >= LOCKOUT_AFTER:
                    mem["locked_until"] = now + self._delay(total)
            return total

    def open(self, username: str, password: str) -> bytes:
        """The data key for a correct password. Raises KeyringError (Chinese) otherwise — the same message for
        an unknown user name and a wrong password; repeated failures lock the name out for a growing delay."""
        data = self.data  # KeyringDamagedError (Chinese, names the recovery path) when keys.json is damaged
        entry = data["users"].get(username)
        if entry is None:
            if not data["users"] and not data.get("recovery"):
                raise KeyringError(f"钥匙文件 {KEYRING_FILE} 不见了，不能用密码打开数据。{RECOVERY_PATH}", "missing")
            unwrap(_DUMMY, password)  # the same time as a real attempt: the delay does not reveal the name
            key = None
        else:
            key = unwrap(_wrapped_of(entry), password)
        # The password is tried even during a lock-out (the answer is "locked" either way, so it reveals
        # nothing): a wrong one still counts — attempts racing in parallel all count — a right one does not
        # prolong the owner's wait.
        wait = self.locked_for(username)
        if key is None:
            total = self._count_failure(username)
            left = LOCKOUT_AFTER - total
            if wait:
                raise KeyringError(f"密码错误次数太多，请 {self.locked_for(username)} 秒后再试", "locked", 0, wait)
            raise KeyringError(WRONG + (f"（再错 {left} 次将暂时锁定）" if left > 0 else "（已暂时锁定）"),
                               "wrong", max(0, left))
        if wait:
            raise KeyringError(f"密码错误次数太多，请 {wait} 秒后再试", "locked", 0, wait)
        if self.failures(username):
            self._forget_memory(username)
            try:
                with self.editing() as d:
                    e = d["users"].get(username)
                    if e is not None:
                        e["failed"], e["locked_until"] = 0, 0
            except OSError:
                pass  # nothing to reset on a disk that refuses writes
        return key

    def recovery_wrapping(self) -> Wrapped | None:
        rec = self.data.get("recovery")
        return _wrapped_of(rec) if rec else None

    def open_with_recovery(self, code: str) -> bytes:
        rec = self.recovery_wrapping()
        if rec is None:
            raise KeyringError("没有设置恢复密钥", "recovery")
        key = unwrap(rec, normalise_recovery_code(code))
        if key is None:
            raise KeyringError("恢复密钥不对", "recovery")
        return key

    def take_failed_log(self, username: str) -> list[float]:
        """Times of failed attempts not yet written to the audit trail (cleared by this call), including those
        only this process remembers because the disk refused them."""
        with _MEMORY_LOCK:
            mem = _MEMORY.get((str(self.path), username))
            log = list(mem.get("failed_log", [])) if mem else []
            if mem:
                mem["failed_log"] = []
        try:
            with self.editing() as data:
                entry = data["users"].get(username) or {}
                log = entry.pop("failed_log", []) + log
        except OSError:
            log = list((self.data["users"].get(username) or {}).get("failed_log", [])) + log
        return sorted(log)

    def take_stranger_log(self) -> list[float]:
        """Times of failed attempts with user names that do not exist (cleared by this call). The names are not
        returned: people sometimes type their password into the name box."""
        try:
            with self.editing() as data:
                return sorted(_no_stranger_logs(data))
        except OSError:
            return []


def _no_stranger_logs(data: dict) -> list[float]:
    out: list[float] = []
    for entry in data.get("strangers", {}).values():
        out += entry.pop("failed_log", [])
    return out


def recovery_key_from(texts: list[tuple[str, str]], code: str) -> tuple[bytes, dict] | None:
    """Try the recovery wrapping of each (where, keys.json text) in turn; the data key and the content that
    opened, or None. Damaged copies are skipped; identical wrappings are tried once."""
    tried: set[str] = set()
    normal = normalise_recovery_code(code)
    for where, text in texts:
        try:
            content = parse_keyring(text, where)
        except KeyringDamagedError:
            continue
        rec = content.get("recovery")
        if not rec or rec["salt"] in tried:
            continue
        tried.add(rec["salt"])
        key = unwrap(_wrapped_of(rec), normal)
        if key is not None:
            return key, content
    return None
