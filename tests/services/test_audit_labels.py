"""Every action the program writes into the audit trail has a Chinese label in the 操作记录 viewer and its CSV
(seen at 1366×768: the demo village's entry showed the raw code "demo")."""
from __future__ import annotations

import re
from pathlib import Path

from fupin_desktop.services.audit import ACTION_LABELS

PACKAGE = Path(__file__).resolve().parents[2] / "fupin_desktop"
# audit.record(s, "action", …) and record_audit(conn, "action", …): the action is the second argument
CALL = re.compile(r"\b(?:audit\.record|record_audit)\(\s*[\w.]+\s*,\s*\"([a-z_]+)\"")


def test_every_audited_action_has_a_chinese_label():
    actions = {m.group(1) for path in PACKAGE.rglob("*.py") for m in CALL.finditer(path.read_text("utf-8"))}
    assert {"demo", "close_period", "reset_password"} <= actions  # the scan finds the calls
    missing = sorted(a for a in actions if not re.search(r"[\u4e00-\u9fff]", ACTION_LABELS.get(a, "")))
    assert not missing, missing
