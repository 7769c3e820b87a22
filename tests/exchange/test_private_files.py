"""Issue 14 item 5 (plain files): temporary files in a private folder under the data folder (removed at exit and
after a kill at the next start), logs without SQL parameters or personal numbers even at DEBUG, a masked audit CSV
with Chinese labels and names unless a full export is chosen (and audited), plain backups shredded at encryption."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from fupin_desktop import paths
from fupin_desktop.exchange.audit_text import export_audit_csv
from fupin_desktop.exchange.package import export_package
from fupin_desktop.exchange.roster import apply_roster, inspect_roster, validate_roster
from fupin_desktop.services import Services
from fupin_desktop.services.auth import AccessManager
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.village import CadreInput, VillageInput
from fupin_desktop.storage.encryption import is_plain_sqlite
from fupin_desktop.storage.migrate import open_database

KILLED_EXPORT = textwrap.dedent("""
    import os, sys
    from datetime import date
    from fupin_desktop import paths
    from fupin_desktop.domain.idcard import make_id
    from fupin_desktop.exchange import package
    from fupin_desktop.services import Services
    from fupin_desktop.services.households import HouseholdInput, MemberInput
    from fupin_desktop.storage.db import Actor
    from fupin_desktop.storage.migrate import open_database
    if hasattr(paths, "use_private_temp"):
        paths.use_private_temp()                   # what the CLI and the window do at start
    db = open_database(f"sqlite:///{paths.database_path()}")
    svc = Services(db, actor=Actor(name="t", role="admin"), data_dir=paths.data_dir())
    from fupin_desktop.services.village import CadreInput, VillageInput
    svc.village.set_up(VillageInput(name="东兴村", division_code="130204203213"), [CadreInput(name="张书记", role="secretary")])
    for i in range(400):
        pid = make_id("130204", date(1950 + i % 50, 1 + i % 12, 1 + i % 28), i)
        svc.households.create(HouseholdInput(head_name=f"户{i}"), [MemberInput(f"户{i}", "head", id_number=pid)])
    real = package._RowWriter.write
    written = []
    def write(self, values):
        real(self, values)
        if self.ws.title == "家庭成员":
            written.append(1)
            if len(written) == 400:
                os._exit(9)                        # killed in the middle of a full export
    package._RowWriter.write = write
    package.export_package(svc, paths.data_dir() / "out.xlsx", full=True)
""")



def _files_with(folder: Path, needle: bytes) -> list[Path]:
    found = []
    for p in folder.rglob("*"):
        if p.is_file():
            try:
                if needle in p.read_bytes():
                    found.append(p)
            except OSError:
                pass
    return found


def test_a_killed_full_export_leaves_nothing_in_the_system_temp_folder(tmp_path, kit):
    data, system_tmp = tmp_path / "data", tmp_path / "system-tmp"
    system_tmp.mkdir()
    from datetime import date

    from fupin_desktop.domain.idcard import make_id

    pid = make_id("130204", date(1950 + 7, 1 + 7, 1 + 7), 7)  # one of the 400 the script writes
    env = {**os.environ, "FUPIN_DATA_DIR": str(data), "TMPDIR": str(system_tmp), "TEMP": str(system_tmp),
           "TMP": str(system_tmp)}
    run = subprocess.run([sys.executable, "-c", KILLED_EXPORT, pid], env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 9, run.stderr
    assert _files_with(system_tmp, pid.encode()) == []  # openpyxl's sheets were not in the system temp folder
    leftovers = list((data / paths.TEMP_FOLDER).iterdir())
    assert leftovers  # the killed process's folder is still there…
    again = subprocess.run([sys.executable, "-c", "from fupin_desktop import paths; paths.use_private_temp()"],
                           env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert not any(p.exists() for p in leftovers)  # …until the next start removes it
    assert _files_with(data / paths.TEMP_FOLDER, pid.encode()) == []
    assert list((data / paths.TEMP_FOLDER).iterdir()) == []  # and each process removes its own at exit


def test_logs_hold_no_ids_even_at_debug(tmp_path, kit, monkeypatch):
    from fupin_desktop import app

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers = []
    monkeypatch.setenv("FUPIN_DATA_DIR", str(tmp_path))
    try:
        app._setup_logging()
        root.setLevel(logging.DEBUG)  # someone hunting a problem turns everything on
        logging.getLogger("sqlalchemy.engine").setLevel(logging.DEBUG)
        db = open_database(f"sqlite:///{tmp_path / 'fupin.sqlite3'}")
        svc = Services(db, data_dir=tmp_path)
        svc.village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                           [CadreInput(name="张书记", role="secretary")])
        rows = kit.roster_rows(3)
        roster = kit.write_roster(tmp_path / "r.xlsx", rows)
        plan = validate_roster(svc, inspect_roster(roster, tmp_path))
        apply_roster(svc, plan)
        export_package(svc, tmp_path / "full.xlsx", full=True)
        ids = [str(r[4]) for r in rows if len(str(r[4])) == 18]
        assert ids
        try:
            svc.households.create(HouseholdInput(head_name="重复"), [MemberInput("重复", "head", id_number=ids[0])])
        except Exception:  # noqa: BLE001 — whatever happens, its log line must not carry the number
            logging.getLogger("fupin_desktop").exception("creating failed")
        logging.getLogger("fupin_desktop").warning("a message naming %s", ids[0])
        db.dispose()
    finally:
        for h in root.handlers:
            h.close()
        root.handlers, _ = saved
        root.setLevel(saved[1])
        logging.getLogger("sqlalchemy.engine").setLevel(logging.NOTSET)
    log = (tmp_path / "logs" / "fupin.log").read_text(encoding="utf-8")
    assert "a message naming" in log  # the log works…
    assert [i for i in ids if i in log] == []  # …and carries no ID
    assert "INSERT INTO" not in log


def open_admin(folder: Path):
    store = AccessManager(folder).create_admin("zhang", "张书记", "secret-123")
    svc = Services(store.db, actor=store.actor, data_dir=folder)
    svc.village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                       [CadreInput(name="张书记", role="secretary")])
    return svc


def test_audit_csv_is_masked_readable_and_a_full_export_is_audited(tmp_path, kit):
    svc = open_admin(tmp_path)
    pid = kit.person_id(3)
    h = svc.households.create(HouseholdInput(head_name="张三", phone="13812345678", household_type="dibao"),
                              [MemberInput("张三", "head", id_number=pid)]).value
    export_audit_csv(svc, tmp_path / "masked.csv")
    text = (tmp_path / "masked.csv").read_text(encoding="utf-8-sig")
    assert pid not in text and "13812345678" not in text
    assert pid[:6] in text and "138****5678" in text  # masked by privacy's one rule
    assert "户主姓名" in text and "head_name" not in text  # Chinese field titles
    assert "张三户" in text and h.id[:8] not in text  # the household by name, not "household 4be047eb"
    assert "户类型: （空） → 低保户" in text  # code labels, not codes
    assert "农户: （空） → 张三户" in text  # a reference by name, not its UUID
    assert "出生日期" not in text and "年龄" in text  # a birth date beside the masked ID would rebuild it
    export_audit_csv(svc, tmp_path / "full.csv", full=True)
    assert pid in (tmp_path / "full.csv").read_text(encoding="utf-8-sig")
    details = [e.detail or "" for e in svc.audit.list() if e.action == "export"]
    assert any("完整导出" in d for d in details) and any("号码已遮盖" in d for d in details)
    svc.db.dispose()


def test_plain_backups_from_before_encryption_are_shredded(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'fupin.sqlite3'}")
    svc = Services(db, data_dir=tmp_path)
    svc.village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                       [CadreInput(name="张书记", role="secretary")])
    svc.households.create(HouseholdInput(head_name="王秀英"))
    old = [svc.backups.backup_now().path, svc.backups.backup_now("exit").path]
    db.dispose()
    assert all(is_plain_sqlite(p) for p in old)
    store = AccessManager(tmp_path).create_admin("zhang", "张书记", "secret-123")
    assert not any(p.exists() for p in old)
    remaining = list((tmp_path / "backups").glob("*.sqlite3"))
    assert not any(is_plain_sqlite(p) for p in remaining)
    leaks = [p for p in tmp_path.rglob("*") if p.is_file() and "王秀英".encode() in p.read_bytes()]
    assert leaks == []
    store.db.dispose()
