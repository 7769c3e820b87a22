"""全面检查 (``fupin-desktop check`` and the 检查 page): the file, its references, the audit trail and the data rules.

Order matters: a damaged file is reported first (the other findings may then be noise), then broken references,
then edits of the audit trail, then the consistency rules of the national check tools over every household
(domain.rules), including ID numbers used twice. Households are streamed, so 100,000 of them need little memory.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from fupin_desktop.domain import rules
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.idcard import IdCardNumber
from fupin_desktop.domain.text import normalize_text
from fupin_desktop.storage.audit import anchor_of, verify_chain
from fupin_desktop.storage.backup import keys_copies
from fupin_desktop.storage.keyring import KeyringDamagedError, parse_keyring
from fupin_desktop.storage.integrity import foreign_key_check, household_facts, quick_check

__all__ = ["CheckFinding", "run_checks", "KIND_TITLES"]

KIND_TITLES = {"file": "数据库文件", "foreign_key": "数据关联", "audit": "审计记录", "rule": "户和成员信息"}


@dataclass(frozen=True)
class CheckFinding:
    """One problem found; ``message`` is Chinese and complete (it names the household and member)."""

    kind: str  # "file", "foreign_key", "audit" or "rule" (see KIND_TITLES)
    rule: str  # for kind "rule": the slug of domain.rules.RULE_TITLES; otherwise the kind again
    message: str
    household_id: str | None = None
    member_id: str | None = None
    severity: str = "warning"  # "error": damaged or rejected data

    @property
    def title(self) -> str:
        return rules.RULE_TITLES.get(self.rule) or KIND_TITLES.get(self.kind, self.kind)

    def __str__(self) -> str:
        return self.message


def _id_key(value: str | None) -> str | None:
    """The ID a member holds, as check_duplicate_ids compares it (disability-card tails and 15-digit forms)."""
    if not value:
        return None
    text = normalize_text(value).replace(" ", "").upper()
    if not text:
        return None
    if len(text) in (20, 22):
        text = text[:18]
    if len(text) == 15:
        try:
            return IdCardNumber.parse(text).value
        except ValidationError:
            return text
    return text


def _from_rule(f: rules.Finding) -> CheckFinding:
    return CheckFinding("rule", f.rule, f.message, f.household_id, f.member_id, f.severity)


def _anchor_copies(db, newest: int = 3) -> list[tuple[str, dict]]:
    """(backup name, content) of the keys.json copies beside the newest backups (their anchors are checked too:
    an anchor removed from keys.json together with the rows still shows against them)."""
    path = getattr(db, "path", None)
    if path is None:
        return []
    out = []
    for copy in keys_copies(path.parent / "backups")[:newest]:
        try:
            out.append((f"备份{copy.name.split('.')[0]}的钥匙副本", parse_keyring(copy.read_text(encoding="utf-8"))))
        except (OSError, UnicodeDecodeError, KeyringDamagedError):
            continue
    return out


def run_checks(db, today: date | None = None,
               progress: Callable[[int, int, str], None] | None = None) -> list[CheckFinding]:
    """Every check on ``db``; an empty list means nothing was found.

    ``today`` is the day the rules judge by (ages, deadlines); default today. ``progress(done, total, text)``
    is called between the stages and every 5,000 households (total unknown until the end: 0).
    """
    today = today or date.today()
    found: list[CheckFinding] = []

    def tick(done: int, text: str) -> None:
        if progress:
            progress(done, 0, text)

    tick(0, "检查数据库文件")
    found += [CheckFinding("file", "file", message, severity="error") for message in quick_check(db)]
    tick(0, "检查数据关联")
    found += [CheckFinding("foreign_key", "foreign_key", message, severity="error")
              for message in foreign_key_check(db)]
    tick(0, "检查审计记录")
    with db.read() as session:
        found += [CheckFinding("audit", "audit", message, severity="error") for message in verify_chain(session)]
        # Rows cut off the end, or a chain recomputed whole, only show against the anchor kept outside the table.
        anchor = anchor_of(db.engine)
        if anchor is not None:
            try:
                messages = anchor.findings(session, copies=_anchor_copies(db))
            except KeyringDamagedError as exc:
                messages = [exc.message]
            found += [CheckFinding("audit", "audit", message, severity="error") for message in messages]

    # The rules: one pass over every household; ID numbers are counted on the way and the few households that
    # share one are read again for the duplicate messages (holding all 100,000 households would cost ~1 GB).
    tick(0, "检查户和成员信息")
    seen: Counter[str] = Counter()
    done = 0
    for facts in household_facts(db, today):
        found += [_from_rule(f) for f in rules.check_household(facts, today)]
        for member in facts.members:
            key = _id_key(member.id_number)
            if key:
                seen[key] += 1
        done += 1
        if done % 5000 == 0:
            tick(done, "检查户和成员信息")
    twice = {key for key, count in seen.items() if count > 1}
    del seen
    if twice:
        sharing = [facts for facts in household_facts(db, today)
                   if any(_id_key(m.id_number) in twice for m in facts.members)]
        found += [_from_rule(f) for f in rules.check_duplicate_ids(sharing)]
    tick(done, "检查完毕")
    return found
